// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a broken invariant of the C++ core does in multios_sched: every
 * MOS_WARN_ON of its objects calls mos_sched_warn() (modules/sched/Kbuild
 * defines MOS_WARN_HANDLER, see support/include/mos/bug.h), not WARN().
 *
 * Most of the core runs under a run-queue lock. A WARN() there prints a
 * splat for every hit, from every CPU, at every tick or enqueue, and with
 * panic_on_warn set it stops the machine for what the kernel can recover
 * from: the class has a safe fallback. So the first failure of a
 * registration is reported once, with its place and the stack, and the
 * class is disabled through multios_error(), which moves every task to
 * CFS (any context: it defers the work with irq_work). Later failures are
 * only counted, for /proc/multios/sched ("invariant_failures: N").
 *
 * The report is deferred like printk_deferred(): a printk that reaches
 * the console under an rq lock can wake a console_sem waiter and take an
 * rq lock again, which is why the scheduler itself prints that way. 6.1
 * exports neither printk_deferred() nor printk_deferred_enter() (which
 * would let dump_stack() print safely), so report() is printk_deferred()'s
 * body over the exported vprintk_emit(), and the stack is saved with
 * stack_trace_save() and printed through it too.
 */
#include <linux/atomic.h>
#include <linux/kern_levels.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/multios.h>
#include <linux/smp.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "sched_shim.h"

/* pr_err()'s level and this module's prefix, for report(). */
#define WARN_PREFIX		KERN_ERR "multios: sched: "

/* Frames of the first failure's stack printed. */
#define WARN_STACK_DEPTH	24

/* Since the last enable(): 1 means the first one is being reported. */
static atomic_long_t invariant_failures = ATOMIC_LONG_INIT(0);

/* printk_deferred(): stored now, printed to the console from irq_work. */
static __printf(1, 2) void report(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk_emit(0, LOGLEVEL_SCHED, NULL, fmt, args);
	va_end(args);
}

static void print_stack(void)
{
#ifdef CONFIG_STACKTRACE
	unsigned long entries[WARN_STACK_DEPTH];
	unsigned int i, nr;

	/* Skip this function: the trace starts at mos_sched_warn(). */
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
	for (i = 0; i < nr; i++)
		report(WARN_PREFIX " %pS\n", (void *)entries[i]);
#endif
}

/**
 * mos_sched_warn() - report a broken invariant of the C++ core
 * @file: the source file of the MOS_WARN_ON
 * @line: its line
 * @what: its condition, as "WARN_ON(cond)"
 *
 * Any context, run-queue lock held or not. Only the first failure since
 * enable() prints: the ones after it are most likely its consequences.
 * Each one asks for the disable, which only the first in a live class
 * gets.
 */
void mos_sched_warn(const char *file, int line, const char *what)
{
	if (atomic_long_inc_return(&invariant_failures) == 1) {
		report(WARN_PREFIX "broken invariant at %s:%d: %s (CPU %d, %s[%d])\n",
		       file, line, what, raw_smp_processor_id(), current->comm,
		       task_pid_nr(current));
		print_stack();
	}
	/*
	 * Every time, not only the first: a failure while the class is not
	 * live (in enable(), before registration completes) disables
	 * nothing, and the next one in the live class must. Once the class
	 * is disabling this returns at once. The state file has room for a
	 * line: the file name without its path.
	 */
	multios_error("broken invariant at %s:%d: %s", kbasename(file), line, what);
}

/* enable(): a new registration reports its own first failure. */
void multios_sched_warn_reset(void)
{
	atomic_long_set(&invariant_failures, 0);
}

unsigned long multios_sched_invariant_failures(void)
{
	return atomic_long_read(&invariant_failures);
}
