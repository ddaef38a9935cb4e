/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Integer helpers the kernel has in <linux/math64.h> and <linux/log2.h>.
 *
 * 64-bit division is a single instruction on all our targets. 128-bit
 * division is not: GCC would call __udivti3 from libgcc, which the kernel
 * does not link. So nothing here divides an __int128; div128_u64() does
 * 128-by-64 division with two 64-bit divisions instead (Knuth's
 * algorithm D with 32-bit digits, after Hacker's Delight, divlu).
 * 128-bit multiplication and shifts are inline everywhere and are used.
 */
#ifndef MOS_MATH_H
#define MOS_MATH_H

#include <stdint.h>

namespace mos {

using u128 = unsigned __int128;

/* Floor of log2(n); n must not be 0. */
constexpr unsigned int ilog2(uint64_t n)
{
	return 63 - __builtin_clzll(n);
}

/* Ceiling of log2(n); n must not be 0. */
constexpr unsigned int ilog2_ceil(uint64_t n)
{
	return n <= 1 ? 0 : ilog2(n - 1) + 1;
}

/* (a * mul) >> shift with a 128-bit product: no overflow for shift <= 32. */
constexpr uint64_t mul_u64_u32_shr(uint64_t a, uint32_t mul, unsigned int shift)
{
	return uint64_t((u128(a) * mul) >> shift);
}

constexpr uint64_t div_u64_rem(uint64_t dividend, uint32_t divisor,
			       uint32_t *remainder)
{
	*remainder = uint32_t(dividend % divisor);
	return dividend / divisor;
}

constexpr uint64_t div_u64(uint64_t dividend, uint32_t divisor)
{
	return dividend / divisor;
}

/*
 * (hi:lo) / d for a quotient that fits 64 bits (hi < d). Returns false,
 * and leaves *quotient alone, when it would not.
 */
constexpr bool div128_u64(uint64_t hi, uint64_t lo, uint64_t d,
			  uint64_t *quotient, uint64_t *remainder = nullptr)
{
	constexpr uint64_t base = 1ull << 32, mask = base - 1;
	if (d == 0 || hi >= d)
		return false;
	/* Normalise: the divisor's top bit set makes digit guesses at most 2 off. */
	unsigned int s = __builtin_clzll(d);
	d <<= s;
	uint64_t d1 = d >> 32, d0 = d & mask;
	uint64_t n32 = s ? (hi << s) | (lo >> (64 - s)) : hi;
	uint64_t n10 = lo << s, n1 = n10 >> 32, n0 = n10 & mask;

	uint64_t q1 = n32 / d1, rhat = n32 - q1 * d1;
	while (q1 >= base || q1 * d0 > ((rhat << 32) | n1)) {
		q1--;
		rhat += d1;
		if (rhat >= base)
			break;
	}
	uint64_t n21 = (n32 << 32) + n1 - q1 * d; /* mod 2^64: exact */
	uint64_t q0 = n21 / d1;
	rhat = n21 - q0 * d1;
	while (q0 >= base || q0 * d0 > ((rhat << 32) | n0)) {
		q0--;
		rhat += d1;
		if (rhat >= base)
			break;
	}
	if (remainder)
		*remainder = ((n21 << 32) + n0 - q0 * d) >> s;
	*quotient = (q1 << 32) | q0;
	return true;
}

/* a * b / c without intermediate overflow; UINT64_MAX if the result does not fit. */
constexpr uint64_t mul_u64_u64_div_u64(uint64_t a, uint64_t b, uint64_t c)
{
	u128 product = u128(a) * b;
	uint64_t q = UINT64_MAX;
	div128_u64(uint64_t(product >> 64), uint64_t(product), c, &q);
	return q;
}

} // namespace mos

#endif /* MOS_MATH_H */
