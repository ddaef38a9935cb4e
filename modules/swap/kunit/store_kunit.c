// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_swap_store": the multios_swap shim's page store
 * (zsmalloc, the kernel's compressors, the C++ slot table and dedup
 * index) with no block device. Runs when multios_swap.ko loads, before
 * its module_init: each case makes and destroys its own store.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "../shim/swapdev.h"

#define NR_PAGES 64

/* Deterministic page contents (xorshift), so a failure reproduces. */
static void fill_random(u8 *page, u64 seed)
{
	u64 x = seed * 0x9e3779b97f4a7c15ULL + 1;
	int i;

	for (i = 0; i < PAGE_SIZE; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(page + i, &x, 8);
	}
}

static void fill_text(u8 *page, u64 seed)
{
	char line[64];
	int n, off;

	for (off = 0; off < PAGE_SIZE; off += n) {
		n = scnprintf(line, sizeof(line), "line %d of page %llu: swap me\n", off, seed);
		n = min_t(int, n, PAGE_SIZE - off);
		memcpy(page + off, line, n);
	}
}

struct store_fixture {
	struct mswap_store *s;
	u8 *in;
	u8 *out;
};

static void fixture_init(struct kunit *test, struct store_fixture *f,
			 const char *algorithm, bool dedup)
{
	f->in = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	f->out = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->in);
	KUNIT_ASSERT_NOT_NULL(test, f->out);
	KUNIT_ASSERT_EQ(test, mswap_store_create("multios_swap_kunit", NR_PAGES, algorithm,
						 dedup, &f->s), 0);
	/* For store_case_exit(), should the case stop at a failed assert. */
	test->priv = f->s;
}

static void fixture_done(struct kunit *test, struct store_fixture *f)
{
	mswap_store_destroy(f->s);
	f->s = NULL;
	test->priv = NULL;
}

/*
 * After every case, also one a failed assert cut short: a store left
 * behind would keep its CPU hot-plug instance, and the state's callbacks,
 * registered past the module's unload.
 */
static void store_case_exit(struct kunit *test)
{
	if (test->priv)
		mswap_store_destroy(test->priv);
	test->priv = NULL;
}

static void round_trip(struct kunit *test, const char *algorithm)
{
	struct mswap_store_stats st;
	struct store_fixture f;
	u64 i;

	fixture_init(test, &f, algorithm, true);
	for (i = 0; i < NR_PAGES; i++) {
		if (i % 2)
			fill_random(f.in, i);
		else
			fill_text(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, i, f.in), 0);
	}
	for (i = 0; i < NR_PAGES; i++) {
		if (i % 2)
			fill_random(f.in, i);
		else
			fill_text(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, i, f.out), 0);
		KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	}
	mswap_store_get_stats(f.s, &st);
	/* Text compresses; random pages do not and are stored whole. */
	KUNIT_EXPECT_EQ(test, st.comp_objects, NR_PAGES / 2);
	KUNIT_EXPECT_LT(test, st.comp_bytes, (u64)NR_PAGES / 2 * PAGE_SIZE / 2);
	KUNIT_EXPECT_EQ(test, st.huge_objects, NR_PAGES / 2);
	KUNIT_EXPECT_EQ(test, st.orig_pages, NR_PAGES);
	for (i = 0; i < NR_PAGES; i++)
		mswap_store_free(f.s, i);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.comp_objects + st.huge_objects + st.orig_pages, 0);
	fixture_done(test, &f);
}

static void round_trip_lz4(struct kunit *test)
{
	round_trip(test, "lz4");
}

static void round_trip_zstd(struct kunit *test)
{
	round_trip(test, "zstd");
}

static void round_trip_deflate(struct kunit *test)
{
	round_trip(test, "deflate");
}

static void same_filled_pages_use_no_memory(struct kunit *test)
{
	struct mswap_store_stats st;
	struct store_fixture f;

	fixture_init(test, &f, "lz4", true);
	memset(f.in, 0, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 0, f.in), 0);
	memset(f.in, 0xab, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 1, f.in), 0);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.same_pages, 2);
	KUNIT_EXPECT_EQ(test, st.comp_objects + st.huge_objects, 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 1, f.out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 0, f.out), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(f.out, 0, PAGE_SIZE));
	/* A never-written slot reads as zeroes. */
	memset(f.out, 1, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 5, f.out), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(f.out, 0, PAGE_SIZE));
	fixture_done(test, &f);
}

static void dedup_shares_and_releases(struct kunit *test)
{
	struct mos_swap_dedup_stats ds;
	struct mswap_store_stats st;
	struct store_fixture f;
	u64 i;

	fixture_init(test, &f, "lz4", true);
	fill_text(f.in, 7);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, i, f.in), 0);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.comp_objects, 1);
	mos_swap_dedup_get_stats(f.s->dedup, &ds);
	KUNIT_EXPECT_EQ(test, ds.dup_pages, 2);
	/* Freeing one sharer (and overwriting another) keeps the data. */
	mswap_store_free(f.s, 0);
	fill_text(f.out, 8);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 1, f.out), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 2, f.out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.comp_objects, 2);
	mswap_store_free(f.s, 2);
	mswap_store_free(f.s, 1);
	mswap_store_get_stats(f.s, &st);
	mos_swap_dedup_get_stats(f.s->dedup, &ds);
	KUNIT_EXPECT_EQ(test, st.comp_objects, 0);
	KUNIT_EXPECT_EQ(test, ds.entries, 0);
	fixture_done(test, &f);
}

static void dedup_off_stores_each_page(struct kunit *test)
{
	struct mswap_store_stats st;
	struct store_fixture f;
	u64 i;

	fixture_init(test, &f, "lz4", false);
	fill_text(f.in, 7);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, i, f.in), 0);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.comp_objects, 3);
	fixture_done(test, &f);
}

static void corrupt_object_reads_eio(struct kunit *test)
{
	struct store_fixture f;

	fixture_init(test, &f, "lz4", true);
	fill_text(f.in, 3);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 4, f.in), 0);
	fill_random(f.in, 3);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 5, f.in), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_corrupt(f.s, 4), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_corrupt(f.s, 5), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 4, f.out), -EIO);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 5, f.out), -EIO);
	/* Nothing to corrupt in an empty slot. */
	KUNIT_EXPECT_EQ(test, mswap_store_corrupt(f.s, 6), -EINVAL);
	fixture_done(test, &f);
}

static void mem_limit_fails_writes_keeps_data(struct kunit *test)
{
	struct store_fixture f;
	int ret = 0;
	u64 i, written = 0;

	fixture_init(test, &f, "lz4", true);
	f.s->limit_pages = 4;
	for (i = 0; i < NR_PAGES && !ret; i++) {
		fill_random(f.in, i);
		ret = mswap_store_write(f.s, i, f.in);
		if (!ret)
			written++;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_GT(test, written, 0);
	for (i = 0; i < written; i++) {
		fill_random(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, i, f.out), 0);
		KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	}
	fixture_done(test, &f);
}

/*
 * A write that fails leaves the slot exactly as it was (issue 17). The
 * pages are random, so each is stored whole in a zspage of its own;
 * with mem_limit one page below what the device uses, every overwrite
 * with other contents must fail with -ENOMEM and every slot still read
 * back its first page. Before, the old object was freed first: the
 * overwrite then fit (or not), and a failed one left the slot empty, its
 * page read back as zeroes with success.
 */
static void failed_overwrite_keeps_old_page(struct kunit *test)
{
	struct mswap_store_stats st;
	struct store_fixture f;
	u64 i;

	fixture_init(test, &f, "lz4", true);
	for (i = 0; i < 8; i++) {
		fill_random(f.in, i);
		KUNIT_ASSERT_EQ(test, mswap_store_write(f.s, i, f.in), 0);
	}
	mswap_store_get_stats(f.s, &st);
	KUNIT_ASSERT_GT(test, st.used_pages, 1);
	WRITE_ONCE(f.s->limit_pages, st.used_pages - 1);
	for (i = 0; i < 8; i++) {
		fill_random(f.in, 100 + i);
		KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, i, f.in), -ENOMEM);
	}
	for (i = 0; i < 8; i++) {
		fill_random(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, i, f.out), 0);
		KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	}
	/* Same-filled contents need no memory: that overwrite succeeds. */
	memset(f.in, 0x2a, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, 0, f.in), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 0, f.out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	fixture_done(test, &f);
}

/*
 * What the hook below writes between a sub-page write's merge and its
 * commit: the page the merge would commit, to another slot (so that the
 * racing commit finds it through dedup), then a whole page to the slot.
 */
static struct {
	const u8 *whole;
	const u8 *merged;
	u64 other;
	int calls;
} race;

static void write_between_merge_and_commit(struct mswap_store *s, u64 index)
{
	if (race.calls++)
		return;
	mswap_store_write(s, race.other, race.merged);
	mswap_store_write(s, index, race.whole);
}

/*
 * A whole-page write lands between a sub-page write's merge and its
 * commit (issue 17). The sub-page write must see the slot's generation
 * move, drop what it prepared (here a dedup reference to the other
 * slot's equal page, which must stay), and merge again onto the whole
 * page: the result is the whole page with the piece, not the old page
 * with the piece. With the generation check taken out of store_write()
 * the whole-page write is lost and slot 0 reads old + piece.
 */
static void partial_write_merges_again_after_a_race(struct kunit *test)
{
	struct mswap_store_stats st;
	struct store_fixture f;
	struct page *src;
	u8 *old, *whole, *merged, *expect;

	fixture_init(test, &f, "lz4", true);
	old = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	whole = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	merged = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	expect = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	src = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, old && whole && merged && expect && src);
	fill_random(old, 1);
	fill_random(whole, 2);
	fill_text(page_address(src), 3);
	memcpy(merged, old, PAGE_SIZE);
	memcpy(merged + 1024, page_address(src), 512);
	memcpy(expect, whole, PAGE_SIZE);
	memcpy(expect + 1024, page_address(src), 512);
	KUNIT_ASSERT_EQ(test, mswap_store_write(f.s, 0, old), 0);

	race.whole = whole;
	race.merged = merged;
	race.other = 5;
	race.calls = 0;
	f.s->partial_hook = write_between_merge_and_commit;
	KUNIT_EXPECT_EQ(test, mswap_store_write_partial(f.s, 0, 1024, 512, src, 0), 0);
	f.s->partial_hook = NULL;
	KUNIT_EXPECT_EQ(test, race.calls, 2);
	mswap_store_get_stats(f.s, &st);
	KUNIT_EXPECT_EQ(test, st.partial_retries, 1);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 0, f.out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(f.out, expect, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, 5, f.out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(f.out, merged, PAGE_SIZE), 0);
	__free_page(src);
	fixture_done(test, &f);
}

/*
 * Writeback proper needs a block device, which KUnit (run before the
 * module's init, with no disk in the guest) does not have: the guest
 * selftest (selftests/swap) writes back to a loop device. Here: with no
 * backing device, writeback refuses and every page stays as it was.
 */
static void writeback_without_backing_changes_nothing(struct kunit *test)
{
	struct store_fixture f;
	u64 i, written = 1;

	fixture_init(test, &f, "lz4", true);
	for (i = 0; i < 4; i++) {
		fill_random(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_write(f.s, i, f.in), 0);
	}
	mswap_store_mark_idle(f.s);
	KUNIT_EXPECT_EQ(test, mswap_store_writeback(f.s, MSWAP_WB_IDLE, 0, NR_PAGES, NULL,
						    &written), -ENODEV);
	KUNIT_EXPECT_EQ(test, written, 0);
	for (i = 0; i < 4; i++) {
		fill_random(f.in, i);
		KUNIT_EXPECT_EQ(test, mswap_store_read(f.s, i, f.out), 0);
		KUNIT_EXPECT_EQ(test, memcmp(f.in, f.out, PAGE_SIZE), 0);
	}
	fixture_done(test, &f);
}

static struct kunit_case store_cases[] = {
	KUNIT_CASE(round_trip_lz4),
	KUNIT_CASE(round_trip_zstd),
	KUNIT_CASE(round_trip_deflate),
	KUNIT_CASE(same_filled_pages_use_no_memory),
	KUNIT_CASE(dedup_shares_and_releases),
	KUNIT_CASE(dedup_off_stores_each_page),
	KUNIT_CASE(corrupt_object_reads_eio),
	KUNIT_CASE(mem_limit_fails_writes_keeps_data),
	KUNIT_CASE(failed_overwrite_keeps_old_page),
	KUNIT_CASE(partial_write_merges_again_after_a_race),
	KUNIT_CASE(writeback_without_backing_changes_nothing),
	{}
};

static struct kunit_suite store_suite = {
	.name = "multios_swap_store",
	.exit = store_case_exit,
	.test_cases = store_cases,
};

kunit_test_suite(store_suite);
