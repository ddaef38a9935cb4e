// SPDX-License-Identifier: GPL-2.0-only
/* type_traits, utility, cache, container_of and log: the small headers. */
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <string>

#include <mos/cache.h>
#include <mos/container_of.h>
#include <mos/log.h>
#include <mos/type_traits.h>
#include <mos/utility.h>

#include "test_support.h"

namespace {

struct NonTrivial {
	~NonTrivial() {}
};
struct Base {};
struct Derived : Base {};

static_assert(mos::is_same_v<mos::remove_cvref_t<const int &>, int>);
static_assert(!mos::is_same_v<int, long>);
static_assert(mos::is_integral_v<const unsigned long>);
static_assert(!mos::is_integral_v<int *>);
static_assert(mos::is_signed_v<int> && !mos::is_signed_v<unsigned>);
static_assert(mos::is_unsigned_v<unsigned char> && !mos::is_unsigned_v<int>);
static_assert(mos::is_pointer_v<int *> && !mos::is_pointer_v<int>);
static_assert(mos::is_trivially_destructible_v<int>);
static_assert(!mos::is_trivially_destructible_v<NonTrivial>);
static_assert(mos::is_convertible_v<Derived *, Base *>);
static_assert(!mos::is_convertible_v<Base *, Derived *>);
static_assert(mos::is_same_v<mos::conditional_t<true, int, long>, int>);
static_assert(mos::align_up(65, 64) == 128 && mos::align_up(64, 64) == 64);
static_assert(mos::is_power_of_2(4096) && !mos::is_power_of_2(0) && !mos::is_power_of_2(6));

TEST(Utility, MoveForwardExchangeSwap)
{
	std::string a = "left", b = "right";
	mos::swap(a, b);
	EXPECT_EQ(a, "right");
	EXPECT_EQ(mos::exchange(a, std::string("new")), "right");
	std::string moved = mos::move(b);
	EXPECT_EQ(moved, "left");
	EXPECT_EQ(mos::min(3, 4), 3);
	EXPECT_EQ(mos::max(3, 4), 4);
	auto forwarded = [](auto &&v) { return std::string(mos::forward<decltype(v)>(v)); };
	std::string keep = "kept";
	EXPECT_EQ(forwarded(keep), "kept");
	EXPECT_EQ(keep, "kept") << "an lvalue was moved from";
}

TEST(Cache, CacheAlignedNeighboursDoNotShareLines)
{
	mos::CacheAligned<int> pair[2] = {mos::CacheAligned<int>(1), mos::CacheAligned<int>(2)};
	EXPECT_EQ((char *)&pair[1] - (char *)&pair[0], MOS_CACHELINE_BYTES);
	EXPECT_TRUE(mos::is_aligned(&pair[0], MOS_CACHELINE_BYTES));
	EXPECT_EQ(*pair[1], 2);
}

struct Holder {
	virtual ~Holder() = default; /* polymorphic: the vptr is at offset 0 */
	int before = 0;
	long node = 0;
};

TEST(ContainerOf, RecoversTheObjectFromItsMember)
{
	Holder h;
	EXPECT_EQ(mos::container_of(&h.node, &Holder::node), &h);
	const Holder &ch = h;
	EXPECT_EQ(mos::container_of(&ch.node, &Holder::node), &h);
	EXPECT_EQ(mos::member_offset(&Holder::node), (char *)&h.node - (char *)&h);
}

TEST(Log, LevelsAreFilteredAndFormatted)
{
	testing::internal::CaptureStderr();
	mos::log::err("disk %d failed: %s", 3, "EIO");
	mos::log::debug("not shown at the default level");
	mos_host_set_log_level(MOS_LOG_DEBUG);
	mos::log::debug("now %u", 7u);
	mos_host_set_log_level(MOS_LOG_INFO);
	std::string out = testing::internal::GetCapturedStderr();
	EXPECT_NE(out.find("mos err: disk 3 failed: EIO"), std::string::npos) << out;
	EXPECT_EQ(out.find("not shown"), std::string::npos) << out;
	EXPECT_NE(out.find("mos debug: now 7"), std::string::npos) << out;
}

TEST(Log, WarnOnYieldsTheConditionAndReportsOnlyWhenTrue)
{
	mos_host_test::ExpectWarnings expect;
	int evaluations = 0;
	EXPECT_FALSE(MOS_WARN_ON(++evaluations == 0));
	EXPECT_EQ(expect.count(), 0u);
	EXPECT_TRUE(MOS_WARN_ON(++evaluations == 2));
	EXPECT_EQ(expect.count(), 1u);
	EXPECT_EQ(evaluations, 2) << "condition evaluated more than once";
}

TEST(Harness, AnUnexpectedWarningFailsTheTest)
{
	EXPECT_NONFATAL_FAILURE(mos_warn("file.cpp", 12, "surprise"),
				"unexpected mos_warn: surprise");
}

#ifndef MOS_TSAN
TEST(LogDeathTest, BugOnStopsWithFileAndLine)
{
	EXPECT_DEATH(MOS_BUG_ON(1 + 1 == 2), "BUG: .*misc_test.cpp:[0-9]+: BUG_ON\\(1 \\+ 1 == 2\\)");
}
#endif

} // namespace
