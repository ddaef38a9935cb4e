// SPDX-License-Identifier: GPL-2.0-only
//
// SlotTable: state transitions, free_slot() releasing exactly what the
// slot held, the lock bit, idle/accessed flags and statistics.
#include <gtest/gtest.h>

#include "mos_host.h"
#include "object_store.h"
#include "test_support.h"

#include "dedup_index.h"
#include "slot_table.h"

using mos::Gfp;
using mos::swapdev::PageSize;
using mos::swapdev::DedupEqual;
using mos::swapdev::DedupIndex;
using mos::swapdev::SlotFreeOps;
using mos::swapdev::SlotGuard;
using mos::swapdev::SlotState;
using mos::swapdev::SlotTable;
using swap_test::ObjectStore;

namespace {

class SwapSlotTable : public testing::Test {
protected:
	void SetUp() override
	{
		live_ = mos_host_live_allocs();
		table_ = SlotTable::create(8, PageSize::size_4k(), Gfp::Kernel).release_value();
		dedup_ = DedupIndex::create(8, PageSize::size_4k(), Gfp::Kernel).release_value();
		mos_swap_free_ops o = store_.ops();
		ops_ = SlotFreeOps{o.free_object, o.free_block, o.ctx};
	}

	void TearDown() override
	{
		for (uint64_t i = 0; i < table_->size(); i++) {
			SlotGuard guard(*table_, i);
			table_->free_slot(i, dedup_.get(), ops_);
		}
		EXPECT_EQ(store_.live_objects(), 0u);
		EXPECT_EQ(store_.live_blocks(), 0u);
		table_.reset();
		dedup_.reset();
		EXPECT_EQ(mos_host_live_allocs(), live_);
	}

	long live_ = 0;
	ObjectStore store_;
	mos::OwnedPtr<SlotTable> table_;
	mos::OwnedPtr<DedupIndex> dedup_;
	SlotFreeOps ops_{};
};

} // namespace

TEST(SwapSlotTableCreate, RejectsZeroAndReportsNoMemory)
{
	long live = mos_host_live_allocs();
	EXPECT_EQ(SlotTable::create(0, PageSize::size_4k(), Gfp::Kernel).error(), -MOS_EINVAL);
	for (long n = 0; n < 2; n++) {
		mos_alloc_fail_after(n);
		EXPECT_EQ(SlotTable::create(16, PageSize::size_4k(), Gfp::Kernel).error(), -MOS_ENOMEM);
		mos_alloc_fail_after(-1);
	}
	EXPECT_EQ(mos_host_live_allocs(), live);
}

TEST_F(SwapSlotTable, NewSlotsAreEmptyAndFreeOfEmptyIsANoOp)
{
	SlotGuard guard(*table_, 3);
	EXPECT_EQ(table_->state(3), SlotState::Empty);
	table_->free_slot(3, dedup_.get(), ops_);
	EXPECT_EQ(table_->state(3), SlotState::Empty);
}

TEST_F(SwapSlotTable, EveryStateRoundTripsAndFreesWhatItHeld)
{
	uint32_t size;
	uint64_t handle = store_.store(swap_test::page_of(1), &size);
	uint64_t block = store_.alloc_block();
	{
		SlotGuard g0(*table_, 0);
		ASSERT_TRUE(table_->set_same_filled(0, 0xabcdull).is_ok());
		EXPECT_EQ(table_->state(0), SlotState::SameFilled);
		EXPECT_EQ(table_->fill_pattern(0), 0xabcdull);
	}
	{
		SlotGuard g1(*table_, 1);
		ASSERT_TRUE(table_->set_stored(1, handle, size).is_ok());
		EXPECT_EQ(table_->state(1), SlotState::Stored);
		EXPECT_EQ(table_->object_handle(1), handle);
		EXPECT_EQ(table_->object_size(1), size);
	}
	{
		SlotGuard g2(*table_, 2);
		ASSERT_TRUE(table_->set_written_back(2, block).is_ok());
		EXPECT_EQ(table_->backing_block(2), block);
	}
	auto s = table_->stats();
	EXPECT_EQ(s.same_pages, 1u);
	EXPECT_EQ(s.stored_pages, 1u);
	EXPECT_EQ(s.stored_bytes, size);
	EXPECT_EQ(s.written_back_pages, 1u);

	{
		SlotGuard g1(*table_, 1);
		table_->free_slot(1, dedup_.get(), ops_);
		EXPECT_EQ(table_->state(1), SlotState::Empty);
	}
	EXPECT_EQ(store_.live_objects(), 0u);
	EXPECT_EQ(store_.live_blocks(), 1u);
	{
		SlotGuard g2(*table_, 2);
		table_->free_slot(2, dedup_.get(), ops_);
	}
	EXPECT_EQ(store_.live_blocks(), 0u);
	s = table_->stats();
	EXPECT_EQ(s.stored_pages, 0u);
	EXPECT_EQ(s.stored_bytes, 0u);
	EXPECT_EQ(s.written_back_pages, 0u);
	EXPECT_EQ(s.same_pages, 1u);
}

TEST_F(SwapSlotTable, DedupedSlotsFreeTheObjectOnlyWithTheLastSharer)
{
	swap_test::Page page = swap_test::page_of(7);
	uint32_t size;
	uint64_t handle = store_.store(page, &size);
	swap_test::Compare cmp{&store_, &page};
	DedupEqual eq{swap_test::Compare::fn, &cmp};
	auto ins = dedup_->insert(1234, handle, size, eq).release_value();
	ASSERT_FALSE(ins.shared);
	auto *again = dedup_->find_get(1234, eq);
	ASSERT_EQ(again, ins.entry);
	for (uint64_t i : {4, 5}) {
		SlotGuard g(*table_, i);
		ASSERT_TRUE(table_->set_deduped(i, ins.entry).is_ok());
		EXPECT_EQ(table_->object_size(i), size);
	}
	EXPECT_EQ(table_->stats().deduped_pages, 2u);
	{
		SlotGuard g(*table_, 4);
		table_->free_slot(4, dedup_.get(), ops_);
	}
	EXPECT_EQ(store_.live_objects(), 1u) << "freed data another slot uses";
	EXPECT_EQ(store_.load(handle), page);
	{
		SlotGuard g(*table_, 5);
		table_->free_slot(5, dedup_.get(), ops_);
	}
	EXPECT_EQ(store_.live_objects(), 0u);
	EXPECT_EQ(dedup_->stats().entries, 0u);
}

TEST_F(SwapSlotTable, SettingAnOccupiedSlotIsRefused)
{
	SlotGuard g(*table_, 6);
	ASSERT_TRUE(table_->set_same_filled(6, 1).is_ok());
	mos_host_test::ExpectWarnings warnings;
	EXPECT_EQ(table_->set_same_filled(6, 2).error(), -MOS_EBUSY);
	EXPECT_EQ(table_->set_written_back(6, 9).error(), -MOS_EBUSY);
	EXPECT_EQ(warnings.count(), 2u);
	EXPECT_EQ(table_->fill_pattern(6), 1u);
}

TEST_F(SwapSlotTable, StoredSizeMustBeAPageOrLess)
{
	SlotGuard g(*table_, 0);
	EXPECT_EQ(table_->set_stored(0, 1, 0).error(), -MOS_EINVAL);
	EXPECT_EQ(table_->set_stored(0, 1, 4097).error(), -MOS_EINVAL);
	EXPECT_EQ(table_->state(0), SlotState::Empty);
}

TEST_F(SwapSlotTable, LockBitExcludesAndDisablesPreemption)
{
	int depth = mos_host_preempt_depth();
	ASSERT_TRUE(table_->try_lock(2));
	EXPECT_EQ(mos_host_preempt_depth(), depth + 1);
	EXPECT_FALSE(table_->try_lock(2));
	EXPECT_TRUE(table_->try_lock(3)) << "slots lock independently";
	table_->unlock(3);
	table_->unlock(2);
	EXPECT_EQ(mos_host_preempt_depth(), depth);
	EXPECT_TRUE(table_->try_lock(2));
	table_->unlock(2);
}

TEST_F(SwapSlotTable, AccessWithoutTheLockWarns)
{
	mos_host_test::ExpectWarnings warnings;
	(void)table_->state(1);
	EXPECT_EQ(warnings.count(), 1u);
}

TEST_F(SwapSlotTable, IdleAndAccessedFlags)
{
	SlotGuard g(*table_, 1);
	table_->mark_idle(1);
	EXPECT_FALSE(table_->is_idle(1)) << "empty slots are never idle";
	ASSERT_TRUE(table_->set_same_filled(1, 5).is_ok());
	table_->mark_idle(1);
	EXPECT_TRUE(table_->is_idle(1));
	table_->mark_accessed(1);
	EXPECT_FALSE(table_->is_idle(1));
	EXPECT_TRUE(table_->is_accessed(1));
	EXPECT_EQ(table_->fill_pattern(1), 5u) << "flags leave the state alone";
	table_->free_slot(1, dedup_.get(), ops_);
	EXPECT_FALSE(table_->is_accessed(1));
}

TEST_F(SwapSlotTable, WritebackMovesAStoredPageToItsBlock)
{
	uint32_t size;
	uint64_t handle = store_.store(swap_test::page_of(3), &size);
	uint64_t block = store_.alloc_block();
	SlotGuard g(*table_, 0);
	ASSERT_TRUE(table_->set_stored(0, handle, size).is_ok());
	table_->mark_idle(0);
	ASSERT_TRUE(table_->start_writeback(0).is_ok());
	EXPECT_TRUE(table_->writeback_pending(0));
	EXPECT_EQ(table_->start_writeback(0).error(), -MOS_EBUSY) << "one writer at a time";
	EXPECT_EQ(table_->object_handle(0), handle) << "still readable while pending";
	ASSERT_TRUE(table_->finish_writeback(0, table_->generation(0), block, dedup_.get(), ops_).is_ok());
	EXPECT_EQ(table_->state(0), SlotState::WrittenBack);
	EXPECT_EQ(table_->backing_block(0), block);
	EXPECT_FALSE(table_->writeback_pending(0));
	EXPECT_TRUE(table_->is_idle(0));
	EXPECT_EQ(store_.live_objects(), 0u) << "the object is freed";
	auto s = table_->stats();
	EXPECT_EQ(s.stored_pages, 0u);
	EXPECT_EQ(s.stored_bytes, 0u);
	EXPECT_EQ(s.written_back_pages, 1u);
	EXPECT_EQ(table_->start_writeback(0).error(), -MOS_EINVAL) << "already written back";
	table_->free_slot(0, dedup_.get(), ops_);
	EXPECT_EQ(store_.live_blocks(), 0u) << "freeing the slot frees its block";
	EXPECT_EQ(table_->stats().written_back_pages, 0u);
}

TEST_F(SwapSlotTable, WritebackNeedsAnObject)
{
	SlotGuard g(*table_, 1);
	EXPECT_EQ(table_->start_writeback(1).error(), -MOS_EINVAL) << "empty";
	ASSERT_TRUE(table_->set_same_filled(1, 7).is_ok());
	EXPECT_EQ(table_->start_writeback(1).error(), -MOS_EINVAL) << "same-filled";
	EXPECT_FALSE(table_->writeback_pending(1));
}

TEST_F(SwapSlotTable, ReadFreeOrOverwriteDuringWritebackAbortsIt)
{
	uint32_t size;
	uint64_t block = store_.alloc_block();
	uint64_t handle = store_.store(swap_test::page_of(4), &size);
	SlotGuard g(*table_, 2);

	ASSERT_TRUE(table_->set_stored(2, handle, size).is_ok());
	ASSERT_TRUE(table_->start_writeback(2).is_ok());
	table_->mark_accessed(2);
	EXPECT_EQ(table_->finish_writeback(2, table_->generation(2), block, dedup_.get(), ops_).error(), -MOS_EAGAIN);
	EXPECT_EQ(table_->state(2), SlotState::Stored) << "a read page stays in memory";
	EXPECT_EQ(store_.live_objects(), 1u);

	ASSERT_TRUE(table_->start_writeback(2).is_ok());
	uint32_t gen = table_->generation(2);
	table_->free_slot(2, dedup_.get(), ops_);
	handle = store_.store(swap_test::page_of(5), &size);
	ASSERT_TRUE(table_->set_stored(2, handle, size).is_ok());
	EXPECT_NE(table_->generation(2), gen);
	ASSERT_TRUE(table_->start_writeback(2).is_ok()) << "a second writer, on the new page";
	EXPECT_EQ(table_->finish_writeback(2, gen, block, dedup_.get(), ops_).error(), -MOS_EAGAIN)
		<< "the block holds the old page";
	table_->cancel_writeback(2);
	EXPECT_EQ(table_->object_handle(2), handle);

	ASSERT_TRUE(table_->start_writeback(2).is_ok());
	table_->cancel_writeback(2);
	EXPECT_FALSE(table_->writeback_pending(2));
	EXPECT_EQ(table_->finish_writeback(2, table_->generation(2), block, dedup_.get(), ops_).error(), -MOS_EAGAIN);
	EXPECT_EQ(store_.live_blocks(), 1u) << "a failed finish leaves the block to the caller";
	store_.free_block(block);
}

TEST_F(SwapSlotTable, WritebackOfASharedPageKeepsTheObjectForTheOthers)
{
	swap_test::Page page = swap_test::page_of(8);
	uint32_t size;
	uint64_t handle = store_.store(page, &size);
	swap_test::Compare cmp{&store_, &page};
	DedupEqual eq{swap_test::Compare::fn, &cmp};
	auto ins = dedup_->insert(99, handle, size, eq).release_value();
	ASSERT_EQ(dedup_->find_get(99, eq), ins.entry);
	for (uint64_t i : {3, 4}) {
		SlotGuard g(*table_, i);
		ASSERT_TRUE(table_->set_deduped(i, ins.entry).is_ok());
	}
	uint64_t b3 = store_.write_block(page), b4 = store_.write_block(page);
	{
		SlotGuard g(*table_, 3);
		ASSERT_TRUE(table_->start_writeback(3).is_ok());
		ASSERT_TRUE(table_->finish_writeback(3, table_->generation(3), b3, dedup_.get(), ops_).is_ok());
	}
	EXPECT_EQ(store_.live_objects(), 1u) << "freed data slot 4 still uses";
	EXPECT_EQ(dedup_->refs(ins.entry), 1u);
	EXPECT_EQ(store_.load(handle), page);
	{
		SlotGuard g(*table_, 4);
		ASSERT_TRUE(table_->start_writeback(4).is_ok());
		ASSERT_TRUE(table_->finish_writeback(4, table_->generation(4), b4, dedup_.get(), ops_).is_ok());
	}
	EXPECT_EQ(store_.live_objects(), 0u) << "the last sharer frees the object";
	EXPECT_EQ(dedup_->stats().entries, 0u);
	auto s = table_->stats();
	EXPECT_EQ(s.deduped_pages, 0u);
	EXPECT_EQ(s.written_back_pages, 2u);
}
