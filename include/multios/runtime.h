/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C ABI between MultiOS C++ code and its environment.
 *
 * C++ never includes kernel headers and kernel C never sees C++: every
 * service the C++ support library needs from its host goes through the
 * plain-C functions below. Two implementations exist:
 *
 *   - modules/core/shim/runtime.c: the kernel one, exported by
 *     multios_core (EXPORT_SYMBOL_GPL) for every MultiOS module;
 *   - support/host/runtime_host.cpp: libc and pthreads, for host unit
 *     tests, simulators and benchmarks.
 *
 * Rules for this file: plain C, fixed-width types, opaque storage for
 * kernel objects, no kernel or libc headers besides the compiler's own
 * <stddef.h>/<stdint.h>/<stdbool.h>/<stdarg.h>.
 */
#ifndef MULTIOS_RUNTIME_H
#define MULTIOS_RUNTIME_H

#if defined(__KERNEL__) && !defined(__cplusplus)
/* Kernel C (the shims): the kernel's own fixed-width types. */
#include <linux/types.h>
#include <linux/stdarg.h>
#else
/* C++ everywhere, and host C: the compiler's freestanding headers. */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------
 * Errors are negative kernel errno values. The numbers are the Linux
 * generic ones, identical on x86_64, arm64 and riscv64 and in glibc.
 */
#define MOS_EPERM	1
#define MOS_ENOENT	2
#define MOS_EIO		5
#define MOS_E2BIG	7
#define MOS_EAGAIN	11
#define MOS_ENOMEM	12
#define MOS_EFAULT	14
#define MOS_EBUSY	16
#define MOS_EEXIST	17
#define MOS_ENODEV	19
#define MOS_EINVAL	22
#define MOS_ENOSPC	28
#define MOS_ERANGE	34
#define MOS_ENOSYS	38
#define MOS_EOVERFLOW	75

/* ---- allocation ----------------------------------------------------------
 * Every allocation names its context. MOS_GFP_KERNEL may sleep;
 * MOS_GFP_ATOMIC never sleeps (spinlock held, interrupts off). Failure
 * returns NULL, never panics, and prints no warning (callers report).
 */
typedef uint32_t mos_gfp_t;
#define MOS_GFP_KERNEL	0x1u	/* process context, may sleep */
#define MOS_GFP_ATOMIC	0x2u	/* any context, never sleeps */
#define MOS_GFP_ZERO	0x100u	/* zero the memory */

void *mos_alloc(size_t size, mos_gfp_t flags);
/* Any context, NULL included: it never sleeps. */
void mos_free(const void *ptr);

/*
 * Test hook: make the n-th following mos_alloc() (0 = the next one) and
 * every one after it fail, until mos_alloc_fail_after(-1). Lets tests
 * walk every unwind path; no production code calls it.
 */
void mos_alloc_fail_after(long n);

/* ---- locks ----------------------------------------------------------------
 * Opaque storage large enough for the kernel object it holds (checked
 * with BUILD_BUG_ON in the shim, static_assert on the host), so C++
 * can embed a lock inside the data it protects.
 *
 * A lock class is what lockdep calls a lock_class_key: one per kind of
 * lock, in static storage, so lockdep can tell a Runqueue lock from a
 * DedupBucket lock. It must be zero-initialised static data.
 */
#define MOS_SPINLOCK_SIZE	128
#define MOS_RAW_SPINLOCK_SIZE	128
#define MOS_MUTEX_SIZE		256
#define MOS_LOCK_CLASS_SIZE	32

typedef struct mos_spinlock {
	unsigned char opaque[MOS_SPINLOCK_SIZE] __attribute__((aligned(16)));
} mos_spinlock_t;

/*
 * A raw spinlock (raw_spinlock_t): spins on every kernel, PREEMPT_RT
 * included, where a spinlock_t becomes a sleeping lock. The only kind a
 * caller may take while the scheduler's run-queue or pi lock (both raw)
 * is held; lockdep's PROVE_RAW_LOCK_NESTING reports a spinlock_t there,
 * and so does the host runtime.
 */
typedef struct mos_raw_spinlock {
	unsigned char opaque[MOS_RAW_SPINLOCK_SIZE] __attribute__((aligned(16)));
} mos_raw_spinlock_t;

typedef struct mos_mutex {
	unsigned char opaque[MOS_MUTEX_SIZE] __attribute__((aligned(16)));
} mos_mutex_t;

typedef struct mos_lock_class {
	unsigned char opaque[MOS_LOCK_CLASS_SIZE] __attribute__((aligned(16)));
} mos_lock_class_t;

void mos_spin_init(mos_spinlock_t *lock, const char *name, mos_lock_class_t *cls);
void mos_spin_lock(mos_spinlock_t *lock);
void mos_spin_unlock(mos_spinlock_t *lock);
unsigned long mos_spin_lock_irqsave(mos_spinlock_t *lock);
void mos_spin_unlock_irqrestore(mos_spinlock_t *lock, unsigned long flags);
bool mos_spin_is_locked(mos_spinlock_t *lock);

void mos_raw_spin_init(mos_raw_spinlock_t *lock, const char *name, mos_lock_class_t *cls);
void mos_raw_spin_lock(mos_raw_spinlock_t *lock);
void mos_raw_spin_unlock(mos_raw_spinlock_t *lock);
unsigned long mos_raw_spin_lock_irqsave(mos_raw_spinlock_t *lock);
void mos_raw_spin_unlock_irqrestore(mos_raw_spinlock_t *lock, unsigned long flags);
bool mos_raw_spin_is_locked(mos_raw_spinlock_t *lock);

void mos_mutex_init(mos_mutex_t *lock, const char *name, mos_lock_class_t *cls);
void mos_mutex_destroy(mos_mutex_t *lock);
void mos_mutex_lock(mos_mutex_t *lock);		/* may sleep */
void mos_mutex_unlock(mos_mutex_t *lock);
bool mos_mutex_is_locked(mos_mutex_t *lock);

/* ---- execution context ---------------------------------------------------- */
void mos_preempt_disable(void);
void mos_preempt_enable(void);
/*
 * Preemption or interrupts disabled. Needs CONFIG_PREEMPT_COUNT to see
 * spinlocks and preempt_disable(): every MultiOS test kernel has it (via
 * DEBUG_ATOMIC_SLEEP) and so does Debian's (PREEMPT_DYNAMIC); without it
 * this only sees disabled interrupts.
 */
bool mos_in_atomic(void);
void mos_might_sleep(void);	/* DEBUG_ATOMIC_SLEEP check in the kernel */
void mos_cond_resched(void);

/* ---- CPUs ---------------------------------------------------------------- */
unsigned int mos_nr_cpu_ids(void);	/* highest possible CPU id + 1 */
unsigned int mos_this_cpu(void);	/* caller has preemption disabled */
bool mos_cpu_possible(unsigned int cpu);
bool mos_cpu_online(unsigned int cpu);

/* ---- time ------------------------------------------------------------------ */
uint64_t mos_ktime_ns(void);		/* monotonic */

/* ---- logging and assertions ---------------------------------------------- */
#define MOS_LOG_ERR	3
#define MOS_LOG_WARNING	4
#define MOS_LOG_NOTICE	5
#define MOS_LOG_INFO	6
#define MOS_LOG_DEBUG	7

/* printf-style; %d %u %ld %lu %lld %llu %x %s %c %% and widths only. */
void mos_vlog(int level, const char *fmt, va_list ap);
void mos_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Format into buf like C snprintf (same subset): always NUL-terminated
 * when size > 0, returns the length the whole output would have, so a
 * return value >= size means it was cut.
 */
int mos_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int mos_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A broken invariant: WARN() with a backtrace in the kernel; on the host
 * it is printed and counted, and the test harness fails the test.
 */
void mos_warn(const char *file, int line, const char *what);
/*
 * Unrecoverable: BUG() in the kernel, abort() on host. It never returns,
 * but is deliberately NOT declared noreturn: objtool only knows the
 * kernel's own noreturn functions, and a call left as the last
 * instruction of a function makes it report "unexpected end of section"
 * (or worse, fall-through into the next function).
 */
void mos_bug(const char *file, int line, const char *what);

/* ---- in-kernel unit tests ------------------------------------------------
 * C++ test bodies report through this, so the same test runs under KUnit
 * (the shim maps it to KUNIT_FAIL) and under GoogleTest on the host.
 */
struct mos_test;
void mos_test_fail(struct mos_test *test, const char *file, int line,
		   const char *what);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_RUNTIME_H */
