// SPDX-License-Identifier: GPL-2.0-only
//
// Races, run under ASan and again under TSan: several threads inserting,
// finding and releasing dedup entries over a small pool of contents whose
// hashes collide on purpose, then a consistency check (each entry's
// count equals the references the threads hold, nothing leaked); and
// several threads writing, reading and discarding the same few slots.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "device.h"
#include "mos_host.h"

#include "dedup_index.h"

using mos::Gfp;
using mos::swapdev::PageSize;
using mos::swapdev::DedupEntry;
using mos::swapdev::DedupEqual;
using mos::swapdev::DedupIndex;
using swap_test::Compare;
using swap_test::ObjectStore;
using swap_test::Page;

namespace {

#ifdef MOS_TSAN
constexpr int kIterations = 1500;
#else
constexpr int kIterations = 5000;
#endif
constexpr int kThreads = 4;
constexpr int kContents = 10;

struct Held {
	DedupEntry *entry;
	int content;
};

void dedup_worker(DedupIndex &index, ObjectStore &store, const std::vector<Page> &pool,
		  unsigned seed, std::vector<Held> &held)
{
	std::mt19937 rng(seed);
	for (int i = 0; i < kIterations; i++) {
		int k = int(rng() % kContents);
		uint64_t hash = uint64_t(k % 3); /* three chains, colliding contents */
		Compare cmp{&store, &pool[k]};
		DedupEqual eq{Compare::fn, &cmp};
		switch (rng() % 3) {
		case 0: {
			uint32_t size;
			uint64_t handle = store.store(pool[k], &size);
			auto r = index.insert(hash, handle, size, eq);
			ASSERT_TRUE(r.is_ok());
			if (r.value().shared)
				store.free_object(handle);
			held.push_back({r.value().entry, k});
			break;
		}
		case 1:
			if (DedupEntry *e = index.find_get(hash, eq))
				held.push_back({e, k});
			break;
		default:
			if (!held.empty()) {
				size_t j = rng() % held.size();
				DedupEntry *e = held[j].entry;
				/* Still ours: its object must hold our content. */
				ASSERT_EQ(store.load(e->handle), pool[held[j].content]);
				uint64_t handle = e->handle;
				if (index.release(e))
					store.free_object(handle);
				held[j] = held.back();
				held.pop_back();
			}
		}
	}
}

} // namespace

TEST(SwapConcurrency, DedupInsertFindReleaseRaces)
{
	long live = mos_host_live_allocs();
	ObjectStore store;
	std::vector<Page> pool;
	for (int k = 0; k < kContents; k++)
		pool.push_back(swap_test::page_of(100 + k));
	auto index = DedupIndex::create(64, PageSize::size_4k(), Gfp::Kernel).release_value();

	std::vector<std::vector<Held>> held(kThreads);
	std::vector<std::thread> threads;
	for (int t = 0; t < kThreads; t++)
		threads.emplace_back(dedup_worker, std::ref(*index), std::ref(store),
				     std::cref(pool), unsigned(t + 1), std::ref(held[t]));
	for (auto &t : threads)
		t.join();

	/* Counts equal live sharers; one entry per distinct content. */
	std::map<DedupEntry *, unsigned> sharers;
	std::map<int, DedupEntry *> by_content;
	for (auto &h : held)
		for (auto &x : h) {
			sharers[x.entry]++;
			auto [it, added] = by_content.emplace(x.content, x.entry);
			EXPECT_EQ(it->second, x.entry) << "one content, two entries";
		}
	for (auto &[entry, n] : sharers)
		EXPECT_EQ(index->refs(entry), n);
	EXPECT_EQ(index->check().release_value(), sharers.size());
	EXPECT_EQ(store.live_objects(), sharers.size());

	for (auto &h : held)
		for (auto &x : h) {
			uint64_t handle = x.entry->handle;
			if (index->release(x.entry))
				store.free_object(handle);
		}
	EXPECT_EQ(store.live_objects(), 0u);
	EXPECT_EQ(index->stats().entries, 0u);
	index.reset();
	EXPECT_EQ(mos_host_live_allocs(), live);
}

TEST(SwapConcurrency, SlotWritesReadsAndDiscardsRace)
{
	long live = mos_host_live_allocs();
	{
		swap_test::Device dev(4, true);
		std::vector<Page> pool;
		for (int k = 0; k < 4; k++)
			pool.push_back(swap_test::page_of(200 + k));
		pool.push_back(Page{});
		std::vector<std::thread> threads;
		for (int t = 0; t < kThreads; t++)
			threads.emplace_back([&, t] {
				std::mt19937 rng(t + 7);
				for (int i = 0; i < kIterations / 2; i++) {
					uint64_t slot = rng() % 4;
					switch (rng() % 4) {
					case 0:
					case 1:
						ASSERT_EQ(dev.write(slot, pool[rng() % pool.size()]), 0);
						break;
					case 2: {
						/* Whatever it reads is one of the pages written. */
						Page p = dev.read(slot);
						ASSERT_TRUE(std::find(pool.begin(), pool.end(), p) != pool.end());
						break;
					}
					default:
						dev.discard(slot);
					}
				}
			});
		for (auto &t : threads)
			t.join();
	}
	EXPECT_EQ(mos_host_live_allocs(), live);
}

TEST(SwapConcurrency, WritebackRacesWritesReadsAndDiscards)
{
	long live = mos_host_live_allocs();
	std::atomic<int> written_back{0};
	{
		swap_test::Device dev(4, true);
		std::vector<Page> pool;
		for (int k = 0; k < 4; k++)
			pool.push_back(swap_test::page_of(300 + k));
		pool.push_back(Page{});
		std::vector<std::thread> threads;
		for (int t = 0; t < kThreads; t++)
			threads.emplace_back([&, t] {
				std::mt19937 rng(t + 11);
				for (int i = 0; i < kIterations / 2; i++) {
					uint64_t slot = rng() % 4;
					switch (rng() % 5) {
					case 0:
					case 1:
						ASSERT_EQ(dev.write(slot, pool[rng() % pool.size()]), 0);
						break;
					case 2: {
						/* Written back or not, it is one of the pages written. */
						Page p = dev.read(slot);
						ASSERT_TRUE(std::find(pool.begin(), pool.end(), p) != pool.end());
						break;
					}
					case 3:
						/* Lost races (-EAGAIN, -EBUSY) give their block back. */
						if (dev.writeback(slot, [] {}) == 0)
							written_back++;
						break;
					default:
						dev.discard(slot);
					}
				}
			});
		for (auto &t : threads)
			t.join();
	}
	EXPECT_GT(written_back.load(), 0);
	EXPECT_EQ(mos_host_live_allocs(), live);
}

namespace {

/*
 * Sub-page writes of one page by several threads, each its own 512-byte
 * sector, as the shim's read-modify-write under the slot generation
 * does them (Device::write_partial): every sector ends up holding its
 * thread's last write, whatever the interleaving, and each thread sees
 * its own previous write before every write. Without the generation
 * check (write(index, page) instead of write(index, page, &generation))
 * this lost 2 to 6 writes a run (three runs, 2026-12-07). At each page
 * size, each writer's sector is the last of its quarter of the page:
 * at 64 KiB all four lie past the first 4 KiB, and the old core (which
 * read 4 KiB of a page) kept the merged page as a zero page and lost
 * every write (fails there; at 16 KiB writer 0's sector is inside the
 * first 4 KiB, which hid the bug).
 */
class SwapConcurrencyPageSize : public testing::TestWithParam<uint32_t> {};

INSTANTIATE_TEST_SUITE_P(Sizes, SwapConcurrencyPageSize,
			 testing::ValuesIn(swap_test::kPageSizes),
			 [](const testing::TestParamInfo<uint32_t> &info) {
				 return std::to_string(info.param / 1024) + "KiB";
			 });

TEST_P(SwapConcurrencyPageSize, SubPageWritersNeverLoseAWrite)
{
	constexpr int writers = 4, sector = 512;
	const uint32_t ps = GetParam();
	/* About as many bytes moved at each size. */
	const int rounds = ps == MOS_SWAP_PAGE_SIZE_4K ? 300 : ps == MOS_SWAP_PAGE_SIZE_16K ? 120 : 40;
	const uint32_t sectors = ps / sector;
	auto offset = [&](int w) { return size_t((w + 1) * sectors / writers - 1) * sector; };
	long live = mos_host_live_allocs();
	{
		swap_test::Device dev(2, true, ps);
		std::atomic<int> lost{0};
		std::vector<std::thread> threads;
		auto piece = [](int w, int r) {
			std::array<uint8_t, sector> p;
			for (int i = 0; i < sector; i++)
				p[i] = uint8_t(w * 61 + r * 7 + i);
			return p;
		};
		for (int w = 0; w < writers; w++)
			threads.emplace_back([&, w] {
				for (int r = 0; r < rounds; r++) {
					for (uint64_t slot = 0; slot < 2; slot++) {
						Page now = dev.read(slot);
						if (r && !std::equal(now.begin() + offset(w),
								     now.begin() + offset(w) + sector,
								     piece(w, r - 1).begin()))
							lost++;
						auto p = piece(w, r);
						ASSERT_EQ(dev.write_partial(slot, offset(w), p.data(), sector), 0);
					}
				}
			});
		for (auto &t : threads)
			t.join();
		EXPECT_EQ(lost.load(), 0);
		for (uint64_t slot = 0; slot < 2; slot++) {
			Page page = dev.read(slot);
			for (int w = 0; w < writers; w++)
				EXPECT_TRUE(std::equal(page.begin() + offset(w),
						       page.begin() + offset(w) + sector,
						       piece(w, rounds - 1).begin()));
		}
	}
	EXPECT_EQ(mos_host_live_allocs(), live);
}

} // namespace
