// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include <mos/alloc.h>
#include <mos/cache.h>
#include <mos/lock.h>

#include "test_support.h"

namespace {

struct Counted {
	static inline int constructed = 0, destroyed = 0;
	int a, b;
	Counted(int x = 1, int y = 2) : a(x), b(y) { constructed++; }
	virtual ~Counted() { destroyed++; }
};

struct Derived : Counted {
	int extra = 3;
};

class AllocTest : public testing::Test {
protected:
	void SetUp() override
	{
		Counted::constructed = Counted::destroyed = 0;
		live_ = mos_host_live_allocs();
	}
	void TearDown() override
	{
		EXPECT_EQ(Counted::constructed, Counted::destroyed);
		EXPECT_EQ(mos_host_live_allocs(), live_) << "leaked";
	}
	long live_ = 0;
};

TEST_F(AllocTest, ObjectIsConstructedWithArgumentsAndFreed)
{
	Counted *c = mos::alloc_object<Counted>(mos::Gfp::Kernel, 5, 6);
	ASSERT_NE(c, nullptr);
	EXPECT_EQ(c->a + c->b, 11);
	EXPECT_EQ(mos_host_live_allocs(), live_ + 1);
	mos::free_object(c);
	mos::free_object<Counted>(nullptr);
	EXPECT_EQ(Counted::destroyed, 1);
}

TEST_F(AllocTest, FailAfterCountsAllocationsThenFailsAllOfThem)
{
	mos_alloc_fail_after(2);
	Counted *ok1 = mos::alloc_object<Counted>(mos::Gfp::Kernel);
	Counted *ok2 = mos::alloc_object<Counted>(mos::Gfp::Atomic);
	Counted *fail1 = mos::alloc_object<Counted>(mos::Gfp::Kernel);
	Counted *fail2 = mos::alloc_object<Counted>(mos::Gfp::Kernel);
	mos_alloc_fail_after(-1);
	EXPECT_NE(ok1, nullptr);
	EXPECT_NE(ok2, nullptr);
	EXPECT_EQ(fail1, nullptr);
	EXPECT_EQ(fail2, nullptr);
	EXPECT_EQ(Counted::constructed, 2) << "constructed into a failed allocation";
	mos::free_object(ok1);
	mos::free_object(ok2);
}

TEST_F(AllocTest, MakeOwnedReturnsEnomem)
{
	mos_alloc_fail_after(0);
	auto r = mos::make_owned<Counted>(mos::Gfp::Kernel);
	mos_alloc_fail_after(-1);
	ASSERT_TRUE(r.is_error());
	EXPECT_EQ(r.error(), -MOS_ENOMEM);
	EXPECT_EQ(Counted::constructed, 0);
}

TEST_F(AllocTest, OwnedPtrMovesOwnership)
{
	auto r = mos::make_owned<Counted>(mos::Gfp::Kernel, 7);
	ASSERT_TRUE(r.is_ok());
	mos::OwnedPtr<Counted> a = r.release_value();
	mos::OwnedPtr<Counted> b = mos::move(a);
	EXPECT_FALSE(a);
	ASSERT_TRUE(b);
	EXPECT_EQ(b->a, 7);
	a = mos::move(b);
	EXPECT_EQ((*a).a, 7);
	EXPECT_EQ(Counted::destroyed, 0);
	a = mos::move(a); /* self-move keeps the object */
	EXPECT_TRUE(a);
	a.reset();
	EXPECT_EQ(Counted::destroyed, 1);
}

TEST_F(AllocTest, OwnedPtrToBaseDestroysTheDerivedObject)
{
	auto r = mos::make_owned<Derived>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	mos::OwnedPtr<Counted> base = r.release_value();
	EXPECT_EQ(static_cast<Derived *>(base.get())->extra, 3);
	base = nullptr;
	EXPECT_EQ(Counted::destroyed, 1);
}

TEST_F(AllocTest, LeakHandsOwnershipBack)
{
	auto r = mos::make_owned<Counted>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	Counted *raw = r.value().leak();
	EXPECT_FALSE(r.value());
	mos::free_object(raw);
}

TEST_F(AllocTest, ArrayErrors)
{
	auto zero = mos::alloc_array<Counted>(mos::Gfp::Kernel, 0);
	EXPECT_EQ(zero.error(), -MOS_EINVAL);
	auto huge = mos::alloc_array<Counted>(mos::Gfp::Kernel, SIZE_MAX / sizeof(Counted) + 1);
	EXPECT_EQ(huge.error(), -MOS_EOVERFLOW);
	auto huge_aligned = mos::alloc_array<mos::CacheAligned<int>>(mos::Gfp::Kernel,
								      (SIZE_MAX >> 6) - 1);
	EXPECT_EQ(huge_aligned.error(), -MOS_EOVERFLOW);
	mos_alloc_fail_after(0);
	auto nomem = mos::alloc_array<Counted>(mos::Gfp::Kernel, 4);
	mos_alloc_fail_after(-1);
	EXPECT_EQ(nomem.error(), -MOS_ENOMEM);
}

TEST_F(AllocTest, ArrayConstructsAndDestroysEveryElement)
{
	auto r = mos::alloc_array<Counted>(mos::Gfp::Kernel, 5);
	ASSERT_TRUE(r.is_ok());
	EXPECT_EQ(Counted::constructed, 5);
	mos::free_array(r.value(), 5);
	EXPECT_EQ(Counted::destroyed, 5);

	auto owned = mos::OwnedArray<Counted>::create(mos::Gfp::Kernel, 3);
	ASSERT_TRUE(owned.is_ok());
	mos::OwnedArray<Counted> moved = owned.release_value();
	EXPECT_EQ(moved.size(), 3u);
	int sum = 0;
	for (Counted &c : moved)
		sum += c.a;
	EXPECT_EQ(sum, 3);
}

TEST_F(AllocTest, OverAlignedTypesAreAligned)
{
	for (size_t n = 1; n < 20; n++) {
		auto r = mos::OwnedArray<mos::CacheAligned<char[100]>>::create(mos::Gfp::Kernel, n);
		ASSERT_TRUE(r.is_ok());
		EXPECT_TRUE(mos::is_aligned(r.value().data(), MOS_CACHELINE_BYTES)) << n;
	}
	auto *one = mos::alloc_object<mos::CacheAligned<int>>(mos::Gfp::Kernel, 4);
	ASSERT_NE(one, nullptr);
	EXPECT_TRUE(mos::is_aligned(one, MOS_CACHELINE_BYTES));
	EXPECT_EQ(**one, 4);
	mos::free_object(one);
}

TEST_F(AllocTest, ZeroFlagZeroes)
{
	for (int i = 0; i < 8; i++) {
		auto *p = static_cast<unsigned char *>(
			mos_alloc(200, mos::to_raw(mos::Gfp::Kernel | mos::Gfp::Zero)));
		ASSERT_NE(p, nullptr);
		for (int j = 0; j < 200; j++)
			ASSERT_EQ(p[j], 0);
		memset(p, 0xa5, 200); /* dirty it for the next round */
		mos_free(p);
	}
}

TEST_F(AllocTest, KernelAllocationUnderSpinlockIsReported)
{
	constinit static mos::LockClass cls{"alloc_test"};
	mos::SpinLock lock;
	lock.init(cls);
	mos_host_test::ExpectWarnings expect;
	{
		mos::SpinGuard guard(lock);
		mos::free_object(mos::alloc_object<int>(mos::Gfp::Atomic));
		EXPECT_EQ(expect.count(), 0u);
		mos::free_object(mos::alloc_object<int>(mos::Gfp::Kernel));
	}
	EXPECT_EQ(expect.count(), 1u);
}

} // namespace
