// SPDX-License-Identifier: GPL-2.0-only
//
// Same-filled page detection and XXH64 (see page.h for why XXH64).

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

/* XXH64 reads little-endian; every MultiOS target is little-endian. */
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);

constexpr uint64_t prime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t prime2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t prime3 = 0x165667B19E3779F9ull;
constexpr uint64_t prime4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t prime5 = 0x27D4EB2F165667C5ull;

constexpr uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

constexpr uint64_t round(uint64_t acc, uint64_t input)
{
	acc += input * prime2;
	acc = rotl(acc, 31);
	return acc * prime1;
}

constexpr uint64_t merge_round(uint64_t acc, uint64_t val)
{
	acc ^= round(0, val);
	return acc * prime1 + prime4;
}

/* The four-lane body over whole 32-byte stripes; returns bytes consumed. */
size_t stripes(const unsigned char *p, size_t len, uint64_t seed, uint64_t *h)
{
	uint64_t v1 = seed + prime1 + prime2, v2 = seed + prime2;
	uint64_t v3 = seed, v4 = seed - prime1;
	size_t done = 0;

	for (; len - done >= 32; done += 32) {
		v1 = round(v1, load64(p + done));
		v2 = round(v2, load64(p + done + 8));
		v3 = round(v3, load64(p + done + 16));
		v4 = round(v4, load64(p + done + 24));
	}
	uint64_t acc = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
	acc = merge_round(acc, v1);
	acc = merge_round(acc, v2);
	acc = merge_round(acc, v3);
	*h = merge_round(acc, v4);
	return done;
}

} // namespace

bool page_same_filled(const void *page, uint64_t *pattern)
{
	const unsigned char *p = static_cast<const unsigned char *>(page);
	uint64_t first = load64(p);

	/* The last word first: most pages that differ, differ there too. */
	if (load64(p + page_size - 8) != first)
		return false;
	for (size_t off = 8; off < page_size - 8; off += 8) {
		if (load64(p + off) != first)
			return false;
	}
	*pattern = first;
	return true;
}

void page_fill(void *page, uint64_t pattern)
{
	unsigned char *p = static_cast<unsigned char *>(page);

	for (size_t off = 0; off < page_size; off += 8)
		__builtin_memcpy(p + off, &pattern, sizeof(pattern));
}

uint64_t xxh64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = static_cast<const unsigned char *>(data);
	uint64_t h;
	size_t i = 0;

	if (len >= 32)
		i = stripes(p, len, seed, &h);
	else
		h = seed + prime5;
	h += len;

	for (; len - i >= 8; i += 8) {
		h ^= round(0, load64(p + i));
		h = rotl(h, 27) * prime1 + prime4;
	}
	if (len - i >= 4) {
		h ^= uint64_t(load32(p + i)) * prime1;
		h = rotl(h, 23) * prime2 + prime3;
		i += 4;
	}
	for (; i < len; i++) {
		h ^= p[i] * prime5;
		h = rotl(h, 11) * prime1;
	}

	h ^= h >> 33;
	h *= prime2;
	h ^= h >> 29;
	h *= prime3;
	h ^= h >> 32;
	return h;
}

} // namespace mos::swapdev
