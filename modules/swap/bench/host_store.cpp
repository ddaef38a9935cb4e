// SPDX-License-Identifier: GPL-2.0-only
//
// The host mirror of modules/swap/shim/store.c: see host_store.h for
// what differs. Functions keep the shim's names and order so the two can
// be read side by side.

#include "host_store.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include <lz4.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_compress_advanced, as the kernel calls */
#include <zstd.h>
#include <zlib.h>

namespace swap_bench {

namespace {

constexpr size_t page_size = MOS_SWAP_PAGE_SIZE_4K;	/* the bench measures 4 KiB pages */

/* crypto/lz4.c: LZ4_compress_default() with a work area = extState, acceleration 1. */
class Lz4 final : public Compressor {
public:
	Lz4() : state_(LZ4_sizeofState()) {}

	size_t compress(const void *page, void *dst, size_t cap) override
	{
		int n = LZ4_compress_fast_extState(state_.data(), static_cast<const char *>(page),
						   static_cast<char *>(dst), page_size, int(cap), 1);
		return n > 0 ? size_t(n) : 0;
	}

	bool decompress(const void *src, size_t len, void *page) override
	{
		return LZ4_decompress_safe(static_cast<const char *>(src), static_cast<char *>(page),
					   int(len), page_size) == int(page_size);
	}

private:
	std::vector<char> state_;
};

/*
 * crypto/zstd.c: zstd_compress_cctx() with zstd_get_params(3, 0), which
 * is ZSTD_compress_advanced() with the level-3 parameters for an unknown
 * source size (not shrunk to the 4 KiB page).
 */
class Zstd final : public Compressor {
public:
	Zstd() : cctx_(ZSTD_createCCtx()), dctx_(ZSTD_createDCtx()), params_(ZSTD_getParams(3, 0, 0))
	{
		if (!cctx_ || !dctx_)
			throw std::runtime_error("zstd: no context");
	}

	~Zstd() override
	{
		ZSTD_freeCCtx(cctx_);
		ZSTD_freeDCtx(dctx_);
	}

	size_t compress(const void *page, void *dst, size_t cap) override
	{
		/*
		 * Deprecated in user space for ZSTD_compress2(), which would
		 * shrink the tables to the 4 KiB source; the kernel's
		 * zstd_compress_cctx() calls this one, with full-size tables.
		 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		size_t n = ZSTD_compress_advanced(cctx_, dst, cap, page, page_size, nullptr, 0, params_);
#pragma GCC diagnostic pop
		return ZSTD_isError(n) ? 0 : n;
	}

	bool decompress(const void *src, size_t len, void *page) override
	{
		return ZSTD_decompressDCtx(dctx_, page, page_size, src, len) == page_size;
	}

private:
	ZSTD_CCtx *cctx_;
	ZSTD_DCtx *dctx_;
	ZSTD_parameters params_;
};

/*
 * crypto/deflate.c: raw deflate (negative window bits), level
 * Z_DEFAULT_COMPRESSION, 2^11 window, the kernel zlib's MAX_MEM_LEVEL 8;
 * a reset before every page.
 */
class Deflate final : public Compressor {
public:
	static constexpr int window_bits = 11;
	static constexpr int mem_level = 8;

	Deflate()
	{
		if (deflateInit2(&comp_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -window_bits, mem_level,
				 Z_DEFAULT_STRATEGY) != Z_OK ||
		    inflateInit2(&decomp_, -window_bits) != Z_OK)
			throw std::runtime_error("zlib: init failed");
	}

	~Deflate() override
	{
		deflateEnd(&comp_);
		inflateEnd(&decomp_);
	}

	size_t compress(const void *page, void *dst, size_t cap) override
	{
		if (deflateReset(&comp_) != Z_OK)
			return 0;
		comp_.next_in = static_cast<Bytef *>(const_cast<void *>(page));
		comp_.avail_in = page_size;
		comp_.next_out = static_cast<Bytef *>(dst);
		comp_.avail_out = uInt(cap);
		if (deflate(&comp_, Z_FINISH) != Z_STREAM_END)
			return 0;
		return comp_.total_out;
	}

	/* As __deflate_decompress(): Z_SYNC_FLUSH, then feed one zero byte if asked. */
	bool decompress(const void *src, size_t len, void *page) override
	{
		if (inflateReset(&decomp_) != Z_OK)
			return false;
		decomp_.next_in = static_cast<Bytef *>(const_cast<void *>(src));
		decomp_.avail_in = uInt(len);
		decomp_.next_out = static_cast<Bytef *>(page);
		decomp_.avail_out = page_size;
		int ret = inflate(&decomp_, Z_SYNC_FLUSH);
		if (ret == Z_OK && !decomp_.avail_in && decomp_.avail_out) {
			Bytef zero = 0;
			decomp_.next_in = &zero;
			decomp_.avail_in = 1;
			ret = inflate(&decomp_, Z_FINISH);
		}
		return ret == Z_STREAM_END && decomp_.total_out == page_size;
	}

private:
	z_stream comp_{};
	z_stream decomp_{};
};

/* mm/zsmalloc.c (6.1) get_pages_per_zspage(). */
int pages_per_zspage(int class_size)
{
	int max_usedpc = 0, order = 1;

	for (int i = 1; i <= 4; i++) { /* ZS_MAX_PAGES_PER_ZSPAGE */
		int zspage_size = i * int(page_size);
		int usedpc = (zspage_size - zspage_size % class_size) * 100 / zspage_size;
		if (usedpc > max_usedpc) {
			max_usedpc = usedpc;
			order = i;
		}
	}
	return order;
}

} // namespace

const char *algorithm_name(Algorithm algo)
{
	switch (algo) {
	case Algorithm::Lz4:
		return "lz4";
	case Algorithm::Zstd:
		return "zstd";
	case Algorithm::Deflate:
		return "deflate";
	}
	return "?";
}

std::unique_ptr<Compressor> Compressor::create(Algorithm algo)
{
	switch (algo) {
	case Algorithm::Lz4:
		return std::make_unique<Lz4>();
	case Algorithm::Zstd:
		return std::make_unique<Zstd>();
	case Algorithm::Deflate:
		return std::make_unique<Deflate>();
	}
	return nullptr;
}

/*
 * zs_create_pool()'s loop: the first class, from the largest down, that
 * packs several objects into a multi-page zspage; minus the handle
 * zs_malloc() adds. ZS_MIN_ALLOC_SIZE 32, ZS_SIZE_CLASS_DELTA 16 and
 * ZS_HANDLE_SIZE 8 are x86_64's with 4 KiB pages.
 */
size_t zs_huge_class_size_6_1()
{
	constexpr int min_size = 32, delta = 16, handle_size = 8;
	constexpr int classes = (int(page_size) - min_size + delta - 1) / delta + 1;

	for (int i = classes - 1; i >= 0; i--) {
		int size = min_size + i * delta;
		if (size > int(page_size))
			size = page_size;
		int pages = pages_per_zspage(size);
		int objs = pages * int(page_size) / size;
		if (pages != 1 && objs != 1)
			return size_t(size - (handle_size - 1));
	}
	return page_size;
}

/* ---- the store ---- */

struct HostStore::WriteCtx {
	HostStore *store;
	const void *page;
};

struct FreeCtx {
	HostStore *store;
	uint32_t size;
};

HostStore::HostStore(uint64_t nr_pages, Algorithm algo, bool dedup)
	: nr_pages_(nr_pages), stream_(Compressor::create(algo)), buffer_(2 * page_size),
	  scratch_(page_size), csums_(nr_pages), huge_size_(zs_huge_class_size_6_1())
{
	int ret = mos_swap_slots_create(nr_pages, page_size, &slots_);
	if (!ret && dedup)
		ret = mos_swap_dedup_create(nr_pages, page_size, &dedup_);
	if (ret)
		throw std::runtime_error("swap core: create failed: " + std::to_string(ret));
}

HostStore::~HostStore()
{
	for (uint64_t i = 0; i < nr_pages_; i++)
		free(i);
	if (dedup_)
		mos_swap_dedup_destroy(dedup_);
	mos_swap_slots_destroy(slots_);
}

/* object_load(): object `handle` of `size` bytes into `page`. */
int HostStore::object_load(uint64_t handle, uint32_t size, void *page)
{
	const void *src = reinterpret_cast<const void *>(handle);

	if (size == page_size) {
		memcpy(page, src, page_size);
		return 0;
	}
	return stream_->decompress(src, size, page) ? 0 : -MOS_EIO;
}

void HostStore::account_object(uint32_t size, bool add)
{
	int64_t sign = add ? 1 : -1;

	if (size == page_size) {
		huge_objects_ += sign;
	} else {
		comp_objects_ += sign;
		comp_bytes_ += sign * int64_t(size);
	}
}

void HostStore::free_object_op(void *ctx, uint64_t handle)
{
	auto *c = static_cast<FreeCtx *>(ctx);

	std::free(reinterpret_cast<void *>(handle)); /* zs_free() */
	c->store->account_object(c->size, false);
}

void HostStore::free_block_op(void *, uint64_t)
{
	/* store.c WARNs: no backing device, so nothing is ever written back. */
	fprintf(stderr, "swap_bench: free_block() called\n");
	std::abort();
}

void HostStore::slot_free_locked(uint64_t index)
{
	mos_swap_slot_info info;
	FreeCtx c{this, 0};
	mos_swap_free_ops ops{free_object_op, free_block_op, &c};

	mos_swap_slot_get(slots_, index, &info);
	if (info.state == MOS_SWAP_SLOT_EMPTY)
		return;
	c.size = info.size;
	mos_swap_slot_free(slots_, index, dedup_, &ops);
}

/* The dedup core's full compare: does this object hold exactly our page? */
bool HostStore::object_equal(void *ctx, uint64_t handle, uint32_t size)
{
	auto *w = static_cast<WriteCtx *>(ctx);
	HostStore *s = w->store;

	if (s->object_load(handle, size, s->scratch_.data()))
		return false;
	return !memcmp(s->scratch_.data(), w->page, page_size);
}

void HostStore::slot_set_object(WriteCtx *w, uint64_t index, uint64_t hash, uint64_t handle,
				uint32_t size)
{
	mos_swap_dedup_entry *entry = nullptr;
	int ret = -MOS_ENOENT;

	if (dedup_)
		ret = mos_swap_dedup_insert(dedup_, hash, handle, size, object_equal, w, &entry);
	if (ret == 1) {
		std::free(reinterpret_cast<void *>(handle));
		account_object(size, false);
	}
	if (ret >= 0)
		mos_swap_slot_set_deduped(slots_, index, entry);
	else
		mos_swap_slot_set_stored(slots_, index, handle, size);
}

int HostStore::write(uint64_t index, const void *page)
{
	WriteCtx w{this, page};
	uint64_t pattern, hash;

	if (index >= nr_pages_)
		return -MOS_EINVAL;
	if (mos_swap_page_same_filled(page, page_size, &pattern)) {
		mos_swap_slot_lock(slots_, index);
		slot_free_locked(index);
		mos_swap_slot_set_same_filled(slots_, index, pattern);
		mos_swap_slot_unlock(slots_, index);
		return 0;
	}
	hash = mos_swap_page_hash(page, page_size, key_);
	mos_swap_slot_lock(slots_, index);
	slot_free_locked(index);
	mos_swap_dedup_entry *entry = nullptr;
	if (dedup_)
		entry = mos_swap_dedup_find_get(dedup_, hash, object_equal, &w);
	if (entry) {
		mos_swap_slot_set_deduped(slots_, index, entry);
		csums_[index] = uint32_t(hash);
		mos_swap_slot_unlock(slots_, index);
		return 0;
	}

	/* object_store(): compress, or keep whole from the huge class up. */
	size_t len = stream_->compress(page, buffer_.data(), buffer_.size());
	const void *src = buffer_.data();
	if (!len || len >= huge_size_) {
		len = page_size;
		src = page;
	}
	void *object = std::malloc(len); /* zs_malloc() + zs_map_object() */
	if (!object) {
		mos_swap_slot_unlock(slots_, index);
		return -MOS_ENOMEM;
	}
	memcpy(object, src, len);
	account_object(uint32_t(len), true);

	slot_set_object(&w, index, hash, reinterpret_cast<uint64_t>(object), uint32_t(len));
	csums_[index] = uint32_t(hash);
	mos_swap_slot_unlock(slots_, index);
	return 0;
}

int HostStore::read(uint64_t index, void *page)
{
	mos_swap_slot_info info;
	int ret = 0;

	if (index >= nr_pages_)
		return -MOS_EINVAL;
	mos_swap_slot_lock(slots_, index);
	mos_swap_slot_get(slots_, index, &info);
	switch (info.state) {
	case MOS_SWAP_SLOT_EMPTY:
		memset(page, 0, page_size);
		break;
	case MOS_SWAP_SLOT_SAME_FILLED:
		mos_swap_page_fill(page, page_size, info.value);
		break;
	case MOS_SWAP_SLOT_STORED:
	case MOS_SWAP_SLOT_DEDUPED:
		ret = object_load(info.value, info.size, page);
		/* Never hand out a page that is not the one written. */
		if (!ret && uint32_t(mos_swap_page_hash(page, page_size, key_)) != csums_[index])
			ret = -MOS_EIO;
		break;
	default:
		ret = -MOS_EIO;
	}
	if (info.state != MOS_SWAP_SLOT_EMPTY)
		mos_swap_slot_mark_accessed(slots_, index);
	mos_swap_slot_unlock(slots_, index);
	return ret;
}

void HostStore::free(uint64_t index)
{
	mos_swap_slot_lock(slots_, index);
	slot_free_locked(index);
	mos_swap_slot_unlock(slots_, index);
}

StoreStats HostStore::stats() const
{
	mos_swap_slot_stats ss;
	mos_swap_dedup_stats ds{};

	mos_swap_slots_get_stats(slots_, &ss);
	if (dedup_)
		mos_swap_dedup_get_stats(dedup_, &ds);
	return StoreStats{
		.same_pages = ss.same_pages,
		.stored_pages = ss.stored_pages + ss.deduped_pages,
		.deduped_pages = ds.dup_pages,
		.comp_objects = comp_objects_,
		.comp_bytes = comp_bytes_,
		.huge_objects = huge_objects_,
		.index_bytes = ds.index_bytes,
	};
}

} // namespace swap_bench
