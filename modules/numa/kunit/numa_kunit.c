// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_numa_core": the multios_numa C++ core inside the
 * kernel, through the same test bodies GoogleTest runs on the host
 * (core/numa_ktest.h). Needs multios_core (the runtime and the bridge).
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "ktest_bridge.h"
#include "numa_ktest.h"

MOS_KT_NUMA_CASES(MULTIOS_KTEST_CASE)

#define KUNIT_ENTRY(name) KUNIT_CASE(name##_test),
static struct kunit_case numa_core_cases[] = {
	MOS_KT_NUMA_CASES(KUNIT_ENTRY)
	{}
};

static struct kunit_suite numa_core_suite = {
	.name = "multios_numa_core",
	.test_cases = numa_core_cases,
};

kunit_test_suite(numa_core_suite);

MODULE_DESCRIPTION("KUnit tests of the multios_numa C++ core");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
