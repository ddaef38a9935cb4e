// SPDX-License-Identifier: GPL-2.0-only
//
// DedupIndex: sharing only after proven equality, hash collisions,
// reference counting, allocation failure, sizing and statistics, and
// the bounds that keep equal-hash and one-bucket floods cheap.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "mos_host.h"
#include "object_store.h"

#include "dedup_index.h"

using mos::Gfp;
using mos::swapdev::PageSize;
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
		index_ = DedupIndex::create(1024, PageSize::size_4k(), Gfp::Kernel).release_value();
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
	EXPECT_EQ(DedupIndex::create(0, PageSize::size_4k(), Gfp::Kernel).error(), -MOS_EINVAL);
	for (uint64_t pages : {1ull, 1000ull, 262144ull, 1ull << 22}) {
		auto index = DedupIndex::create(pages, PageSize::size_4k(), Gfp::Kernel).release_value();
		uint64_t n = index->bucket_count();
		EXPECT_EQ(n & (n - 1), 0u) << pages;
		EXPECT_GE(n, 64u);
		EXPECT_GE(n * 4, pages) << "chains would be long";
		EXPECT_LE(n, pages < 64 ? 64 : pages) << "index larger than needed";
		EXPECT_EQ(index->stats().index_bytes, n * 8);
	}
	EXPECT_EQ(mos_host_live_allocs(), live);
}

namespace {

/* Page i of a flood: all different (i in the first word). */
Page flood_page(uint32_t i)
{
	Page p = swap_test::page_of(7);
	std::memcpy(p.data(), &i, sizeof(i));
	return p;
}

} // namespace

/*
 * Hash flooding: 1,000 different pages with one hash value. The index
 * takes the hash from its caller, so the test passes one value where an
 * attacker would need pages that collide under the device's secret key.
 * Every insert and find_get calls equal() at most max_compares times,
 * the chain holds max_compares entries (at most one per compare), the
 * rest are refused with -MOS_ENOSPC and stored unshared, every page
 * still loads back, every release unlinks in O(1) and leaves a chain
 * check() accepts, and the statistics add up.
 * Fails without the bound: the old index compared every entry of the
 * one chain, so the n-th insert called equal() n-1 times.
 */
TEST_F(SwapDedup, EqualHashFloodComparesAtMostMaxCompares)
{
	constexpr uint32_t n = 1000;
	const uint64_t flood = 0x5eedf100dull;
	std::vector<Page> pages;
	std::vector<uint64_t> handles(n);
	std::vector<mos::swapdev::DedupEntry *> entries(n, nullptr);
	unsigned max_calls = 0;
	uint32_t indexed = 0, refused = 0;

	for (uint32_t i = 0; i < n; i++)
		pages.push_back(flood_page(i));
	for (uint32_t i = 0; i < n; i++) {
		Compare cmp{&store_, &pages[i]};
		uint32_t size;
		handles[i] = store_.store(pages[i], &size);
		auto r = index_->insert(flood, handles[i], size, DedupEqual{Compare::fn, &cmp});
		max_calls = std::max(max_calls, cmp.calls);
		if (r.is_error()) {
			EXPECT_EQ(r.error(), -MOS_ENOSPC) << "page " << i;
			refused++;	/* the caller keeps handles[i], unshared */
			continue;
		}
		ASSERT_FALSE(r.value().shared) << "different pages shared, page " << i;
		entries[i] = r.value().entry;
		indexed++;
	}
	EXPECT_LE(max_calls, DedupIndex::max_compares) << "an insert compared too many";
	EXPECT_EQ(indexed, DedupIndex::max_compares);
	EXPECT_LE(indexed, DedupIndex::max_chain);
	EXPECT_EQ(indexed + refused, n);
	auto s = index_->stats();
	EXPECT_EQ(s.entries, indexed);
	EXPECT_EQ(s.refused, refused);
	EXPECT_EQ(s.dup_pages, 0u);
	EXPECT_EQ(index_->check().release_value(), indexed);

	/* Lookups are bounded too, and find exactly the indexed pages. */
	max_calls = 0;
	for (uint32_t i = 0; i < n; i++) {
		Compare cmp{&store_, &pages[i]};
		auto *e = index_->find_get(flood, DedupEqual{Compare::fn, &cmp});
		max_calls = std::max(max_calls, cmp.calls);
		EXPECT_EQ(e, entries[i]) << "page " << i;
	}
	EXPECT_LE(max_calls, DedupIndex::max_compares) << "a find_get compared too many";
	EXPECT_EQ(index_->stats().dup_pages, indexed);

	/* Every page is stored: in the index or unshared. */
	for (uint32_t i = 0; i < n; i++)
		EXPECT_EQ(store_.load(handles[i]), pages[i]) << "page " << i;

	/* Releases from the middle, the tail and the head of the chain. */
	for (uint32_t i : {2u, 0u, 3u, 1u}) {
		EXPECT_FALSE(index_->release(entries[i]));
		EXPECT_TRUE(index_->release(entries[i]));
		EXPECT_TRUE(index_->check().is_ok());
	}
	for (uint32_t i = 0; i < n; i++)
		store_.free_object(handles[i]);
	s = index_->stats();
	EXPECT_EQ(s.entries, 0u);
	EXPECT_EQ(s.dup_pages, 0u);
	EXPECT_EQ(s.bytes_saved, 0u);
	EXPECT_EQ(index_->check().release_value(), 0u);
}

/*
 * The other flood: 1,000 pages with different hashes that all select
 * one bucket. No candidate has the caller's hash, so nothing is
 * compared, but the chain stops at max_chain entries: the rest are
 * refused, and a lookup walks at most max_chain entries.
 * Fails without the bound: the old chain took all 1,000.
 */
TEST_F(SwapDedup, OneBucketFloodStopsAtMaxChain)
{
	constexpr uint32_t n = 1000;
	std::vector<uint64_t> handles(n);
	std::vector<mos::swapdev::DedupEntry *> entries;
	uint32_t refused = 0;
	unsigned calls = 0;

	for (uint32_t i = 0; i < n; i++) {
		Page page = flood_page(i);
		Compare cmp{&store_, &page};
		uint32_t size;
		uint64_t hash = 3 + i * index_->bucket_count();
		handles[i] = store_.store(page, &size);
		auto r = index_->insert(hash, handles[i], size, DedupEqual{Compare::fn, &cmp});
		calls += cmp.calls;
		if (r.is_error()) {
			EXPECT_EQ(r.error(), -MOS_ENOSPC) << "page " << i;
			refused++;
		} else {
			entries.push_back(r.value().entry);
		}
	}
	EXPECT_EQ(calls, 0u) << "compared a page with a different hash";
	EXPECT_EQ(entries.size(), DedupIndex::max_chain);
	EXPECT_EQ(refused, n - DedupIndex::max_chain);
	EXPECT_EQ(index_->stats().entries, entries.size());
	EXPECT_EQ(index_->stats().refused, refused);
	EXPECT_EQ(index_->check().release_value(), entries.size());

	/* Unlinks in any order keep the chain consistent. */
	for (size_t k = 0; k < entries.size(); k += 2)
		EXPECT_TRUE(index_->release(entries[k]));
	EXPECT_EQ(index_->check().release_value(), entries.size() / 2);
	for (size_t k = 1; k < entries.size(); k += 2)
		EXPECT_TRUE(index_->release(entries[k]));
	EXPECT_EQ(index_->check().release_value(), 0u);
	for (uint64_t h : handles)
		store_.free_object(h);
}
