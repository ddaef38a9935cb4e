// SPDX-License-Identifier: GPL-2.0-only
//
// DedupIndex: sharing only after proven equality, hash collisions,
// reference counting, allocation failure, sizing and statistics.
#include <gtest/gtest.h>

#include "mos_host.h"
#include "object_store.h"

#include "dedup_index.h"

using mos::Gfp;
using mos::swapdev::DedupEqual;
using mos::swapdev::DedupIndex;
using swap_test::Compare;
using swap_test::ObjectStore;
using swap_test::Page;

namespace {

class SwapDedup : public testing::Test {
protected:
	void SetUp() override
	{
		live_ = mos_host_live_allocs();
		index_ = DedupIndex::create(1024, Gfp::Kernel).release_value();
	}

	void TearDown() override
	{
		index_.reset();
		EXPECT_EQ(mos_host_live_allocs(), live_);
	}

	/* Stores page and indexes it; the entry and whether it was shared. */
	DedupIndex::Insert add(const Page &page, uint64_t hash, Compare *cmp)
	{
		uint32_t size;
		uint64_t handle = store_.store(page, &size);
		auto ins = index_->insert(hash, handle, size, DedupEqual{Compare::fn, cmp})
				   .release_value();
		if (ins.shared)
			store_.free_object(handle);
		return ins;
	}

	void release(mos::swapdev::DedupEntry *entry)
	{
		uint64_t handle = entry->handle;
		if (index_->release(entry))
			store_.free_object(handle);
	}

	long live_ = 0;
	ObjectStore store_;
	mos::OwnedPtr<DedupIndex> index_;
};

} // namespace

TEST_F(SwapDedup, EqualPagesAreSharedAfterAFullCompare)
{
	Page page = swap_test::page_of(1);
	Compare cmp{&store_, &page};
	auto first = add(page, 77, &cmp);
	EXPECT_FALSE(first.shared);
	EXPECT_EQ(cmp.calls, 0u) << "nothing to compare against yet";

	auto second = add(page, 77, &cmp);
	EXPECT_TRUE(second.shared);
	EXPECT_EQ(second.entry, first.entry);
	EXPECT_EQ(cmp.calls, 1u) << "shared without a full compare";
	EXPECT_EQ(index_->refs(first.entry), 2u);
	EXPECT_EQ(store_.live_objects(), 1u);

	auto s = index_->stats();
	EXPECT_EQ(s.entries, 1u);
	EXPECT_EQ(s.dup_pages, 1u);
	EXPECT_EQ(s.bytes_saved, first.entry->size);

	release(first.entry);
	release(second.entry);
	EXPECT_EQ(store_.live_objects(), 0u);
}

TEST_F(SwapDedup, HashCollisionWithDifferentContentsIsNotShared)
{
	Page a = swap_test::page_of(1), b = swap_test::page_of(2);
	ASSERT_NE(a, b);
	Compare ca{&store_, &a}, cb{&store_, &b};
	const uint64_t forced = 0xdeadbeef; /* the same hash for both */

	auto ea = add(a, forced, &ca);
	auto eb = add(b, forced, &cb);
	EXPECT_FALSE(eb.shared) << "different pages shared on a hash match";
	EXPECT_NE(ea.entry, eb.entry);
	EXPECT_EQ(cb.calls, 1u);
	EXPECT_EQ(store_.live_objects(), 2u);
	EXPECT_EQ(store_.load(eb.entry->handle), b);

	/* Both stay findable by content in the one chain. */
	EXPECT_EQ(index_->find_get(forced, DedupEqual{Compare::fn, &ca}), ea.entry);
	EXPECT_EQ(index_->find_get(forced, DedupEqual{Compare::fn, &cb}), eb.entry);
	Page c = swap_test::page_of(3);
	Compare cc{&store_, &c};
	EXPECT_EQ(index_->find_get(forced, DedupEqual{Compare::fn, &cc}), nullptr);
	EXPECT_EQ(index_->stats().dup_pages, 2u);
	EXPECT_EQ(index_->check().release_value(), 2u);

	for (auto *e : {ea.entry, ea.entry, eb.entry, eb.entry})
		release(e);
	EXPECT_EQ(store_.live_objects(), 0u);
}

TEST_F(SwapDedup, SameContentsUnderDifferentHashesAreNotCompared)
{
	Page a = swap_test::page_of(1);
	Compare ca{&store_, &a};
	auto e1 = add(a, 1, &ca);
	auto e2 = add(a, 1 + index_->bucket_count(), &ca); /* same bucket */
	EXPECT_FALSE(e2.shared);
	EXPECT_EQ(ca.calls, 0u);
	release(e1.entry);
	release(e2.entry);
}

TEST_F(SwapDedup, OnlyTheLastReleaseFreesTheObject)
{
	Page page = swap_test::page_of(9);
	Compare cmp{&store_, &page};
	auto e = add(page, 5, &cmp).entry;
	for (int i = 0; i < 4; i++)
		ASSERT_TRUE(add(page, 5, &cmp).shared);
	EXPECT_EQ(index_->refs(e), 5u);
	uint64_t handle = e->handle;
	for (int i = 0; i < 4; i++) {
		EXPECT_FALSE(index_->release(e));
		EXPECT_EQ(store_.load(handle), page) << "a sharer's data went away";
	}
	EXPECT_TRUE(index_->release(e));
	store_.free_object(handle);
	EXPECT_EQ(index_->stats().entries, 0u);
	EXPECT_EQ(index_->stats().dup_pages, 0u);
	EXPECT_EQ(index_->stats().bytes_saved, 0u);
}

TEST_F(SwapDedup, AllocationFailureChangesNothing)
{
	Page page = swap_test::page_of(4);
	Compare cmp{&store_, &page};
	uint32_t size;
	uint64_t handle = store_.store(page, &size);
	mos_alloc_fail_after(0);
	auto r = index_->insert(11, handle, size, DedupEqual{Compare::fn, &cmp});
	mos_alloc_fail_after(-1);
	EXPECT_EQ(r.error(), -MOS_ENOMEM);
	EXPECT_EQ(index_->stats().entries, 0u);
	EXPECT_EQ(index_->find_get(11, DedupEqual{Compare::fn, &cmp}), nullptr);
	store_.free_object(handle);
}

TEST(SwapDedupCreate, BucketsArePowersOfTwoSizedFromTheDevice)
{
	long live = mos_host_live_allocs();
	EXPECT_EQ(DedupIndex::create(0, Gfp::Kernel).error(), -MOS_EINVAL);
	for (uint64_t pages : {1ull, 1000ull, 262144ull, 1ull << 22}) {
		auto index = DedupIndex::create(pages, Gfp::Kernel).release_value();
		uint64_t n = index->bucket_count();
		EXPECT_EQ(n & (n - 1), 0u) << pages;
		EXPECT_GE(n, 64u);
		EXPECT_GE(n * 4, pages) << "chains would be long";
		EXPECT_LE(n, pages < 64 ? 64 : pages) << "index larger than needed";
		EXPECT_EQ(index->stats().index_bytes, n * 8);
	}
	EXPECT_EQ(mos_host_live_allocs(), live);
}
