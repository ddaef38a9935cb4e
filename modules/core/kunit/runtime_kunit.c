// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_runtime": the kernel side of include/multios/runtime.h,
 * where its contract is about the kernel rather than about C++.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <multios/runtime.h>

/*
 * mos_free() may be called under a spinlock even for memory that came from
 * vmalloc (vfree() may sleep): DEBUG_ATOMIC_SLEEP would splat, and the
 * guest runner fails the run, if it ever slept here.
 */
static void free_vmalloc_memory_in_atomic_context_test(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	/*
	 * Larger than kmalloc's biggest block, so kvmalloc uses vmalloc; no
	 * larger: with 64 KiB pages that is already 512 MiB (twice the page
	 * allocator's biggest block, as before, was 2 GiB: all the arm64
	 * guest's memory, and the allocation failed).
	 */
	size_t size = KMALLOC_MAX_SIZE + PAGE_SIZE;
	void *block = mos_alloc(size, MOS_GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, block);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(block));
	spin_lock(&lock);
	mos_free(block);
	spin_unlock(&lock);
}

/* An atomic allocation can be zeroed; freeing NULL is fine. */
static void atomic_zeroed_alloc_and_free_null_test(struct kunit *test)
{
	void *block = mos_alloc(64, MOS_GFP_ATOMIC | MOS_GFP_ZERO);

	KUNIT_EXPECT_NOT_NULL(test, block);
	KUNIT_EXPECT_NULL(test, memchr_inv(block, 0, 64));
	mos_free(block);
	mos_free(NULL);
}

/* The n-th allocation fails, and every one after it, until disarmed. */
static void fail_after_test(struct kunit *test)
{
	void *first, *second, *third;

	mos_alloc_fail_after(1);
	first = mos_alloc(32, MOS_GFP_KERNEL);
	second = mos_alloc(32, MOS_GFP_KERNEL);
	third = mos_alloc(32, MOS_GFP_KERNEL);
	mos_alloc_fail_after(-1);
	KUNIT_EXPECT_NOT_NULL(test, first);
	KUNIT_EXPECT_NULL(test, second);
	KUNIT_EXPECT_NULL(test, third);
	mos_free(first);
	second = mos_alloc(32, MOS_GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, second);
	mos_free(second);
}

static void atomic_context_is_seen_test(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);

	KUNIT_EXPECT_FALSE(test, mos_in_atomic());
	spin_lock(&lock);
	KUNIT_EXPECT_TRUE(test, mos_in_atomic());
	spin_unlock(&lock);
	mos_preempt_disable();
	KUNIT_EXPECT_TRUE(test, mos_in_atomic());
	mos_preempt_enable();
}

static struct kunit_case runtime_cases[] = {
	KUNIT_CASE(free_vmalloc_memory_in_atomic_context_test),
	KUNIT_CASE(atomic_zeroed_alloc_and_free_null_test),
	KUNIT_CASE(fail_after_test),
	KUNIT_CASE(atomic_context_is_seen_test),
	{}
};

static struct kunit_suite runtime_suite = {
	.name = "multios_runtime",
	.test_cases = runtime_cases,
};

kunit_test_suite(runtime_suite);
