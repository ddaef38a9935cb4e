// SPDX-License-Identifier: GPL-2.0-only
//
// The multi-CPU simulator (sim/multi_sim.cpp): per-CPU run queues and the
// domain tree's balancers driven through their C ABIs. Quality, not
// speed: after K passes a packed start is spread, numa keeps more tasks
// near their memory than load does, and every run queue checks clean.
// The full scale table (16..1024 CPUs, 1..128 nodes) is printed by
// `sched_bench --sim` (Documentation/dev/sched-domains.rst).
#include <gtest/gtest.h>

#include <cstdio>

#include "multi_sim.h"

namespace {

using namespace mos_sched_sim;

MultiSimResult run(uint32_t cpus, uint32_t nodes, uint32_t algo, uint32_t passes = 20,
		   uint32_t wakeups = 0)
{
	MultiSimConfig c;
	c.nr_cpus = cpus;
	c.nr_nodes = nodes;
	c.nr_tasks = 2 * cpus;
	c.passes = passes;
	c.wakeups_per_pass = wakeups;
	mos_sd_policy_default(&c.policy);
	c.policy.algo = algo;
	MultiSimResult r = run_multi_sim(c);
	std::printf("[multisim] %u cpus %u nodes %s: %s\n", cpus, nodes, mos_sd_algo_name(algo),
		    r.summary().c_str());
	return r;
}

TEST(SchedMultiSim, PackedStartSpreadsOut)
{
	for (uint32_t algo : {MOS_SD_ALGO_LOAD, MOS_SD_ALGO_CACHE, MOS_SD_ALGO_NUMA,
			      MOS_SD_ALGO_LEARNED}) {
		MultiSimResult r = run(64, 8, algo);
		ASSERT_EQ(r.error, "");
		EXPECT_GT(r.imbalance_start, 10.0);
		EXPECT_EQ(r.idle_cpus_end, 0u) << mos_sd_algo_name(algo);
		// numa tolerates more imbalance across nodes (its threshold grows
		// with distance) in exchange for locality.
		EXPECT_LT(r.imbalance_end, algo == MOS_SD_ALGO_NUMA ? 3.0 : 2.0)
			<< mos_sd_algo_name(algo);
		EXPECT_GT(r.migrations, 64u);
	}
}

TEST(SchedMultiSim, NumaKeepsTasksNearTheirMemory)
{
	MultiSimResult load = run(64, 8, MOS_SD_ALGO_LOAD, 20, 64);
	MultiSimResult numa = run(64, 8, MOS_SD_ALGO_NUMA, 20, 64);
	ASSERT_EQ(load.error, "");
	ASSERT_EQ(numa.error, "");
	EXPECT_LT(numa.remote_placements, load.remote_placements);
	EXPECT_LT(numa.remote_tasks_end, load.remote_tasks_end);
}

TEST(SchedMultiSim, ScalesTo1024Cpus)
{
	MultiSimResult r = run(1024, 128, MOS_SD_ALGO_LOAD, 12, 256);
	ASSERT_EQ(r.error, "");
	EXPECT_EQ(r.idle_cpus_end, 0u);
	EXPECT_GE(r.tree_height, 5u);
}

}  // namespace

namespace {

// All four balancers side by side on the simulator (the numbers of the
// table in Documentation/dev/sched-domains.rst come from sched_bench
// --sim; these are the checks that hold them): 64 passes, cpus/4
// wake-ups per pass, nice -5..5, fixed seed.
struct Compared {
	MultiSimResult r[MOS_SD_NR_ALGOS];
};

Compared compare(uint32_t cpus, uint32_t nodes, uint32_t passes)
{
	Compared c;
	for (uint32_t a = 0; a < MOS_SD_NR_ALGOS; a++) {
		c.r[a] = run(cpus, nodes, a, passes, cpus / 4);
		EXPECT_EQ(c.r[a].error, "") << mos_sd_algo_name(a);
		EXPECT_EQ(c.r[a].idle_cpus_end, 0u) << mos_sd_algo_name(a);
	}
	return c;
}

TEST(SchedMultiSim, FourAlgorithms64Cpus8Nodes)
{
	Compared c = compare(64, 8, 64);
	const MultiSimResult &load = c.r[MOS_SD_ALGO_LOAD], &numa = c.r[MOS_SD_ALGO_NUMA];
	const MultiSimResult &learned = c.r[MOS_SD_ALGO_LEARNED];
	EXPECT_TRUE(learned.model_trusted);
	EXPECT_GT(learned.model_updates, 64u);
	// What it learned: far fewer tasks away from their memory than load,
	// so more useful work, and a more even load than numa.
	EXPECT_LT(learned.remote_tasks_end, load.remote_tasks_end / 2);
	EXPECT_GT(learned.work_end, load.work_end);
	EXPECT_LT(learned.imbalance_end, numa.imbalance_end);
	EXPECT_GE(learned.worst_end, load.worst_end);
}

TEST(SchedMultiSim, FourAlgorithms1024Cpus128Nodes)
{
	Compared c = compare(1024, 128, 16);
	const MultiSimResult &load = c.r[MOS_SD_ALGO_LOAD], &learned = c.r[MOS_SD_ALGO_LEARNED];
	EXPECT_TRUE(learned.model_trusted);
	EXPECT_LT(learned.remote_tasks_end, load.remote_tasks_end / 2);
	EXPECT_GT(learned.work_end, load.work_end);
	// Not asserted: after 16 passes its imbalance is worse than numa's
	// and load's here (Documentation/dev/sched-domains.rst).
}

}  // namespace
