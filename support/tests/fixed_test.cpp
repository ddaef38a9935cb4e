// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fixed point and math helpers against references: exact 128-bit integer
 * arithmetic where possible (the host has __udivti3), doubles where the
 * reference is transcendental.
 */
#include <cmath>
#include <gtest/gtest.h>
#include <random>

#include <mos/fixed.h>
#include <mos/math.h>

#include "test_support.h"

namespace {

using Q = mos::Fixed<16>;
using u128 = unsigned __int128;
using i128 = __int128;

int64_t saturate(i128 v)
{
	return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : int64_t(v);
}

/* Random 64-bit values of every magnitude, not just huge ones. */
uint64_t random_bits(std::mt19937_64 &rng)
{
	return rng() >> (rng() % 64);
}

TEST(Math, Div128MatchesNative128BitDivision)
{
	std::mt19937_64 rng(1);
	for (int i = 0; i < 200000; i++) {
		uint64_t d = random_bits(rng) | 1, lo = rng();
		uint64_t hi = random_bits(rng) % d;
		u128 n = (u128(hi) << 64) | lo;
		uint64_t q = 0, r = 0;
		ASSERT_TRUE(mos::div128_u64(hi, lo, d, &q, &r));
		ASSERT_EQ(q, uint64_t(n / d)) << hi << ":" << lo << " / " << d;
		ASSERT_EQ(r, uint64_t(n % d));
	}
}

TEST(Math, Div128RefusesQuotientsThatDoNotFit)
{
	uint64_t q = 77;
	EXPECT_FALSE(mos::div128_u64(5, 0, 5, &q));
	EXPECT_FALSE(mos::div128_u64(0, 5, 0, &q));
	EXPECT_EQ(q, 77u);
	EXPECT_TRUE(mos::div128_u64(4, ~0ull, 5, &q));
	EXPECT_EQ(q, uint64_t(((u128(4) << 64) | ~0ull) / 5));
}

TEST(Math, MulDivHelpers)
{
	std::mt19937_64 rng(2);
	for (int i = 0; i < 10000; i++) {
		uint64_t a = random_bits(rng), b = random_bits(rng), c = random_bits(rng) | 1;
		u128 exact = u128(a) * b / c;
		uint64_t want = exact > UINT64_MAX ? UINT64_MAX : uint64_t(exact);
		ASSERT_EQ(mos::mul_u64_u64_div_u64(a, b, c), want);
		uint32_t m = uint32_t(rng());
		unsigned int s = unsigned(rng() % 33);
		ASSERT_EQ(mos::mul_u64_u32_shr(a, m, s), uint64_t((u128(a) * m) >> s));
	}
	uint32_t rem = 0;
	EXPECT_EQ(mos::div_u64_rem(1000000007, 1000, &rem), 1000000u);
	EXPECT_EQ(rem, 7u);
	EXPECT_EQ(mos::div_u64(~0ull, 1u << 31), (~0ull) >> 31);
}

TEST(Math, Log2)
{
	for (unsigned int b = 0; b < 64; b++) {
		uint64_t p = 1ull << b;
		ASSERT_EQ(mos::ilog2(p), b);
		ASSERT_EQ(mos::ilog2_ceil(p), b);
		if (b > 1) {
			ASSERT_EQ(mos::ilog2(p + 1), b);
			ASSERT_EQ(mos::ilog2_ceil(p + 1), b + 1);
			ASSERT_EQ(mos::ilog2(p - 1), b - 1);
		}
	}
	EXPECT_EQ(mos::ilog2_ceil(1), 0u);
	EXPECT_EQ(mos::ilog2(~0ull), 63u);
}

TEST(Fixed, ArithmeticMatchesExact128BitReference)
{
	std::mt19937_64 rng(3);
	for (int i = 0; i < 100000; i++) {
		int64_t a = int64_t(random_bits(rng)) * (rng() % 2 ? 1 : -1);
		int64_t b = int64_t(random_bits(rng)) * (rng() % 2 ? 1 : -1);
		Q x = Q::from_raw(a), y = Q::from_raw(b);
		ASSERT_EQ((x + y).raw(), saturate(i128(a) + b));
		ASSERT_EQ((x - y).raw(), saturate(i128(a) - b));
		ASSERT_EQ((x * y).raw(), saturate((i128(a) * b) >> 16));
		if (b != 0) {
			ASSERT_EQ((x / y).raw(), saturate((i128(a) << 16) / b)) << a << "/" << b;
		}
	}
}

TEST(Fixed, FromRatioAndRounding)
{
	std::mt19937_64 rng(4);
	for (int i = 0; i < 20000; i++) {
		int64_t num = int64_t(rng() % 2000001) - 1000000;
		int64_t den = int64_t(rng() % 1999) - 999;
		if (den == 0)
			continue;
		Q q = Q::from_ratio(num, den);
		ASSERT_EQ(q.raw(), saturate((i128(num) << 16) / den));
		double exact = double(num) / double(den);
		ASSERT_EQ(q.to_int_floor(), int64_t(std::floor(double(q.raw()) / 65536)));
		ASSERT_NEAR(double(q.to_int_round()), exact, 0.5 + 1.0 / 65536);
	}
	EXPECT_EQ(Q::from_ratio(5, 2).to_int_round(), 3);
	EXPECT_EQ(Q::from_ratio(-5, 2).to_int_round(), -2);
	EXPECT_EQ(Q::from_ratio(-5, 2).to_int_floor(), -3);
	EXPECT_EQ(Q::from_ratio(INT64_MAX, 1), Q::max());
	EXPECT_EQ(Q::from_ratio(INT64_MIN, 1), Q::min());
	EXPECT_EQ(Q::from_ratio(INT64_MIN, -1), Q::max());
}

TEST(Fixed, DivisionByZeroWarnsAndSaturates)
{
	mos_host_test::ExpectWarnings expect;
	EXPECT_EQ(Q::from_int(3) / Q(), Q::max());
	EXPECT_EQ(Q::from_int(-3) / Q(), Q::min());
	EXPECT_EQ(Q::from_ratio(0, 0), Q());
	EXPECT_EQ(expect.count(), 3u);
}

TEST(Fixed, SaturatingConversions)
{
	EXPECT_EQ(Q::from_int(int64_t(1) << 47), Q::max());
	EXPECT_EQ(Q::from_int((int64_t(1) << 47) - 1).to_int_floor(), (int64_t(1) << 47) - 1);
	EXPECT_EQ(Q::from_int(-(int64_t(1) << 47)).to_int_floor(), -(int64_t(1) << 47));
	EXPECT_EQ(Q::from_int(INT64_MIN), Q::min());
	EXPECT_EQ(-Q::min(), Q::max());
	EXPECT_EQ(Q::from_int(3).convert<32>().raw(), int64_t(3) << 32);
	/* Q32.32 holds [-2^31, 2^31). */
	EXPECT_EQ(Q::from_int(int64_t(1) << 31).convert<32>(), mos::Fixed<32>::max());
	EXPECT_EQ(Q::from_int((int64_t(1) << 31) - 1).convert<32>().to_int_floor(),
		  (int64_t(1) << 31) - 1);
	EXPECT_EQ(Q::from_int(-(int64_t(1) << 31)).convert<32>(), mos::Fixed<32>::min());
	EXPECT_EQ(Q::from_int(-(int64_t(1) << 31) - 1).convert<32>(), mos::Fixed<32>::min());
	EXPECT_EQ((Q::from_int(-(int64_t(1) << 31)) - Q::from_raw(1)).convert<32>(),
		  mos::Fixed<32>::min());
	EXPECT_EQ(mos::Fixed<32>::from_ratio(-1, 3).convert<16>().raw(),
		  (-(int64_t(1) << 32) / 3) >> 16);
}

TEST(Fixed, PowMatchesDoubleReference)
{
	for (int n = 0; n <= 64; n++) {
		Q base = Q::from_ratio(1884, 2048); /* the kernel's EXP_1 */
		double want = std::pow(1884.0 / 2048, n);
		EXPECT_NEAR(double(base.pow(n).raw()) / 65536, want, n * 2.0 / 65536) << n;
	}
}

/* The kernel's runnable_avg_yN_inv[] (kernel/sched/sched-pelt.h). */
constexpr uint32_t kernel_pelt_table[32] = {
	0xffffffff, 0xfa83b2da, 0xf5257d14, 0xefe4b99a, 0xeac0c6e6, 0xe5b906e6,
	0xe0ccdeeb, 0xdbfbb796, 0xd744fcc9, 0xd2a81d91, 0xce248c14, 0xc9b9bd85,
	0xc5672a10, 0xc12c4cc9, 0xbd08a39e, 0xb8fbaf46, 0xb504f333, 0xb123f581,
	0xad583ee9, 0xa9a15ab4, 0xa5fed6a9, 0xa2704302, 0x9ef5325f, 0x9b8d39b9,
	0x9837f050, 0x94f4efa8, 0x91c3d373, 0x8ea4398a, 0x8b95c1e3, 0x88980e80,
	0x85aac367, 0x82cd8698,
};

TEST(Fixed, DecayTableIsCorrectlyRounded)
{
	for (int k = 1; k < 32; k++) {
		long double exact = std::ldexp(std::pow(2.0L, -k / 32.0L), 32);
		EXPECT_LE(std::fabs(mos::detail::decay_table.y_pow[k] - exact), 0.5L) << k;
	}
}

/*
 * The kernel's table is floor((2^32 - 1) * y^k), up to 2 below the
 * rounded value; ours may differ from it by that much, and no more.
 */
TEST(Fixed, DecayTableIsWithinTwoOfTheKernels)
{
	for (int k = 0; k < 32; k++) {
		int64_t diff = int64_t(mos::detail::decay_table.y_pow[k]) - kernel_pelt_table[k];
		EXPECT_GE(diff, 0) << k;
		EXPECT_LE(diff, 2) << k;
	}
}

TEST(Fixed, DecayMatchesDoubleReference)
{
	std::mt19937_64 rng(5);
	for (int i = 0; i < 20000; i++) {
		uint64_t v = rng() >> 12; /* exact in a double */
		uint64_t n = rng() % 2100;
		double want = double(v) * std::pow(0.5, double(n) / 32);
		double tolerance = std::max(2.0, want * 1e-8);
		ASSERT_NEAR(double(mos::decay(v, n)), want, tolerance) << v << " " << n;
	}
	EXPECT_EQ(mos::decay(~0ull, 2048), 0u);
	EXPECT_EQ(mos::decay(1 << 10, 320), 1u);
}

} // namespace
