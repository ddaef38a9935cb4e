// SPDX-License-Identifier: GPL-2.0-only
//
// Same-filled detection and the page hash.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

#include <xxhash.h>	/* Debian's libxxhash: the reference */

#include "object_store.h"
#include "page.h"

using swap_test::Page;

/*
 * xxh3_64() is XXH3_64bits_withSeed() bit for bit: every length class
 * of the reference (0, 1-3, 4-8, 9-16, 17-128, 129-240, and the long
 * path with its seed-derived secret: one stripe, one block, several
 * blocks, 4096 and the partial stripes around it), several seeds, and
 * unaligned input.
 * Fails with the hash before keys (XXH64, which ignored the seed).
 */
TEST(SwapPage, Xxh3MatchesLibxxhash)
{
	std::vector<uint8_t> data(8192 + 8);
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (auto &b : data) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		b = uint8_t(x >> 56);
	}
	const size_t lens[] = {0,   1,   2,    3,    4,    5,    7,    8,    9,    15,
			       16,  17,  31,   32,   33,   63,   64,   65,   96,   97,
			       127, 128, 129,  130,  160,  239,  240,  241,  255,  256,
			       257, 511, 1024, 1025, 1087, 1088, 2047, 2048, 3072, 4031,
			       4032, 4033, 4095, 4096, 4097, 5000, 8192};
	const uint64_t seeds[] = {0, 1, 0x6d756c74696f7321ull, 0x8000000000000000ull,
				  ~0ull, 0x9E3779B185EBCA87ull};
	for (uint64_t seed : seeds) {
		for (size_t len : lens) {
			for (size_t off : {0ul, 3ul}) {
				const uint8_t *p = data.data() + off;
				ASSERT_EQ(mos::swapdev::xxh3_64(p, len, seed),
					  XXH3_64bits_withSeed(p, len, seed))
					<< "len " << len << " seed " << std::hex << seed
					<< " offset " << off;
			}
		}
	}
}

TEST(SwapPage, Xxh3MatchesPublishedVectors)
{
	/* XXH3_64bits("") and ("abc"), seed 0 (the reference's sanity checks). */
	EXPECT_EQ(mos::swapdev::xxh3_64("", 0, 0), 0x2D06800538D394C2ull);
	EXPECT_EQ(mos::swapdev::xxh3_64("abc", 3, 0), 0x78AF5F94892F3950ull);
}

/* The page hash is XXH3-64 of the 4 KiB page with the key as its seed. */
TEST(SwapPage, PageHashIsXxh3WithTheKeyAsSeed)
{
	for (uint64_t key : {0ull, 42ull, 0x6d756c74696f7321ull, ~0ull}) {
		Page p = swap_test::page_of(key % 251);
		EXPECT_EQ(mos_swap_page_hash(p.data(), p.size(), key),
			  XXH3_64bits_withSeed(p.data(), p.size(), key)) << key;
	}
}

/*
 * One page, many keys: every key gives its own hash (what makes the
 * hashes of a device unpredictable without its key), and one key always
 * the same (what dedup and the checksum need).
 * Fails before keys: the key was ignored.
 */
TEST(SwapPage, DifferentKeysGiveDifferentHashesOneKeyTheSame)
{
	Page p = swap_test::page_of(5);
	std::set<uint64_t> seen;
	for (uint64_t k = 0; k < 256; k++) {
		uint64_t key = k * 0x9E3779B97F4A7C15ull;
		uint64_t h = mos_swap_page_hash(p.data(), p.size(), key);
		EXPECT_TRUE(seen.insert(h).second) << "key " << key;
		EXPECT_EQ(mos_swap_page_hash(p.data(), p.size(), key), h) << "key " << key;
	}
}

TEST(SwapPage, HashSeesEveryByte)
{
	const uint64_t key = 0x0123456789abcdefull;
	Page a = swap_test::page_of(3);
	uint64_t h = mos_swap_page_hash(a.data(), a.size(), key);
	for (size_t i : {0ul, 1ul, 2047ul, 4032ul, 4088ul, 4095ul}) {
		Page b = a;
		b[i] ^= 1;
		EXPECT_NE(mos_swap_page_hash(b.data(), b.size(), key), h) << "byte " << i;
	}
	EXPECT_EQ(mos_swap_page_hash(a.data(), a.size(), key), h);
}

TEST(SwapPage, ZeroPageIsSameFilled)
{
	Page p{};
	uint64_t pattern = 1;
	EXPECT_TRUE(mos_swap_page_same_filled(p.data(), p.size(), &pattern));
	EXPECT_EQ(pattern, 0u);
}

TEST(SwapPage, PatternPageIsSameFilledAndFillsBack)
{
	const uint64_t pattern = 0x0123456789abcdefull;
	Page p;
	mos_swap_page_fill(p.data(), p.size(), pattern);
	uint64_t seen = 0;
	ASSERT_TRUE(mos_swap_page_same_filled(p.data(), p.size(), &seen));
	EXPECT_EQ(seen, pattern);

	Page q{};
	mos_swap_page_fill(q.data(), q.size(), seen);
	EXPECT_EQ(p, q);
}

TEST(SwapPage, OneDifferentByteAnywhereIsNotSameFilled)
{
	Page p;
	mos_swap_page_fill(p.data(), p.size(), 0x5a5a5a5a5a5a5a5aull);
	for (size_t i : {0ul, 7ul, 8ul, 2048ul, 4087ul, 4088ul, 4095ul}) {
		Page q = p;
		q[i] ^= 0x80;
		uint64_t pattern = 42;
		EXPECT_FALSE(mos_swap_page_same_filled(q.data(), q.size(), &pattern)) << "byte " << i;
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
	EXPECT_TRUE(mos_swap_page_same_filled(p.data(), p.size(), &pattern));
	/* A 16-byte period is not an 8-byte pattern. */
	for (size_t i = 0; i < p.size(); i++)
		p[i] = uint8_t(i % 16);
	EXPECT_FALSE(mos_swap_page_same_filled(p.data(), p.size(), &pattern));
}
