// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel implementation of include/multios/runtime.h: the services
 * MultiOS C++ code gets from the kernel. Exported for every MultiOS
 * module, so each module's C++ uses the same allocator accounting, the
 * same fault injection and the same logging.
 *
 * Each function is a thin wrapper around a kernel macro or inline
 * function, the way rust/helpers.c wraps them for Rust.
 */
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <multios/runtime.h>

/* The opaque storage in runtime.h must hold the kernel objects. */
static_assert(sizeof(spinlock_t) <= MOS_SPINLOCK_SIZE);
static_assert(__alignof__(spinlock_t) <= 16);
static_assert(sizeof(raw_spinlock_t) <= MOS_RAW_SPINLOCK_SIZE);
static_assert(__alignof__(raw_spinlock_t) <= 16);
static_assert(sizeof(struct mutex) <= MOS_MUTEX_SIZE);
static_assert(__alignof__(struct mutex) <= 16);
static_assert(sizeof(struct lock_class_key) <= MOS_LOCK_CLASS_SIZE);

/* ---- allocation -------------------------------------------------------- */

static atomic_long_t alloc_fail_remaining = ATOMIC_LONG_INIT(0);
static bool alloc_fail_armed;

static bool mos_alloc_should_fail(void)
{
	if (!READ_ONCE(alloc_fail_armed))
		return false;
	return atomic_long_dec_return(&alloc_fail_remaining) < 0;
}

void mos_alloc_fail_after(long n)
{
	WRITE_ONCE(alloc_fail_armed, false);
	if (n < 0)
		return;
	atomic_long_set(&alloc_fail_remaining, n);
	smp_wmb();	/* count before arming */
	WRITE_ONCE(alloc_fail_armed, true);
}
EXPORT_SYMBOL_GPL(mos_alloc_fail_after);

/*
 * Sleeping allocations may fall back to vmalloc for large sizes (the
 * dedup index, per-CPU arrays at 1024 CPUs); atomic ones never do.
 * Exactly one of MOS_GFP_KERNEL and MOS_GFP_ATOMIC names the context.
 */
void *mos_alloc(size_t size, mos_gfp_t flags)
{
	mos_gfp_t context = flags & (MOS_GFP_ATOMIC | MOS_GFP_KERNEL);
	gfp_t gfp = context == MOS_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL;

	if (WARN_ON_ONCE(context != MOS_GFP_ATOMIC && context != MOS_GFP_KERNEL))
		return NULL;
	if (mos_alloc_should_fail())
		return NULL;
	if (flags & MOS_GFP_ZERO)
		gfp |= __GFP_ZERO;
	gfp |= __GFP_NOWARN;
	if (flags & MOS_GFP_ATOMIC)
		return kmalloc(size, gfp);
	return kvmalloc(size, gfp);
}
EXPORT_SYMBOL_GPL(mos_alloc);

/*
 * C++ destructors free wherever an owner goes out of scope, often under a
 * spinlock, but vfree() may sleep. vmalloc'ed memory freed in atomic
 * context is queued and freed by a worker, the way vfree_atomic() does it
 * (which 6.1 does not export): the block itself holds the list node.
 */
static LLIST_HEAD(deferred_vfree);

static void deferred_vfree_work_fn(struct work_struct *work)
{
	struct llist_node *node, *next;

	llist_for_each_safe(node, next, llist_del_all(&deferred_vfree))
		vfree(node);
}

static DECLARE_WORK(deferred_vfree_work, deferred_vfree_work_fn);

void mos_free(const void *ptr)
{
	if (!is_vmalloc_addr(ptr)) {
		kfree(ptr);
	} else if (in_atomic() || irqs_disabled()) {
		if (llist_add((struct llist_node *)ptr, &deferred_vfree))
			schedule_work(&deferred_vfree_work);
	} else {
		vfree(ptr);
	}
}
EXPORT_SYMBOL_GPL(mos_free);

/* Module unload: nothing may still wait to be freed. */
void mos_runtime_exit(void)
{
	flush_work(&deferred_vfree_work);
}

/* ---- locks --------------------------------------------------------------- */

static spinlock_t *to_spinlock(mos_spinlock_t *lock)
{
	return (spinlock_t *)lock->opaque;
}

static raw_spinlock_t *to_raw_spinlock(mos_raw_spinlock_t *lock)
{
	return (raw_spinlock_t *)lock->opaque;
}

static struct mutex *to_mutex(mos_mutex_t *lock)
{
	return (struct mutex *)lock->opaque;
}

void mos_spin_init(mos_spinlock_t *lock, const char *name, mos_lock_class_t *cls)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	/* The C++ LockClass is the lockdep key: one per kind of lock. */
	__raw_spin_lock_init(spinlock_check(to_spinlock(lock)), name,
			     (struct lock_class_key *)cls->opaque, LD_WAIT_CONFIG);
#else
	spin_lock_init(to_spinlock(lock));
#endif
}
EXPORT_SYMBOL_GPL(mos_spin_init);

void mos_spin_lock(mos_spinlock_t *lock)
{
	spin_lock(to_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_spin_lock);

void mos_spin_unlock(mos_spinlock_t *lock)
{
	spin_unlock(to_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_spin_unlock);

unsigned long mos_spin_lock_irqsave(mos_spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(to_spinlock(lock), flags);
	return flags;
}
EXPORT_SYMBOL_GPL(mos_spin_lock_irqsave);

void mos_spin_unlock_irqrestore(mos_spinlock_t *lock, unsigned long flags)
{
	spin_unlock_irqrestore(to_spinlock(lock), flags);
}
EXPORT_SYMBOL_GPL(mos_spin_unlock_irqrestore);

bool mos_spin_is_locked(mos_spinlock_t *lock)
{
	return spin_is_locked(to_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_spin_is_locked);

/*
 * Raw spinlocks: what C++ may take under a run-queue or pi lock. Their
 * lockdep wait type is LD_WAIT_SPIN (raw_spin_lock_init()'s), so
 * PROVE_RAW_LOCK_NESTING accepts them there and still reports a
 * spinlock_t (LD_WAIT_CONFIG) taken under one of them.
 */
void mos_raw_spin_init(mos_raw_spinlock_t *lock, const char *name, mos_lock_class_t *cls)
{
	/* The opaque storage must hold the lock (static_assert above, too). */
	BUILD_BUG_ON(sizeof(raw_spinlock_t) > sizeof(lock->opaque));
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(to_raw_spinlock(lock), name,
			     (struct lock_class_key *)cls->opaque, LD_WAIT_SPIN);
#else
	raw_spin_lock_init(to_raw_spinlock(lock));
#endif
}
EXPORT_SYMBOL_GPL(mos_raw_spin_init);

void mos_raw_spin_lock(mos_raw_spinlock_t *lock)
{
	raw_spin_lock(to_raw_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_raw_spin_lock);

void mos_raw_spin_unlock(mos_raw_spinlock_t *lock)
{
	raw_spin_unlock(to_raw_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_raw_spin_unlock);

unsigned long mos_raw_spin_lock_irqsave(mos_raw_spinlock_t *lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(to_raw_spinlock(lock), flags);
	return flags;
}
EXPORT_SYMBOL_GPL(mos_raw_spin_lock_irqsave);

void mos_raw_spin_unlock_irqrestore(mos_raw_spinlock_t *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore(to_raw_spinlock(lock), flags);
}
EXPORT_SYMBOL_GPL(mos_raw_spin_unlock_irqrestore);

bool mos_raw_spin_is_locked(mos_raw_spinlock_t *lock)
{
	return raw_spin_is_locked(to_raw_spinlock(lock));
}
EXPORT_SYMBOL_GPL(mos_raw_spin_is_locked);

void mos_mutex_init(mos_mutex_t *lock, const char *name, mos_lock_class_t *cls)
{
	__mutex_init(to_mutex(lock), name, (struct lock_class_key *)cls->opaque);
}
EXPORT_SYMBOL_GPL(mos_mutex_init);

void mos_mutex_destroy(mos_mutex_t *lock)
{
	mutex_destroy(to_mutex(lock));
}
EXPORT_SYMBOL_GPL(mos_mutex_destroy);

void mos_mutex_lock(mos_mutex_t *lock)
{
	mutex_lock(to_mutex(lock));
}
EXPORT_SYMBOL_GPL(mos_mutex_lock);

void mos_mutex_unlock(mos_mutex_t *lock)
{
	mutex_unlock(to_mutex(lock));
}
EXPORT_SYMBOL_GPL(mos_mutex_unlock);

bool mos_mutex_is_locked(mos_mutex_t *lock)
{
	return mutex_is_locked(to_mutex(lock));
}
EXPORT_SYMBOL_GPL(mos_mutex_is_locked);

/* ---- execution context -------------------------------------------------- */

void mos_preempt_disable(void)
{
	preempt_disable();
}
EXPORT_SYMBOL_GPL(mos_preempt_disable);

void mos_preempt_enable(void)
{
	preempt_enable();
}
EXPORT_SYMBOL_GPL(mos_preempt_enable);

/*
 * Without CONFIG_PREEMPT_COUNT a held spinlock is invisible here; the
 * debug kernel has it (DEBUG_ATOMIC_SLEEP selects it).
 */
bool mos_in_atomic(void)
{
	return in_atomic() || irqs_disabled();
}
EXPORT_SYMBOL_GPL(mos_in_atomic);

void mos_might_sleep(void)
{
	might_sleep();
}
EXPORT_SYMBOL_GPL(mos_might_sleep);

void mos_cond_resched(void)
{
	cond_resched();
}
EXPORT_SYMBOL_GPL(mos_cond_resched);

/* ---- CPUs ------------------------------------------------------------------ */

unsigned int mos_nr_cpu_ids(void)
{
	return nr_cpu_ids;
}
EXPORT_SYMBOL_GPL(mos_nr_cpu_ids);

unsigned int mos_this_cpu(void)
{
	return smp_processor_id();
}
EXPORT_SYMBOL_GPL(mos_this_cpu);

bool mos_cpu_possible(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_possible(cpu);
}
EXPORT_SYMBOL_GPL(mos_cpu_possible);

bool mos_cpu_online(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu);
}
EXPORT_SYMBOL_GPL(mos_cpu_online);

/* ---- time -------------------------------------------------------------------- */

uint64_t mos_ktime_ns(void)
{
	return ktime_get_ns();
}
EXPORT_SYMBOL_GPL(mos_ktime_ns);

/* ---- logging and assertions ---------------------------------------------- */

void mos_vlog(int level, const char *fmt, va_list ap)
{
	struct va_format vaf;
	va_list args;

	/* A va_list parameter is an array that decayed to a pointer: copy it. */
	va_copy(args, ap);
	vaf.fmt = fmt;
	vaf.va = &args;
	switch (level) {
	case MOS_LOG_ERR:
		pr_err("multios: %pV\n", &vaf);
		break;
	case MOS_LOG_WARNING:
		pr_warn("multios: %pV\n", &vaf);
		break;
	case MOS_LOG_NOTICE:
		pr_notice("multios: %pV\n", &vaf);
		break;
	case MOS_LOG_INFO:
		pr_info("multios: %pV\n", &vaf);
		break;
	default:
		pr_debug("multios: %pV\n", &vaf);
		break;
	}
	va_end(args);
}
EXPORT_SYMBOL_GPL(mos_vlog);

void mos_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mos_vlog(level, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(mos_log);

int mos_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}
EXPORT_SYMBOL_GPL(mos_vsnprintf);

int mos_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
EXPORT_SYMBOL_GPL(mos_snprintf);

void mos_warn(const char *file, int line, const char *what)
{
	WARN(1, "multios: %s:%d: %s\n", file, line, what);
}
EXPORT_SYMBOL_GPL(mos_warn);

void mos_bug(const char *file, int line, const char *what)
{
	pr_crit("multios: %s:%d: %s\n", file, line, what);
	BUG();
}
EXPORT_SYMBOL_GPL(mos_bug);
