// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_support": the C++ support library, exercised inside
 * the kernel. The test bodies are C++ (support/tests/ktest/), the same ones
 * GoogleTest runs on the host; here each becomes a KUnit case, and their
 * failures arrive through mos_test_fail() (ktest_bridge.c).
 */
#include <kunit/test.h>

#include <ktest_cases.h>

#include "ktest_bridge.h"

MOS_KT_SUPPORT_CASES(MULTIOS_KTEST_CASE)

#define KUNIT_ENTRY(name) KUNIT_CASE(name##_test),
static struct kunit_case support_cases[] = {
	MOS_KT_SUPPORT_CASES(KUNIT_ENTRY)
	{}
};

static struct kunit_suite support_suite = {
	.name = "multios_support",
	.test_cases = support_cases,
};

kunit_test_suite(support_suite);
