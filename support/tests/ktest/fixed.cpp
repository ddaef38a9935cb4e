// SPDX-License-Identifier: GPL-2.0-only
/* Fixed point and 64-bit helpers against values worked out by hand. */
#include <mos/fixed.h>
#include <mos/ktest.h>
#include <mos/math.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

extern "C" void mos_kt_fixed_point(struct mos_test *t)
{
	using Q = mos::Fixed<16>;
	Q third = Q::from_ratio(1, 3);
	MOS_KT_EXPECT_EQ(t, third.raw(), 21845); /* 65536 / 3, truncated */
	MOS_KT_EXPECT_EQ(t, (third * Q::from_int(3)).raw(), 65535);
	MOS_KT_EXPECT_EQ(t, (Q::from_int(7) / Q::from_int(2)).to_int_floor(), 3);
	MOS_KT_EXPECT_EQ(t, (Q::from_int(7) / Q::from_int(2)).to_int_round(), 4);
	MOS_KT_EXPECT_EQ(t, (Q::from_int(-7) / Q::from_int(2)).to_int_floor(), -4);
	MOS_KT_EXPECT_EQ(t, Q::from_ratio(-3, 4).raw(), -49152);
	MOS_KT_EXPECT_TRUE(t, Q::from_int(INT64_MAX) == Q::max());
	MOS_KT_EXPECT_TRUE(t, Q::max() + Q::one() == Q::max());
	MOS_KT_EXPECT_TRUE(t, Q::min() - Q::one() == Q::min());
	MOS_KT_EXPECT_TRUE(t, Q::from_int(1ll << 40) * Q::from_int(1ll << 40) == Q::max());
	MOS_KT_EXPECT_EQ(t, Q::from_ratio(3, 2).pow(4).raw(), 331776); /* 5.0625 */

	MOS_KT_EXPECT_EQ(t, mos::decay(1024, 0), 1024ull);
	MOS_KT_EXPECT_EQ(t, mos::decay(1u << 20, 16), 741455ull); /* 2^20 / sqrt(2) */
	MOS_KT_EXPECT_EQ(t, mos::decay(1u << 20, 32), 1ull << 19);
	MOS_KT_EXPECT_EQ(t, mos::decay(1u << 20, 64), 1ull << 18);
	MOS_KT_EXPECT_EQ(t, mos::decay(~0ull, 32 * 64), 0ull);

	MOS_KT_EXPECT_EQ(t, mos::ilog2(1), 0u);
	MOS_KT_EXPECT_EQ(t, mos::ilog2(1000), 9u);
	MOS_KT_EXPECT_EQ(t, mos::ilog2_ceil(1025), 11u);
	MOS_KT_EXPECT_EQ(t, mos::mul_u64_u32_shr(1ull << 40, 3, 8), 3ull << 32);
	MOS_KT_EXPECT_EQ(t, mos::mul_u64_u64_div_u64(1ull << 62, 12, 8), 3ull << 61);
	uint64_t q = 0, r = 0;
	MOS_KT_EXPECT_TRUE(t, mos::div128_u64(1, 5, 3, &q, &r)); /* (2^64 + 5) / 3 */
	MOS_KT_EXPECT_EQ(t, q, 6148914691236517207ull);
	MOS_KT_EXPECT_EQ(t, r, 0ull);
	MOS_KT_EXPECT_FALSE(t, mos::div128_u64(3, 0, 3, &q));
}
