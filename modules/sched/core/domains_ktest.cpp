// SPDX-License-Identifier: GPL-2.0-only
//
// Scheduling-domain cases (see sched_ktest.h), shared by KUnit and
// GoogleTest: odd CPU counts with holes and asymmetric nodes, domain_size
// splits, each balancer's deciding input, hot-plug re-homing, power
// modes. The host suites (tests/domains_*_test.cpp) go much further; these
// are the ones worth running inside a kernel too.

#include <mos/alloc.h>
#include <mos/ktest.h>
#include <multios/sched_domains.h>

#include "sched_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace {

constexpr uint32_t kMaxNodes = 4;

// A machine: per node a number of cores, no SMT, LLCs of llc_cores, CPU
// ids spaced by `stride` (holes), distances 10 / far.
struct Machine {
	mos_cpu_desc *cpus = nullptr;
	uint32_t nr_cpus = 0;
	uint32_t nr_nodes = 0;
	uint32_t distance[kMaxNodes * kMaxNodes] = {};

	Machine(const uint32_t *cores, uint32_t nodes, uint32_t llc_cores, uint32_t stride,
		uint32_t far)
		: nr_nodes(nodes)
	{
		uint32_t total = 0;
		for (uint32_t n = 0; n < nodes; n++)
			total += cores[n];
		cpus = static_cast<mos_cpu_desc *>(mos_alloc(total * sizeof(*cpus),
							     MOS_GFP_KERNEL | MOS_GFP_ZERO));
		if (!cpus)
			return;
		for (uint32_t n = 0; n < nodes; n++) {
			uint32_t first = nr_cpus;
			for (uint32_t k = 0; k < cores[n]; k++) {
				mos_cpu_desc &d = cpus[nr_cpus++];
				uint32_t id = (first + k) * stride + 1;
				uint32_t llc = (first + (k / llc_cores) * llc_cores) * stride + 1;
				d.cpu = id;
				d.node = n;
				d.first[MOS_TOPO_SMT] = id;
				d.first[MOS_TOPO_CLUSTER] = llc;
				d.first[MOS_TOPO_LLC] = llc;
				d.first[MOS_TOPO_PACKAGE] = first * stride + 1;
			}
		}
		for (uint32_t a = 0; a < nodes; a++)
			for (uint32_t b = 0; b < nodes; b++)
				distance[a * nodes + b] = a == b ? MOS_TOPO_LOCAL_DISTANCE : far;
	}
	~Machine() { mos_free(cpus); }

	mos_sched_domains *build(uint32_t domain_size = MOS_SD_DOMAIN_SIZE_DEFAULT,
				 uint32_t skip_node = ~0u) const
	{
		mos_sd_build_params p;
		mos_sd_build_params_default(&p);
		p.domain_size = domain_size;
		p.stats_interval_ns = 0;
		mos_sched_domains *sd = nullptr;
		// Hot-unplugging a node: its CPUs are at the end when it is the last.
		uint32_t n = nr_cpus;
		while (n && cpus[n - 1].node == skip_node)
			n--;
		if (cpus && mos_sched_domains_build(cpus, n, distance, nr_nodes, &p,
						    MOS_GFP_KERNEL, &sd))
			return nullptr;
		return sd;
	}
	uint32_t id(uint32_t i, uint32_t stride) const { return i * stride + 1; }
};

// Nine CPUs (ids 1-9) on two nodes, 6 + 3, LLCs of 3: the tree of all of
// them, and the tree left when node 1 (CPUs 7-9) goes offline.
struct HotplugTrees {
	static constexpr uint32_t kCores[2] = {6, 3};
	Machine m{kCores, 2, 3, 1, 21};
	mos_sched_domains *all = m.build();
	mos_sched_domains *left = m.build(MOS_SD_DOMAIN_SIZE_DEFAULT, 1);

	~HotplugTrees()
	{
		if (left)
			mos_sched_domains_destroy(left);
		if (all)
			mos_sched_domains_destroy(all);
	}
};

void set(mos_sched_domains *sd, uint32_t cpu, uint32_t nr, uint64_t load)
{
	mos_sd_cpu_stats st{load, nr, MOS_SD_CAPACITY_SCALE, 0, 0};
	mos_sched_domains_update_cpu(sd, cpu, &st, 1000);
}

mos_sd_policy policy(uint32_t algo, uint32_t power = MOS_SD_POWER_PERFORMANCE)
{
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	p.algo = algo;
	p.power_mode = power;
	return p;
}

} // namespace

extern "C" void mos_kt_sched_domains_odd_holes_asymmetric(struct mos_test *t)
{
	const uint32_t cores[4] = {5, 2, 0, 1};	// node 2: memory only
	Machine m(cores, 4, 4, 3, 20);		// CPU ids 1, 4, 7, ... 22
	mos_sched_domains *sd = m.build();
	MOS_KT_ASSERT(t, sd != nullptr);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_nr_cpus(sd), 8u);
	MOS_KT_EXPECT_LE(t, mos_sched_domains_nr_groups(sd), 7u);
	MOS_KT_EXPECT_FALSE(t, mos_sched_domains_has_cpu(sd, 0));
	MOS_KT_EXPECT_FALSE(t, mos_sched_domains_has_cpu(sd, 2));
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_nr_levels(sd, 2), -MOS_EINVAL);
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t cpu = m.id(i, 3);
		int levels = mos_sched_domains_nr_levels(sd, cpu);
		MOS_KT_ASSERT(t, levels >= 1);
		mos_sd_domain_info top;
		MOS_KT_EXPECT_EQ(t, mos_sched_domains_domain_info(sd, cpu, uint32_t(levels - 1), &top), 0);
		MOS_KT_EXPECT_EQ(t, top.nr_cpus, 8u);
	}
	// The lone CPU of node 3 (id 22) is its own node: its first domain
	// is the whole machine's NUMA level.
	mos_sd_domain_info info;
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_domain_info(sd, 22, 0, &info), 0);
	MOS_KT_EXPECT_TRUE(t, info.levels & MOS_SD_LVL_NUMA);
	// Node 0's five cores: LLCs of four and one.
	MOS_KT_EXPECT_TRUE(t, mos_sched_domains_share(sd, 1, 10, MOS_SD_LVL_LLC));
	MOS_KT_EXPECT_FALSE(t, mos_sched_domains_share(sd, 1, 13, MOS_SD_LVL_LLC));
	MOS_KT_EXPECT_TRUE(t, mos_sched_domains_share(sd, 1, 13, MOS_SD_LVL_NODE));
	char *buf = static_cast<char *>(mos_alloc(4096, MOS_GFP_KERNEL));
	MOS_KT_ASSERT(t, buf != nullptr);
	MOS_KT_EXPECT_GT(t, mos_sched_domains_show(sd, buf, 4096), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_show(sd, buf, 16), -MOS_E2BIG);
	mos_free(buf);
	mos_sched_domains_destroy(sd);

	// Bad input changes nothing and allocates nothing.
	Machine dup(cores, 4, 4, 3, 20);
	MOS_KT_ASSERT(t, dup.cpus != nullptr);
	dup.cpus[1].cpu = dup.cpus[0].cpu;
	MOS_KT_EXPECT_TRUE(t, dup.build() == nullptr);
	MOS_KT_EXPECT_TRUE(t, m.build(1) == nullptr);
}

extern "C" void mos_kt_sched_domains_split(struct mos_test *t)
{
	const uint32_t cores[1] = {40};
	Machine m(cores, 1, 40, 1, 20);
	mos_sched_domains *sd = m.build(8);
	MOS_KT_ASSERT(t, sd != nullptr);
	int levels = mos_sched_domains_nr_levels(sd, 1);
	MOS_KT_EXPECT_EQ(t, levels, 2);	// five SPLITs of 8 under the LLC
	for (int l = 0; l < levels; l++) {
		mos_sd_domain_info info;
		MOS_KT_EXPECT_EQ(t, mos_sched_domains_domain_info(sd, 1, uint32_t(l), &info), 0);
		MOS_KT_EXPECT_LE(t, info.nr_children, 8u);
		if (l == 0) {
			MOS_KT_EXPECT_LE(t, info.nr_cpus, 8u);
			MOS_KT_EXPECT_EQ(t, info.levels, MOS_SD_LVL_SPLIT);
		}
	}
	mos_sched_domains_destroy(sd);
}

// Each balancer against the input it alone looks at.
extern "C" void mos_kt_sched_domains_balancers(struct mos_test *t)
{
	const uint32_t cores[2] = {4, 4};
	Machine m(cores, 2, 4, 1, 21);	// node = LLC: CPUs 1-4 and 5-8
	mos_sched_domains *sd = m.build();
	MOS_KT_ASSERT(t, sd != nullptr);
	for (uint32_t cpu = 1; cpu <= 8; cpu++)
		set(sd, cpu, 2, cpu <= 4 ? 2560 : 2048);	// 25% more on node 0
	mos_sd_policy load = policy(MOS_SD_ALGO_LOAD), numa = policy(MOS_SD_ALGO_NUMA);
	mos_sd_policy cache = policy(MOS_SD_ALGO_CACHE);
	mos_sd_imbalance imb;
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_find_busiest(sd, 5, 1, &load, &imb), 1);
	MOS_KT_EXPECT_LE(t, imb.src_cpu, 4);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_find_busiest(sd, 5, 1, &numa, &imb), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_find_busiest(sd, 5, 1, &cache, &imb), 0);

	mos_sd_task tasks[2] = {};
	tasks[0].load = 1024;
	tasks[0].last_ran_ns = 900000;		// 100 us before now: hot
	tasks[0].preferred_node = 0;
	tasks[1].load = 512;
	tasks[1].last_ran_ns = 1;		// cold
	tasks[1].preferred_node = 1;
	uint64_t now = 1000000;
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_pick_task(sd, tasks, 2, 1, 5, 1024, &load, now), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_pick_task(sd, tasks, 2, 1, 5, 1024, &cache, now), 1);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_pick_task(sd, tasks, 2, 1, 5, 1024, &numa, now), 1);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_pick_task(sd, tasks, 1, 1, 5, 1024, &numa, now),
			 -MOS_EAGAIN);
	mos_sched_domains_destroy(sd);
}

extern "C" void mos_kt_sched_domains_hotplug(struct mos_test *t)
{
	HotplugTrees trees;
	mos_sched_domains *all = trees.all, *left = trees.left;
	MOS_KT_ASSERT(t, all != nullptr && left != nullptr);
	for (uint32_t cpu = 1; cpu <= 9; cpu++)
		set(all, cpu, 1, 100 * cpu);
	mos_sched_domains_copy_stats(left, all, 2000);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_nr_cpus(left), 6u);
	int top = mos_sched_domains_nr_levels(left, 1) - 1;
	mos_sd_group_stats root;
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_group_stats(left, 1, top, &root), 0);
	MOS_KT_EXPECT_EQ(t, root.load, 100u * (1 + 2 + 3 + 4 + 5 + 6));
	MOS_KT_EXPECT_EQ(t, root.nr_cpus, 6u);
	// Wake-up of a task last on an offline CPU lands on an online one.
	mos_sd_task task = {};
	task.load = 1024;
	task.preferred_node = 1;
	mos_sd_policy numa = policy(MOS_SD_ALGO_NUMA);
	int cpu = mos_sched_domains_select_cpu(left, &task, 8, -1, &numa, 3000);
	MOS_KT_EXPECT_TRUE(t, cpu >= 1 && cpu <= 6);
}

// The count of CPUs with a task waiting follows every crossing of 1 <-> 2,
// starts from what a rebuild copies, and ignores a refused update.
extern "C" void mos_kt_sched_domains_waiting_cpus(struct mos_test *t)
{
	HotplugTrees trees;
	mos_sched_domains *all = trees.all, *left = trees.left;
	MOS_KT_ASSERT(t, all != nullptr && left != nullptr);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(all), 0u);
	set(all, 1, 1, 1024);
	set(all, 2, 3, 3072);
	set(all, 8, 2, 2048);	// node 1
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(all), 2u);
	set(all, 2, 2, 2048);	// still waiting: no change
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(all), 2u);
	mos_sched_domains_copy_stats(left, all, 2000);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(left), 1u);	// CPU 8 is gone
	mos_sd_cpu_stats bad{4096, 4, 0, 0, 0};				// capacity 0
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_update_cpu(left, 1, &bad, 3000), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(left), 1u);
	set(left, 2, 1, 1024);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(left), 0u);
	set(left, 2, 0, 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(left), 0u);
	set(left, 2, 2, 2048);
	set(left, 1, 2, 2048);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(left), 2u);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_waiting_cpus(all), 2u);	// trees apart
}

extern "C" void mos_kt_sched_domains_power_modes(struct mos_test *t)
{
	const uint32_t cores[1] = {8};
	Machine m(cores, 1, 4, 1, 20);	// LLCs: CPUs 1-4, 5-8
	mos_sched_domains *sd = m.build();
	MOS_KT_ASSERT(t, sd != nullptr);
	set(sd, 1, 1, 200);
	mos_sd_task light = {};
	light.load = 200;
	light.preferred_node = -1;
	mos_sd_policy perf = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_PERFORMANCE);
	mos_sd_policy save = policy(MOS_SD_ALGO_LOAD, MOS_SD_POWER_POWERSAVE);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_select_cpu(sd, &light, 6, -1, &perf, 2000), 6);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_select_cpu(sd, &light, 6, -1, &save, 2000), 1);
	set(sd, 1, 2, 400);
	mos_sd_imbalance imb;
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_find_busiest(sd, 5, 1, &perf, &imb), 1);
	MOS_KT_EXPECT_EQ(t, mos_sched_domains_find_busiest(sd, 5, 1, &save, &imb), 0);
	mos_sched_domains_destroy(sd);
}
