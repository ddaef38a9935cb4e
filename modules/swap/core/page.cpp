// SPDX-License-Identifier: GPL-2.0-only
//
// Same-filled page detection and the keyed page hash, XXH3-64 (see
// page.h for why). The hash follows the reference (xxhash.h 0.8,
// XXH3_64bits_withSeed() and its scalar code paths) step by step: the
// same length classes, constants and secret offsets, to be read side by
// side with it.

#include "page.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::swapdev {

namespace {

/* Unaligned-safe loads: one plain load each on every target we build. */
uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

uint32_t load32(const unsigned char *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* XXH3 reads little-endian; every MultiOS target is little-endian. */
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);

void store64(unsigned char *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

/* Shifts, not __builtin_bswap*(): no libgcc call on any target. */
constexpr uint32_t swap32(uint32_t x)
{
	return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}

constexpr uint64_t swap64(uint64_t x)
{
	return (uint64_t(swap32(uint32_t(x))) << 32) | swap32(uint32_t(x >> 32));
}

constexpr uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

constexpr uint32_t prime32_1 = 0x9E3779B1u;
constexpr uint32_t prime32_2 = 0x85EBCA77u;
constexpr uint32_t prime32_3 = 0xC2B2AE3Du;
constexpr uint64_t prime64_1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t prime64_2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t prime64_3 = 0x165667B19E3779F9ull;
constexpr uint64_t prime64_4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t prime64_5 = 0x27D4EB2F165667C5ull;

/* The reference's default secret (XXH3_kSecret); a seed shifts its words. */
constexpr size_t secret_size = 192;
constexpr unsigned char default_secret[secret_size] = {
	0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c,
	0xf7, 0x21, 0xad, 0x1c, 0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb,
	0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f, 0xcb, 0x79, 0xe6, 0x4e,
	0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
	0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6,
	0x81, 0x3a, 0x26, 0x4c, 0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb,
	0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3, 0x71, 0x64, 0x48, 0x97,
	0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
	0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7,
	0xc7, 0x0b, 0x4f, 0x1d, 0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31,
	0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64, 0xea, 0xc5, 0xac, 0x83,
	0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
	0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26,
	0x29, 0xd4, 0x68, 0x9e, 0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc,
	0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce, 0x45, 0xcb, 0x3a, 0x8f,
	0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

/* The low and high halves of the 128-bit product, folded. */
uint64_t mul128_fold64(uint64_t a, uint64_t b)
{
	__extension__ unsigned __int128 product = (unsigned __int128)a * b;
	return uint64_t(product) ^ uint64_t(product >> 64);
}

constexpr uint64_t xxh64_avalanche(uint64_t h)
{
	h ^= h >> 33;
	h *= prime64_2;
	h ^= h >> 29;
	h *= prime64_3;
	return h ^ (h >> 32);
}

constexpr uint64_t avalanche(uint64_t h)
{
	h ^= h >> 37;
	h *= 0x165667919E3779F9ull;
	return h ^ (h >> 32);
}

constexpr uint64_t rrmxmx(uint64_t h, uint64_t len)
{
	h ^= rotl(h, 49) ^ rotl(h, 24);
	h *= 0x9FB21C651E98DF25ull;
	h ^= (h >> 35) + len;
	h *= 0x9FB21C651E98DF25ull;
	return h ^ (h >> 28);
}

/* ---- up to 240 bytes: the default secret, the seed added to it ---- */

uint64_t len_0to16(const unsigned char *p, size_t len, const unsigned char *secret,
		   uint64_t seed)
{
	if (len > 8) {
		uint64_t lo = load64(p) ^ ((load64(secret + 24) ^ load64(secret + 32)) + seed);
		uint64_t hi = load64(p + len - 8) ^
			      ((load64(secret + 40) ^ load64(secret + 48)) - seed);
		return avalanche(len + swap64(lo) + hi + mul128_fold64(lo, hi));
	}
	if (len >= 4) {
		seed ^= uint64_t(swap32(uint32_t(seed))) << 32;
		uint64_t in = load32(p + len - 4) + (uint64_t(load32(p)) << 32);
		return rrmxmx(in ^ ((load64(secret + 8) ^ load64(secret + 16)) - seed), len);
	}
	if (len > 0) {
		uint32_t combined = (uint32_t(p[0]) << 16) | (uint32_t(p[len >> 1]) << 24) |
				    p[len - 1] | (uint32_t(len) << 8);
		return xxh64_avalanche(combined ^ ((load32(secret) ^ load32(secret + 4)) + seed));
	}
	return xxh64_avalanche(seed ^ load64(secret + 56) ^ load64(secret + 64));
}

uint64_t mix16(const unsigned char *p, const unsigned char *secret, uint64_t seed)
{
	return mul128_fold64(load64(p) ^ (load64(secret) + seed),
			     load64(p + 8) ^ (load64(secret + 8) - seed));
}

uint64_t len_17to128(const unsigned char *p, size_t len, const unsigned char *secret,
		     uint64_t seed)
{
	uint64_t acc = len * prime64_1;

	/* 16 bytes from each end, and more pairs inward as the length allows. */
	if (len > 96) {
		acc += mix16(p + 48, secret + 96, seed);
		acc += mix16(p + len - 64, secret + 112, seed);
	}
	if (len > 64) {
		acc += mix16(p + 32, secret + 64, seed);
		acc += mix16(p + len - 48, secret + 80, seed);
	}
	if (len > 32) {
		acc += mix16(p + 16, secret + 32, seed);
		acc += mix16(p + len - 32, secret + 48, seed);
	}
	acc += mix16(p, secret, seed);
	acc += mix16(p + len - 16, secret + 16, seed);
	return avalanche(acc);
}

uint64_t len_129to240(const unsigned char *p, size_t len, const unsigned char *secret,
		      uint64_t seed)
{
	constexpr size_t start_offset = 3, last_offset = 17, secret_size_min = 136;
	uint64_t acc = len * prime64_1;
	size_t i;

	for (i = 0; i < 8; i++)
		acc += mix16(p + 16 * i, secret + 16 * i, seed);
	acc = avalanche(acc);
	for (; i < len / 16; i++)
		acc += mix16(p + 16 * i, secret + 16 * (i - 8) + start_offset, seed);
	acc += mix16(p + len - 16, secret + secret_size_min - last_offset, seed);
	return avalanche(acc);
}

/* ---- longer: eight lanes over 64-byte stripes, a secret derived from the seed ---- */

constexpr size_t stripe_len = 64;
constexpr size_t lanes = stripe_len / sizeof(uint64_t);
constexpr size_t secret_step = 8;	/* secret bytes consumed per stripe */
constexpr size_t stripes_per_block = (secret_size - stripe_len) / secret_step;	/* 16 */
constexpr size_t block_len = stripe_len * stripes_per_block;			/* 1 KiB */

/* The reference's XXH3_initCustomSecret(): each 16 bytes become {lo + seed, hi - seed}. */
void derive_secret(unsigned char *secret, uint64_t seed)
{
	for (size_t i = 0; i < secret_size; i += 16) {
		store64(secret + i, load64(default_secret + i) + seed);
		store64(secret + i + 8, load64(default_secret + i + 8) - seed);
	}
}

/*
 * The hot loop. Inlined and unrolled so that the eight lanes live in
 * registers: called, it read-modify-writes them in memory and runs at
 * half the speed.
 */
[[gnu::always_inline]] inline void accumulate_stripe(uint64_t *acc, const unsigned char *p,
						     const unsigned char *secret)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < lanes; i++) {
		uint64_t data = load64(p + 8 * i);
		uint64_t key = data ^ load64(secret + 8 * i);
		acc[i ^ 1] += data;
		acc[i] += (key & 0xffffffffu) * (key >> 32);
	}
}

[[gnu::always_inline]] inline void scramble(uint64_t *acc, const unsigned char *secret)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < lanes; i++) {
		uint64_t a = acc[i];
		a ^= a >> 47;
		a ^= load64(secret + 8 * i);
		acc[i] = a * prime32_1;
	}
}

uint64_t hash_long(const unsigned char *p, size_t len, uint64_t seed)
{
	constexpr size_t last_acc_start = 7, merge_accs_start = 11;
	unsigned char secret[secret_size];
	uint64_t acc[lanes] = {prime32_3, prime64_1, prime64_2, prime64_3,
			       prime64_4, prime32_2, prime64_5, prime32_1};
	size_t blocks = (len - 1) / block_len, n, s;

	derive_secret(secret, seed);
	for (n = 0; n < blocks; n++) {
		for (s = 0; s < stripes_per_block; s++)
			accumulate_stripe(acc, p + n * block_len + s * stripe_len,
					  secret + s * secret_step);
		scramble(acc, secret + secret_size - stripe_len);
	}
	/* The last block's whole stripes, then the last 64 bytes (may overlap). */
	const unsigned char *last = p + n * block_len;
	for (s = 0; s < (len - 1 - n * block_len) / stripe_len; s++)
		accumulate_stripe(acc, last + s * stripe_len, secret + s * secret_step);
	accumulate_stripe(acc, p + len - stripe_len,
			  secret + secret_size - stripe_len - last_acc_start);

	uint64_t h = len * prime64_1;
	for (size_t i = 0; i < lanes; i += 2)
		h += mul128_fold64(acc[i] ^ load64(secret + merge_accs_start + 8 * i),
				   acc[i + 1] ^ load64(secret + merge_accs_start + 8 * i + 8));
	return avalanche(h);
}

/*
 * The loops below, compiled once per page size: the bound is a constant
 * in each copy, as 4096 was before pages had sizes, and the caller pays
 * one switch per page, not per word.
 */
template <size_t bytes>
bool same_filled(const unsigned char *p, uint64_t *pattern)
{
	uint64_t first = load64(p);

	/* The last word first: most pages that differ, differ there too. */
	if (load64(p + bytes - 8) != first)
		return false;
	for (size_t off = 8; off < bytes - 8; off += 8) {
		if (load64(p + off) != first)
			return false;
	}
	*pattern = first;
	return true;
}

template <size_t bytes>
void fill(unsigned char *p, uint64_t pattern)
{
	for (size_t off = 0; off < bytes; off += 8)
		__builtin_memcpy(p + off, &pattern, sizeof(pattern));
}

} // namespace

bool page_same_filled(const void *page, PageSize ps, uint64_t *pattern)
{
	const unsigned char *p = static_cast<const unsigned char *>(page);

	switch (ps.shift()) {
	case 12:
		return same_filled<1u << 12>(p, pattern);
	case 14:
		return same_filled<1u << 14>(p, pattern);
	default:
		return same_filled<1u << 16>(p, pattern);
	}
}

void page_fill(void *page, PageSize ps, uint64_t pattern)
{
	unsigned char *p = static_cast<unsigned char *>(page);

	switch (ps.shift()) {
	case 12:
		return fill<1u << 12>(p, pattern);
	case 14:
		return fill<1u << 14>(p, pattern);
	default:
		return fill<1u << 16>(p, pattern);
	}
}

uint64_t xxh3_64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = static_cast<const unsigned char *>(data);

	if (len <= 16)
		return len_0to16(p, len, default_secret, seed);
	if (len <= 128)
		return len_17to128(p, len, default_secret, seed);
	if (len <= 240)
		return len_129to240(p, len, default_secret, seed);
	return hash_long(p, len, seed);
}

} // namespace mos::swapdev
