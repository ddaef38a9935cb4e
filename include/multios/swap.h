/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C ABI between the multios_swap shim (kernel C: block device,
 * zsmalloc, compression, backing device, sysfs) and its C++ core
 * (modules/swap/core/): the slot table, the dedup index and the page
 * helpers. A sketch: only what the core implements so far.
 *
 * Contexts, and what each call may do:
 *   - create/destroy run in process context (disksize store, reset) and
 *     allocate with GFP_KERNEL; nothing else in this file allocates
 *     except mos_swap_dedup_insert(), which uses MOS_GFP_ATOMIC and
 *     returns -MOS_ENOMEM rather than sleep.
 *   - Everything else runs in the block I/O path (submit_bio, the swap
 *     layer's slot-free notification, possibly atomic): it never sleeps.
 *   - Slot calls other than lock/try_lock need the slot's lock, a bit
 *     spinlock in the slot (preemption off while held, like zram's
 *     ZRAM_LOCK).
 *   - Lock order: slot lock, then a dedup bucket lock (taken inside the
 *     dedup calls), then whatever zsmalloc takes. The equal callback and
 *     the free ops run under those locks: no sleeping, no slot lock.
 *
 * Handles are zsmalloc's (unsigned long, stored as u64). Errors are
 * negative errno values (MOS_E* of runtime.h).
 * Design: Documentation/dev/swap-core.rst.
 */
#ifndef MULTIOS_SWAP_H
#define MULTIOS_SWAP_H

#include <multios/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- pages ---- */

/*
 * A page is page_size bytes, chosen when a store is created: the shim
 * passes the kernel's PAGE_SIZE. The core supports 4, 16 and 64 KiB
 * (arm64's three granules; x86_64 and riscv64 have 4 KiB only); every
 * page_size below must be one of them, and the same for a store's slot
 * table, dedup index and page calls.
 */
#define MOS_SWAP_PAGE_SIZE_4K	4096u
#define MOS_SWAP_PAGE_SIZE_16K	16384u
#define MOS_SWAP_PAGE_SIZE_64K	65536u
#define MOS_SWAP_PAGE_SIZE_MAX	MOS_SWAP_PAGE_SIZE_64K

/* 0 if the core supports page_size; -MOS_EINVAL otherwise. */
int mos_swap_page_size_check(uint32_t page_size);

/*
 * True if the page is one 8-byte value repeated; *pattern gets it.
 * False (and a warning) for an unsupported page_size.
 */
bool mos_swap_page_same_filled(const void *page, uint32_t page_size, uint64_t *pattern);
/* Nothing written (and a warning) for an unsupported page_size. */
void mos_swap_page_fill(void *page, uint32_t page_size, uint64_t pattern);
/*
 * The page's hash under a 64-bit key: XXH3-64 of its page_size bytes
 * with the key as seed (XXH3_64bits_withSeed()); pages of different
 * sizes never share a hash by construction (the length is hashed too).
 * The dedup key and the page checksum. Give
 * each device its own secret key (get_random_u64() when it is sized) and
 * keep it for the device's life: a stored checksum is only valid under
 * the key it was made with. Not a MAC: modules/swap/core/page.h.
 */
uint64_t mos_swap_page_hash(const void *page, uint32_t page_size, uint64_t key);

/* ---- dedup index ---- */

struct mos_swap_dedup;
struct mos_swap_dedup_entry;

/*
 * Does object `handle` (`size` stored bytes) hold exactly the page being
 * written? The shim maps and, if needed, decompresses it, and compares
 * the whole page (page_size bytes). Called under a bucket lock: must not
 * sleep.
 */
typedef bool (*mos_swap_equal_fn)(void *ctx, uint64_t handle, uint32_t size);

struct mos_swap_dedup_stats {
	uint64_t entries;
	uint64_t dup_pages;
	uint64_t bytes_saved;
	uint64_t index_bytes;
	uint64_t refused;	/* inserts answered -MOS_ENOSPC */
};

/*
 * The bounds that keep every dedup call short whatever the hashes: at
 * most MOS_SWAP_DEDUP_MAX_COMPARES equal() calls per find_get or insert,
 * at most MOS_SWAP_DEDUP_MAX_CHAIN entries per bucket chain.
 */
#define MOS_SWAP_DEDUP_MAX_COMPARES	4u
#define MOS_SWAP_DEDUP_MAX_CHAIN	32u

/*
 * Process context, GFP_KERNEL; buckets sized for nr_pages pages of
 * page_size bytes. -MOS_EINVAL: no pages, or a page size the core does
 * not support.
 */
int mos_swap_dedup_create(uint64_t nr_pages, uint32_t page_size,
			  struct mos_swap_dedup **out);
/* Process context; every entry must have been released. */
void mos_swap_dedup_destroy(struct mos_swap_dedup *dedup);

/*
 * An entry proven equal, with a reference for the caller, or NULL. At
 * most MOS_SWAP_DEDUP_MAX_COMPARES equal() calls.
 */
struct mos_swap_dedup_entry *mos_swap_dedup_find_get(struct mos_swap_dedup *dedup,
						     uint64_t hash,
						     mos_swap_equal_fn equal,
						     void *ctx);
/*
 * The caller stored its page as `handle`. Returns 0: indexed as a new
 * entry (one reference); 1: an equal entry exists and was shared, free
 * your object. Negative: nothing changed, keep your object unshared
 * (mos_swap_slot_set_stored): -MOS_EINVAL if size is 0 or over the
 * index's page size, -MOS_ENOSPC if the chain is full or the
 * compares were spent on other pages of this hash (counted in refused),
 * -MOS_ENOMEM if MOS_GFP_ATOMIC failed. At most
 * MOS_SWAP_DEDUP_MAX_COMPARES equal() calls.
 */
int mos_swap_dedup_insert(struct mos_swap_dedup *dedup, uint64_t hash,
			  uint64_t handle, uint32_t size, mos_swap_equal_fn equal,
			  void *ctx, struct mos_swap_dedup_entry **entry);
uint64_t mos_swap_dedup_entry_handle(const struct mos_swap_dedup_entry *entry);
uint32_t mos_swap_dedup_entry_size(const struct mos_swap_dedup_entry *entry);
/*
 * Drops one reference; true if it was the last: the entry is gone, free
 * the object (read its handle before calling). O(1), no equal() calls.
 */
bool mos_swap_dedup_release(struct mos_swap_dedup *dedup,
			    struct mos_swap_dedup_entry *entry);
void mos_swap_dedup_get_stats(const struct mos_swap_dedup *dedup,
			      struct mos_swap_dedup_stats *stats);

/* ---- slot table ---- */

struct mos_swap_slots;

enum mos_swap_slot_state {
	MOS_SWAP_SLOT_EMPTY = 0,
	MOS_SWAP_SLOT_SAME_FILLED,
	MOS_SWAP_SLOT_STORED,
	MOS_SWAP_SLOT_DEDUPED,
	MOS_SWAP_SLOT_WRITTEN_BACK,
};

/* What a slot holds; which fields mean something depends on state. */
struct mos_swap_slot_info {
	uint32_t state;		/* enum mos_swap_slot_state */
	uint32_t size;		/* STORED, DEDUPED: stored bytes */
	uint64_t value;		/* pattern, handle (also of a DEDUPED entry), block */
	struct mos_swap_dedup_entry *entry;	/* DEDUPED */
	bool idle;
	bool accessed;
	bool writeback_pending;
	/*
	 * Advances with every change of the contents (set, free), not with
	 * idle/accessed/pending or a finished writeback. Equal generations
	 * read under the lock at two times: the same page in between.
	 */
	uint32_t generation;
};

/* How a freed slot gives memory back: zs_free(), the backing bitmap. */
struct mos_swap_free_ops {
	void (*free_object)(void *ctx, uint64_t handle);
	void (*free_block)(void *ctx, uint64_t block);
	void *ctx;
};

/* In pages of the table's page size, except stored_bytes. */
struct mos_swap_slot_stats {
	uint64_t same_pages;
	uint64_t stored_pages;
	uint64_t stored_bytes;
	uint64_t deduped_pages;
	uint64_t written_back_pages;
};

/*
 * Process context (disksize store), GFP_KERNEL: nr_pages slots of
 * page_size bytes. -MOS_EINVAL: no pages, or a page size the core does
 * not support.
 */
int mos_swap_slots_create(uint64_t nr_pages, uint32_t page_size,
			  struct mos_swap_slots **out);
/* Process context; free every slot first. */
void mos_swap_slots_destroy(struct mos_swap_slots *slots);
uint64_t mos_swap_slots_size(const struct mos_swap_slots *slots);
uint32_t mos_swap_slots_page_size(const struct mos_swap_slots *slots);

void mos_swap_slot_lock(struct mos_swap_slots *slots, uint64_t index);
bool mos_swap_slot_try_lock(struct mos_swap_slots *slots, uint64_t index);
void mos_swap_slot_unlock(struct mos_swap_slots *slots, uint64_t index);

/*
 * The calls below need the slot's lock. set_*: -MOS_EBUSY unless empty;
 * -MOS_EINVAL for a stored size (an entry's for set_deduped) of 0 or
 * over the table's page size, or a NULL entry. Nothing changed then:
 * the caller still owns what it meant to put in.
 */
void mos_swap_slot_get(const struct mos_swap_slots *slots, uint64_t index,
		       struct mos_swap_slot_info *info);
int mos_swap_slot_set_same_filled(struct mos_swap_slots *slots, uint64_t index,
				  uint64_t pattern);
int mos_swap_slot_set_stored(struct mos_swap_slots *slots, uint64_t index,
			     uint64_t handle, uint32_t size);
int mos_swap_slot_set_deduped(struct mos_swap_slots *slots, uint64_t index,
			      struct mos_swap_dedup_entry *entry);
int mos_swap_slot_set_written_back(struct mos_swap_slots *slots, uint64_t index,
				   uint64_t block);
/* Releases what the slot held (dedup may be NULL if dedup is off). */
void mos_swap_slot_free(struct mos_swap_slots *slots, uint64_t index,
			struct mos_swap_dedup *dedup,
			const struct mos_swap_free_ops *ops);
/*
 * Writeback of one slot, in three steps under the slot lock with the
 * lock dropped in between for the block write (process context):
 * start: the slot is Stored or Deduped (-MOS_EINVAL otherwise) and not
 * already pending (-MOS_EBUSY); it is marked pending, and the caller
 * keeps the slot's generation (mos_swap_slot_get) for finish. finish: if
 * still pending and of that generation (no free, overwrite or read since
 * start, whatever other writers did), releases the object
 * (a Deduped slot: its reference only, the object goes with the last
 * sharer) and makes the slot WRITTEN_BACK to `block`; -MOS_EAGAIN and
 * nothing changed otherwise. cancel: clears pending.
 */
int mos_swap_slot_start_writeback(struct mos_swap_slots *slots, uint64_t index);
int mos_swap_slot_finish_writeback(struct mos_swap_slots *slots, uint64_t index,
				   uint32_t generation, uint64_t block,
				   struct mos_swap_dedup *dedup,
				   const struct mos_swap_free_ops *ops);
void mos_swap_slot_cancel_writeback(struct mos_swap_slots *slots, uint64_t index);
void mos_swap_slot_mark_idle(struct mos_swap_slots *slots, uint64_t index);
void mos_swap_slot_mark_accessed(struct mos_swap_slots *slots, uint64_t index);

void mos_swap_slots_get_stats(const struct mos_swap_slots *slots,
			      struct mos_swap_slot_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_SWAP_H */
