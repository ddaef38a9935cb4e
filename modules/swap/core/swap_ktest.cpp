// SPDX-License-Identifier: GPL-2.0-only
//
// Shared KUnit/host cases (see swap_ktest.h). Objects are plain page
// copies from mos_alloc(), their address the handle: what zsmalloc will
// be in the kernel suite, without compression.

#include <multios/swap.h>
#include <mos/ktest.h>

#include "swap_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace {

constexpr uint64_t test_key = 0x6d756c74696f7321ull;	/* "multios!" */

unsigned char *new_page(uint64_t seed)
{
	auto *p = static_cast<unsigned char *>(mos_alloc(MOS_SWAP_PAGE_SIZE, MOS_GFP_KERNEL));
	if (p) {
		for (uint32_t i = 0; i < MOS_SWAP_PAGE_SIZE; i++)
			p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 6));
	}
	return p;
}

/* Stores a copy of the page; the handle is its address. */
uint64_t store(const unsigned char *page)
{
	unsigned char *copy = new_page(0);
	if (copy)
		__builtin_memcpy(copy, page, MOS_SWAP_PAGE_SIZE);
	return reinterpret_cast<uint64_t>(copy);
}

bool equal(void *ctx, uint64_t handle, uint32_t)
{
	return !__builtin_memcmp(ctx, reinterpret_cast<void *>(handle), MOS_SWAP_PAGE_SIZE);
}

struct Frees {
	unsigned objects;
	unsigned blocks;
};

mos_swap_free_ops counting_ops(Frees *frees)
{
	return {
		[](void *ctx, uint64_t handle) {
			static_cast<Frees *>(ctx)->objects++;
			mos_free(reinterpret_cast<void *>(handle));
		},
		[](void *ctx, uint64_t) { static_cast<Frees *>(ctx)->blocks++; },
		frees,
	};
}

/* Slot index's generation; the caller holds its lock. */
uint32_t generation(mos_swap_slots *slots, uint64_t index)
{
	mos_swap_slot_info info;
	mos_swap_slot_get(slots, index, &info);
	return info.generation;
}

/* equal(), counted. */
struct Counted {
	unsigned char *page;
	unsigned calls;
};

bool counted_equal(void *ctx, uint64_t handle, uint32_t size)
{
	auto *c = static_cast<Counted *>(ctx);
	c->calls++;
	return equal(c->page, handle, size);
}

constexpr uint32_t flood_pages = 1000;

/* Page i of a flood: all different (i in the first word). */
void flood_page(unsigned char *page, uint32_t i)
{
	for (uint32_t b = 0; b < MOS_SWAP_PAGE_SIZE; b++)
		page[b] = (unsigned char)(b * 7 + (b >> 6));
	__builtin_memcpy(page, &i, sizeof(i));
}

/* A flood page as the shim keeps it: its own object, its entry if indexed. */
struct Written {
	uint64_t handle;
	mos_swap_dedup_entry *entry;	/* nullptr: refused, stored unshared */
};

/* A flood under way: the index, hash_of(i) for page i, what was written. */
struct Flood {
	mos_swap_dedup *dedup;
	uint64_t (*hash_of)(uint32_t);
	Written *pages;
	Counted cmp;		/* its page: the flood page being written or read */
};

unsigned max(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

/*
 * Writes every flood page; returns the most equal() calls of one insert,
 * or ~0u if a page could not be stored.
 */
unsigned flood_write(struct mos_test *t, Flood *f, uint32_t *refused)
{
	unsigned max_calls = 0;

	for (uint32_t i = 0; i < flood_pages; i++) {
		Written *w = &f->pages[i];
		flood_page(f->cmp.page, i);
		w->handle = store(f->cmp.page);
		if (!w->handle)
			return ~0u;	/* out of memory: the caller's check fails */
		f->cmp.calls = 0;
		int r = mos_swap_dedup_insert(f->dedup, f->hash_of(i), w->handle, 100,
					      counted_equal, &f->cmp, &w->entry);
		max_calls = max(max_calls, f->cmp.calls);
		if (r == 0)
			continue;
		MOS_KT_EXPECT_EQ(t, r, -MOS_ENOSPC);
		w->entry = nullptr;	/* refused: the caller keeps it unshared */
		(*refused)++;
	}
	return max_calls;
}

/*
 * Looks every flood page up: it finds exactly the indexed ones, and
 * every page is stored. Returns the most equal() calls of one lookup.
 */
unsigned flood_read(struct mos_test *t, Flood *f)
{
	unsigned max_calls = 0;

	for (uint32_t i = 0; i < flood_pages; i++) {
		flood_page(f->cmp.page, i);
		f->cmp.calls = 0;
		mos_swap_dedup_entry *e = mos_swap_dedup_find_get(f->dedup, f->hash_of(i),
								  counted_equal, &f->cmp);
		max_calls = max(max_calls, f->cmp.calls);
		MOS_KT_EXPECT_EQ(t, e, f->pages[i].entry);
		MOS_KT_EXPECT_TRUE(t, equal(f->cmp.page, f->pages[i].handle, 100));
	}
	return max_calls;
}

/* Drops the writer's and the reader's reference of each entry; frees all. */
void flood_release(struct mos_test *t, Flood *f)
{
	for (uint32_t i = 0; i < flood_pages; i++) {
		mos_swap_dedup_entry *e = f->pages[i].entry;
		if (e) {
			MOS_KT_EXPECT_FALSE(t, mos_swap_dedup_release(f->dedup, e));
			MOS_KT_EXPECT_TRUE(t, mos_swap_dedup_release(f->dedup, e));
		}
		mos_free(reinterpret_cast<void *>(f->pages[i].handle));
	}
}

/*
 * Writes flood_pages different pages whose hashes are hash_of(i): each
 * insert and each lookup compares at most MOS_SWAP_DEDUP_MAX_COMPARES
 * candidates, `indexed` pages are indexed and the rest refused
 * (-MOS_ENOSPC, stored unshared), every page loads back, and every
 * entry releases with the statistics back at zero.
 */
void flood(struct mos_test *t, uint64_t (*hash_of)(uint32_t), uint32_t indexed)
{
	Flood f{nullptr, hash_of, nullptr, {nullptr, 0}};
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(flood_pages, &f.dedup), 0);
	f.pages = static_cast<Written *>(
		mos_alloc(flood_pages * sizeof(Written), MOS_GFP_KERNEL | MOS_GFP_ZERO));
	f.cmp.page = new_page(0);
	MOS_KT_ASSERT(t, f.pages && f.cmp.page);
	uint32_t refused = 0;
	mos_swap_dedup_stats s;

	MOS_KT_ASSERT_LE(t, flood_write(t, &f, &refused), MOS_SWAP_DEDUP_MAX_COMPARES);
	MOS_KT_EXPECT_EQ(t, refused, flood_pages - indexed);
	mos_swap_dedup_get_stats(f.dedup, &s);
	MOS_KT_EXPECT_EQ(t, s.entries, (uint64_t)indexed);
	MOS_KT_EXPECT_EQ(t, s.refused, (uint64_t)refused);
	MOS_KT_EXPECT_EQ(t, s.dup_pages, 0u);

	MOS_KT_EXPECT_LE(t, flood_read(t, &f), MOS_SWAP_DEDUP_MAX_COMPARES);
	mos_swap_dedup_get_stats(f.dedup, &s);
	MOS_KT_EXPECT_EQ(t, s.dup_pages, (uint64_t)indexed);

	flood_release(t, &f);
	mos_swap_dedup_get_stats(f.dedup, &s);
	MOS_KT_EXPECT_EQ(t, s.entries, 0u);
	MOS_KT_EXPECT_EQ(t, s.dup_pages, 0u);
	MOS_KT_EXPECT_EQ(t, s.bytes_saved, 0u);
	MOS_KT_EXPECT_EQ(t, s.refused, (uint64_t)refused);
	mos_free(f.cmp.page);
	mos_free(f.pages);
	mos_swap_dedup_destroy(f.dedup);
}

} // namespace

extern "C" void mos_kt_swap_same_filled_page(struct mos_test *t)
{
	unsigned char *page = new_page(1);
	MOS_KT_ASSERT(t, page != nullptr);
	uint64_t pattern = 0;

	MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, &pattern));
	mos_swap_page_fill(page, 0xfeedfacecafef00dull);
	MOS_KT_EXPECT_TRUE(t, mos_swap_page_same_filled(page, &pattern));
	MOS_KT_EXPECT_EQ(t, pattern, 0xfeedfacecafef00dull);
	page[MOS_SWAP_PAGE_SIZE - 1] ^= 1;
	MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, &pattern));
	mos_free(page);
}

extern "C" void mos_kt_swap_slot_frees_what_it_held(struct mos_test *t)
{
	mos_swap_slots *slots;
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(4, &slots), 0);
	unsigned char *page = new_page(2);
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	mos_swap_slot_info info;
	uint64_t handle = store(page); /* before the slot locks: it may sleep */

	for (uint64_t i = 0; i < 4; i++)
		mos_swap_slot_lock(slots, i);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_same_filled(slots, 0, 7), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 1, handle, 1234), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_written_back(slots, 2, 99), 0);
	mos_swap_slot_get(slots, 1, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_STORED);
	MOS_KT_EXPECT_EQ(t, info.size, 1234u);
	for (uint64_t i = 0; i < 4; i++) {
		mos_swap_slot_free(slots, i, nullptr, &ops);
		mos_swap_slot_get(slots, i, &info);
		MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_EMPTY);
		mos_swap_slot_unlock(slots, i);
	}
	MOS_KT_EXPECT_EQ(t, frees.objects, 1u);
	MOS_KT_EXPECT_EQ(t, frees.blocks, 1u);
	mos_free(page);
	mos_swap_slots_destroy(slots);
}

extern "C" void mos_kt_swap_dedup_shares_after_compare(struct mos_test *t)
{
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(64, &dedup), 0);
	unsigned char *page = new_page(3);
	uint64_t hash = mos_swap_page_hash(page, test_key);
	uint64_t h1 = store(page), h2 = store(page);
	mos_swap_dedup_entry *e1, *e2;

	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h1, 500, equal, page, &e1), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h2, 500, equal, page, &e2), 1);
	MOS_KT_EXPECT_EQ(t, e1, e2);
	mos_free(reinterpret_cast<void *>(h2)); /* shared: ours is unused */
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_find_get(dedup, hash, equal, page), e1);

	mos_swap_dedup_stats s;
	mos_swap_dedup_get_stats(dedup, &s);
	MOS_KT_EXPECT_EQ(t, s.dup_pages, 2u);
	MOS_KT_EXPECT_EQ(t, s.bytes_saved, 1000u);
	MOS_KT_EXPECT_FALSE(t, mos_swap_dedup_release(dedup, e1));
	MOS_KT_EXPECT_FALSE(t, mos_swap_dedup_release(dedup, e1));
	MOS_KT_EXPECT_TRUE(t, mos_swap_dedup_release(dedup, e1));
	mos_free(reinterpret_cast<void *>(h1));
	mos_free(page);
	mos_swap_dedup_destroy(dedup);
}

extern "C" void mos_kt_swap_dedup_collision_not_shared(struct mos_test *t)
{
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(64, &dedup), 0);
	unsigned char *a = new_page(4), *b = new_page(5);
	uint64_t ha = store(a), hb = store(b);
	mos_swap_dedup_entry *ea, *eb;

	/* One forced hash for two different pages. */
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, 42, ha, 10, equal, a, &ea), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, 42, hb, 20, equal, b, &eb), 0);
	MOS_KT_EXPECT_NE(t, ea, eb);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_entry_handle(eb), hb);
	MOS_KT_EXPECT_TRUE(t, mos_swap_dedup_release(dedup, ea));
	MOS_KT_EXPECT_TRUE(t, mos_swap_dedup_release(dedup, eb));
	mos_free(reinterpret_cast<void *>(ha));
	mos_free(reinterpret_cast<void *>(hb));
	mos_free(a);
	mos_free(b);
	mos_swap_dedup_destroy(dedup);
}

/*
 * The writeback protocol in the kernel: a stored page becomes written
 * back (its object freed), a read between start and finish keeps it in
 * memory, a shared page drops only its own reference, and freeing a
 * written-back slot frees its block.
 */
extern "C" void mos_kt_swap_writeback_protocol(struct mos_test *t)
{
	mos_swap_slots *slots;
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(4, &slots), 0);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(4, &dedup), 0);
	unsigned char *page = new_page(6);
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	mos_swap_slot_info info;
	mos_swap_dedup_entry *entry;
	uint64_t h0 = store(page), h1 = store(page);
	uint64_t hash = mos_swap_page_hash(page, test_key);

	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h0, 4096), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), -MOS_EBUSY);
	mos_swap_slot_mark_accessed(slots, 0);	/* a read while it is written */
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_finish_writeback(slots, 0, generation(slots, 0), 7, dedup, &ops),
			 -MOS_EAGAIN);
	MOS_KT_EXPECT_EQ(t, frees.objects, 0u);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_finish_writeback(slots, 0, generation(slots, 0), 7, dedup, &ops), 0);
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_WRITTEN_BACK);
	MOS_KT_EXPECT_EQ(t, info.value, 7u);
	MOS_KT_EXPECT_EQ(t, frees.objects, 1u);
	mos_swap_slot_unlock(slots, 0);

	/* Two sharers: the first written back leaves the object to the second. */
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h1, 4096, equal, page, &entry), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_find_get(dedup, hash, equal, page), entry);
	for (uint64_t i = 1; i <= 2; i++) {
		mos_swap_slot_lock(slots, i);
		MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_deduped(slots, i, entry), 0);
		mos_swap_slot_unlock(slots, i);
	}
	mos_swap_slot_lock(slots, 1);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 1), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_finish_writeback(slots, 1, generation(slots, 1), 8, dedup, &ops), 0);
	mos_swap_slot_unlock(slots, 1);
	MOS_KT_EXPECT_EQ(t, frees.objects, 1u);
	mos_swap_slot_lock(slots, 2);
	mos_swap_slot_get(slots, 2, &info);
	MOS_KT_EXPECT_EQ(t, info.value, h1);
	mos_swap_slot_unlock(slots, 2);

	mos_swap_slot_stats s;
	mos_swap_slots_get_stats(slots, &s);
	MOS_KT_EXPECT_EQ(t, s.written_back_pages, 2u);
	MOS_KT_EXPECT_EQ(t, s.stored_pages, 0u);
	MOS_KT_EXPECT_EQ(t, s.deduped_pages, 1u);
	for (uint64_t i = 0; i < 4; i++) {
		mos_swap_slot_lock(slots, i);
		mos_swap_slot_free(slots, i, dedup, &ops);
		mos_swap_slot_unlock(slots, i);
	}
	MOS_KT_EXPECT_EQ(t, frees.objects, 2u);
	MOS_KT_EXPECT_EQ(t, frees.blocks, 2u);
	mos_free(page);
	mos_swap_dedup_destroy(dedup);
	mos_swap_slots_destroy(slots);
}

/*
 * Issue 17's writeback race, replayed: writer A starts writing slot 0
 * back; the slot is freed and rewritten with a new page; writer B starts
 * on the new page. A's finish must fail: its block holds the old page,
 * and before slots had a generation it succeeded, freed the new object
 * and pointed the slot at the old page's block (this case failed six
 * checks on that code, run as `swap_tests --gtest_filter=SwapCases.*`).
 */
extern "C" void mos_kt_swap_writeback_stale_finish(struct mos_test *t)
{
	mos_swap_slots *slots;
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(1, &slots), 0);
	unsigned char *old_page = new_page(7), *new_page_ = new_page(8);
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	mos_swap_slot_info info;
	uint64_t h_old = store(old_page), h_new = store(new_page_);

	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h_old, 4096), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), 0);	/* A */
	mos_swap_slot_get(slots, 0, &info);
	uint32_t gen_a = info.generation;
	mos_swap_slot_free(slots, 0, nullptr, &ops);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h_new, 4096), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), 0);	/* B */
	mos_swap_slot_get(slots, 0, &info);
	uint32_t gen_b = info.generation;
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_finish_writeback(slots, 0, gen_a, 7, nullptr, &ops),
			 -MOS_EAGAIN);	/* A: stale */
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_STORED);
	MOS_KT_EXPECT_EQ(t, info.value, h_new);
	MOS_KT_EXPECT_EQ(t, frees.objects, 1u);	/* the old object only */
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_finish_writeback(slots, 0, gen_b, 8, nullptr, &ops), 0);
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_WRITTEN_BACK);
	MOS_KT_EXPECT_EQ(t, info.value, 8u);
	mos_swap_slot_free(slots, 0, nullptr, &ops);
	mos_swap_slot_unlock(slots, 0);
	MOS_KT_EXPECT_EQ(t, frees.objects, 2u);
	MOS_KT_EXPECT_EQ(t, frees.blocks, 1u);
	mos_free(old_page);
	mos_free(new_page_);
	mos_swap_slots_destroy(slots);
}

/*
 * The page hash is keyed: one page under different keys hashes
 * differently, under one key always the same, and the value is the
 * reference XXH3-64 with the key as seed on every architecture.
 * Fails before keys: the hash ignored the key (XXH64, seed 0).
 */
extern "C" void mos_kt_swap_page_hash_keyed(struct mos_test *t)
{
	unsigned char *page = new_page(8);
	MOS_KT_ASSERT(t, page != nullptr);
	uint64_t h = mos_swap_page_hash(page, test_key);

	MOS_KT_EXPECT_EQ(t, mos_swap_page_hash(page, test_key), h);
	/* XXH3_64bits_withSeed(page, 4096, test_key) of libxxhash 0.8.1 */
	MOS_KT_EXPECT_EQ(t, h, 0xe90c5ed5de4b5b21ull);
	MOS_KT_EXPECT_NE(t, mos_swap_page_hash(page, 0), h);
	for (uint64_t bit = 0; bit < 64; bit++)
		MOS_KT_EXPECT_NE(t, mos_swap_page_hash(page, test_key ^ (1ull << bit)), h);
	mos_free(page);
}

/*
 * Hash flooding, one hash: 1,000 different pages with one hash value
 * (the index takes the hash from its caller: the test's hook). Only
 * MOS_SWAP_DEDUP_MAX_COMPARES of them are indexed (each later one has
 * spent its compares on those), the rest are stored unshared.
 * Fails without the bound: the n-th insert compared n-1 candidates.
 */
extern "C" void mos_kt_swap_dedup_one_hash_flood(struct mos_test *t)
{
	flood(t, [](uint32_t) -> uint64_t { return 0x5eedf100dull; }, MOS_SWAP_DEDUP_MAX_COMPARES);
}

/*
 * Hash flooding, one bucket: 1,000 different hashes that select one
 * bucket (equal low 32 bits) fill its chain to MOS_SWAP_DEDUP_MAX_CHAIN
 * entries and no further; nothing is compared.
 * Fails without the bound: the chain took all 1,000.
 */
extern "C" void mos_kt_swap_dedup_one_bucket_flood(struct mos_test *t)
{
	flood(t, [](uint32_t i) -> uint64_t { return uint64_t(i) << 32; },
	      MOS_SWAP_DEDUP_MAX_CHAIN);
}
