// SPDX-License-Identifier: GPL-2.0-only
//
// The per-page slot table: states, the per-slot lock bit, release.

#include "slot_table.h"

#include <mos/bug.h>

#include "bit_lock.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::swapdev {

namespace {

/*
 * A slot's flags word:
 *   bits  0..19  stored size (Stored, Deduped): up to a whole 64 KiB
 *                page, 65536, which needs 17 bits (16 were enough
 *                while pages were 4 KiB: 65536 would have read as 0)
 *   bits 20..23  SlotState
 *   bits 24..31  unused
 *   bit  32      lock
 *   bit  33      idle
 *   bit  34      accessed
 *   bit  35      writeback pending
 *   bits 36..63  generation: +1 whenever the contents change (set_*,
 *                free_slot), so a writer that let go of the lock can
 *                tell whether the page it copied is still the slot's
 */
constexpr uint64_t size_mask = 0xfffff;
constexpr int state_shift = 20;
constexpr uint64_t state_mask = 0xfull << state_shift;
constexpr uint64_t lock_bit = 1ull << 32;
constexpr uint64_t idle_bit = 1ull << 33;
constexpr uint64_t accessed_bit = 1ull << 34;
constexpr uint64_t pending_bit = 1ull << 35;
constexpr int gen_shift = 36;
constexpr uint64_t gen_mask = ~0ull << gen_shift;

/* The flags' generation field advanced by one (it wraps within its bits). */
constexpr uint64_t next_gen(uint64_t flags)
{
	return ((flags & gen_mask) + (1ull << gen_shift)) & gen_mask;
}

constexpr BitLock<uint64_t> slot_lock{lock_bit};

static_assert(PageSize::max_bytes <= size_mask && (state_mask & size_mask) == 0 &&
	      (state_mask >> state_shift) >= uint64_t(SlotState::WrittenBack) &&
	      state_mask < lock_bit);

} // namespace

Result<OwnedPtr<SlotTable>> SlotTable::create(uint64_t nr_pages, PageSize page_size,
					      Gfp gfp)
{
	if (nr_pages == 0)
		return Error(-MOS_EINVAL);
	Slot *slots = MOS_TRY(alloc_array<Slot>(gfp, nr_pages));
	SlotTable *table = alloc_object<SlotTable>(gfp, slots, nr_pages, page_size);
	if (!table) {
		free_array(slots, nr_pages);
		return Error(-MOS_ENOMEM);
	}
	return OwnedPtr<SlotTable>::adopt(table);
}

SlotTable::~SlotTable()
{
	free_array(slots_, nr_);
}

SlotTable::Slot &SlotTable::slot(uint64_t index) const
{
	MOS_BUG_ON(index >= nr_);
	return slots_[index];
}

uint64_t SlotTable::flags(uint64_t index) const
{
	const Slot &s = slot(index);
	MOS_WARN_ON(!slot_lock.is_locked(s.flags));
	return slot_lock.get_locked(s.flags);
}

void SlotTable::lock(uint64_t index)
{
	slot_lock.lock(slot(index).flags);
}

bool SlotTable::try_lock(uint64_t index)
{
	return slot_lock.try_lock(slot(index).flags);
}

void SlotTable::unlock(uint64_t index)
{
	slot_lock.unlock(slot(index).flags);
}

SlotState SlotTable::state(uint64_t index) const
{
	return SlotState((flags(index) & state_mask) >> state_shift);
}

uint64_t SlotTable::fill_pattern(uint64_t index) const
{
	MOS_WARN_ON(state(index) != SlotState::SameFilled);
	return slot(index).value;
}

uint64_t SlotTable::object_handle(uint64_t index) const
{
	MOS_WARN_ON(state(index) != SlotState::Stored);
	return slot(index).value;
}

uint32_t SlotTable::object_size(uint64_t index) const
{
	return uint32_t(flags(index) & size_mask);
}

DedupEntry *SlotTable::dedup_entry(uint64_t index) const
{
	MOS_WARN_ON(state(index) != SlotState::Deduped);
	return reinterpret_cast<DedupEntry *>(slot(index).value);
}

uint64_t SlotTable::backing_block(uint64_t index) const
{
	MOS_WARN_ON(state(index) != SlotState::WrittenBack);
	return slot(index).value;
}

/*
 * A new state replaces the old one and its size; idle/accessed stay,
 * pending goes, the generation advances.
 */
void SlotTable::set(uint64_t index, SlotState state, uint64_t value, uint32_t size)
{
	Slot &s = slot(index);
	uint64_t keep = (flags(index) & (idle_bit | accessed_bit)) | next_gen(flags(index));

	s.value = value;
	slot_lock.set_locked(s.flags, keep | (uint64_t(state) << state_shift) | size);
}

Result<void> SlotTable::check_empty(uint64_t index) const
{
	if (MOS_WARN_ON(state(index) != SlotState::Empty))
		return Error(-MOS_EBUSY);
	return {};
}

Result<void> SlotTable::set_same_filled(uint64_t index, uint64_t pattern)
{
	MOS_TRY(check_empty(index));
	set(index, SlotState::SameFilled, pattern, 0);
	same_pages_.inc();
	return {};
}

Result<void> SlotTable::set_stored(uint64_t index, uint64_t handle, uint32_t size)
{
	if (size == 0 || size > max_object_size())
		return Error(-MOS_EINVAL);
	MOS_TRY(check_empty(index));
	set(index, SlotState::Stored, handle, size);
	stored_pages_.inc();
	stored_bytes_.add(size);
	return {};
}

Result<void> SlotTable::set_deduped(uint64_t index, DedupEntry *entry)
{
	/* An entry of an index for larger pages is not one of ours. */
	if (!entry || entry->size == 0 || entry->size > max_object_size())
		return Error(-MOS_EINVAL);
	MOS_TRY(check_empty(index));
	set(index, SlotState::Deduped, reinterpret_cast<uint64_t>(entry), entry->size);
	deduped_pages_.inc();
	return {};
}

Result<void> SlotTable::set_written_back(uint64_t index, uint64_t block)
{
	MOS_TRY(check_empty(index));
	set(index, SlotState::WrittenBack, block, 0);
	written_back_pages_.inc();
	return {};
}

/* Gives back what the slot holds; the caller sets its new state. */
void SlotTable::release(uint64_t index, DedupIndex *dedup, const SlotFreeOps &ops)
{
	Slot &s = slot(index);

	switch (state(index)) {
	case SlotState::Empty:
		break;
	case SlotState::SameFilled:
		same_pages_.dec();
		break;
	case SlotState::Stored:
		stored_pages_.dec();
		stored_bytes_.sub(object_size(index));
		ops.free_object(ops.ctx, s.value);
		break;
	case SlotState::Deduped: {
		DedupEntry *entry = dedup_entry(index);
		uint64_t handle = entry->handle; /* before release() may free it */

		deduped_pages_.dec();
		if (!MOS_WARN_ON(!dedup) && dedup->release(entry))
			ops.free_object(ops.ctx, handle);
		break;
	}
	case SlotState::WrittenBack:
		written_back_pages_.dec();
		ops.free_block(ops.ctx, s.value);
		break;
	}
}

void SlotTable::free_slot(uint64_t index, DedupIndex *dedup, const SlotFreeOps &ops)
{
	release(index, dedup, ops);
	slot(index).value = 0;
	slot_lock.set_locked(slot(index).flags, next_gen(flags(index)));
}

uint32_t SlotTable::generation(uint64_t index) const
{
	return uint32_t(flags(index) >> gen_shift);
}

Result<void> SlotTable::start_writeback(uint64_t index)
{
	uint64_t f = flags(index);
	SlotState st = state(index);

	if (st != SlotState::Stored && st != SlotState::Deduped)
		return Error(-MOS_EINVAL);
	if (f & pending_bit)
		return Error(-MOS_EBUSY);
	slot_lock.set_locked(slot(index).flags, f | pending_bit);
	return {};
}

/*
 * A Deduped slot drops only its own reference: the object stays for the
 * other sharers and is freed with the last one, written back or not.
 * Pending alone does not say the page is the one this writer copied: a
 * free and a rewrite clear it, and a second writer's start sets it again
 * for the new page. The generation does: the contents are unchanged
 * since start_writeback() only if it is still the one read then. The
 * contents do not change here, so neither does the generation.
 */
Result<void> SlotTable::finish_writeback(uint64_t index, uint32_t generation,
					 uint64_t block, DedupIndex *dedup,
					 const SlotFreeOps &ops)
{
	uint64_t keep = flags(index) & (idle_bit | gen_mask);

	if (!(flags(index) & pending_bit) || this->generation(index) != generation)
		return Error(-MOS_EAGAIN);
	release(index, dedup, ops);
	slot(index).value = block;
	slot_lock.set_locked(slot(index).flags,
			     keep | (uint64_t(SlotState::WrittenBack) << state_shift));
	written_back_pages_.inc();
	return {};
}

void SlotTable::cancel_writeback(uint64_t index)
{
	slot_lock.set_locked(slot(index).flags, flags(index) & ~pending_bit);
}

bool SlotTable::writeback_pending(uint64_t index) const
{
	return flags(index) & pending_bit;
}

void SlotTable::mark_idle(uint64_t index)
{
	uint64_t f = flags(index);

	if (state(index) != SlotState::Empty)
		slot_lock.set_locked(slot(index).flags, (f | idle_bit) & ~accessed_bit);
}

void SlotTable::mark_accessed(uint64_t index)
{
	uint64_t f = flags(index);

	slot_lock.set_locked(slot(index).flags, (f | accessed_bit) & ~(idle_bit | pending_bit));
}

bool SlotTable::is_idle(uint64_t index) const
{
	return flags(index) & idle_bit;
}

bool SlotTable::is_accessed(uint64_t index) const
{
	return flags(index) & accessed_bit;
}

SlotStats SlotTable::stats() const
{
	return SlotStats{
		.same_pages = same_pages_.load_relaxed(),
		.stored_pages = stored_pages_.load_relaxed(),
		.stored_bytes = stored_bytes_.load_relaxed(),
		.deduped_pages = deduped_pages_.load_relaxed(),
		.written_back_pages = written_back_pages_.load_relaxed(),
	};
}

} // namespace mos::swapdev
