// SPDX-License-Identifier: GPL-2.0-only
//
// The C ABI of include/multios/swap.h over the C++ core: casts and
// errno conversion only, no policy.

#include <multios/swap.h>

#include <mos/bug.h>

#include "dedup_index.h"
#include "page.h"
#include "slot_table.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using mos::Gfp;
using mos::swapdev::DedupEntry;
using mos::swapdev::DedupEqual;
using mos::swapdev::DedupIndex;
using mos::swapdev::PageSize;
using mos::swapdev::SlotFreeOps;
using mos::swapdev::SlotState;
using mos::swapdev::SlotTable;

static_assert(MOS_SWAP_PAGE_SIZE_4K == 1u << PageSize::min_shift &&
	      MOS_SWAP_PAGE_SIZE_MAX == PageSize::max_bytes);
static_assert(MOS_SWAP_DEDUP_MAX_COMPARES == DedupIndex::max_compares &&
	      MOS_SWAP_DEDUP_MAX_CHAIN == DedupIndex::max_chain);
static_assert(MOS_SWAP_SLOT_EMPTY == int(SlotState::Empty) &&
	      MOS_SWAP_SLOT_SAME_FILLED == int(SlotState::SameFilled) &&
	      MOS_SWAP_SLOT_STORED == int(SlotState::Stored) &&
	      MOS_SWAP_SLOT_DEDUPED == int(SlotState::Deduped) &&
	      MOS_SWAP_SLOT_WRITTEN_BACK == int(SlotState::WrittenBack));

namespace {

SlotTable *cast(mos_swap_slots *s)
{
	return reinterpret_cast<SlotTable *>(s);
}

const SlotTable *cast(const mos_swap_slots *s)
{
	return reinterpret_cast<const SlotTable *>(s);
}

DedupIndex *cast(mos_swap_dedup *d)
{
	return reinterpret_cast<DedupIndex *>(d);
}

const DedupIndex *cast(const mos_swap_dedup *d)
{
	return reinterpret_cast<const DedupIndex *>(d);
}

DedupEntry *cast(mos_swap_dedup_entry *e)
{
	return reinterpret_cast<DedupEntry *>(e);
}

const DedupEntry *cast(const mos_swap_dedup_entry *e)
{
	return reinterpret_cast<const DedupEntry *>(e);
}

mos_swap_dedup_entry *cast(DedupEntry *e)
{
	return reinterpret_cast<mos_swap_dedup_entry *>(e);
}

} // namespace

extern "C" {

/* ---- pages ---- */

int mos_swap_page_size_check(uint32_t page_size)
{
	return mos::to_errno(PageSize::from_bytes(page_size));
}

/*
 * The page calls run once per page on the I/O path, and the store made
 * sure of its page size at create: a bad one here is a shim bug. It is
 * still refused rather than read past the page.
 */
bool mos_swap_page_same_filled(const void *page, uint32_t page_size, uint64_t *pattern)
{
	auto ps = PageSize::from_bytes(page_size);
	if (MOS_WARN_ON(ps.is_error()))
		return false;
	return mos::swapdev::page_same_filled(page, ps.value(), pattern);
}

void mos_swap_page_fill(void *page, uint32_t page_size, uint64_t pattern)
{
	auto ps = PageSize::from_bytes(page_size);
	if (!MOS_WARN_ON(ps.is_error()))
		mos::swapdev::page_fill(page, ps.value(), pattern);
}

/* XXH3 takes any length: page_size bytes are hashed whatever they are. */
uint64_t mos_swap_page_hash(const void *page, uint32_t page_size, uint64_t key)
{
	return mos::swapdev::xxh3_64(page, page_size, key);
}

/* ---- dedup index ---- */

int mos_swap_dedup_create(uint64_t nr_pages, uint32_t page_size, mos_swap_dedup **out)
{
	auto ps = PageSize::from_bytes(page_size);
	if (ps.is_error())
		return ps.error();
	auto index = DedupIndex::create(nr_pages, ps.value(), Gfp::Kernel);
	if (index.is_error())
		return index.error();
	*out = reinterpret_cast<mos_swap_dedup *>(index.value().leak());
	return 0;
}

void mos_swap_dedup_destroy(mos_swap_dedup *dedup)
{
	mos::free_object(cast(dedup));
}

mos_swap_dedup_entry *mos_swap_dedup_find_get(mos_swap_dedup *dedup, uint64_t hash,
					      mos_swap_equal_fn equal, void *ctx)
{
	return cast(cast(dedup)->find_get(hash, DedupEqual{equal, ctx}));
}

int mos_swap_dedup_insert(mos_swap_dedup *dedup, uint64_t hash, uint64_t handle,
			  uint32_t size, mos_swap_equal_fn equal, void *ctx,
			  mos_swap_dedup_entry **entry)
{
	auto r = cast(dedup)->insert(hash, handle, size, DedupEqual{equal, ctx});
	if (r.is_error())
		return r.error();
	*entry = cast(r.value().entry);
	return r.value().shared ? 1 : 0;
}

uint64_t mos_swap_dedup_entry_handle(const mos_swap_dedup_entry *entry)
{
	return cast(entry)->handle;
}

uint32_t mos_swap_dedup_entry_size(const mos_swap_dedup_entry *entry)
{
	return cast(entry)->size;
}

bool mos_swap_dedup_release(mos_swap_dedup *dedup, mos_swap_dedup_entry *entry)
{
	return cast(dedup)->release(cast(entry));
}

void mos_swap_dedup_get_stats(const mos_swap_dedup *dedup, mos_swap_dedup_stats *stats)
{
	mos::swapdev::DedupStats s = cast(dedup)->stats();

	*stats = {s.entries, s.dup_pages, s.bytes_saved, s.index_bytes, s.refused};
}

/* ---- slot table ---- */

int mos_swap_slots_create(uint64_t nr_pages, uint32_t page_size, mos_swap_slots **out)
{
	auto ps = PageSize::from_bytes(page_size);
	if (ps.is_error())
		return ps.error();
	auto table = SlotTable::create(nr_pages, ps.value(), Gfp::Kernel);
	if (table.is_error())
		return table.error();
	*out = reinterpret_cast<mos_swap_slots *>(table.value().leak());
	return 0;
}

void mos_swap_slots_destroy(mos_swap_slots *slots)
{
	mos::free_object(cast(slots));
}

uint64_t mos_swap_slots_size(const mos_swap_slots *slots)
{
	return cast(slots)->size();
}

uint32_t mos_swap_slots_page_size(const mos_swap_slots *slots)
{
	return cast(slots)->page_size().bytes();
}

void mos_swap_slot_lock(mos_swap_slots *slots, uint64_t index)
{
	cast(slots)->lock(index);
}

bool mos_swap_slot_try_lock(mos_swap_slots *slots, uint64_t index)
{
	return cast(slots)->try_lock(index);
}

void mos_swap_slot_unlock(mos_swap_slots *slots, uint64_t index)
{
	cast(slots)->unlock(index);
}

void mos_swap_slot_get(const mos_swap_slots *slots, uint64_t index,
		       mos_swap_slot_info *info)
{
	const SlotTable *t = cast(slots);
	SlotState state = t->state(index);

	*info = {};
	info->state = uint32_t(state);
	info->idle = t->is_idle(index);
	info->accessed = t->is_accessed(index);
	info->writeback_pending = t->writeback_pending(index);
	info->generation = t->generation(index);
	switch (state) {
	case SlotState::Empty:
		break;
	case SlotState::SameFilled:
		info->value = t->fill_pattern(index);
		break;
	case SlotState::Stored:
		info->value = t->object_handle(index);
		info->size = t->object_size(index);
		break;
	case SlotState::Deduped:
		info->entry = cast(t->dedup_entry(index));
		info->value = t->dedup_entry(index)->handle;
		info->size = t->object_size(index);
		break;
	case SlotState::WrittenBack:
		info->value = t->backing_block(index);
		break;
	}
}

int mos_swap_slot_set_same_filled(mos_swap_slots *slots, uint64_t index, uint64_t pattern)
{
	return mos::to_errno(cast(slots)->set_same_filled(index, pattern));
}

int mos_swap_slot_set_stored(mos_swap_slots *slots, uint64_t index, uint64_t handle,
			     uint32_t size)
{
	return mos::to_errno(cast(slots)->set_stored(index, handle, size));
}

int mos_swap_slot_set_deduped(mos_swap_slots *slots, uint64_t index,
			      mos_swap_dedup_entry *entry)
{
	return mos::to_errno(cast(slots)->set_deduped(index, cast(entry)));
}

int mos_swap_slot_set_written_back(mos_swap_slots *slots, uint64_t index, uint64_t block)
{
	return mos::to_errno(cast(slots)->set_written_back(index, block));
}

void mos_swap_slot_free(mos_swap_slots *slots, uint64_t index, mos_swap_dedup *dedup,
			const mos_swap_free_ops *ops)
{
	cast(slots)->free_slot(index, cast(dedup),
			  SlotFreeOps{ops->free_object, ops->free_block, ops->ctx});
}

int mos_swap_slot_start_writeback(mos_swap_slots *slots, uint64_t index)
{
	return mos::to_errno(cast(slots)->start_writeback(index));
}

int mos_swap_slot_finish_writeback(mos_swap_slots *slots, uint64_t index,
				   uint32_t generation, uint64_t block,
				   mos_swap_dedup *dedup, const mos_swap_free_ops *ops)
{
	return mos::to_errno(cast(slots)->finish_writeback(
		index, generation, block, cast(dedup),
		SlotFreeOps{ops->free_object, ops->free_block, ops->ctx}));
}

void mos_swap_slot_cancel_writeback(mos_swap_slots *slots, uint64_t index)
{
	cast(slots)->cancel_writeback(index);
}

void mos_swap_slot_mark_idle(mos_swap_slots *slots, uint64_t index)
{
	cast(slots)->mark_idle(index);
}

void mos_swap_slot_mark_accessed(mos_swap_slots *slots, uint64_t index)
{
	cast(slots)->mark_accessed(index);
}

void mos_swap_slots_get_stats(const mos_swap_slots *slots, mos_swap_slot_stats *stats)
{
	mos::swapdev::SlotStats s = cast(slots)->stats();

	*stats = {s.same_pages, s.stored_pages, s.stored_bytes, s.deduped_pages,
		  s.written_back_pages};
}

} // extern "C"
