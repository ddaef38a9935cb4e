/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Locks, RAII guards, and data that can only be reached through its lock.
 *
 * The lock objects wrap the opaque kernel storage of runtime.h, so a lock
 * can live inside the data it protects. Because MultiOS C++ has no global
 * constructors, a lock is built inside allocated or embedded storage and
 * then given its class with an explicit init(cls) before first use. The
 * class carries the lock's name, so every lock of one class has the same
 * name, as lockdep requires:
 *
 *	// one per kind of lock, named once
 *	constinit static mos::LockClass runqueue_lock_class{"runqueue"};
 *
 *	struct Runqueue {
 *		mos::SpinProtected<RunqueueState> state;
 *	};
 *	rq->state.init(runqueue_lock_class);
 *	rq->state.with([&](RunqueueState &s) { s.nr_running++; });
 *
 * Spinlocks disable preemption while held (mos_in_atomic() is true), so
 * sleeping, GFP_KERNEL allocation and mutexes are forbidden under them;
 * the host runtime reports it like the kernel's DEBUG_ATOMIC_SLEEP.
 *
 * SpinLock is a spinlock_t, which PREEMPT_RT turns into a sleeping lock;
 * RawSpinLock is a raw_spinlock_t, which always spins. Code that runs
 * under the scheduler's run-queue or pi lock (raw locks) may take only
 * RawSpinLocks: lockdep's PROVE_RAW_LOCK_NESTING, and the host runtime,
 * report a SpinLock taken under a raw one. Keep raw sections short and
 * bounded: on PREEMPT_RT nothing preempts them.
 */
#ifndef MOS_LOCK_H
#define MOS_LOCK_H

#include <multios/runtime.h>
#include <mos/type_traits.h>
#include <mos/utility.h>

namespace mos {

/*
 * A lockdep class (lock_class_key) and the one name its locks go by: one
 * per kind of lock, in static storage, the key zero-initialised. Declare
 * it constinit so it can never need a constructor at load time.
 *
 * The name lives here, not at init(), because lockdep WARNs ("Looking for
 * class X with key K, but found a different class Y with the same key")
 * when two locks of one key are initialised with different names. Two
 * kinds of lock therefore need two LockClasses; the host runtime reports
 * a mismatch made through the C ABI just as lockdep does.
 */
class LockClass {
public:
	/* A string literal: locks keep the pointer for as long as they live. */
	explicit constexpr LockClass(const char *name) : name_(name), raw_{} {}
	LockClass(const LockClass &) = delete;
	LockClass &operator=(const LockClass &) = delete;

	const char *name() const { return name_; }
	mos_lock_class_t *raw() { return &raw_; }

private:
	const char *name_;
	mos_lock_class_t raw_;
};

static_assert(is_trivially_destructible_v<LockClass>,
	      "a static LockClass must not need a destructor either");

class SpinLock {
public:
	SpinLock() = default;
	SpinLock(const SpinLock &) = delete;
	SpinLock &operator=(const SpinLock &) = delete;

	void init(LockClass &cls) { mos_spin_init(&raw_, cls.name(), cls.raw()); }

	void lock() { mos_spin_lock(&raw_); }
	void unlock() { mos_spin_unlock(&raw_); }
	[[nodiscard]] unsigned long lock_irqsave() { return mos_spin_lock_irqsave(&raw_); }
	void unlock_irqrestore(unsigned long flags)
	{
		mos_spin_unlock_irqrestore(&raw_, flags);
	}
	bool is_locked() { return mos_spin_is_locked(&raw_); }

private:
	mos_spinlock_t raw_;
};

/* A raw_spinlock_t: the only lock allowed under a run-queue lock. */
class RawSpinLock {
public:
	RawSpinLock() = default;
	RawSpinLock(const RawSpinLock &) = delete;
	RawSpinLock &operator=(const RawSpinLock &) = delete;

	void init(LockClass &cls) { mos_raw_spin_init(&raw_, cls.name(), cls.raw()); }

	void lock() { mos_raw_spin_lock(&raw_); }
	void unlock() { mos_raw_spin_unlock(&raw_); }
	[[nodiscard]] unsigned long lock_irqsave() { return mos_raw_spin_lock_irqsave(&raw_); }
	void unlock_irqrestore(unsigned long flags)
	{
		mos_raw_spin_unlock_irqrestore(&raw_, flags);
	}
	bool is_locked() { return mos_raw_spin_is_locked(&raw_); }

private:
	mos_raw_spinlock_t raw_;
};

/*
 * A sleeping lock: process context only, never under a spinlock.
 * Trivially destructible like SpinLock, so either can be a constinit
 * static (the DEFINE_MUTEX of C++) without a load-time constructor.
 */
class Mutex {
public:
	Mutex() = default;
	Mutex(const Mutex &) = delete;
	Mutex &operator=(const Mutex &) = delete;

	void init(LockClass &cls) { mos_mutex_init(&raw_, cls.name(), cls.raw()); }

	/* mutex_destroy(): a debug check in the kernel; call before freeing. */
	void destroy() { mos_mutex_destroy(&raw_); }

	void lock() { mos_mutex_lock(&raw_); }
	void unlock() { mos_mutex_unlock(&raw_); }
	bool is_locked() { return mos_mutex_is_locked(&raw_); }

private:
	mos_mutex_t raw_;
};

static_assert(is_trivially_destructible_v<SpinLock> && is_trivially_destructible_v<Mutex> &&
	      is_trivially_destructible_v<RawSpinLock>);

/* Holds a lock for its scope. Neither copyable nor movable: it is a scope. */
template <class Lock>
class [[nodiscard]] LockGuard {
public:
	/* nodiscard here too: GCC checks a discarded temporary only this way. */
	[[nodiscard]] explicit LockGuard(Lock &lock) : lock_(lock) { lock_.lock(); }
	~LockGuard() { lock_.unlock(); }

	LockGuard(const LockGuard &) = delete;
	LockGuard &operator=(const LockGuard &) = delete;

private:
	Lock &lock_;
};

using SpinGuard = LockGuard<SpinLock>;
using RawSpinGuard = LockGuard<RawSpinLock>;
using MutexGuard = LockGuard<Mutex>;

/* The two kinds of spinlock: what may be taken with interrupts off. */
template <class Lock>
inline constexpr bool is_spinlock_v = is_same_v<Lock, SpinLock> || is_same_v<Lock, RawSpinLock>;

/* spin_lock_irqsave()/spin_unlock_irqrestore() (or the raw_ ones) for a scope. */
template <class Lock>
	requires is_spinlock_v<Lock>
class [[nodiscard]] IrqSaveGuard {
public:
	[[nodiscard]] explicit IrqSaveGuard(Lock &lock) : lock_(lock), flags_(lock.lock_irqsave())
	{
	}
	~IrqSaveGuard() { lock_.unlock_irqrestore(flags_); }

	IrqSaveGuard(const IrqSaveGuard &) = delete;
	IrqSaveGuard &operator=(const IrqSaveGuard &) = delete;

private:
	Lock &lock_;
	unsigned long flags_;
};

using IrqSaveSpinGuard = IrqSaveGuard<SpinLock>;
using IrqSaveRawSpinGuard = IrqSaveGuard<RawSpinLock>;

/*
 * A T that can only be reached with its lock held: through with(), or
 * through the guard that lock() returns. Like SerenityOS's
 * SpinlockProtected and Rust-for-Linux's Lock<T>.
 */
template <class Lock, class T>
class LockProtected {
public:
	/* The lock held, and access to the data, for one scope. */
	template <class Guard>
	class [[nodiscard]] Locked {
	public:
		T &operator*() { return value_; }
		T *operator->() { return &value_; }

		Locked(const Locked &) = delete;
		Locked &operator=(const Locked &) = delete;

	private:
		friend class LockProtected;
		Locked(Lock &lock, T &value) : guard_(lock), value_(value) {}

		Guard guard_;
		T &value_;
	};

	template <class... Args>
	explicit LockProtected(Args &&...args) : value_(mos::forward<Args>(args)...)
	{
	}

	LockProtected(const LockProtected &) = delete;
	LockProtected &operator=(const LockProtected &) = delete;

	void init(LockClass &cls) { lock_.init(cls); }

	/* For a Mutex: mutex_destroy() before the storage goes. */
	void destroy() requires is_same_v<Lock, Mutex> { lock_.destroy(); }

	/* Runs f(T&) with the lock held; returns what f returns. */
	template <class F>
	decltype(auto) with(F &&f)
	{
		LockGuard<Lock> guard(lock_);
		return f(value_);
	}

	/* with(), with interrupts disabled too (data shared with an IRQ). */
	template <class F>
		requires is_spinlock_v<Lock>
	decltype(auto) with_irqsave(F &&f)
	{
		IrqSaveGuard<Lock> guard(lock_);
		return f(value_);
	}

	/* auto locked = data.lock(); locked->field++; (unlocks at scope end) */
	Locked<LockGuard<Lock>> lock() { return {lock_, value_}; }

	bool is_locked() { return lock_.is_locked(); }

private:
	Lock lock_;
	T value_;
};

template <class T>
using SpinProtected = LockProtected<SpinLock, T>;
template <class T>
using RawSpinProtected = LockProtected<RawSpinLock, T>;
template <class T>
using MutexProtected = LockProtected<Mutex, T>;

} // namespace mos

#endif /* MOS_LOCK_H */
