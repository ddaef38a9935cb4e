// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_support": the C++ support library, exercised inside
 * the kernel. The test bodies are C++ (support/tests/ktest/), the same ones
 * GoogleTest runs on the host; here each becomes a KUnit case, and their
 * failures arrive through mos_test_fail() as KUNIT_FAIL.
 */
#include <kunit/test.h>

#include <multios/runtime.h>
#include <ktest_cases.h>

void mos_test_fail(struct mos_test *test, const char *file, int line, const char *what)
{
	KUNIT_FAIL((struct kunit *)test, "%s:%d: %s", file, line, what);
}

#define DECLARE_CASE(name) void mos_kt_##name(struct mos_test *test);
MOS_KT_SUPPORT_CASES(DECLARE_CASE)

#define WRAP_CASE(name)							\
static void name##_test(struct kunit *test)				\
{									\
	mos_kt_##name((struct mos_test *)test);				\
}

MOS_KT_SUPPORT_CASES(WRAP_CASE)

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
