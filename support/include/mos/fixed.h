/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fixed-point numbers, because kernel code has no floating point.
 *
 * Fixed<F> is a signed 64-bit value with F fraction bits. The default,
 * Q48.16, is chosen for scheduler and memory arithmetic: 47 integer bits
 * hold nanosecond times of days and sums of loads across 1024 CPUs, and
 * 16 fraction bits (1/65536) are finer than the kernel's own load
 * averages (FSHIFT = 11) and PELT (1/1024). Use Fixed<32> for ratios in
 * [0, 1] that need more precision and never get large.
 *
 * Every operation saturates at the range limits instead of wrapping, so
 * an overflow yields a huge value rather than a wrong sign. Products are
 * rounded toward minus infinity (arithmetic shift); quotients toward zero,
 * like C's `/`. Division never divides an __int128 (see math.h).
 */
#ifndef MOS_FIXED_H
#define MOS_FIXED_H

#include <stdint.h>
#include <mos/bug.h>
#include <mos/math.h>

namespace mos {

template <unsigned int F = 16>
class Fixed {
	static_assert(F >= 1 && F <= 62, "need at least one integer bit");

public:
	static constexpr unsigned int frac_bits = F;

	constexpr Fixed() = default;

	static constexpr Fixed from_raw(int64_t raw) { return Fixed(raw); }
	static constexpr Fixed max() { return from_raw(INT64_MAX); }
	static constexpr Fixed min() { return from_raw(INT64_MIN); }
	static constexpr Fixed one() { return from_raw(int64_t(1) << F); }

	/* n, saturated to the range. */
	static constexpr Fixed from_int(int64_t n)
	{
		if (n > (INT64_MAX >> F))
			return max();
		if (n < (INT64_MIN >> F))
			return min();
		return from_raw(int64_t(uint64_t(n) << F));
	}

	/* num / den, rounded toward zero and saturated; den == 0 warns. */
	static constexpr Fixed from_ratio(int64_t num, int64_t den)
	{
		return divide(num, den, F);
	}

	constexpr int64_t raw() const { return raw_; }

	/* Largest integer not above the value. */
	constexpr int64_t to_int_floor() const { return raw_ >> F; }

	/* Nearest integer, halves rounded up (toward plus infinity). */
	constexpr int64_t to_int_round() const
	{
		return (raw_ >> F) + ((raw_ >> (F - 1)) & 1);
	}

	/* The same value with G fraction bits: saturated, or floored. */
	template <unsigned int G>
	constexpr Fixed<G> convert() const
	{
		if constexpr (G >= F) {
			constexpr unsigned int up = G - F;
			if (raw_ > (INT64_MAX >> up))
				return Fixed<G>::max();
			if (raw_ < (INT64_MIN >> up))
				return Fixed<G>::min();
			return Fixed<G>::from_raw(int64_t(uint64_t(raw_) << up));
		} else {
			return Fixed<G>::from_raw(raw_ >> (F - G));
		}
	}

	constexpr Fixed operator+(Fixed o) const
	{
		int64_t r;
		if (__builtin_add_overflow(raw_, o.raw_, &r))
			return o.raw_ > 0 ? max() : min();
		return from_raw(r);
	}

	constexpr Fixed operator-(Fixed o) const
	{
		int64_t r;
		if (__builtin_sub_overflow(raw_, o.raw_, &r))
			return o.raw_ < 0 ? max() : min();
		return from_raw(r);
	}

	constexpr Fixed operator-() const { return Fixed() - *this; }

	constexpr Fixed operator*(Fixed o) const
	{
		__int128 p = (__int128)raw_ * o.raw_;
		return saturate(p >> F);
	}

	/* Division by zero warns and saturates toward the dividend's sign. */
	constexpr Fixed operator/(Fixed o) const { return divide(raw_, o.raw_, F); }

	Fixed &operator+=(Fixed o) { return *this = *this + o; }
	Fixed &operator-=(Fixed o) { return *this = *this - o; }
	Fixed &operator*=(Fixed o) { return *this = *this * o; }
	Fixed &operator/=(Fixed o) { return *this = *this / o; }

	/* this^n by squaring: O(log n) multiplications. */
	constexpr Fixed pow(unsigned int n) const
	{
		Fixed result = one(), base = *this;
		for (; n; n >>= 1) {
			if (n & 1)
				result = result * base;
			base = base * base;
		}
		return result;
	}

	constexpr bool operator==(const Fixed &o) const = default;
	constexpr bool operator<(Fixed o) const { return raw_ < o.raw_; }
	constexpr bool operator>(Fixed o) const { return raw_ > o.raw_; }
	constexpr bool operator<=(Fixed o) const { return raw_ <= o.raw_; }
	constexpr bool operator>=(Fixed o) const { return raw_ >= o.raw_; }

private:
	constexpr explicit Fixed(int64_t raw) : raw_(raw) {}

	static constexpr Fixed saturate(__int128 v)
	{
		if (v > INT64_MAX)
			return max();
		if (v < INT64_MIN)
			return min();
		return from_raw(int64_t(v));
	}

	static constexpr uint64_t magnitude(int64_t v)
	{
		return v < 0 ? 0 - uint64_t(v) : uint64_t(v);
	}

	/* (num << shift) / den as Fixed raw, toward zero, saturated. */
	static constexpr Fixed divide(int64_t num, int64_t den, unsigned int shift)
	{
		bool negative = (num < 0) != (den < 0);
		if (den == 0) {
			MOS_WARN_REPORT(__FILE__, __LINE__, "Fixed: division by zero");
			return num == 0 ? Fixed() : num < 0 ? min() : max();
		}
		u128 n = u128(magnitude(num)) << shift;
		uint64_t q;
		if (!div128_u64(uint64_t(n >> 64), uint64_t(n), magnitude(den), &q))
			return negative ? min() : max();
		return saturate(negative ? -(__int128)q : (__int128)q);
	}

	int64_t raw_ = 0;
};

using Q48_16 = Fixed<16>;
using Q32_32 = Fixed<32>;

namespace detail {

/*
 * y^k in Q0.32 for k = 0..31, where y^32 = 1/2: PELT's decay factor (the
 * kernel's runnable_avg_yN_inv[]). Computed here at compile time, with
 * integers only: y is found in Q0.64 by bisection on y^32 <= 1/2.
 */
struct DecayTable {
	uint32_t y_pow[32];
};

constexpr uint64_t mul_q64(uint64_t a, uint64_t b)
{
	return uint64_t((u128(a) * b) >> 64);
}

constexpr uint64_t pow32_q64(uint64_t y)
{
	for (int i = 0; i < 5; i++)
		y = mul_q64(y, y);
	return y;
}

constexpr DecayTable make_decay_table()
{
	uint64_t lo = 1ull << 63, hi = UINT64_MAX; /* y in [1/2, 1) */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (pow32_q64(mid) <= (1ull << 63))
			lo = mid;
		else
			hi = mid;
	}
	DecayTable t{};
	uint64_t p = UINT64_MAX; /* y^0 = 1, just below it */
	for (int k = 0; k < 32; k++) {
		uint64_t rounded = (p >> 32) + ((p >> 31) & 1);
		t.y_pow[k] = rounded > UINT32_MAX ? UINT32_MAX : uint32_t(rounded);
		p = mul_q64(p, lo);
	}
	return t;
}

inline constexpr DecayTable decay_table = make_decay_table();

} // namespace detail

/* Periods over which decay() halves a value (PELT's LOAD_AVG_PERIOD). */
inline constexpr unsigned int decay_half_life = 32;

/*
 * value * y^periods with y^32 = 1/2: geometric decay of a load average,
 * the kernel's decay_load(), except that whole half-lives are exact.
 * A value halves every 32 periods.
 */
constexpr uint64_t decay(uint64_t value, uint64_t periods)
{
	if (periods >= uint64_t(decay_half_life) * 64)
		return 0;
	value >>= periods / decay_half_life;
	unsigned int rest = periods % decay_half_life;
	/* y^0 is 1, which the Q0.32 table can only hold as 1 - 2^-32. */
	return rest ? mul_u64_u32_shr(value, detail::decay_table.y_pow[rest], 32) : value;
}

} // namespace mos

#endif /* MOS_FIXED_H */
