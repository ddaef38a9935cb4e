/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the swap core needs to know about one page: whether it is one
 * 8-byte pattern repeated (stored as that pattern, no allocation), and
 * its keyed 64-bit content hash (the dedup index's key; the shim also
 * keeps its low 32 bits as the page's checksum).
 *
 * A page is the kernel's PAGE_SIZE: 4 KiB on x86_64 and most arm64 and
 * riscv64 kernels, 16 or 64 KiB on some arm64 ones. The core is built
 * once for all of them, so the size is not a constant here: a store
 * chooses it when it is created (PageSize, validated then), and every
 * helper below takes it. The helpers switch once on the size to a loop
 * compiled for that size, so a 4 KiB page costs what it did when 4096
 * was a constant.
 *
 * The hash is XXH3-64 (Yann Collet's xxHash 0.8) with a 64-bit key as
 * its seed: XXH3_64bits_withSeed() bit for bit (the host tests compare
 * it with Debian's libxxhash), written out here because the kernel has
 * no XXH3 and its lib/xxhash.c is not reachable from C++ anyway. For a
 * 4 KiB page that is the reference's long path: eight 64-bit lanes over
 * 64-byte stripes, each lane one 32x32->64 multiply and two adds per 8
 * bytes, with a 192-byte secret derived from the seed (16 and 64 KiB
 * pages take the same path, for 16 and 64 blocks of 1 KiB). Scalar, integer
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

#include <mos/result.h>

namespace mos::swapdev {

/*
 * The page size of a store: 4, 16 or 64 KiB, the sizes Linux 6.1 offers
 * on our targets (arm64's 4K, 16K and 64K granules). Only from_bytes()
 * makes one, so a PageSize in hand is always valid; it is a shift, and
 * bytes() is one instruction.
 */
class PageSize {
public:
	static constexpr uint32_t min_shift = 12;	/* 4 KiB */
	static constexpr uint32_t max_shift = 16;	/* 64 KiB */
	static constexpr uint32_t max_bytes = 1u << max_shift;

	/* 4096, 16384 or 65536; -MOS_EINVAL for anything else. */
	static Result<PageSize> from_bytes(uint64_t bytes)
	{
		switch (bytes) {
		case 1u << 12:
			return PageSize(12);
		case 1u << 14:
			return PageSize(14);
		case 1u << 16:
			return PageSize(16);
		default:
			return Error(-MOS_EINVAL);
		}
	}
	static constexpr PageSize size_4k() { return PageSize(min_shift); }

	constexpr uint32_t shift() const { return shift_; }
	constexpr uint32_t bytes() const { return 1u << shift_; }
	constexpr bool operator==(const PageSize &o) const { return shift_ == o.shift_; }

private:
	explicit constexpr PageSize(uint32_t shift) : shift_(shift) {}

	uint32_t shift_;
};

/*
 * True if the page (ps.bytes() bytes) is one 8-byte value repeated;
 * *pattern is then that value (native byte order, as memset64() will
 * write it back).
 */
bool page_same_filled(const void *page, PageSize ps, uint64_t *pattern);

/* Writes pattern into every 8-byte word of the page (the load side). */
void page_fill(void *page, PageSize ps, uint64_t pattern);

/*
 * XXH3-64 of any buffer with a seed: the reference's
 * XXH3_64bits_withSeed(), so its test vectors apply.
 */
uint64_t xxh3_64(const void *data, size_t len, uint64_t seed);

/*
 * The hash of a whole page under its device's key: the dedup key. The
 * length is part of XXH3's input, so pages of different sizes never
 * hash alike by construction, even when one is the other's prefix.
 */
inline uint64_t page_hash(const void *page, PageSize ps, uint64_t key)
{
	return xxh3_64(page, ps.bytes(), key);
}

} // namespace mos::swapdev

#endif /* MOS_SWAP_PAGE_H */
