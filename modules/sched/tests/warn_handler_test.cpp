// SPDX-License-Identifier: GPL-2.0-only
//
// The sched core's broken invariants go to its own handler, not straight
// to mos_warn(): in the module that handler reports once and disables the
// class instead of WARN()ing under the rq lock (shim/warn.c).
//
// Without MOS_WARN_HANDLER in mos/bug.h (or without the define in the
// build), MOS_WARN_ON calls mos_warn() directly: the warning is still
// seen, but mos_sched_warn() is never called and both tests fail.

#include <gtest/gtest.h>

#include <multios/sched.h>

#include "sched_warn_host.h"
#include "test_support.h"

namespace {

TEST(SchedWarnHandler, CoreWarningsGoThroughTheHandler)
{
	unsigned long before = mos_sched_host_warn_calls();
	mos_host_test::ExpectWarnings expect;

	EXPECT_TRUE(mos_sched_test_invariant_failure());
	EXPECT_EQ(mos_sched_host_warn_calls(), before + 1);
	EXPECT_EQ(expect.count(), 1u) << "the host handler forwards to mos_warn()";
}

// A real invariant of the run queue: dequeuing an entity that is not queued.
TEST(SchedWarnHandler, ARunqueueInvariantGoesThroughTheHandler)
{
	mos_sched_rq *rq = mos_sched_rq_create(0, MOS_GFP_KERNEL);
	ASSERT_NE(rq, nullptr);
	alignas(mos_sched_entity) static mos_sched_entity se;
	ASSERT_EQ(mos_sched_entity_init_fair(&se, 0), 0);
	unsigned long before = mos_sched_host_warn_calls();
	{
		mos_host_test::ExpectWarnings expect;
		mos_sched_rq_dequeue(rq, &se, 0, 0);
		EXPECT_GE(expect.count(), 1u);
	}
	EXPECT_GE(mos_sched_host_warn_calls(), before + 1);
	mos_sched_rq_destroy(rq);
}

} // namespace
