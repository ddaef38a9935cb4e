/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cache-line size and alignment, so that data written by different CPUs
 * does not share a line (false sharing).
 *
 * 64 bytes is L1_CACHE_BYTES of the kernel on all three targets: x86_64,
 * arm64 (L1_CACHE_SHIFT 6; some arm64 parts have 128-byte lines, which
 * the kernel also ignores outside DMA alignment) and riscv64.
 */
#ifndef MOS_CACHE_H
#define MOS_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <mos/utility.h>

#define MOS_CACHELINE_BYTES 64
#define MOS_CACHELINE_ALIGNED alignas(MOS_CACHELINE_BYTES)

namespace mos {

inline constexpr size_t cacheline_bytes = MOS_CACHELINE_BYTES;
static_assert((cacheline_bytes & (cacheline_bytes - 1)) == 0,
	      "cache line size must be a power of two");

constexpr bool is_power_of_2(uint64_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* align must be a power of two; the caller guarantees no overflow. */
constexpr uint64_t align_up(uint64_t value, uint64_t align)
{
	return (value + align - 1) & ~(align - 1);
}

constexpr bool is_aligned(uint64_t value, uint64_t align)
{
	return (value & (align - 1)) == 0;
}

inline bool is_aligned(const void *ptr, uint64_t align)
{
	return is_aligned(reinterpret_cast<uintptr_t>(ptr), align);
}

/*
 * A T alone on its own cache line(s): alignment and size are multiples of
 * the line, so neighbours in an array never share one.
 */
template <class T>
struct MOS_CACHELINE_ALIGNED CacheAligned {
	T value;

	template <class... Args>
	constexpr explicit CacheAligned(Args &&...args) : value(mos::forward<Args>(args)...)
	{
	}

	T &operator*() { return value; }
	const T &operator*() const { return value; }
	T *operator->() { return &value; }
	const T *operator->() const { return &value; }
};

static_assert(sizeof(CacheAligned<char>) == cacheline_bytes);
static_assert(alignof(CacheAligned<char>) == cacheline_bytes);
static_assert(sizeof(CacheAligned<char[65]>) == 2 * cacheline_bytes);

} // namespace mos

#endif /* MOS_CACHE_H */
