// SPDX-License-Identifier: GPL-2.0-only
/* PerCpu: one slot per possible CPU, each on its own cache line. */
#include <mos/cache.h>
#include <mos/ktest.h>
#include <mos/percpu.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

extern "C" void mos_kt_percpu_sum(struct mos_test *t)
{
	auto r = mos::PerCpu<unsigned long>::create(mos::Gfp::Kernel);
	MOS_KT_ASSERT_OK(t, r);
	mos::PerCpu<unsigned long> &counts = r.value();
	MOS_KT_ASSERT_EQ(t, counts.nr_cpu_ids(), mos_nr_cpu_ids());

	unsigned long expected = 0, visited = 0;
	counts.for_each_possible([&](unsigned int cpu, unsigned long &slot) {
		MOS_KT_EXPECT_EQ(t, slot, 0ul);
		slot = cpu + 1;
		expected += cpu + 1;
		visited++;
	});
	MOS_KT_EXPECT_GE(t, visited, 1ul);

	unsigned long sum = 0;
	for (unsigned int cpu = 0; cpu < mos_nr_cpu_ids(); cpu++) {
		if (mos_cpu_possible(cpu))
			sum += counts.on(cpu);
	}
	MOS_KT_EXPECT_EQ(t, sum, expected);

	if (mos_nr_cpu_ids() > 1) {
		auto gap = (const char *)&counts.on(1) - (const char *)&counts.on(0);
		MOS_KT_EXPECT_GE(t, gap, (long)MOS_CACHELINE_BYTES);
	}
	MOS_KT_EXPECT_TRUE(t, mos::is_aligned(&counts.on(0), MOS_CACHELINE_BYTES));

	mos_preempt_disable();
	unsigned int cpu = mos_this_cpu();
	counts.this_cpu() += 1000;
	MOS_KT_EXPECT_EQ(t, counts.on(cpu), cpu + 1001ul);
	mos_preempt_enable();
}
