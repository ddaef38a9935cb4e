// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>
#include <thread>
#include <vector>

#include <mos/atomic.h>
#include <mos/percpu.h>

#include "test_support.h"

namespace {

class PerCpuTest : public testing::Test {
protected:
	void SetUp() override { saved_nr_cpus_ = mos_nr_cpu_ids(); }
	void TearDown() override { mos_host_set_nr_cpus(saved_nr_cpus_); }

	unsigned int saved_nr_cpus_ = 0;
};

struct Stats {
	unsigned long ticks = 0;
	unsigned long bytes = 0;
};

TEST_F(PerCpuTest, OneAlignedSlotPerPossibleCpuAt1024Cpus)
{
	mos_host_set_nr_cpus(1024);
	auto r = mos::PerCpu<Stats>::create(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	auto &stats = r.value();
	ASSERT_EQ(stats.nr_cpu_ids(), 1024u);
	for (unsigned int cpu = 0; cpu < 1024; cpu++) {
		ASSERT_TRUE(mos::is_aligned(&stats.on(cpu), MOS_CACHELINE_BYTES));
		ASSERT_EQ(stats.on(cpu).ticks, 0u);
	}
	EXPECT_EQ((char *)&stats.on(1) - (char *)&stats.on(0), MOS_CACHELINE_BYTES);
	unsigned int visited = 0;
	stats.for_each_possible([&](unsigned int cpu, Stats &s) {
		s.ticks = cpu;
		visited++;
	});
	EXPECT_EQ(visited, 1024u);
	EXPECT_EQ(stats.on(1023).ticks, 1023u);
}

TEST_F(PerCpuTest, CreateFailsCleanlyWithoutMemory)
{
	long live = mos_host_live_allocs();
	mos_alloc_fail_after(0);
	auto r = mos::PerCpu<Stats>::create(mos::Gfp::Kernel);
	mos_alloc_fail_after(-1);
	EXPECT_EQ(r.error(), -MOS_ENOMEM);
	EXPECT_EQ(mos_host_live_allocs(), live);
}

TEST_F(PerCpuTest, ThisCpuFollowsTheThreadsCpu)
{
	mos_host_set_nr_cpus(8);
	auto r = mos::PerCpu<Stats>::create(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	auto &stats = r.value();
	std::vector<std::thread> cpus;
	for (unsigned int cpu = 0; cpu < 8; cpu++) {
		cpus.emplace_back([&stats, cpu] {
			mos_host_set_this_cpu(cpu);
			for (int i = 0; i < 1000; i++) {
				mos_preempt_disable();
				stats.this_cpu().ticks++;
				mos_preempt_enable();
			}
		});
	}
	for (auto &t : cpus)
		t.join();
	for (unsigned int cpu = 0; cpu < 8; cpu++)
		EXPECT_EQ(stats.on(cpu).ticks, 1000u) << cpu;
}

TEST_F(PerCpuTest, ThisCpuWhilePreemptibleWarns)
{
	auto r = mos::PerCpu<Stats>::create(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	mos_host_test::ExpectWarnings expect;
	r.value().this_cpu().ticks++;
	EXPECT_GE(expect.count(), 1u);
}

TEST_F(PerCpuTest, OfflineCpusAreStillPossible)
{
	mos_host_set_nr_cpus(4);
	mos_host_set_cpu_online(2, false);
	EXPECT_FALSE(mos_cpu_online(2));
	EXPECT_TRUE(mos_cpu_possible(2));
	EXPECT_FALSE(mos_cpu_possible(4));
	mos_host_set_cpu_online(2, true);
	EXPECT_TRUE(mos_cpu_online(2));
}

} // namespace
