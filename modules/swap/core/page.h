/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the swap core needs to know about one 4 KiB page: whether it is
 * one 8-byte pattern repeated (stored as that pattern, no allocation),
 * and its 64-bit content hash (the dedup index's key).
 *
 * The hash is XXH64 (Yann Collet's xxHash, 64-bit variant), written out
 * here because the kernel's lib/xxhash.c is not reachable from C++ (no
 * kernel headers). Why XXH64: integer-only (multiplies, rotates, adds; no
 * FP or SIMD, so it is legal in kernel code on every target), four
 * independent lanes that keep a 64-bit CPU's multipliers busy, full
 * avalanche, and a published reference to check against. It is not
 * cryptographic and need not be: a hash only finds candidates, and two
 * pages are shared only after a full comparison (see dedup_index.h), so
 * a collision costs one compare, never data.
 */
#ifndef MOS_SWAP_PAGE_H
#define MOS_SWAP_PAGE_H

#include <stddef.h>
#include <stdint.h>

namespace mos::swapdev {

inline constexpr size_t page_size = 4096;
inline constexpr size_t page_words = page_size / sizeof(uint64_t);

/*
 * True if the page is one 8-byte value repeated; *pattern is then that
 * value (native byte order, as memset64() will write it back).
 */
bool page_same_filled(const void *page, uint64_t *pattern);

/* Writes pattern into every 8-byte word of the page (the load side). */
void page_fill(void *page, uint64_t pattern);

/* XXH64 of any buffer; the reference algorithm, so test vectors apply. */
uint64_t xxh64(const void *data, size_t len, uint64_t seed);

/* The dedup key of a page. */
inline uint64_t page_hash(const void *page)
{
	return xxh64(page, page_size, 0);
}

} // namespace mos::swapdev

#endif /* MOS_SWAP_PAGE_H */
