// SPDX-License-Identifier: GPL-2.0-only
//
// A simulated 128-node machine driving the 'auto' placement through the
// C ABI, the way the shim will: every 100 ms each range gets its samples
// (from the nodes its tasks run on), a decision, and the decision is
// carried out within the machine-wide migration budget. The SLIT is a
// ring: 10 local, then 16, 22, 28, ... by ring distance, capped at 254.
//
// Several tasks run at once and share the budget:
//   far memory      a task on node 0 with its memory on node 64
//   far footprint   a task on node 10 with a million pages on node 74
//   shared, taking turns   two tasks (nodes 20, 30) whose accesses to
//                          one range swap dominance every 6 intervals
//   shared, evenly  two tasks (nodes 40, 50) with 50/50 accesses
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <multios/numa.h>

namespace {

constexpr uint32_t N = 128;
constexpr uint64_t interval_ns = 100000000;	/* 100 ms */
constexpr int intervals = 50;
constexpr uint32_t rate = 20000;		/* pages per second */
constexpr uint32_t burst = 2000;

uint8_t ring_slit(uint32_t i, uint32_t j)
{
	uint32_t d = i > j ? i - j : j - i;
	uint32_t hops = std::min(d, N - d);
	return uint8_t(hops == 0 ? 10 : std::min(10u + 6u * hops, 254u));
}

struct Task {
	uint32_t node;
	int moves = 0;
};

struct Range {
	std::string name;
	size_t owner;
	std::vector<uint64_t> pages = std::vector<uint64_t>(N);
	mos_numa_range_state state;
	std::vector<mos_numa_decision> moves;	/* every decision that acted */
	std::vector<int> acted_at;		/* ...and its interval */
	/* Interleaved: the shim spreads it as the budget allows, interval by interval. */
	bool spreading = false;
	mos_numa_nodemask spread_over = {};
};

/* Task `task` makes samples(interval) accesses to range `range`. */
struct Use {
	size_t task;
	size_t range;
	std::function<uint32_t(int)> samples;
};

struct Grant {
	uint64_t time;
	uint64_t pages;
};

class Machine {
public:
	Machine() : distance_(N * N)
	{
		for (uint32_t i = 0; i < N; i++)
			for (uint32_t j = 0; j < N; j++)
				distance_[i * N + j] = ring_slit(i, j);
		mos_numa_placement_knobs_default(&knobs_);
		mos_numa_budget_init(&budget_, rate, burst, now_);
	}

	size_t add_task(uint32_t node)
	{
		tasks.push_back({node});
		return tasks.size() - 1;
	}

	size_t add_range(const std::string &name, size_t owner, uint32_t node, uint64_t pages)
	{
		Range r;
		r.name = name;
		r.owner = owner;
		r.pages[node] = pages;
		mos_numa_range_state_init(&r.state);
		ranges.push_back(r);
		return ranges.size() - 1;
	}

	void use(size_t task, size_t range, std::function<uint32_t(int)> samples)
	{
		uses_.push_back({task, range, std::move(samples)});
	}

	void step(int interval)
	{
		now_ += interval_ns;
		for (size_t r = 0; r < ranges.size(); r++) {
			std::vector<uint32_t> samples(N);
			for (const Use &u : uses_) {
				if (u.range == r)
					samples[tasks[u.task].node] += u.samples(interval);
			}
			Range &range = ranges[r];
			if (range.spreading)
				interleave(range, range.spread_over);
			mos_numa_placement_input in{N, tasks[range.owner].node, range.pages.data(),
						    samples.data(), distance_.data()};
			mos_numa_decision d;
			ASSERT_EQ(mos_numa_decide(&in, &knobs_, &range.state, &d, &stats), 0);
			carry_out(range, d, interval);
		}
	}

	std::vector<Task> tasks;
	std::vector<Range> ranges;
	std::vector<Grant> grants;
	mos_numa_placement_stats stats = {};

private:
	uint64_t take(uint64_t pages)
	{
		uint64_t got = mos_numa_budget_take(&budget_, now_, pages);
		EXPECT_LE(got, pages);
		grants.push_back({now_, got});
		return got;
	}

	/* Moves up to `pages` pages to `to`, from the fullest other nodes first. */
	static void migrate(Range &r, uint32_t to, uint64_t pages, const std::vector<uint64_t> &keep)
	{
		while (pages) {
			uint32_t from = N;
			for (uint32_t n = 0; n < N; n++) {
				if (n != to && r.pages[n] > keep[n] &&
				    (from == N || r.pages[n] - keep[n] > r.pages[from] - keep[from]))
					from = n;
			}
			if (from == N)
				return;
			uint64_t moved = std::min(pages, r.pages[from] - keep[from]);
			r.pages[from] -= moved;
			r.pages[to] += moved;
			pages -= moved;
		}
	}

	void carry_out(Range &r, const mos_numa_decision &d, int interval)
	{
		if (d.action == MOS_NUMA_ACT_NONE)
			return;
		r.moves.push_back(d);
		r.acted_at.push_back(interval);
		if (d.action == MOS_NUMA_ACT_MOVE_TASK) {
			tasks[r.owner].node = d.node;
			tasks[r.owner].moves++;
		} else if (d.action == MOS_NUMA_ACT_MOVE_MEMORY) {
			migrate(r, d.node, take(d.pages), std::vector<uint64_t>(N));
		} else {
			r.spreading = true;
			r.spread_over = d.nodes;
			interleave(r, d.nodes);
		}
	}

	/* Even shares on the decision's nodes, as far as the budget goes. */
	void interleave(Range &r, const mos_numa_nodemask &nodes)
	{
		std::vector<uint32_t> on;
		for (uint32_t n = 0; n < N; n++)
			if (mos_numa_node_isset(&nodes, n))
				on.push_back(n);
		ASSERT_FALSE(on.empty());
		uint64_t total = 0;
		for (uint64_t p : r.pages)
			total += p;
		std::vector<uint64_t> share(N);
		for (uint32_t n : on)
			share[n] = total / on.size();
		for (uint32_t n : on) {
			uint64_t want = share[n] > r.pages[n] ? share[n] - r.pages[n] : 0;
			migrate(r, n, take(want), share);
		}
	}

	std::vector<uint8_t> distance_;
	std::vector<Use> uses_;
	mos_numa_placement_knobs knobs_;
	mos_numa_budget budget_;
	uint64_t now_ = 1000 * interval_ns;
};

/* 100 samples an interval, give or take 10%, from a fixed seed. */
std::function<uint32_t(int)> about(uint32_t mean, unsigned seed)
{
	auto rng = std::make_shared<std::mt19937>(seed);
	return [=](int) { return mean - mean / 10 + (*rng)() % (mean / 5 + 1); };
}

class NumaMachineSim : public ::testing::Test {
protected:
	void SetUp() override
	{
		size_t t0 = m.add_task(0);
		far_memory = m.add_range("far memory", t0, 64, 6000);
		m.use(t0, far_memory, about(100, 1));

		size_t t1 = m.add_task(10);
		far_footprint = m.add_range("far footprint", t1, 74, 1000000);
		m.use(t1, far_footprint, about(100, 2));

		/* Dominance swaps every 6 intervals: 70/30, then 30/70. */
		size_t t2 = m.add_task(20), t3 = m.add_task(30);
		turns = m.add_range("shared, taking turns", t2, 20, 1000);
		m.use(t2, turns, [](int i) { return (i / 6) % 2 ? 30u : 70u; });
		m.use(t3, turns, [](int i) { return (i / 6) % 2 ? 70u : 30u; });

		size_t t4 = m.add_task(40), t5 = m.add_task(50);
		evenly = m.add_range("shared, evenly", t4, 45, 1000);
		m.use(t4, evenly, [](int) { return 50u; });
		m.use(t5, evenly, [](int) { return 50u; });

		for (int i = 0; i < intervals; i++)
			m.step(i);
	}

	/* On failure, what each range did and why: the first thing to read. */
	void TearDown() override
	{
		if (!HasFailure() && !getenv("MOS_NUMA_SIM_TRACE"))
			return;
		for (const Range &r : m.ranges) {
			printf("%s:", r.name.c_str());
			for (size_t i = 0; i < r.moves.size(); i++)
				printf(" @%d %s(%s node %u pages %llu)", r.acted_at[i],
				       mos_numa_action_name(r.moves[i].action),
				       mos_numa_reason_name(r.moves[i].reason), r.moves[i].node,
				       (unsigned long long)r.moves[i].pages);
			printf("; last %s, ping-pongs %u\n", mos_numa_reason_name(r.state.last_reason),
			       r.state.ping_pongs);
		}
		char line[1024];
		if (mos_numa_placement_stats_format(&m.stats, line, sizeof(line)) > 0)
			printf("%s", line);
	}

	Machine m;
	size_t far_memory, far_footprint, turns, evenly;
};

TEST_F(NumaMachineSim, FarMemoryFollowsItsTask)
{
	const Range &r = m.ranges[far_memory];
	EXPECT_EQ(m.tasks[r.owner].node, 0u);
	EXPECT_EQ(r.pages[0], 6000u) << "memory did not converge";
	ASSERT_FALSE(r.moves.empty());
	for (const mos_numa_decision &d : r.moves) {
		/* Only ever towards the task: no oscillation. */
		EXPECT_EQ(d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
		EXPECT_EQ(d.node, 0u);
		EXPECT_EQ(d.reason, (uint32_t)MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK);
	}
	/* Converged well before the end and stayed put. */
	EXPECT_LT(r.acted_at.back(), intervals / 2);
	EXPECT_EQ(r.state.last_reason, (uint32_t)MOS_NUMA_WHY_BELOW_THRESHOLD);
}

TEST_F(NumaMachineSim, FarFootprintMovesTheTaskOnce)
{
	const Range &r = m.ranges[far_footprint];
	EXPECT_EQ(m.tasks[r.owner].node, 74u);
	EXPECT_EQ(m.tasks[r.owner].moves, 1);
	ASSERT_EQ(r.moves.size(), 1u);
	EXPECT_EQ(r.moves[0].reason, (uint32_t)MOS_NUMA_WHY_TASK_FOLLOWS_MEMORY);
	EXPECT_EQ(r.pages[74], 1000000u) << "a million pages were not worth moving";
}

TEST_F(NumaMachineSim, SharedRangesDoNotPingPong)
{
	const Range &t = m.ranges[turns];
	EXPECT_LE(t.moves.size(), 2u);
	EXPECT_GE(t.state.ping_pongs, 1u) << "the turns never reached the ping-pong rule";
	EXPECT_GE(m.stats.decisions[MOS_NUMA_WHY_PINNED], 20u);

	const Range &e = m.ranges[evenly];
	ASSERT_EQ(e.moves.size(), 1u);
	EXPECT_EQ(e.moves[0].action, (uint32_t)MOS_NUMA_ACT_INTERLEAVE);
	EXPECT_EQ(e.pages[40], 500u);
	EXPECT_EQ(e.pages[50], 500u);
	EXPECT_EQ(e.state.last_reason, (uint32_t)MOS_NUMA_WHY_ALREADY_SHARED);
}

TEST_F(NumaMachineSim, BudgetNeverExceeded)
{
	uint64_t total = 0;
	for (size_t i = 0; i < m.grants.size(); i++) {
		uint64_t granted = 0;
		for (size_t j = i; j < m.grants.size(); j++) {
			granted += m.grants[j].pages;
			uint64_t allowed =
				burst + uint64_t(rate) * (m.grants[j].time - m.grants[i].time) / 1000000000;
			ASSERT_LE(granted, allowed) << "grants " << i << ".." << j;
		}
		total += m.grants[i].pages;
	}
	/* The far memory alone needed more than one burst: the cap was reached. */
	EXPECT_GE(total, 6000u + 1000u);
	EXPECT_GE(m.grants.size(), 4u);
}

} // namespace
