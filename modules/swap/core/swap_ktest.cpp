// SPDX-License-Identifier: GPL-2.0-only
//
// Shared KUnit/host cases (see swap_ktest.h). Objects are plain page
// copies from mos_alloc(), their address the handle: what zsmalloc will
// be in the kernel suite, without compression. The core's page size is
// a store's, not the kernel's: the cases that depend on it run at all
// three sizes, on any kernel.

#include <multios/swap.h>
#include <mos/ktest.h>

#include "swap_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace {

constexpr uint64_t test_key = 0x6d756c74696f7321ull;	/* "multios!" */

/* The cases that take a page size run at each of these. */
constexpr uint32_t page_sizes[] = {MOS_SWAP_PAGE_SIZE_4K, MOS_SWAP_PAGE_SIZE_16K,
				   MOS_SWAP_PAGE_SIZE_64K};
constexpr uint32_t ps4k = MOS_SWAP_PAGE_SIZE_4K;

unsigned char *new_page(uint64_t seed, uint32_t page_size = ps4k)
{
	auto *p = static_cast<unsigned char *>(mos_alloc(page_size, MOS_GFP_KERNEL));
	if (p) {
		for (uint32_t i = 0; i < page_size; i++)
			p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 6));
	}
	return p;
}

/* Stores a copy of the page; the handle is its address. */
uint64_t store(const unsigned char *page, uint32_t page_size = ps4k)
{
	unsigned char *copy = new_page(0, page_size);
	if (copy)
		__builtin_memcpy(copy, page, page_size);
	return reinterpret_cast<uint64_t>(copy);
}

/* What equal() compares a stored object with: the whole page. */
struct PageRef {
	const unsigned char *page;
	uint32_t size;
};

bool equal(void *ctx, uint64_t handle, uint32_t)
{
	auto *r = static_cast<const PageRef *>(ctx);
	return !__builtin_memcmp(r->page, reinterpret_cast<void *>(handle), r->size);
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

/* equal(), counted (4 KiB pages). */
struct Counted {
	unsigned char *page;
	unsigned calls;
};

bool counted_equal(void *ctx, uint64_t handle, uint32_t size)
{
	auto *c = static_cast<Counted *>(ctx);
	PageRef ref{c->page, ps4k};
	c->calls++;
	return equal(&ref, handle, size);
}

constexpr uint32_t flood_pages = 1000;

/* Page i of a flood: all different (i in the first word). */
void flood_page(unsigned char *page, uint32_t i)
{
	for (uint32_t b = 0; b < ps4k; b++)
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
		PageRef ref{f->cmp.page, ps4k};
		MOS_KT_EXPECT_TRUE(t, equal(&ref, f->pages[i].handle, 100));
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
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(flood_pages, ps4k, &f.dedup), 0);
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

/* At each page size: fill writes, and detection reads, the whole page. */
extern "C" void mos_kt_swap_same_filled_page(struct mos_test *t)
{
	for (uint32_t ps : page_sizes) {
		unsigned char *page = new_page(1, ps);
		MOS_KT_ASSERT(t, page != nullptr);
		uint64_t pattern = 0;

		MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, ps, &pattern));
		mos_swap_page_fill(page, ps, 0xfeedfacecafef00dull);
		MOS_KT_EXPECT_TRUE(t, mos_swap_page_same_filled(page, ps, &pattern));
		MOS_KT_EXPECT_EQ(t, pattern, 0xfeedfacecafef00dull);
		page[ps - 1] ^= 1;
		MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, ps, &pattern));
		mos_free(page);
	}
}

extern "C" void mos_kt_swap_slot_frees_what_it_held(struct mos_test *t)
{
	mos_swap_slots *slots;
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(4, ps4k, &slots), 0);
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

static void dedup_shares_after_compare(struct mos_test *t, uint32_t ps)
{
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(64, ps, &dedup), 0);
	unsigned char *page = new_page(3, ps);
	MOS_KT_ASSERT(t, page != nullptr);
	PageRef ref{page, ps};
	uint64_t hash = mos_swap_page_hash(page, ps, test_key);
	uint64_t h1 = store(page, ps), h2 = store(page, ps);
	mos_swap_dedup_entry *e1, *e2;

	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h1, 500, equal, &ref, &e1), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h2, 500, equal, &ref, &e2), 1);
	MOS_KT_EXPECT_EQ(t, e1, e2);
	mos_free(reinterpret_cast<void *>(h2)); /* shared: ours is unused */
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_find_get(dedup, hash, equal, &ref), e1);

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

extern "C" void mos_kt_swap_dedup_shares_after_compare(struct mos_test *t)
{
	for (uint32_t ps : page_sizes)
		dedup_shares_after_compare(t, ps);
}

extern "C" void mos_kt_swap_dedup_collision_not_shared(struct mos_test *t)
{
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(64, ps4k, &dedup), 0);
	unsigned char *a = new_page(4), *b = new_page(5);
	PageRef ra{a, ps4k}, rb{b, ps4k};
	uint64_t ha = store(a), hb = store(b);
	mos_swap_dedup_entry *ea, *eb;

	/* One forced hash for two different pages. */
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, 42, ha, 10, equal, &ra, &ea), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, 42, hb, 20, equal, &rb, &eb), 0);
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
 * The writeback protocol in the kernel, at each page size with pages
 * stored whole (the largest object a slot records): a stored page
 * becomes written back (its object freed), a read between start and
 * finish keeps it in memory, a shared page drops only its own
 * reference, and freeing a written-back slot frees its block.
 */
static void writeback_protocol(struct mos_test *t, uint32_t ps)
{
	mos_swap_slots *slots;
	mos_swap_dedup *dedup;
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(4, ps, &slots), 0);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(4, ps, &dedup), 0);
	unsigned char *page = new_page(6, ps);
	MOS_KT_ASSERT(t, page != nullptr);
	PageRef ref{page, ps};
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	mos_swap_slot_info info;
	mos_swap_dedup_entry *entry;
	uint64_t h0 = store(page, ps), h1 = store(page, ps);
	uint64_t hash = mos_swap_page_hash(page, ps, test_key);

	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h0, ps), 0);
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.size, ps);
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
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, hash, h1, ps, equal, &ref, &entry), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_find_get(dedup, hash, equal, &ref), entry);
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
	MOS_KT_EXPECT_EQ(t, info.size, ps);
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

extern "C" void mos_kt_swap_writeback_protocol(struct mos_test *t)
{
	for (uint32_t ps : page_sizes)
		writeback_protocol(t, ps);
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
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(1, ps4k, &slots), 0);
	unsigned char *old_page = new_page(7), *new_page_ = new_page(8);
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	mos_swap_slot_info info;
	uint64_t h_old = store(old_page), h_new = store(new_page_);

	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h_old, ps4k), 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_start_writeback(slots, 0), 0);	/* A */
	mos_swap_slot_get(slots, 0, &info);
	uint32_t gen_a = info.generation;
	mos_swap_slot_free(slots, 0, nullptr, &ops);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, h_new, ps4k), 0);
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
	uint64_t h = mos_swap_page_hash(page, ps4k, test_key);

	MOS_KT_EXPECT_EQ(t, mos_swap_page_hash(page, ps4k, test_key), h);
	/* XXH3_64bits_withSeed(page, 4096, test_key) of libxxhash 0.8.1 */
	MOS_KT_EXPECT_EQ(t, h, 0xe90c5ed5de4b5b21ull);
	MOS_KT_EXPECT_NE(t, mos_swap_page_hash(page, ps4k, 0), h);
	for (uint64_t bit = 0; bit < 64; bit++)
		MOS_KT_EXPECT_NE(t, mos_swap_page_hash(page, ps4k, test_key ^ (1ull << bit)), h);
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

/*
 * Only 4, 16 and 64 KiB pages make a store; anything else is refused
 * with -MOS_EINVAL and nothing made, and a store reports the size it
 * was made with. Fails on the old code: it took no page size, so a 16
 * or 64 KiB kernel got 4 KiB slots (the shim had to refuse to load).
 */
extern "C" void mos_kt_swap_page_size_refused(struct mos_test *t)
{
	const uint32_t bad[] = {0, 512, 2048, 4095, 4097, 8192, 32768, 65535, 131072,
				0x80000000u};
	mos_swap_slots *slots = nullptr;
	mos_swap_dedup *dedup = nullptr;

	for (uint32_t ps : bad) {
		MOS_KT_EXPECT_EQ(t, mos_swap_page_size_check(ps), -MOS_EINVAL);
		MOS_KT_EXPECT_EQ(t, mos_swap_slots_create(8, ps, &slots), -MOS_EINVAL);
		MOS_KT_EXPECT_EQ(t, mos_swap_dedup_create(8, ps, &dedup), -MOS_EINVAL);
	}
	MOS_KT_EXPECT_TRUE(t, slots == nullptr);
	MOS_KT_EXPECT_TRUE(t, dedup == nullptr);
	for (uint32_t ps : page_sizes) {
		MOS_KT_EXPECT_EQ(t, mos_swap_page_size_check(ps), 0);
		MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(8, ps, &slots), 0);
		MOS_KT_EXPECT_EQ(t, mos_swap_slots_page_size(slots), ps);
		mos_swap_slots_destroy(slots);
	}
}

/*
 * At each page size every byte of the page counts, and a page stored
 * whole (an incompressible page) is recorded with its full size. Each
 * check fails on the old code at 16 and 64 KiB: same-filled detection
 * and the hash read only the first 4 KiB (a page of zeroes but for its
 * last byte was "zero", and lost that byte; two pages differing past
 * 4 KiB hashed alike), and a slot refused sizes over 4096 and had 16
 * bits for them (65536 would have read back as 0).
 */
static void whole_page(struct mos_test *t, uint32_t ps)
{
	unsigned char *page = new_page(0, ps);
	MOS_KT_ASSERT(t, page != nullptr);
	mos_swap_slots *slots;
	mos_swap_dedup *dedup;
	mos_swap_dedup_entry *entry;
	mos_swap_slot_info info;
	Frees frees{};
	mos_swap_free_ops ops = counting_ops(&frees);
	PageRef ref{page, ps};
	uint64_t pattern = 0;

	__builtin_memset(page, 0, ps);
	page[ps - 1] = 1;
	MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, ps, &pattern));
	page[ps - 1] = 0;
	page[ps / 2 + 8] = 1;	/* past the old 4 KiB in the larger pages */
	MOS_KT_EXPECT_FALSE(t, mos_swap_page_same_filled(page, ps, &pattern));
	uint64_t h = mos_swap_page_hash(page, ps, test_key);
	page[ps - 1] ^= 0x80;
	MOS_KT_EXPECT_NE(t, mos_swap_page_hash(page, ps, test_key), h);

	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(2, ps, &slots), 0);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(2, ps, &dedup), 0);
	uint64_t handle = store(page, ps), shared = store(page, ps);
	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, handle, ps + 1), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, handle, 0), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_stored(slots, 0, handle, ps), 0);
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_STORED);
	MOS_KT_EXPECT_EQ(t, info.size, ps);
	mos_swap_slot_unlock(slots, 0);

	/* The dedup index takes objects up to a page, and a slot its entry. */
	h = mos_swap_page_hash(page, ps, test_key);
	MOS_KT_EXPECT_EQ(t, mos_swap_dedup_insert(dedup, h, shared, ps + 1, equal, &ref, &entry),
			 -MOS_EINVAL);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_insert(dedup, h, shared, ps, equal, &ref, &entry), 0);
	mos_swap_slot_lock(slots, 1);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_deduped(slots, 1, entry), 0);
	mos_swap_slot_get(slots, 1, &info);
	MOS_KT_EXPECT_EQ(t, info.size, ps);
	mos_swap_slot_unlock(slots, 1);

	mos_swap_slot_stats s;
	mos_swap_slots_get_stats(slots, &s);
	MOS_KT_EXPECT_EQ(t, s.stored_bytes, (uint64_t)ps);
	for (uint64_t i = 0; i < 2; i++) {
		mos_swap_slot_lock(slots, i);
		mos_swap_slot_free(slots, i, dedup, &ops);
		mos_swap_slot_unlock(slots, i);
	}
	MOS_KT_EXPECT_EQ(t, frees.objects, 2u);
	mos_free(page);
	mos_swap_dedup_destroy(dedup);
	mos_swap_slots_destroy(slots);
}

extern "C" void mos_kt_swap_whole_page_at_each_size(struct mos_test *t)
{
	for (uint32_t ps : page_sizes)
		whole_page(t, ps);
}

/*
 * Pages of different sizes never dedup with each other: a 64 KiB page
 * made of sixteen copies of a 4 KiB page, and a 16 KiB page that is its
 * first quarter, hash differently from that 4 KiB page and from each
 * other under one key; and a 4 KiB table refuses an entry of a 64 KiB
 * index that holds a whole 64 KiB object (-MOS_EINVAL, nothing changed).
 * Fails on the old code: every page hashed as its first 4 KiB, so all
 * three hashed alike, and nothing knew an entry's page size.
 */
extern "C" void mos_kt_swap_dedup_page_sizes_not_mixed(struct mos_test *t)
{
	const uint32_t big = MOS_SWAP_PAGE_SIZE_64K;
	unsigned char *small = new_page(9), *large = new_page(0, big);
	MOS_KT_ASSERT(t, small && large);
	for (uint32_t off = 0; off < big; off += ps4k)
		__builtin_memcpy(large + off, small, ps4k);
	uint64_t h4 = mos_swap_page_hash(small, ps4k, test_key);
	uint64_t h16 = mos_swap_page_hash(large, MOS_SWAP_PAGE_SIZE_16K, test_key);
	uint64_t h64 = mos_swap_page_hash(large, big, test_key);

	MOS_KT_EXPECT_NE(t, h4, h16);
	MOS_KT_EXPECT_NE(t, h4, h64);
	MOS_KT_EXPECT_NE(t, h16, h64);

	mos_swap_slots *slots;
	mos_swap_dedup *dedup;
	mos_swap_dedup_entry *entry;
	mos_swap_slot_info info;
	PageRef ref{large, big};
	MOS_KT_ASSERT_EQ(t, mos_swap_slots_create(1, ps4k, &slots), 0);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_create(1, big, &dedup), 0);
	uint64_t handle = store(large, big);
	MOS_KT_ASSERT_EQ(t, mos_swap_dedup_insert(dedup, h64, handle, big, equal, &ref, &entry), 0);
	mos_swap_slot_lock(slots, 0);
	MOS_KT_EXPECT_EQ(t, mos_swap_slot_set_deduped(slots, 0, entry), -MOS_EINVAL);
	mos_swap_slot_get(slots, 0, &info);
	MOS_KT_EXPECT_EQ(t, info.state, (uint32_t)MOS_SWAP_SLOT_EMPTY);
	mos_swap_slot_unlock(slots, 0);
	MOS_KT_EXPECT_TRUE(t, mos_swap_dedup_release(dedup, entry));
	mos_free(reinterpret_cast<void *>(handle));
	mos_free(small);
	mos_free(large);
	mos_swap_dedup_destroy(dedup);
	mos_swap_slots_destroy(slots);
}
