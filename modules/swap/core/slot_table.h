/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SlotTable: what the device holds for each of its pages, one 16-byte
 * entry per page like zram's table. The page size (4, 16 or 64 KiB:
 * page.h) is the table's, fixed at create(); a stored object is at most
 * one page, so an object's size takes 17 bits of the entry.
 *
 * A slot is in exactly one state:
 *
 *   Empty        nothing stored; reads return zeroes
 *   SameFilled   one 8-byte pattern repeated; value = the pattern
 *   Stored       an object of its own; value = handle, size = bytes
 *   Deduped      a share of a DedupIndex entry; value = the entry
 *   WrittenBack  on the backing device; value = the block index
 *
 * plus two flags, Idle and Accessed, for writeback selection (zram's
 * ZRAM_IDLE and its access tracking), and a third, WritebackPending
 * (zram's ZRAM_UNDER_WB), while a writer copies the slot's page to the
 * backing device with the slot lock dropped:
 *
 *   start_writeback()   Stored or Deduped slot, not pending: set pending
 *   (the caller unlocks, writes the page to its block, locks again)
 *   finish_writeback()  still pending: release the object or the dedup
 *                       reference as free_slot() does, become WrittenBack
 *   cancel_writeback()  clear pending; the caller frees its block
 *
 * Whatever happens to the slot in between clears pending: free_slot()
 * (discard, overwrite: the page written is stale) and mark_accessed()
 * (the page was read: it is not idle any more, keep it in memory, as
 * zram's writeback does when ZRAM_IDLE was cleared under it). Then
 * finish_writeback() fails with -MOS_EAGAIN and changes nothing.
 *
 * Pending has no owner, so a second writer can set it again after a
 * rewrite; what ties a finish to the page its writer copied is the
 * slot's generation, a counter every content change (set_*, free_slot)
 * advances. The writer reads it under the lock at start and hands it to
 * finish, which fails unless it is unchanged (zram keeps ZRAM_UNDER_WB
 * across a free instead). A sub-page write uses the same counter: it
 * reads the page and the generation, merges with the lock dropped, and
 * commits only if the generation did not move. The counter has 28 bits:
 * a stale writer is fooled only if exactly a multiple of 2^28 content
 * changes of that one slot happen while it waits.
 *
 * Every slot has its own lock, one bit of its flags word (BitLock; zram's
 * ZRAM_LOCK). Everything below except lock()/try_lock() requires the
 * caller to hold the slot's lock, and warns if it does not. Setting a
 * state requires an Empty slot: an overwrite is free_slot() then set_*().
 * free_slot() releases exactly what the slot held and leaves it Empty.
 */
#ifndef MOS_SWAP_SLOT_TABLE_H
#define MOS_SWAP_SLOT_TABLE_H

#include <stdint.h>

#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/result.h>

#include "dedup_index.h"
#include "page.h"

namespace mos::swapdev {

enum class SlotState : uint8_t {
	Empty = 0,
	SameFilled,
	Stored,
	Deduped,
	WrittenBack,
};

/*
 * How free_slot() gives memory back: the shim's zs_free() and its backing
 * device's block allocator. Called with the slot lock held (atomic).
 */
struct SlotFreeOps {
	void (*free_object)(void *ctx, uint64_t handle);
	void (*free_block)(void *ctx, uint64_t block);
	void *ctx;
};

/* Pages per state and stored bytes, for mm_stat. */
struct SlotStats {
	uint64_t same_pages;
	uint64_t stored_pages;	/* objects of their own */
	uint64_t stored_bytes;	/* their compressed bytes */
	uint64_t deduped_pages;	/* slots sharing a dedup entry */
	uint64_t written_back_pages;
};

class SlotTable {
public:
	/*
	 * Called when disksize is set: process context, Gfp::Kernel.
	 * -MOS_EINVAL for no pages; a PageSize is valid by construction.
	 */
	static Result<OwnedPtr<SlotTable>> create(uint64_t nr_pages, PageSize page_size,
						  Gfp gfp);

	uint64_t size() const { return nr_; }
	PageSize page_size() const { return page_size_; }
	/* Largest object a slot records: a page stored whole. */
	uint32_t max_object_size() const { return page_size_.bytes(); }

	void lock(uint64_t index);
	[[nodiscard]] bool try_lock(uint64_t index);
	void unlock(uint64_t index);

	/* Under the slot lock. */
	SlotState state(uint64_t index) const;
	uint64_t fill_pattern(uint64_t index) const;	/* SameFilled */
	uint64_t object_handle(uint64_t index) const;	/* Stored */
	uint32_t object_size(uint64_t index) const;	/* Stored, Deduped */
	DedupEntry *dedup_entry(uint64_t index) const;	/* Deduped */
	uint64_t backing_block(uint64_t index) const;	/* WrittenBack */

	/*
	 * Under the slot lock, on an Empty slot; -MOS_EBUSY otherwise.
	 * set_stored, set_deduped: -MOS_EINVAL for a size (the entry's) of 0
	 * or over max_object_size(), a null entry.
	 */
	Result<void> set_same_filled(uint64_t index, uint64_t pattern);
	Result<void> set_stored(uint64_t index, uint64_t handle, uint32_t size);
	Result<void> set_deduped(uint64_t index, DedupEntry *entry);
	Result<void> set_written_back(uint64_t index, uint64_t block);

	/*
	 * Under the slot lock: gives back what the slot held (its object,
	 * its dedup reference, freeing the object when it was the last, or
	 * its backing block) and leaves it Empty with no flags. dedup may be
	 * null only if no slot is Deduped.
	 */
	void free_slot(uint64_t index, DedupIndex *dedup, const SlotFreeOps &ops);

	/*
	 * Under the slot lock: the writeback protocol above. start:
	 * -MOS_EINVAL unless Stored or Deduped, -MOS_EBUSY if pending.
	 * finish: -MOS_EAGAIN if no longer pending or the generation is not
	 * the one read at start (nothing changed).
	 */
	Result<void> start_writeback(uint64_t index);
	Result<void> finish_writeback(uint64_t index, uint32_t generation, uint64_t block,
				      DedupIndex *dedup, const SlotFreeOps &ops);
	void cancel_writeback(uint64_t index);
	bool writeback_pending(uint64_t index) const;

	/* Under the slot lock: advances with every change of the contents. */
	uint32_t generation(uint64_t index) const;

	/* Under the slot lock: idle marking skips empty slots, as zram's. */
	void mark_idle(uint64_t index);
	void mark_accessed(uint64_t index);
	bool is_idle(uint64_t index) const;
	bool is_accessed(uint64_t index) const;

	SlotStats stats() const;

	~SlotTable();
	SlotTable(const SlotTable &) = delete;
	SlotTable &operator=(const SlotTable &) = delete;

	/* One page's entry. Public only so create() can build the table. */
	struct Slot {
		uint64_t value;		/* pattern, handle, entry or block */
		Atomic<uint64_t> flags;	/* size, state, lock, idle, accessed, pending, generation */
	};
	static_assert(sizeof(Slot) == 16);

	/* Use create(). Takes ownership of slots (from alloc_array). */
	SlotTable(Slot *slots, uint64_t nr, PageSize page_size)
		: slots_(slots), nr_(nr), page_size_(page_size)
	{
	}

private:
	Slot &slot(uint64_t index) const;
	uint64_t flags(uint64_t index) const;
	void set(uint64_t index, SlotState state, uint64_t value, uint32_t size);
	Result<void> check_empty(uint64_t index) const;
	void release(uint64_t index, DedupIndex *dedup, const SlotFreeOps &ops);

	Slot *slots_;
	uint64_t nr_;
	PageSize page_size_;
	Atomic<uint64_t> same_pages_;
	Atomic<uint64_t> stored_pages_;
	Atomic<uint64_t> stored_bytes_;
	Atomic<uint64_t> deduped_pages_;
	Atomic<uint64_t> written_back_pages_;
};

/* Holds one slot's lock for a scope. */
class [[nodiscard]] SlotGuard {
public:
	SlotGuard(SlotTable &table, uint64_t index) : table_(table), index_(index)
	{
		table_.lock(index_);
	}
	~SlotGuard() { table_.unlock(index_); }
	SlotGuard(const SlotGuard &) = delete;
	SlotGuard &operator=(const SlotGuard &) = delete;

private:
	SlotTable &table_;
	uint64_t index_;
};

} // namespace mos::swapdev

#endif /* MOS_SWAP_SLOT_TABLE_H */
