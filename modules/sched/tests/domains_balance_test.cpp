// SPDX-License-Identifier: GPL-2.0-only
//
// The balancers and wake-up placement on crafted machines and loads,
// through the C ABI. Each algorithm has at least one case whose answer
// changes if it ignored its own input (imbalance_pct, the distance
// matrix, task memory, task hotness, SMT siblings, thermal capacity, EDF
// utilization, power mode): the test pairs it with an algorithm or
// setting that does not look at that input and checks they differ.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "machine.h"

namespace {

using namespace mos_sched_sim;

struct Deleter {
	void operator()(mos_sched_domains *sd) const { mos_sched_domains_destroy(sd); }
};
using TreePtr = std::unique_ptr<mos_sched_domains, Deleter>;

constexpr uint64_t kNow = 100000000;	// 100 ms

class Fixture {
public:
	explicit Fixture(Machine m, uint64_t interval = 0, uint64_t start = kNow)
		: m_(std::move(m)), sd_(m_.build(16, interval))
	{
		for (const auto &d : m_.cpus)
			set(d.cpu, 0, 0, 1024, 0, start);
	}

	// load in nice-0 tasks' worth when given as (nr, load).
	void set(uint32_t cpu, uint32_t nr, uint64_t load, uint32_t capacity = 1024,
		 uint32_t edf = 0, uint64_t now = kNow)
	{
		mos_sd_cpu_stats st{load, nr, capacity, edf, 0};
		ASSERT_EQ(mos_sched_domains_update_cpu(sd_.get(), cpu, &st, now), 0);
	}
	void all(uint32_t nr, uint64_t load)
	{
		for (const auto &d : m_.cpus)
			set(d.cpu, nr, load);
	}
	int busiest(uint32_t cpu, uint32_t level, const mos_sd_policy &p, mos_sd_imbalance *out = nullptr)
	{
		mos_sd_imbalance imb{};
		int r = mos_sched_domains_find_busiest(sd_.get(), cpu, level, &p, &imb);
		if (out)
			*out = imb;
		return r;
	}
	int select(const mos_sd_task &t, int32_t prev, int32_t waker, const mos_sd_policy &p)
	{
		return mos_sched_domains_select_cpu(sd_.get(), &t, prev, waker, &p, kNow);
	}
	int top(uint32_t cpu) { return mos_sched_domains_nr_levels(sd_.get(), cpu) - 1; }
	mos_sched_domains *sd() { return sd_.get(); }

private:
	Machine m_;
	TreePtr sd_;
};

mos_sd_policy policy(uint32_t algo, uint32_t power = MOS_SD_POWER_PERFORMANCE, uint32_t pct = 117)
{
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	p.algo = algo;
	p.power_mode = power;
	p.imbalance_pct = pct;
	return p;
}

mos_sd_task task(uint64_t load = 1024, uint64_t last_ran = 0, int32_t mem_node = -1)
{
	mos_sd_task t{};
	t.load = load;
	t.last_ran_ns = last_ran;
	t.preferred_node = -1;
	if (mem_node >= 0) {
		t.nr_mem = 1;
		t.mem[0] = {uint32_t(mem_node), 1024};
	}
	return t;
}

// 8 CPUs, one node, two LLCs: 0-3 and 4-7, no SMT.
Machine two_llcs()
{
	MachineSpec spec;
	spec.cpus_per_node = {8};
	spec.smt = 1;
	spec.cores_per_llc = 4;
	return make_machine(spec);
}

// Two nodes of 4 CPUs (one LLC each) at the given distance.
Machine two_nodes(uint32_t distance)
{
	Machine m = standard_machine(8, 2, 1);
	m.distance = hier_distance(2, {}, {distance});
	return m;
}

const uint32_t kAlgos[] = {MOS_SD_ALGO_LOAD, MOS_SD_ALGO_NUMA, MOS_SD_ALGO_CACHE};

TEST(SchedDomainsBalance, PullsFromTheBusiestCpu)
{
	for (uint32_t algo : kAlgos) {
		Fixture f(two_llcs());
		f.set(0, 4, 4096);
		mos_sd_imbalance imb;
		ASSERT_EQ(f.busiest(4, 1, policy(algo), &imb), 1) << algo;
		EXPECT_EQ(imb.src_cpu, 0);
		EXPECT_EQ(imb.dst_cpu, 4);
		EXPECT_GE(imb.load, 1024u);
		EXPECT_EQ(imb.src_group, 0u);
		// Nothing to take inside CPU 4's own idle LLC.
		EXPECT_EQ(f.busiest(4, 0, policy(algo)), 0);
		// Inside LLC 0 as well.
		ASSERT_EQ(f.busiest(1, 0, policy(algo), &imb), 1);
		EXPECT_EQ(imb.src_cpu, 0);
	}
}

TEST(SchedDomainsBalance, BalancedLoadStaysPut)
{
	for (uint32_t algo : kAlgos) {
		Fixture f(two_llcs());
		f.all(1, 1024);
		for (uint32_t cpu = 0; cpu < 8; cpu++)
			for (int l = 0; l <= f.top(cpu); l++)
				EXPECT_EQ(f.busiest(cpu, uint32_t(l), policy(algo)), 0);
		// One task per busy CPU next to an idle one: moving it only swaps.
		f.set(5, 0, 0);
		EXPECT_EQ(f.busiest(5, 1, policy(algo)), 0);
	}
}

// imbalance_pct is the hysteresis: 10% more load moves at 105, not at 117.
TEST(SchedDomainsBalance, LoadHonoursImbalancePct)
{
	Fixture f(two_llcs());
	for (uint32_t cpu = 0; cpu < 4; cpu++) {
		f.set(cpu, 2, 2048);
		f.set(cpu + 4, 2, 1862);
	}
	EXPECT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_LOAD, 0, 117)), 0);
	mos_sd_imbalance imb;
	ASSERT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_LOAD, 0, 105), &imb), 1);
	EXPECT_LT(imb.src_cpu, 4);
	// Moves half the difference between the groups, not more.
	EXPECT_NEAR(double(imb.load), (2048 - 1862) / 2.0 * 4, 8);
	// The direction: the lighter side never pulls from itself.
	EXPECT_EQ(f.busiest(0, 1, policy(MOS_SD_ALGO_LOAD, 0, 100)), 0);
}

// numa raises the bar with distance: 25% more load on the far node moves
// for load, not for numa at distance 21, and does again at distance 11.
TEST(SchedDomainsBalance, NumaThresholdGrowsWithDistance)
{
	for (uint32_t dist : {21u, 11u}) {
		Fixture f(two_nodes(dist));
		for (uint32_t cpu = 0; cpu < 4; cpu++) {
			f.set(cpu, 2, 2560);
			f.set(cpu + 4, 2, 2048);
		}
		EXPECT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_LOAD)), 1);
		EXPECT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_NUMA)), dist < 15 ? 1 : 0) << dist;
	}
}

// numa weighs each candidate by distance: of two busy far nodes it pulls
// from the nearer one even when the other is a little busier.
TEST(SchedDomainsBalance, NumaPrefersTheNearerSource)
{
	Machine m = standard_machine(8, 4, 1);	// node k: CPUs 2k, 2k+1
	uint32_t d[4][4] = {{10, 20, 30, 40}, {20, 10, 40, 30}, {30, 40, 10, 20}, {40, 30, 20, 10}};
	for (uint32_t a = 0; a < 4; a++)
		for (uint32_t b = 0; b < 4; b++)
			m.distance[a * 4 + b] = d[a][b];
	Fixture f(m);
	f.set(4, 2, 2048);
	f.set(5, 2, 2048);
	f.set(6, 2, 2200);
	f.set(7, 2, 2200);
	mos_sd_imbalance imb;
	ASSERT_EQ(f.busiest(0, uint32_t(f.top(0)), policy(MOS_SD_ALGO_LOAD), &imb), 1);
	EXPECT_GE(imb.src_cpu, 6);	// node 3: busiest
	ASSERT_EQ(f.busiest(0, uint32_t(f.top(0)), policy(MOS_SD_ALGO_NUMA), &imb), 1);
	EXPECT_LE(imb.src_cpu, 5);	// node 2: 30 away, not 40
}

TEST(SchedDomainsBalance, NumaPicksTasksByTheirMemory)
{
	Fixture f(two_nodes(21));
	std::vector<mos_sd_task> tasks = {task(1024, 0, 1),	// memory on src's node
					  task(512, 0, 0),	// memory on dst's node
					  task(2048, 0, 0)};	// too heavy
	mos_sd_policy numa = policy(MOS_SD_ALGO_NUMA), load = policy(MOS_SD_ALGO_LOAD);
	f.set(0, 1, 1024);	// dst busy: locality decides
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 3, 4, 0, 1024, &numa, kNow), 1);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 3, 4, 0, 1024, &load, kNow), 0);
	// Only the task whose memory is at src: numa will not move it.
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 4, 0, 1024, &numa, kNow),
		  -MOS_EAGAIN);
	// A preferred node alone counts too.
	mos_sd_task pref = task(1024);
	pref.preferred_node = 1;
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), &pref, 1, 4, 0, 1024, &numa, kNow),
		  -MOS_EAGAIN);
	pref.preferred_node = 0;
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), &pref, 1, 4, 0, 1024, &numa, kNow), 0);
	// An idle dst takes the least bad task rather than stay idle.
	f.set(0, 0, 0);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 4, 0, 1024, &numa, kNow), 0);
	// Inside one node nothing is refused.
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 5, 4, 1024, &numa, kNow), 0);
}

TEST(SchedDomainsBalance, CacheKeepsHotTasksInTheirLlc)
{
	Fixture f(two_llcs());
	mos_sd_policy cache = policy(MOS_SD_ALGO_CACHE), load = policy(MOS_SD_ALGO_LOAD);
	std::vector<mos_sd_task> tasks = {task(1024, kNow - 100000),	 // ran 100 us ago
					  task(512, kNow - 10000000)};	 // 10 ms ago
	// Across LLCs: the cold one; load takes the heavier, hot one.
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 2, 0, 4, 1024, &cache, kNow), 1);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 2, 0, 4, 1024, &load, kNow), 0);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 0, 4, 1024, &cache, kNow),
		  -MOS_EAGAIN);
	// Inside the LLC the hot task may move (only L1/L2 are lost).
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 0, 1, 1024, &cache, kNow), 0);
	// migration_cost is the window: at 50 us the task is cold.
	cache.migration_cost_ns = 50000;
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), tasks.data(), 1, 0, 4, 1024, &cache, kNow), 0);
}

TEST(SchedDomainsBalance, CacheWantsMoreImbalanceAcrossLlcs)
{
	Fixture f(two_llcs());
	for (uint32_t cpu = 0; cpu < 4; cpu++) {
		f.set(cpu, 2, 2560);
		f.set(cpu + 4, 2, 2048);
	}
	EXPECT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_LOAD)), 1);
	EXPECT_EQ(f.busiest(4, 1, policy(MOS_SD_ALGO_CACHE)), 0);
	// Inside an LLC the usual margin.
	f.set(5, 3, 3072);
	EXPECT_EQ(f.busiest(4, 0, policy(MOS_SD_ALGO_CACHE)), 1);
}

TEST(SchedDomainsPlacement, LoadPrefersIdleInTheLlcThenAnywhere)
{
	Fixture f(two_llcs());
	f.all(1, 1024);
	mos_sd_policy p = policy(MOS_SD_ALGO_LOAD);
	EXPECT_EQ(f.select(task(), 0, -1, p), 0);	// all busy alike: stay
	f.set(6, 0, 0);
	EXPECT_EQ(f.select(task(), 0, -1, p), 6);	// idle elsewhere
	f.set(2, 0, 0);
	EXPECT_EQ(f.select(task(), 0, -1, p), 2);	// idle in prev's LLC first
	f.set(0, 0, 0);
	EXPECT_EQ(f.select(task(), 0, -1, p), 0);	// prev idle
	// prev offline (not in the tree): the waker's side.
	EXPECT_GE(f.select(task(), 100, 6, p), 0);
	EXPECT_EQ(f.select(task(), -1, 6, p), 6);
}

TEST(SchedDomainsPlacement, CachePrefersTheSmtSibling)
{
	Fixture f(standard_machine(16, 1, 2));	// core c: CPUs c and c + 8
	f.all(1, 1024);
	f.set(11, 0, 0);		// prev 3's sibling
	f.set(5, 0, 0);
	f.set(13, 0, 0);		// core 5 wholly idle
	EXPECT_EQ(f.select(task(), 3, -1, policy(MOS_SD_ALGO_CACHE)), 11);
	int load = f.select(task(), 3, -1, policy(MOS_SD_ALGO_LOAD));
	EXPECT_TRUE(load == 5 || load == 13) << load;	// an idle core first
}

TEST(SchedDomainsPlacement, CacheKeepsAHotTaskWaiting)
{
	Fixture f(two_llcs());
	for (uint32_t cpu = 0; cpu < 4; cpu++)
		f.set(cpu, 1, 1024);
	mos_sd_task hot = task(1024, kNow - 100000), cold = task(1024, kNow - 100000000);
	EXPECT_EQ(f.select(hot, 0, -1, policy(MOS_SD_ALGO_CACHE)), 0);
	EXPECT_GE(f.select(hot, 0, -1, policy(MOS_SD_ALGO_LOAD)), 4);
	// The waker's LLC has idle CPUs: go there, hot or not.
	EXPECT_GE(f.select(hot, 0, 5, policy(MOS_SD_ALGO_CACHE)), 4);
	EXPECT_EQ(f.select(cold, 0, -1, policy(MOS_SD_ALGO_CACHE)), 0);
}

TEST(SchedDomainsPlacement, NumaGoesWhereTheMemoryIs)
{
	Fixture f(two_nodes(21));	// node 0: CPUs 0-3, node 1: 4-7
	f.all(1, 1024);
	f.set(1, 0, 0);
	f.set(5, 0, 0);
	mos_sd_task t = task(1024, 0, 1);
	EXPECT_EQ(f.select(t, 0, -1, policy(MOS_SD_ALGO_NUMA)), 5);
	EXPECT_EQ(f.select(t, 0, -1, policy(MOS_SD_ALGO_LOAD)), 1);
	// Home busy but within capacity: stay at home, least loaded.
	f.set(5, 1, 1024);
	f.set(6, 1, 512);
	EXPECT_EQ(f.select(t, 0, -1, policy(MOS_SD_ALGO_NUMA)), 6);
	// Home overloaded: the nearest idle CPU elsewhere.
	for (uint32_t cpu = 4; cpu < 8; cpu++)
		f.set(cpu, 2, 2048);
	EXPECT_EQ(f.select(t, 4, -1, policy(MOS_SD_ALGO_NUMA)), 1);
	// No memory information: numa is load.
	EXPECT_EQ(f.select(task(), 0, -1, policy(MOS_SD_ALGO_NUMA)),
		  f.select(task(), 0, -1, policy(MOS_SD_ALGO_LOAD)));
}

TEST(SchedDomainsPlacement, ThermalPressureAndEdfReduceCapacity)
{
	for (int edf = 0; edf < 2; edf++) {
		Fixture f(two_llcs());
		f.all(1, 1024);
		f.set(1, 0, 0, edf ? 1024 : 512, edf ? 900 : 0);
		f.set(2, 0, 0);
		EXPECT_EQ(f.select(task(), 0, -1, policy(MOS_SD_ALGO_LOAD)), 2);
		f.set(1, 0, 0);	// full capacity again: the first idle one
		EXPECT_EQ(f.select(task(), 0, -1, policy(MOS_SD_ALGO_LOAD)), 1);
	}
	// Summaries count it.
	Fixture f(two_llcs());
	f.set(1, 0, 0, 1024, 1000);
	mos_sd_group_stats s;
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 1, 0, &s), 0);
	EXPECT_EQ(s.capacity, 3 * 1024u + 24);
	EXPECT_EQ(s.edf_util, 1000u);
}

TEST(SchedDomainsPower, PlacementPacksOrSpreads)
{
	Fixture f(two_llcs());
	f.set(0, 1, 200);
	mos_sd_task light = task(200);
	EXPECT_EQ(f.select(light, 5, -1, policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_PERFORMANCE)), 5);
	EXPECT_EQ(f.select(light, 5, -1, policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_POWERSAVE)), 0);
	EXPECT_EQ(f.select(light, 5, -1, policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_BALANCED)), 5);
	EXPECT_EQ(f.select(light, 1, -1, policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_BALANCED)), 0);
	// No room anywhere within 80%: the algorithm decides.
	f.all(1, 1000);
	f.set(3, 0, 0);
	EXPECT_EQ(f.select(light, 0, -1, policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_POWERSAVE)), 3);
}

// A forked task in performance mode goes to the idlest CPU anywhere (the
// other node), where a waking one stays in its parent's LLC; powersave
// packs both next to the parent.
TEST(SchedDomainsPower, ForkSpreadsInPerformanceOnly)
{
	Fixture f(two_nodes(21));	// node 0: CPUs 0-3, node 1: 4-7
	f.set(0, 1, 1024);		// the parent
	f.set(1, 1, 1024);		// its first child
	mos_sd_task child = task();
	child.flags = MOS_SD_TASK_NEW;
	mos_sd_policy perf = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_PERFORMANCE);
	mos_sd_policy save = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_POWERSAVE);
	EXPECT_GE(f.select(child, 0, 0, perf), 4);
	int woken = f.select(task(), 0, 0, perf);
	EXPECT_TRUE(woken == 2 || woken == 3) << woken;
	int packed = f.select(child, 0, 0, save);
	EXPECT_TRUE(packed == 2 || packed == 3) << packed;
}

TEST(SchedDomainsPower, BalancingPacksOrSpreads)
{
	Fixture f(two_llcs());
	f.set(0, 2, 400);	// two light tasks on CPU 0
	mos_sd_policy perf = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_PERFORMANCE);
	mos_sd_policy save = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_POWERSAVE);
	mos_sd_policy bal = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_BALANCED);
	EXPECT_EQ(f.busiest(4, 1, perf), 1);
	EXPECT_EQ(f.busiest(4, 1, save), 0);
	EXPECT_EQ(f.busiest(4, 1, bal), 0);	// not across LLCs
	EXPECT_EQ(f.busiest(1, 0, bal), 1);	// but inside one
	// CPU 0 overloaded: powersave spreads it inside its LLC, not beyond
	// while the LLC as a whole has room.
	f.set(0, 3, 3072);
	EXPECT_EQ(f.busiest(1, 0, save), 1);
	EXPECT_EQ(f.busiest(4, 1, save), 0);
	for (uint32_t cpu = 0; cpu < 4; cpu++)
		f.set(cpu, 2, 2048);
	EXPECT_EQ(f.busiest(4, 1, save), 1);
}

// Load changes reach the summaries at most once per interval (height x
// stats_interval); a CPU going idle or busy reaches them at once.
TEST(SchedDomainsStats, SummariesRefreshAtMostOncePerIntervalUnlessIdleChanges)
{
	Fixture f(two_llcs(), 1000, 0);	// 1 us per level of height, from time 0
	mos_sd_group_stats s;
	f.set(0, 1, 1024, 1024, 0, 10);	// busy: every summary at once
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, -1, &s), 0);
	EXPECT_EQ(s.load, 1024u);	// the CPU itself: always current
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 1, &s), 0);
	EXPECT_EQ(s.nr_running, 1u);
	EXPECT_EQ(s.idle_cpus, 7u);
	f.set(0, 2, 2048, 1024, 0, 20);	// busier: its LLC not due before 1 us
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 0, &s), 0);
	EXPECT_EQ(s.nr_running, 1u);
	EXPECT_EQ(s.updated_ns, 10u);
	f.set(0, 2, 2048, 1024, 0, 1500);
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 0, &s), 0);
	EXPECT_EQ(s.nr_running, 2u);
	EXPECT_EQ(s.updated_ns, 1500u);
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 1, &s), 0);
	EXPECT_EQ(s.nr_running, 1u);	// the root (height 2): due at 2010
	f.set(0, 2, 2048, 1024, 0, 2500);
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 1, &s), 0);
	EXPECT_EQ(s.nr_running, 2u);
	EXPECT_EQ(s.idle_cpus, 7u);
	EXPECT_EQ(s.capacity, 8 * 1024u);
	EXPECT_EQ(s.nr_cpus, 8u);
	f.set(0, 0, 0, 1024, 0, 2600);	// idle again, inside the interval
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 0, 1, &s), 0);
	EXPECT_EQ(s.nr_running, 0u);
	EXPECT_EQ(s.idle_cpus, 8u);
}

// The guest case behind the rule above: a node whose CPUs all went idle
// within one interval kept an old busy count (idle CPUs send no more
// updates) and lost every fork to the node where the parent runs.
TEST(SchedDomainsPower, ForkSpreadsToANodeThatJustWentIdle)
{
	Fixture f(two_nodes(21), 1000000, 0);	// 1 ms per level, as in the kernel
	f.set(6, 1, 1024, 1024, 0, 10);	// the parent on node 1...
	f.set(6, 0, 0, 1024, 0, 20);	// ...moves to node 0 within 1 ms
	f.set(1, 1, 1024, 1024, 0, 30);
	mos_sd_task child = task();
	child.flags = MOS_SD_TASK_NEW;
	mos_sd_policy p = policy(MOS_SD_ALGO_LOAD);
	EXPECT_GE(mos_sched_domains_select_cpu(f.sd(), &child, 1, 1, &p, 40), 4);
}

TEST(SchedDomainsKnobs, BadValuesAreRefused)
{
	mos_sd_policy p = policy(MOS_SD_ALGO_LOAD);
	EXPECT_EQ(mos_sd_policy_check(&p), 0);
	p.algo = MOS_SD_NR_ALGOS;
	EXPECT_EQ(mos_sd_policy_check(&p), -MOS_EINVAL);
	p = policy(MOS_SD_ALGO_LOAD, MOS_SD_NR_POWER_MODES);
	EXPECT_EQ(mos_sd_policy_check(&p), -MOS_EINVAL);
	p = policy(MOS_SD_ALGO_LOAD, 0, 99);
	EXPECT_EQ(mos_sd_policy_check(&p), -MOS_EINVAL);
	p = policy(MOS_SD_ALGO_LOAD, 0, 1001);
	EXPECT_EQ(mos_sd_policy_check(&p), -MOS_EINVAL);
	EXPECT_EQ(mos_sd_policy_check(nullptr), -MOS_EINVAL);

	EXPECT_EQ(mos_sd_algo_parse("numa\n", 5), MOS_SD_ALGO_NUMA);
	EXPECT_EQ(mos_sd_algo_parse("cache", 5), MOS_SD_ALGO_CACHE);
	EXPECT_EQ(mos_sd_algo_parse("load", 4), MOS_SD_ALGO_LOAD);
	EXPECT_EQ(mos_sd_algo_parse("learned", 7), MOS_SD_ALGO_LEARNED);
	EXPECT_EQ(mos_sd_algo_parse("learned\n", 8), MOS_SD_ALGO_LEARNED);
	EXPECT_EQ(mos_sd_algo_parse("learn", 5), -MOS_EINVAL);
	EXPECT_STREQ(mos_sd_algo_name(MOS_SD_ALGO_LEARNED), "learned");
	EXPECT_STREQ(mos_sd_algo_name(MOS_SD_NR_ALGOS), "?");
	EXPECT_EQ(mos_sd_algo_parse("loa", 3), -MOS_EINVAL);
	EXPECT_EQ(mos_sd_algo_parse("loads", 5), -MOS_EINVAL);
	EXPECT_EQ(mos_sd_algo_parse("", 0), -MOS_EINVAL);
	EXPECT_EQ(mos_sd_power_mode_parse("powersave\n", 10), MOS_SD_POWER_POWERSAVE);
	EXPECT_EQ(mos_sd_power_mode_parse("turbo", 5), -MOS_EINVAL);
	EXPECT_STREQ(mos_sd_algo_name(MOS_SD_ALGO_CACHE), "cache");
	EXPECT_STREQ(mos_sd_power_mode_name(MOS_SD_POWER_BALANCED), "balanced");

	Fixture f(two_llcs());
	mos_sd_policy bad = policy(7);
	mos_sd_policy good = policy(MOS_SD_ALGO_LOAD);
	mos_sd_imbalance imb;
	EXPECT_EQ(mos_sched_domains_find_busiest(f.sd(), 0, 0, &bad, &imb), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_find_busiest(f.sd(), 0, 2, &good, &imb), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_find_busiest(f.sd(), 9, 0, &good, &imb), -MOS_EINVAL);
	mos_sd_task t = task();
	EXPECT_EQ(mos_sched_domains_select_cpu(f.sd(), &t, 0, -1, &bad, 0), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), &t, 0, 0, 1, 1024, &good, 0), -MOS_EAGAIN);
	EXPECT_EQ(mos_sched_domains_pick_task(f.sd(), &t, 1, 0, 99, 1024, &good, 0), -MOS_EINVAL);
	// A bad update changes nothing.
	f.set(2, 1, 1024);
	mos_sd_cpu_stats st{5000, 5, 0, 0, 0};
	EXPECT_EQ(mos_sched_domains_update_cpu(f.sd(), 2, &st, kNow), -MOS_EINVAL);
	st.capacity = 1025;
	EXPECT_EQ(mos_sched_domains_update_cpu(f.sd(), 2, &st, kNow), -MOS_EINVAL);
	mos_sd_group_stats s;
	ASSERT_EQ(mos_sched_domains_group_stats(f.sd(), 2, -1, &s), 0);
	EXPECT_EQ(s.load, 1024u);
	EXPECT_EQ(mos_sched_domains_group_stats(f.sd(), 2, 5, &s), -MOS_EINVAL);
}

}  // namespace
