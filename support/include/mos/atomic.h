/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Atomics with the kernel's names and the kernel's ordering rules
 * (Documentation/atomic_t.txt, memory-barriers.txt), built on the
 * compiler's __atomic builtins so the same code runs on the host.
 *
 *   mos                       kernel                  builtin ordering
 *   load_relaxed()            READ_ONCE / atomic_read  RELAXED
 *   store_relaxed(v)          WRITE_ONCE / atomic_set  RELAXED
 *   load_acquire()            smp_load_acquire         ACQUIRE
 *   store_release(v)          smp_store_release        RELEASE
 *   add(d) / sub(d) / inc()   atomic_add / _sub / _inc RELAXED, no return
 *   fetch_add_relaxed(d)      atomic_fetch_add_relaxed RELAXED
 *   add_return / sub_return   atomic_add_return ...    fully ordered
 *   dec_and_test()            atomic_dec_and_test      fully ordered
 *   xchg / cmpxchg            xchg / cmpxchg           fully ordered
 *   try_cmpxchg(old, new)     atomic_try_cmpxchg       fully ordered
 *   smp_mb()                  smp_mb                   fence SEQ_CST
 *   smp_rmb() / smp_wmb()     smp_rmb / smp_wmb        fence ACQUIRE / RELEASE
 *
 * "Fully ordered" in the kernel means a full barrier before and after the
 * operation. A C++ SEQ_CST read-modify-write is that on x86_64 (a locked
 * instruction) but NOT on arm64 or riscv64, where it does not keep an
 * earlier plain store from passing a later plain load (the reason for
 * Linux commit 8e86f0b409a4). There we add smp_mb() on both sides, as the
 * kernel's generic __atomic_op_fence() does. A failed cmpxchg orders
 * nothing, as in the kernel. smp_rmb()/smp_wmb() are acquire/release
 * fences: at least as strong as the kernel's, never weaker.
 *
 * Only 4- and 8-byte types: what atomic_t/atomic64_t/atomic_long_t cover,
 * and what every target does inline (riscv64 has no byte AMOs, and GCC 12
 * would call libatomic for them). arm64 modules must be built with
 * -mno-outline-atomics, or GCC calls __aarch64_* helpers the kernel lacks.
 */
#ifndef MOS_ATOMIC_H
#define MOS_ATOMIC_H

#include <mos/type_traits.h>

namespace mos {

inline void barrier()
{
	__asm__ __volatile__("" ::: "memory");
}

inline void smp_mb()
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

inline void smp_rmb()
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

inline void smp_wmb()
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

namespace detail {

/* The full barriers around a fully ordered RMW (see the comment above). */
inline void before_fully_ordered()
{
#if defined(__x86_64__)
	barrier();
#else
	smp_mb();
#endif
}

inline void after_fully_ordered()
{
#if defined(__x86_64__)
	barrier();
#else
	smp_mb();
#endif
}

} // namespace detail

template <class T>
class Atomic {
	static_assert(is_integral_v<T> || is_pointer_v<T>,
		      "Atomic<T> is for integers and pointers");
	static_assert(sizeof(T) == 4 || sizeof(T) == 8,
		      "Atomic<T> is for 4- and 8-byte types (see above)");
	static constexpr bool arithmetic = is_integral_v<T>;

public:
	constexpr Atomic() : value_() {}
	constexpr explicit Atomic(T value) : value_(value) {}

	Atomic(const Atomic &) = delete;
	Atomic &operator=(const Atomic &) = delete;

	T load_relaxed() const { return __atomic_load_n(&value_, __ATOMIC_RELAXED); }
	T load_acquire() const { return __atomic_load_n(&value_, __ATOMIC_ACQUIRE); }

	void store_relaxed(T v) { __atomic_store_n(&value_, v, __ATOMIC_RELAXED); }
	void store_release(T v) { __atomic_store_n(&value_, v, __ATOMIC_RELEASE); }

	void add(T d) requires arithmetic { fetch_add_relaxed(d); }
	void sub(T d) requires arithmetic { fetch_sub_relaxed(d); }
	void inc() requires arithmetic { fetch_add_relaxed(1); }
	void dec() requires arithmetic { fetch_sub_relaxed(1); }

	T fetch_add_relaxed(T d) requires arithmetic
	{
		return __atomic_fetch_add(&value_, d, __ATOMIC_RELAXED);
	}

	T fetch_sub_relaxed(T d) requires arithmetic
	{
		return __atomic_fetch_sub(&value_, d, __ATOMIC_RELAXED);
	}

	/* Returns the new value. Fully ordered. */
	T add_return(T d) requires arithmetic
	{
		detail::before_fully_ordered();
		T r = __atomic_add_fetch(&value_, d, __ATOMIC_SEQ_CST);
		detail::after_fully_ordered();
		return r;
	}

	T sub_return(T d) requires arithmetic
	{
		detail::before_fully_ordered();
		T r = __atomic_sub_fetch(&value_, d, __ATOMIC_SEQ_CST);
		detail::after_fully_ordered();
		return r;
	}

	/* True when this dropped the count to zero (a refcount's last put). */
	bool dec_and_test() requires arithmetic { return sub_return(1) == 0; }

	/* Stores v; returns the previous value. Fully ordered. */
	T xchg(T v)
	{
		detail::before_fully_ordered();
		T r = __atomic_exchange_n(&value_, v, __ATOMIC_SEQ_CST);
		detail::after_fully_ordered();
		return r;
	}

	/*
	 * Stores desired if the value is expected; returns the value seen.
	 * Fully ordered on success, unordered on failure.
	 */
	T cmpxchg(T expected, T desired)
	{
		try_cmpxchg(expected, desired);
		return expected;
	}

	/* Like cmpxchg; on failure, updates expected to the value seen. */
	bool try_cmpxchg(T &expected, T desired)
	{
		detail::before_fully_ordered();
		bool ok = __atomic_compare_exchange_n(&value_, &expected, desired,
						      false, __ATOMIC_SEQ_CST,
						      __ATOMIC_RELAXED);
		if (ok)
			detail::after_fully_ordered();
		return ok;
	}

private:
	alignas(sizeof(T)) T value_;
};

static_assert(sizeof(Atomic<int>) == sizeof(int));
static_assert(sizeof(Atomic<long>) == sizeof(long));

} // namespace mos

#endif /* MOS_ATOMIC_H */
