// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_sched's shared KUnit/host bodies (core/{fair,edf,admission}_ktest.cpp) under
 * GoogleTest: one Sched.<name> test per MOS_KT_SCHED_CASES entry, run
 * like the support library's cases, so a body that leaks a block or
 * leaves preemption unbalanced fails here too.
 */
#include <gtest/gtest.h>

#include "sched_ktest.h"
#include "test_support.h"

#define MOS_KT_DECLARE_CASE(name) extern "C" void mos_kt_##name(struct mos_test *t);
MOS_KT_SCHED_CASES(MOS_KT_DECLARE_CASE)
#undef MOS_KT_DECLARE_CASE

namespace {

#define MOS_KT_GTEST(name) \
	TEST(Sched, name) { mos_host_test::run_ktest_case(mos_kt_##name); }
MOS_KT_SCHED_CASES(MOS_KT_GTEST)
#undef MOS_KT_GTEST

} // namespace
