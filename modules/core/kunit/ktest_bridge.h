/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running C++ test bodies (written against mos/ktest.h) as KUnit cases.
 */
#ifndef MULTIOS_KTEST_BRIDGE_H
#define MULTIOS_KTEST_BRIDGE_H

#include <kunit/test.h>

#include <multios/runtime.h>

/* Runs body(test), then reports what failed where KUNIT_FAIL could not. */
void multios_ktest_run(struct kunit *test, void (*body)(struct mos_test *));

/* One KUnit case function name##_test per C++ body mos_kt_<name>. */
#define MULTIOS_KTEST_CASE(name)					\
void mos_kt_##name(struct mos_test *test);				\
static void name##_test(struct kunit *test)				\
{									\
	multios_ktest_run(test, mos_kt_##name);				\
}

#endif /* MULTIOS_KTEST_BRIDGE_H */
