// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_numa's shared KUnit/host bodies (core/numa_ktest.cpp) under
 * GoogleTest: one NumaCases.<name> test per MOS_KT_NUMA_CASES entry, so
 * a body that leaks a block or leaves preemption unbalanced fails here.
 */
#include <gtest/gtest.h>

#include "numa_ktest.h"
#include "test_support.h"

#define MOS_KT_DECLARE_CASE(name) extern "C" void mos_kt_##name(struct mos_test *t);
MOS_KT_NUMA_CASES(MOS_KT_DECLARE_CASE)
#undef MOS_KT_DECLARE_CASE

namespace {

#define MOS_KT_GTEST(name) \
	TEST(NumaCases, name) { mos_host_test::run_ktest_case(mos_kt_##name); }
MOS_KT_NUMA_CASES(MOS_KT_GTEST)
#undef MOS_KT_GTEST

} // namespace
