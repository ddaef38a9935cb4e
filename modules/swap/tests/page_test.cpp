// SPDX-License-Identifier: GPL-2.0-only
//
// Same-filled detection and the page hash.
#include <gtest/gtest.h>

#include <cstring>

#include "object_store.h"
#include "page.h"

using swap_test::Page;

namespace {

uint64_t xxh64_of(const char *s)
{
	return mos::swapdev::xxh64(s, strlen(s), 0);
}

} // namespace

TEST(SwapPage, Xxh64MatchesReferenceVectors)
{
	/* From the xxHash reference and python-xxhash's documentation. */
	EXPECT_EQ(xxh64_of(""), 0xEF46DB3751D8E999ull);
	EXPECT_EQ(xxh64_of("abc"), 0x44BC2CF5AD770999ull);
	EXPECT_EQ(xxh64_of("Nobody inspects the spammish repetition"),
		  0xFBCEA83C8A378BF1ull);
}

TEST(SwapPage, HashSeesEveryByte)
{
	Page a = swap_test::page_of(3);
	uint64_t h = mos_swap_page_hash(a.data());
	for (size_t i : {0ul, 1ul, 2047ul, 4088ul, 4095ul}) {
		Page b = a;
		b[i] ^= 1;
		EXPECT_NE(mos_swap_page_hash(b.data()), h) << "byte " << i;
	}
	EXPECT_EQ(mos_swap_page_hash(a.data()), h);
}

TEST(SwapPage, ZeroPageIsSameFilled)
{
	Page p{};
	uint64_t pattern = 1;
	EXPECT_TRUE(mos_swap_page_same_filled(p.data(), &pattern));
	EXPECT_EQ(pattern, 0u);
}

TEST(SwapPage, PatternPageIsSameFilledAndFillsBack)
{
	const uint64_t pattern = 0x0123456789abcdefull;
	Page p;
	mos_swap_page_fill(p.data(), pattern);
	uint64_t seen = 0;
	ASSERT_TRUE(mos_swap_page_same_filled(p.data(), &seen));
	EXPECT_EQ(seen, pattern);

	Page q{};
	mos_swap_page_fill(q.data(), seen);
	EXPECT_EQ(p, q);
}

TEST(SwapPage, OneDifferentByteAnywhereIsNotSameFilled)
{
	Page p;
	mos_swap_page_fill(p.data(), 0x5a5a5a5a5a5a5a5aull);
	for (size_t i : {0ul, 7ul, 8ul, 2048ul, 4087ul, 4088ul, 4095ul}) {
		Page q = p;
		q[i] ^= 0x80;
		uint64_t pattern = 42;
		EXPECT_FALSE(mos_swap_page_same_filled(q.data(), &pattern)) << "byte " << i;
		EXPECT_EQ(pattern, 42u) << "pattern written on a miss";
	}
}

TEST(SwapPage, BytePatternWithinAWordCounts)
{
	/* A repeated 8-byte word that is not one repeated byte. */
	Page p;
	for (size_t i = 0; i < p.size(); i++)
		p[i] = uint8_t(i % 8);
	uint64_t pattern;
	EXPECT_TRUE(mos_swap_page_same_filled(p.data(), &pattern));
	/* A 16-byte period is not an 8-byte pattern. */
	for (size_t i = 0; i < p.size(); i++)
		p[i] = uint8_t(i % 16);
	EXPECT_FALSE(mos_swap_page_same_filled(p.data(), &pattern));
}
