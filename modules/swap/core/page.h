/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the swap core needs to know about one 4 KiB page: whether it is
 * one 8-byte pattern repeated (stored as that pattern, no allocation),
 * and its keyed 64-bit content hash (the dedup index's key; the shim
 * also keeps its low 32 bits as the page's checksum).
 *
 * The hash is XXH3-64 (Yann Collet's xxHash 0.8) with a 64-bit key as
 * its seed: XXH3_64bits_withSeed() bit for bit (the host tests compare
 * it with Debian's libxxhash), written out here because the kernel has
 * no XXH3 and its lib/xxhash.c is not reachable from C++ anyway. For a
 * 4 KiB page that is the reference's long path: eight 64-bit lanes over
 * 64-byte stripes, each lane one 32x32->64 multiply and two adds per 8
 * bytes, with a 192-byte secret derived from the seed. Scalar, integer
 * only (no FP or SIMD, so legal in kernel code on every target), and
 * faster than the XXH64 it replaces (Documentation/dev/swap-core.rst has
 * the numbers); SipHash was estimated at five times XXH64's cost.
 *
 * Why keyed: with a fixed hash anyone who can write swapped pages can
 * prepare any number of different pages with one hash, and every write
 * of one would walk and compare the same dedup chain. The shim is to
 * give each device its own random key (get_random_u64() when the device
 * is sized, kept until reset), so that a device's hashes cannot be
 * computed without it.
 *
 * What the key does not give: XXH3 is not a PRF or a MAC. It makes
 * equal hashes costly to find, not impossible (an attacker who learns
 * hashes or times the index may still get there), so nothing relies on
 * it for safety: a hash only finds candidates, two pages are shared only
 * after a full comparison, and the index's bounds (max_compares,
 * max_chain in dedup_index.h) keep the work per write bounded whatever
 * the hash does. The key keeps dedup useful under attack; the bounds
 * keep it cheap.
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

/*
 * XXH3-64 of any buffer with a seed: the reference's
 * XXH3_64bits_withSeed(), so its test vectors apply.
 */
uint64_t xxh3_64(const void *data, size_t len, uint64_t seed);

/* The hash of a page under its device's key: the dedup key. */
inline uint64_t page_hash(const void *page, uint64_t key)
{
	return xxh3_64(page, page_size, key);
}

} // namespace mos::swapdev

#endif /* MOS_SWAP_PAGE_H */
