// SPDX-License-Identifier: GPL-2.0-only
/*
 * include/multios/runtime.h on libc and pthreads: what host unit tests,
 * simulators and benchmarks link instead of the kernel.
 *
 * It is stricter than it needs to be where that catches kernel bugs on
 * the host: spinlocks disable "preemption" (a per-thread depth), so
 * sleeping or allocating with MOS_GFP_KERNEL under one is reported like
 * DEBUG_ATOMIC_SLEEP does; using an uninitialised lock, unlocking a lock
 * not held, or taking a held spinlock again on the same thread is a bug;
 * giving one lock class two names is a warning, as lockdep makes it;
 * a spinlock (spinlock_t, a sleeping lock on PREEMPT_RT) taken while a
 * raw spinlock is held is a warning, as PROVE_RAW_LOCK_NESTING makes it.
 */
#include "mos_host.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>
#include <pthread.h>
#include <thread>

namespace {

/* ---- execution context --------------------------------------------------- */

thread_local int preempt_depth;
thread_local bool irqs_disabled;
thread_local unsigned int this_cpu_id;
/* Raw spinlocks this thread holds: no spinlock_t may be taken under one. */
thread_local int raw_depth;

bool in_atomic()
{
	return preempt_depth > 0 || irqs_disabled;
}

/* ---- warnings ------------------------------------------------------------- */

std::atomic<unsigned long> warn_count;
std::atomic<mos_host_warn_hook_t> warn_hook;
std::atomic<mos_host_test_fail_hook_t> test_fail_hook;
std::atomic<int> log_level{MOS_LOG_INFO};

/* ---- allocation ------------------------------------------------------------ */

std::atomic<long> fail_countdown{-1};
std::atomic<long> live_allocs;

/* True when this allocation must fail (see mos_alloc_fail_after()). */
bool alloc_should_fail()
{
	long n = fail_countdown.load(std::memory_order_relaxed);
	while (n > 0) {
		if (fail_countdown.compare_exchange_weak(n, n - 1))
			return false;
	}
	return n == 0;
}

/* kmalloc's guarantee: power-of-two sizes are naturally aligned. */
size_t natural_alignment(size_t size)
{
	size_t align = size & -size; /* lowest set bit */
	if (align < alignof(max_align_t))
		return alignof(max_align_t);
	return align > 4096 ? 4096 : align;
}

/* ---- locks ------------------------------------------------------------------ */

constexpr uint32_t spin_magic = 0x5350494e;  /* "SPIN" */
constexpr uint32_t mutex_magic = 0x4d555458; /* "MUTX" */
constexpr uint32_t raw_spin_magic = 0x52415753; /* "RAWS" */

struct HostSpinLock {
	uint32_t magic;
	pthread_spinlock_t lock;
	std::atomic<const void *> owner;
	const char *name;
};

struct HostMutex {
	uint32_t magic;
	pthread_mutex_t lock;
	std::atomic<const void *> owner;
	const char *name;
};

static_assert(sizeof(HostSpinLock) <= sizeof(mos_spinlock_t));
static_assert(sizeof(HostSpinLock) <= sizeof(mos_raw_spinlock_t));
static_assert(alignof(HostSpinLock) <= alignof(mos_raw_spinlock_t));
static_assert(alignof(HostSpinLock) <= alignof(mos_spinlock_t));
static_assert(sizeof(HostMutex) <= sizeof(mos_mutex_t));
static_assert(alignof(HostMutex) <= alignof(mos_mutex_t));

/*
 * Lockdep WARNs when a key it already knows under one name is used with
 * another. The host remembers each class's first name in the class's
 * opaque storage (zero, so nullptr, until then) and compares later names
 * by content, as lockdep does.
 */
const char **class_name_slot(mos_lock_class_t *cls)
{
	static_assert(sizeof(const char *) <= sizeof(mos_lock_class_t));
	return reinterpret_cast<const char **>(cls->opaque);
}

void check_lock_class(mos_lock_class_t *cls, const char *name)
{
	if (!name) {
		/* lockdep_init_map() WARNs on a NULL name too. */
		mos_warn(__FILE__, __LINE__, "lock initialised without a name");
		return;
	}
	std::atomic_ref<const char *> slot(*class_name_slot(cls));
	const char *known = nullptr;
	if (slot.compare_exchange_strong(known, name) || known == name ||
	    strcmp(known, name) == 0)
		return;
	thread_local char what[256];
	snprintf(what, sizeof(what),
		 "Looking for class \"%s\", but found a different class \"%s\" "
		 "with the same key (one LockClass per name)",
		 name, known);
	mos_warn(__FILE__, __LINE__, what);
}

/* A per-thread address: who holds a lock, for recursion and unlock checks. */
const void *current_thread_token()
{
	static thread_local char token;
	return &token;
}

HostSpinLock *spin(mos_spinlock_t *lock)
{
	auto *s = reinterpret_cast<HostSpinLock *>(lock->opaque);
	if (s->magic != spin_magic)
		mos_bug(__FILE__, __LINE__, "spinlock used before mos_spin_init()");
	return s;
}

/* A raw spinlock is a HostSpinLock under its own magic: neither passes for the other. */
HostSpinLock *raw_spin(mos_raw_spinlock_t *lock)
{
	auto *s = reinterpret_cast<HostSpinLock *>(lock->opaque);
	if (s->magic != raw_spin_magic)
		mos_bug(__FILE__, __LINE__, "raw spinlock used before mos_raw_spin_init()");
	return s;
}

HostMutex *mutex(mos_mutex_t *lock)
{
	auto *m = reinterpret_cast<HostMutex *>(lock->opaque);
	if (m->magic != mutex_magic)
		mos_bug(__FILE__, __LINE__, "mutex used before mos_mutex_init()");
	return m;
}

template <class Lock>
void check_not_owner(Lock *l, const char *what)
{
	if (l->owner.load(std::memory_order_relaxed) == current_thread_token())
		mos_bug(__FILE__, __LINE__, what);
}

template <class Lock>
void check_owner(Lock *l, const char *what)
{
	if (l->owner.load(std::memory_order_relaxed) != current_thread_token())
		mos_bug(__FILE__, __LINE__, what);
}

/* ---- CPUs ---------------------------------------------------------------------- */

unsigned int default_nr_cpus()
{
	unsigned int n = std::thread::hardware_concurrency();
	return n ? n : 1;
}

std::atomic<unsigned int> nr_cpus{default_nr_cpus()};
std::atomic<uint64_t> cpu_offline[MOS_HOST_MAX_CPUS / 64];

void print_message(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s%s", prefix, buf);
}

} // namespace

extern "C" {

/* ---- allocation --------------------------------------------------------------- */

void *mos_alloc(size_t size, mos_gfp_t flags)
{
	mos_gfp_t context = flags & (MOS_GFP_KERNEL | MOS_GFP_ATOMIC);
	if (context != MOS_GFP_KERNEL && context != MOS_GFP_ATOMIC)
		mos_warn(__FILE__, __LINE__, "mos_alloc() needs KERNEL or ATOMIC");
	if (context & MOS_GFP_KERNEL)
		mos_might_sleep();
	if (alloc_should_fail())
		return nullptr;
	void *p = nullptr;
	if (posix_memalign(&p, natural_alignment(size), size ? size : 1))
		return nullptr;
	if (flags & MOS_GFP_ZERO)
		memset(p, 0, size);
	live_allocs.fetch_add(1, std::memory_order_relaxed);
	return p;
}

void mos_free(const void *ptr)
{
	if (!ptr)
		return;
	live_allocs.fetch_sub(1, std::memory_order_relaxed);
	free(const_cast<void *>(ptr));
}

void mos_alloc_fail_after(long n)
{
	fail_countdown.store(n < 0 ? -1 : n);
}

long mos_host_live_allocs(void)
{
	return live_allocs.load();
}

/* ---- spinlocks ------------------------------------------------------------------ */

void mos_spin_init(mos_spinlock_t *lock, const char *name, mos_lock_class_t *cls)
{
	if (!cls)
		mos_bug(__FILE__, __LINE__, "spinlock without a lock class");
	check_lock_class(cls, name);
	auto *s = new (lock->opaque) HostSpinLock{};
	pthread_spin_init(&s->lock, PTHREAD_PROCESS_PRIVATE);
	s->name = name;
	s->magic = spin_magic;
}

void mos_spin_lock(mos_spinlock_t *lock)
{
	HostSpinLock *s = spin(lock);
	check_not_owner(s, "spinlock recursion: deadlock");
	/* lockdep's words, with PROVE_RAW_LOCK_NESTING (a run-queue lock is raw). */
	if (raw_depth > 0)
		mos_warn(__FILE__, __LINE__,
			 "BUG: Invalid wait context: spinlock taken under a raw spinlock");
	mos_preempt_disable();
	pthread_spin_lock(&s->lock);
	s->owner.store(current_thread_token(), std::memory_order_relaxed);
}

void mos_spin_unlock(mos_spinlock_t *lock)
{
	HostSpinLock *s = spin(lock);
	check_owner(s, "spinlock released by a thread that does not hold it");
	s->owner.store(nullptr, std::memory_order_relaxed);
	pthread_spin_unlock(&s->lock);
	mos_preempt_enable();
}

unsigned long mos_spin_lock_irqsave(mos_spinlock_t *lock)
{
	unsigned long flags = irqs_disabled;
	irqs_disabled = true;
	mos_spin_lock(lock);
	return flags;
}

void mos_spin_unlock_irqrestore(mos_spinlock_t *lock, unsigned long flags)
{
	mos_spin_unlock(lock);
	irqs_disabled = flags != 0;
}

bool mos_spin_is_locked(mos_spinlock_t *lock)
{
	return spin(lock)->owner.load() != nullptr;
}

/* ---- raw spinlocks ---------------------------------------------------------------- */

void mos_raw_spin_init(mos_raw_spinlock_t *lock, const char *name, mos_lock_class_t *cls)
{
	if (!cls)
		mos_bug(__FILE__, __LINE__, "raw spinlock without a lock class");
	check_lock_class(cls, name);
	auto *s = new (lock->opaque) HostSpinLock{};
	pthread_spin_init(&s->lock, PTHREAD_PROCESS_PRIVATE);
	s->name = name;
	s->magic = raw_spin_magic;
}

void mos_raw_spin_lock(mos_raw_spinlock_t *lock)
{
	HostSpinLock *s = raw_spin(lock);
	check_not_owner(s, "raw spinlock recursion: deadlock");
	mos_preempt_disable();
	pthread_spin_lock(&s->lock);
	s->owner.store(current_thread_token(), std::memory_order_relaxed);
	raw_depth++;
}

void mos_raw_spin_unlock(mos_raw_spinlock_t *lock)
{
	HostSpinLock *s = raw_spin(lock);
	check_owner(s, "raw spinlock released by a thread that does not hold it");
	raw_depth--;
	s->owner.store(nullptr, std::memory_order_relaxed);
	pthread_spin_unlock(&s->lock);
	mos_preempt_enable();
}

unsigned long mos_raw_spin_lock_irqsave(mos_raw_spinlock_t *lock)
{
	unsigned long flags = irqs_disabled;
	irqs_disabled = true;
	mos_raw_spin_lock(lock);
	return flags;
}

void mos_raw_spin_unlock_irqrestore(mos_raw_spinlock_t *lock, unsigned long flags)
{
	mos_raw_spin_unlock(lock);
	irqs_disabled = flags != 0;
}

bool mos_raw_spin_is_locked(mos_raw_spinlock_t *lock)
{
	return raw_spin(lock)->owner.load() != nullptr;
}

/* ---- mutexes --------------------------------------------------------------------- */

void mos_mutex_init(mos_mutex_t *lock, const char *name, mos_lock_class_t *cls)
{
	if (!cls)
		mos_bug(__FILE__, __LINE__, "mutex without a lock class");
	check_lock_class(cls, name);
	auto *m = new (lock->opaque) HostMutex{};
	pthread_mutex_init(&m->lock, nullptr);
	m->name = name;
	m->magic = mutex_magic;
}

void mos_mutex_destroy(mos_mutex_t *lock)
{
	HostMutex *m = mutex(lock);
	if (m->owner.load())
		mos_bug(__FILE__, __LINE__, "mutex destroyed while held");
	pthread_mutex_destroy(&m->lock);
	m->magic = 0;
}

void mos_mutex_lock(mos_mutex_t *lock)
{
	HostMutex *m = mutex(lock);
	mos_might_sleep();
	check_not_owner(m, "mutex recursion: deadlock");
	pthread_mutex_lock(&m->lock);
	m->owner.store(current_thread_token(), std::memory_order_relaxed);
}

void mos_mutex_unlock(mos_mutex_t *lock)
{
	HostMutex *m = mutex(lock);
	check_owner(m, "mutex released by a thread that does not hold it");
	m->owner.store(nullptr, std::memory_order_relaxed);
	pthread_mutex_unlock(&m->lock);
}

bool mos_mutex_is_locked(mos_mutex_t *lock)
{
	return mutex(lock)->owner.load() != nullptr;
}

/* ---- execution context -------------------------------------------------------------- */

void mos_preempt_disable(void)
{
	preempt_depth++;
}

void mos_preempt_enable(void)
{
	if (preempt_depth == 0) {
		mos_warn(__FILE__, __LINE__, "mos_preempt_enable() without disable");
		return;
	}
	preempt_depth--;
}

bool mos_in_atomic(void)
{
	return in_atomic();
}

void mos_might_sleep(void)
{
	if (in_atomic())
		mos_warn(__FILE__, __LINE__,
			 "BUG: sleeping function called from invalid context");
}

void mos_cond_resched(void)
{
	mos_might_sleep();
}

int mos_host_preempt_depth(void)
{
	return preempt_depth;
}

bool mos_host_irqs_disabled(void)
{
	return irqs_disabled;
}

/* ---- CPUs ------------------------------------------------------------------------------ */

void mos_host_set_nr_cpus(unsigned int nr)
{
	if (nr == 0 || nr > MOS_HOST_MAX_CPUS)
		mos_bug(__FILE__, __LINE__, "mos_host_set_nr_cpus(): out of range");
	nr_cpus.store(nr);
	for (auto &word : cpu_offline)
		word.store(0);
}

void mos_host_set_this_cpu(unsigned int cpu)
{
	if (cpu >= nr_cpus.load())
		mos_bug(__FILE__, __LINE__, "mos_host_set_this_cpu(): not possible");
	this_cpu_id = cpu;
}

void mos_host_set_cpu_online(unsigned int cpu, bool online)
{
	if (cpu >= MOS_HOST_MAX_CPUS)
		return;
	uint64_t bit = 1ull << (cpu % 64);
	if (online)
		cpu_offline[cpu / 64].fetch_and(~bit);
	else
		cpu_offline[cpu / 64].fetch_or(bit);
}

unsigned int mos_nr_cpu_ids(void)
{
	return nr_cpus.load(std::memory_order_relaxed);
}

unsigned int mos_this_cpu(void)
{
	if (!in_atomic())
		mos_warn(__FILE__, __LINE__, "mos_this_cpu() in preemptible code");
	return this_cpu_id;
}

bool mos_cpu_possible(unsigned int cpu)
{
	return cpu < mos_nr_cpu_ids();
}

bool mos_cpu_online(unsigned int cpu)
{
	return mos_cpu_possible(cpu) &&
	       !(cpu_offline[cpu / 64].load() & (1ull << (cpu % 64)));
}

/* ---- time ---------------------------------------------------------------------------- */

uint64_t mos_ktime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

/* ---- logging and assertions ------------------------------------------------------------ */

void mos_host_set_log_level(int level)
{
	log_level.store(level);
}

void mos_vlog(int level, const char *fmt, va_list ap)
{
	static const char *const prefixes[] = {
		"mos: ", "mos: ", "mos: ", "mos err: ", "mos warn: ",
		"mos notice: ", "mos info: ", "mos debug: ",
	};
	if (level > log_level.load(std::memory_order_relaxed))
		return;
	print_message(prefixes[level < 0 || level > 7 ? 0 : level], fmt, ap);
}

void mos_log(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mos_vlog(level, fmt, ap);
	va_end(ap);
}

int mos_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int mos_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = mos_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void mos_host_set_warn_hook(mos_host_warn_hook_t hook)
{
	warn_hook.store(hook);
}

unsigned long mos_host_warn_count(void)
{
	return warn_count.load();
}

void mos_warn(const char *file, int line, const char *what)
{
	warn_count.fetch_add(1);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, what);
	if (mos_host_warn_hook_t hook = warn_hook.load())
		hook(file, line, what);
}

void mos_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, what);
	abort();
}

/* ---- in-kernel unit tests --------------------------------------------------------------- */

void mos_host_set_test_fail_hook(mos_host_test_fail_hook_t hook)
{
	test_fail_hook.store(hook);
}

void mos_test_fail(struct mos_test *test, const char *file, int line,
		   const char *what)
{
	test->failures++;
	if (mos_host_test_fail_hook_t hook = test_fail_hook.load()) {
		hook(test, file, line, what);
		return;
	}
	fprintf(stderr, "FAIL: %s:%d: %s\n", file, line, what);
	abort();
}

} // extern "C"
