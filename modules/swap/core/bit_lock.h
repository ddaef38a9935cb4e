/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A spinlock that is one bit of a word the lock also guards: the
 * kernel's bit_spin_lock(), as zram uses for its per-slot ZRAM_LOCK and
 * hlist_bl for its per-bucket head pointers. It costs no memory beyond
 * the word, which is what makes a lock per slot (millions of them) and
 * a lock per hash bucket affordable; a mos::SpinLock is 128 bytes.
 *
 * Holding it disables preemption, like bit_spin_lock(): nothing under it
 * may sleep. Lockdep cannot see it (nor zram's); the lock order is
 * therefore written down in Documentation/dev/swap-core.rst.
 *
 * While the lock is held only the holder writes the word, and it keeps
 * the bit set (set_locked()); unlock() clears it with release ordering.
 */
#ifndef MOS_SWAP_BIT_LOCK_H
#define MOS_SWAP_BIT_LOCK_H

#include <multios/runtime.h>
#include <mos/atomic.h>

namespace mos::swapdev {

inline void cpu_relax()
{
#if defined(__x86_64__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	barrier();
#endif
}

template <class T>
class BitLock {
public:
	explicit constexpr BitLock(T bit) : bit_(bit) {}

	bool try_lock(Atomic<T> &word) const
	{
		mos_preempt_disable();
		T old = word.load_relaxed();
		if (!(old & bit_) && word.try_cmpxchg(old, old | bit_))
			return true;
		mos_preempt_enable();
		return false;
	}

	void lock(Atomic<T> &word) const
	{
		while (!try_lock(word)) {
			while (word.load_relaxed() & bit_)
				cpu_relax();
		}
	}

	void unlock(Atomic<T> &word) const
	{
		word.store_release(word.load_relaxed() & ~bit_);
		mos_preempt_enable();
	}

	bool is_locked(const Atomic<T> &word) const { return word.load_relaxed() & bit_; }

	/* The holder's write: the new value, with the lock bit kept. */
	void set_locked(Atomic<T> &word, T value) const { word.store_relaxed(value | bit_); }

	/* The holder's read: the value without the lock bit. */
	T get_locked(const Atomic<T> &word) const { return word.load_relaxed() & ~bit_; }

private:
	T bit_;
};

} // namespace mos::swapdev

#endif /* MOS_SWAP_BIT_LOCK_H */
