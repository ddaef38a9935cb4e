// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_sched_core": the multios_sched C++ core inside the
 * kernel, through the same test bodies GoogleTest runs on the host
 * (core/sched_ktest.h). Needs multios_core (the runtime and the bridge).
 */
#include <kunit/test.h>
#include <linux/module.h>

#include <multios/runtime.h>

#include "ktest_bridge.h"
#include "sched_ktest.h"

MOS_KT_SCHED_CASES(MULTIOS_KTEST_CASE)

void mos_sched_warn(const char *file, int line, const char *what);

/*
 * The core objects in this module report broken invariants here (they
 * are built with MOS_WARN_HANDLER=mos_sched_warn for multios_sched.ko,
 * see modules/sched/Kbuild). A test must not disable the class, which
 * may be running the machine's tasks: a plain mos_warn() (WARN()) makes
 * the splat the guest runner fails on, as before.
 */
void mos_sched_warn(const char *file, int line, const char *what)
{
	mos_warn(file, line, what);
}

#define KUNIT_ENTRY(name) KUNIT_CASE(name##_test),
static struct kunit_case sched_core_cases[] = {
	MOS_KT_SCHED_CASES(KUNIT_ENTRY)
	{}
};

static struct kunit_suite sched_core_suite = {
	.name = "multios_sched_core",
	.test_cases = sched_core_cases,
};

kunit_test_suite(sched_core_suite);

MODULE_DESCRIPTION("KUnit tests of the multios_sched C++ core");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
