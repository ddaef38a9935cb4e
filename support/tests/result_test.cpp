// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include <mos/alloc.h>
#include <mos/result.h>

#include "test_support.h"

namespace {

static_assert(mos::is_trivially_copyable_v<mos::Result<int>>,
	      "Result<int> must come back in registers");
static_assert(mos::is_trivially_copyable_v<mos::Result<void>>);
static_assert(sizeof(mos::Result<int>) == 2 * sizeof(int));
static_assert(!mos::is_trivially_copyable_v<mos::Result<mos::OwnedPtr<int>>>);

int steps;

mos::Result<int> step(int fail_at, int value)
{
	steps++;
	if (steps == fail_at)
		return mos::Error(-MOS_ENOSPC);
	return value;
}

mos::Result<int> three_steps(int fail_at)
{
	int a = MOS_TRY(step(fail_at, 1));
	MOS_TRY_ASSIGN(int b, step(fail_at, 10));
	int c = 0;
	MOS_TRY_ASSIGN(c, step(fail_at, 100));
	return a + b + c;
}

mos::Result<void> outer(int fail_at, int *sum)
{
	*sum = MOS_TRY(three_steps(fail_at));
	return {};
}

TEST(Result, TryPropagatesTheFirstErrorAndStops)
{
	for (int fail_at = 1; fail_at <= 3; fail_at++) {
		steps = 0;
		int sum = -1;
		auto r = outer(fail_at, &sum);
		ASSERT_TRUE(r.is_error());
		EXPECT_EQ(r.error(), -MOS_ENOSPC);
		EXPECT_EQ(steps, fail_at) << "steps after a failure ran";
		EXPECT_EQ(sum, -1);
	}
	steps = 0;
	int sum = 0;
	EXPECT_TRUE(outer(0, &sum).is_ok());
	EXPECT_EQ(sum, 111);
}

struct Tracked {
	static inline int live = 0;
	int v;
	explicit Tracked(int x) : v(x) { live++; }
	Tracked(Tracked &&o) : v(o.v) { live++; }
	Tracked(const Tracked &o) : v(o.v) { live++; }
	~Tracked() { live--; }
};

TEST(Result, NonTrivialValuesAreDestroyedExactlyOnce)
{
	{
		mos::Result<Tracked> a(Tracked(5));
		mos::Result<Tracked> b = a;
		mos::Result<Tracked> c = mos::move(a);
		mos::Result<Tracked> e(mos::Error(-MOS_EIO));
		e = b;
		EXPECT_EQ(e.value().v, 5);
		b = mos::Result<Tracked>(mos::Error(-MOS_EIO));
		EXPECT_TRUE(b.is_error());
		EXPECT_EQ(Tracked::live, 3); /* a (moved-from), c, e */
	}
	EXPECT_EQ(Tracked::live, 0);
}

TEST(Result, MoveOnlyValuesMoveThrough)
{
	auto make = []() -> mos::Result<mos::OwnedPtr<int>> {
		MOS_TRY_ASSIGN(auto p, mos::make_owned<int>(mos::Gfp::Kernel, 9));
		return p;
	};
	auto r = make();
	ASSERT_TRUE(r.is_ok());
	mos::OwnedPtr<int> p = r.release_value();
	EXPECT_EQ(*p, 9);
}

TEST(Result, ValueOrAndToErrno)
{
	EXPECT_EQ(mos::Result<int>(mos::Error(-MOS_EBUSY)).value_or(4), 4);
	EXPECT_EQ(mos::Result<int>(3).value_or(4), 3);
	EXPECT_EQ(mos::to_errno(mos::Result<void>(mos::Error(-MOS_EBUSY))), -MOS_EBUSY);
	EXPECT_EQ(mos::to_errno(mos::Result<void>()), 0);
}

TEST(Result, ErrorWithAPositiveErrnoWarnsAndBecomesEinval)
{
	mos_host_test::ExpectWarnings expect;
	mos::Error e(MOS_ENOMEM);
	EXPECT_EQ(e.code(), -MOS_EINVAL);
	EXPECT_EQ(expect.count(), 1u);
}

#ifndef MOS_TSAN
TEST(ResultDeathTest, MisuseIsABug)
{
	EXPECT_DEATH((void)mos::Result<int>(mos::Error(-MOS_EIO)).value(),
		     "BUG: .*result_test.cpp:[0-9]+: Result::value\\(\\) on an error");
	EXPECT_DEATH((void)mos::Result<int>(1).error(), "Result::error\\(\\) on a value");
	EXPECT_DEATH((void)mos::Result<void>().error(), "Result::error\\(\\) on success");
}
#endif

} // namespace
