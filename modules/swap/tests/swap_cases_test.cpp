// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_swap's shared KUnit/host bodies (core/swap_ktest.cpp) under
 * GoogleTest: one SwapCases.<name> test per MOS_KT_SWAP_CASES entry, so
 * a body that leaks a block or leaves preemption unbalanced fails here.
 */
#include <gtest/gtest.h>

#include "swap_ktest.h"
#include "test_support.h"

#define MOS_KT_DECLARE_CASE(name) extern "C" void mos_kt_##name(struct mos_test *t);
MOS_KT_SWAP_CASES(MOS_KT_DECLARE_CASE)
#undef MOS_KT_DECLARE_CASE

namespace {

#define MOS_KT_GTEST(name) \
	TEST(SwapCases, name) { mos_host_test::run_ktest_case(mos_kt_##name); }
MOS_KT_SWAP_CASES(MOS_KT_GTEST)
#undef MOS_KT_GTEST

} // namespace
