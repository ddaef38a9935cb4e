// SPDX-License-Identifier: GPL-2.0-only
//
// The host mirror of the shim's page store (modules/swap/shim/store.c),
// for the microbenchmarks: the same calls into the same C++ core (slot
// table, dedup index, page hash, through include/multios/swap.h), in the
// same order, with the kernel's pieces replaced by the nearest host ones:
//
//   kernel (store.c)                    host (here)
//   crypto_comp "lz4"                   liblz4: LZ4_compress_fast_extState(1),
//                                       LZ4_decompress_safe (what crypto/lz4.c calls)
//   crypto_comp "zstd"                  libzstd: ZSTD_compress_advanced with
//                                       ZSTD_getParams(3, 0, 0) (crypto/zstd.c)
//   crypto_comp "deflate"               zlib: raw deflate, level 6, window 2^11,
//                                       memLevel 8 (crypto/deflate.c)
//   zsmalloc: zs_malloc + map + memcpy  malloc + memcpy (no size classes,
//                                       no zspages, no mapping)
//   zs_huge_class_size()                computed as zsmalloc 6.1 does (3257
//                                       on 4 KiB pages)
//   per-CPU stream under a local lock   one stream (single-threaded)
//   mem_limit, writestall, max_used     absent (no pool to limit)
//
// Host-only benchmark code: normal C++, never built into a module.
#ifndef MOS_SWAP_BENCH_HOST_STORE_H
#define MOS_SWAP_BENCH_HOST_STORE_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <multios/swap.h>

namespace swap_bench {

enum class Algorithm { Lz4, Zstd, Deflate };

/* The shim's name for it (mswap_algorithms[]). */
const char *algorithm_name(Algorithm algo);

/* One compression stream: the kernel's crypto_comp tfm of one CPU. */
class Compressor {
public:
	static std::unique_ptr<Compressor> create(Algorithm algo);
	virtual ~Compressor() = default;
	/* A 4 KiB page into dst (cap bytes); its length, or 0 if it failed. */
	virtual size_t compress(const void *page, void *dst, size_t cap) = 0;
	/* True if src (len bytes) decodes to exactly one 4 KiB page. */
	virtual bool decompress(const void *src, size_t len, void *page) = 0;
};

/* zs_huge_class_size() of Linux 6.1's zsmalloc, for 4 KiB pages. */
size_t zs_huge_class_size_6_1();

/* What the store holds, as store.c counts it for mm_stat. */
struct StoreStats {
	uint64_t same_pages;
	uint64_t stored_pages;	/* slots Stored or Deduped */
	uint64_t deduped_pages;	/* sharers beyond the first */
	uint64_t comp_objects;	/* objects kept compressed, and their bytes */
	uint64_t comp_bytes;
	uint64_t huge_objects;	/* objects kept whole (4096 bytes each) */
	uint64_t index_bytes;	/* the dedup index, as the core reports it */
};

class HostStore {
public:
	HostStore(uint64_t nr_pages, Algorithm algo, bool dedup);
	~HostStore();
	HostStore(const HostStore &) = delete;
	HostStore &operator=(const HostStore &) = delete;

	/* mswap_store_write(): 0, or a negative errno. */
	int write(uint64_t index, const void *page);
	/* mswap_store_read(): 0, or -MOS_EIO if the page is not the one written. */
	int read(uint64_t index, void *page);
	/* mswap_store_free(). */
	void free(uint64_t index);

	StoreStats stats() const;
	/* Bytes of object storage: compressed bytes plus whole pages. */
	uint64_t object_bytes() const { return comp_bytes_ + huge_objects_ * MOS_SWAP_PAGE_SIZE_4K; }

private:
	struct WriteCtx;
	static bool object_equal(void *ctx, uint64_t handle, uint32_t size);
	static void free_object_op(void *ctx, uint64_t handle);
	static void free_block_op(void *ctx, uint64_t block);
	int object_load(uint64_t handle, uint32_t size, void *page);
	void slot_free_locked(uint64_t index);
	void account_object(uint32_t size, bool add);
	void slot_set_object(WriteCtx *w, uint64_t index, uint64_t hash, uint64_t handle,
			     uint32_t size);

	uint64_t nr_pages_;
	mos_swap_slots *slots_ = nullptr;
	mos_swap_dedup *dedup_ = nullptr;
	std::unique_ptr<Compressor> stream_;
	std::vector<uint8_t> buffer_;	/* compressed output, two pages */
	std::vector<uint8_t> scratch_;	/* a decompressed page, for compare */
	std::vector<uint32_t> csums_;	/* per slot: low 32 bits of the page hash */
	uint64_t key_ = 0x6b65792d6d6f7321ull;	/* the shim's per-device get_random_u64() */
	size_t huge_size_;
	uint64_t comp_objects_ = 0;
	uint64_t comp_bytes_ = 0;
	uint64_t huge_objects_ = 0;
};

} // namespace swap_bench

#endif
