// SPDX-License-Identifier: GPL-2.0-only
//
// A host model of the shim's I/O path over the C ABI of
// include/multios/swap.h: what a page write, read, discard and
// writeback do with the slot table and the dedup index. The kernel shim
// will do the same with zsmalloc and a real compressor.
#ifndef MOS_SWAP_TEST_DEVICE_H
#define MOS_SWAP_TEST_DEVICE_H

#include <gtest/gtest.h>

#include <algorithm>

#include "object_store.h"

namespace swap_test {

class Device {
public:
	Device(uint64_t pages, bool dedup, uint32_t page_size = MOS_SWAP_PAGE_SIZE_4K)
		: ops_(store_.ops()), page_size_(page_size)
	{
		EXPECT_EQ(mos_swap_slots_create(pages, page_size, &slots_), 0);
		if (dedup) {
			EXPECT_EQ(mos_swap_dedup_create(pages, page_size, &dedup_), 0);
		}
	}

	~Device()
	{
		for (uint64_t i = 0; i < mos_swap_slots_size(slots_); i++)
			discard(i);
		EXPECT_EQ(store_.live_objects(), 0u) << "objects leaked";
		EXPECT_EQ(store_.live_blocks(), 0u) << "blocks leaked";
		mos_swap_slots_destroy(slots_);
		if (dedup_)
			mos_swap_dedup_destroy(dedup_);
	}

	Device(const Device &) = delete;
	Device &operator=(const Device &) = delete;

	/*
	 * Overwrites slot index with page as the shim's store_write() does:
	 * the new contents (pattern, own object or dedup reference) are made
	 * complete with no slot lock held, then swapped in under the lock,
	 * the old contents freed only then. With expect, only if the slot's
	 * generation is still *expect (a sub-page write's merge): stale
	 * otherwise, nothing changed.
	 */
	int write(uint64_t index, const Page &page, const uint32_t *expect = nullptr)
	{
		if (page.size() != page_size_)
			return -MOS_EINVAL;	/* the bio layer never sends one */
		uint64_t hash = mos_swap_page_hash(page.data(), page_size_, key_);
		Compare cmp{&store_, &page};
		uint64_t pattern = 0, handle = 0;
		uint32_t size = 0;
		mos_swap_dedup_entry *e = nullptr;
		bool same = mos_swap_page_same_filled(page.data(), page_size_, &pattern);

		if (!same && dedup_)
			e = mos_swap_dedup_find_get(dedup_, hash, Compare::fn, &cmp);
		if (!same && !e) {
			handle = store_.store(page, &size);
			if (dedup_) {
				int r = mos_swap_dedup_insert(dedup_, hash, handle, size,
							      Compare::fn, &cmp, &e);
				if (r == 1)
					store_.free_object(handle);
				if (r < 0)
					e = nullptr;	/* -ENOMEM, -ENOSPC: unshared */
			}
		}
		Lock lock(slots_, index);
		mos_swap_slot_info info;
		mos_swap_slot_get(slots_, index, &info);
		if (expect && info.generation != *expect) {
			if (e)
				release(e);
			else if (!same)
				store_.free_object(handle);
			return stale;
		}
		mos_swap_slot_free(slots_, index, dedup_, &ops_);
		/* As the shim: a set_* that fails gives back what it was to hold. */
		int r;
		if (same)
			r = mos_swap_slot_set_same_filled(slots_, index, pattern);
		else if (e)
			r = mos_swap_slot_set_deduped(slots_, index, e);
		else
			r = mos_swap_slot_set_stored(slots_, index, handle, size);
		if (r && e)
			release(e);
		else if (r && !same)
			store_.free_object(handle);
		return r;
	}

	/* The page and generation of slot index (a sub-page write's read). */
	Page read_with_generation(uint64_t index, uint32_t *generation)
	{
		Lock lock(slots_, index);
		mos_swap_slot_info info;
		mos_swap_slot_get(slots_, index, &info);
		*generation = info.generation;
		return load(info);
	}

	/*
	 * Replaces bytes [off, off + len) of slot index's page with those of
	 * piece: read with the generation, merge unlocked, write if the
	 * generation held, else again (mswap_store_write_partial()).
	 */
	int write_partial(uint64_t index, size_t off, const uint8_t *piece, size_t len)
	{
		if (off >= page_size_ || len > page_size_ - off)
			return -MOS_EINVAL;
		for (;;) {
			uint32_t generation;
			Page page = read_with_generation(index, &generation);
			std::copy(piece, piece + len, page.begin() + off);
			int r = write(index, page, &generation);
			if (r != stale)
				return r;
		}
	}

	Page read(uint64_t index)
	{
		Lock lock(slots_, index);
		mos_swap_slot_info info;
		mos_swap_slot_get(slots_, index, &info);
		mos_swap_slot_mark_accessed(slots_, index);
		return load(info);
	}

	/* What write() returns when the generation moved (the shim's -ESTALE). */
	static constexpr int stale = -MOS_EAGAIN;

	/* Drops one dedup reference; the last frees the object. */
	void release(mos_swap_dedup_entry *e)
	{
		uint64_t handle = mos_swap_dedup_entry_handle(e);
		if (mos_swap_dedup_release(dedup_, e))
			store_.free_object(handle);
	}

	/* The page a slot's info describes; the caller holds its lock. */
	Page load(const mos_swap_slot_info &info)
	{
		Page page(page_size_);
		switch (info.state) {
		case MOS_SWAP_SLOT_SAME_FILLED:
			mos_swap_page_fill(page.data(), page_size_, info.value);
			break;
		case MOS_SWAP_SLOT_STORED:
		case MOS_SWAP_SLOT_DEDUPED:
			page = store_.load(info.value);
			break;
		case MOS_SWAP_SLOT_WRITTEN_BACK:
			page = store_.read_block(info.value);
			break;
		}
		return page;
	}

	void discard(uint64_t index)
	{
		Lock lock(slots_, index);
		mos_swap_slot_free(slots_, index, dedup_, &ops_);
	}

	/*
	 * Moves a stored or shared page to the backing device the way the
	 * shim does: start under the slot lock, write the block with the
	 * lock dropped (`between` runs there, as a racing reader, writer or
	 * discard would), finish under the lock; a finish that finds the
	 * slot changed gives the block back. Returns start's or finish's
	 * error, 0 if the slot is now written back.
	 */
	template <typename Between>
	int writeback(uint64_t index, Between between)
	{
		Page page;
		uint32_t generation;
		{
			Lock lock(slots_, index);
			mos_swap_slot_info info;
			mos_swap_slot_get(slots_, index, &info);
			int r = mos_swap_slot_start_writeback(slots_, index);
			if (r)
				return r;
			generation = info.generation;
			page = store_.load(info.value);
		}
		uint64_t block = store_.write_block(page);
		between();
		Lock lock(slots_, index);
		int r = mos_swap_slot_finish_writeback(slots_, index, generation, block, dedup_, &ops_);
		if (r)
			store_.free_block(block);
		return r;
	}

	bool writeback(uint64_t index)
	{
		return writeback(index, [] {}) == 0;
	}

	mos_swap_slot_info info(uint64_t index)
	{
		Lock lock(slots_, index);
		mos_swap_slot_info info;
		mos_swap_slot_get(slots_, index, &info);
		return info;
	}

	uint32_t page_size() const { return page_size_; }
	ObjectStore &store() { return store_; }
	mos_swap_slots *slots() { return slots_; }
	mos_swap_dedup *dedup() { return dedup_; }

private:
	struct Lock {
		Lock(mos_swap_slots *s, uint64_t i) : s_(s), i_(i) { mos_swap_slot_lock(s_, i_); }
		~Lock() { mos_swap_slot_unlock(s_, i_); }
		mos_swap_slots *s_;
		uint64_t i_;
	};

	ObjectStore store_;
	mos_swap_free_ops ops_;
	uint32_t page_size_;
	mos_swap_slots *slots_ = nullptr;
	mos_swap_dedup *dedup_ = nullptr;
	uint64_t key_ = 0x0123456789abcdefull;	/* the device's hash key */
};

} // namespace swap_test

#endif
