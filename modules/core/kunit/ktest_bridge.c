// SPDX-License-Identifier: GPL-2.0-only
/*
 * mos_test_fail() for KUnit. KUNIT_FAIL() allocates with GFP_KERNEL, so
 * a failure reported inside a spinlocked or preempt-off section (the lock
 * and per-CPU tests check things exactly there) would itself splat and
 * hide the real message. Such failures are kept here and reported when
 * the test body returns.
 *
 * Exported: the KUnit test modules of the other MultiOS cores
 * (multios_sched_kunit, multios_swap_kunit) run their C++ bodies through
 * these too.
 */
#include <linux/module.h>
#include <linux/spinlock.h>

#include "ktest_bridge.h"

/*
 * Raw: a failure may be reported under a raw spinlock (a RawSpinLock
 * test, a sched case under a stand-in rq lock), where a spinlock_t
 * would itself splat with PROVE_RAW_LOCK_NESTING. Held for a snprintf.
 */
static DEFINE_RAW_SPINLOCK(deferred_lock);
static char deferred_what[256];		/* the first failure in atomic context */
static unsigned int deferred_count;	/* under deferred_lock */

void mos_test_fail(struct mos_test *test, const char *file, int line, const char *what)
{
	unsigned long flags;

	if (!in_atomic() && !irqs_disabled()) {
		KUNIT_FAIL((struct kunit *)test, "%s:%d: %s", file, line, what);
		return;
	}
	raw_spin_lock_irqsave(&deferred_lock, flags);
	if (!deferred_count++)
		snprintf(deferred_what, sizeof(deferred_what), "%s:%d: %s", file, line, what);
	raw_spin_unlock_irqrestore(&deferred_lock, flags);
}
EXPORT_SYMBOL_GPL(mos_test_fail);

void multios_ktest_run(struct kunit *test, void (*body)(struct mos_test *))
{
	unsigned long flags;
	unsigned int count;
	char what[sizeof(deferred_what)];

	body((struct mos_test *)test);

	raw_spin_lock_irqsave(&deferred_lock, flags);
	count = deferred_count;
	deferred_count = 0;
	strscpy(what, deferred_what, sizeof(what));
	raw_spin_unlock_irqrestore(&deferred_lock, flags);
	if (count)
		KUNIT_FAIL(test, "%s (%u failure%s in atomic context)", what, count,
			   count == 1 ? "" : "s");
}
EXPORT_SYMBOL_GPL(multios_ktest_run);
