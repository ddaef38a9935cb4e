// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_swap_core": the multios_swap C++ core inside the
 * kernel, through the same test bodies GoogleTest runs on the host
 * (core/swap_ktest.h). Needs multios_core (the runtime and the bridge).
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "ktest_bridge.h"
#include "swap_ktest.h"

MOS_KT_SWAP_CASES(MULTIOS_KTEST_CASE)

#define KUNIT_ENTRY(name) KUNIT_CASE(name##_test),
static struct kunit_case swap_core_cases[] = {
	MOS_KT_SWAP_CASES(KUNIT_ENTRY)
	{}
};

static struct kunit_suite swap_core_suite = {
	.name = "multios_swap_core",
	.test_cases = swap_core_cases,
};

kunit_test_suite(swap_core_suite);

MODULE_DESCRIPTION("KUnit tests of the multios_swap C++ core");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
