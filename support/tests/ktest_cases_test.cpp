// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the shared KUnit/host bodies of ktest/ under GoogleTest, one TEST
 * per X(name), through run_ktest_case(), which also checks what KUnit
 * cannot see cheaply: that a body leaves no block allocated and
 * preemption balanced. Also proves the ktest vocabulary reports failures
 * at all.
 */
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include <mos/ktest.h>
#include <mos/result.h>

#include "ktest/ktest_cases.h"
#include "test_support.h"

namespace {

#define MOS_KT_GTEST(name) \
	TEST(KtestCases, name) { mos_host_test::run_ktest_case(mos_kt_##name); }
MOS_KT_SUPPORT_CASES(MOS_KT_GTEST)

/* ---- the vocabulary itself --------------------------------------------------- */

std::vector<std::string> captured;

void capture(struct mos_test *, const char *, int, const char *what)
{
	captured.push_back(what);
}

/* Runs body with failures captured instead of reported. */
unsigned long run_captured(void (*body)(struct mos_test *))
{
	captured.clear();
	mos_test t{};
	mos_host_set_test_fail_hook(capture);
	body(&t);
	mos_host_set_test_fail_hook([](struct mos_test *, const char *file,
				       int line, const char *what) {
		ADD_FAILURE_AT(file, line) << what;
	});
	return t.failures;
}

bool reached_after_assert;

void failing_body(struct mos_test *t)
{
	int three = 3;
	MOS_KT_EXPECT(t, three == 4);
	MOS_KT_EXPECT_EQ(t, three, 4);
	MOS_KT_EXPECT_EQ(t, three, 3); /* passes: not reported */
	MOS_KT_EXPECT_ERR(t, mos::Result<int>(1), -MOS_EINVAL);
	const char *why = "red node with a red child";
	MOS_KT_EXPECT_EQ(t, why, nullptr);
	MOS_KT_ASSERT_LT(t, three, 2);
	reached_after_assert = true;
}

TEST(KtestVocabulary, ReportsFailuresWithValuesAndAssertReturns)
{
	reached_after_assert = false;
	EXPECT_EQ(run_captured(failing_body), 5u);
	ASSERT_EQ(captured.size(), 5u);
	EXPECT_EQ(captured[0], "EXPECT(three == 4)");
	EXPECT_EQ(captured[1], "three == 4 (3 vs 4)");
	EXPECT_EQ(captured[2], "EXPECT_ERR(mos::Result<int>(1)) got a value");
	EXPECT_EQ(captured[3], "why == nullptr (\"red node with a red child\" vs ptr 0)");
	EXPECT_EQ(captured[4], "three < 2 (3 vs 2)");
	EXPECT_FALSE(reached_after_assert);
}

void passing_body(struct mos_test *t)
{
	MOS_KT_EXPECT_EQ(t, 2 + 2, 4);
	MOS_KT_EXPECT_ERR(t, mos::Result<int>(mos::Error(-MOS_EIO)), -MOS_EIO);
	MOS_KT_ASSERT_GE(t, 5u, 5u);
	reached_after_assert = true;
}

TEST(KtestVocabulary, PassingChecksReportNothing)
{
	reached_after_assert = false;
	EXPECT_EQ(run_captured(passing_body), 0u);
	EXPECT_TRUE(captured.empty());
	EXPECT_TRUE(reached_after_assert);
}

} // namespace
