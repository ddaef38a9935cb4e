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
	uint64_t hash = mos_swap_page_hash(page);
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
	uint64_t hash = mos_swap_page_hash(page);

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
