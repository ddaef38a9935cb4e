// SPDX-License-Identifier: GPL-2.0-only
/*
 * main() for the host suites: routes mos_warn() and mos_test_fail() into
 * GoogleTest failures, and resets the runtime's test hooks per test. Also
 * the runner of shared ktest bodies (run_ktest_case()).
 */
#include <atomic>
#include <gtest/gtest.h>

#include "test_support.h"

namespace {

std::atomic<int> expecting_warnings;

void fail_on_warning(const char *file, int line, const char *what)
{
	if (expecting_warnings.load() == 0)
		ADD_FAILURE_AT(file, line) << "unexpected mos_warn: " << what;
}

void fail_test(struct mos_test *, const char *file, int line, const char *what)
{
	ADD_FAILURE_AT(file, line) << what;
}

/* Leaves the runtime as each test found it: no injected failures. */
class RuntimeReset : public testing::EmptyTestEventListener {
	void OnTestEnd(const testing::TestInfo &) override
	{
		mos_alloc_fail_after(-1);
	}
};

} // namespace

namespace mos_host_test {

ExpectWarnings::ExpectWarnings() : start_(mos_host_warn_count())
{
	expecting_warnings++;
}

ExpectWarnings::~ExpectWarnings()
{
	expecting_warnings--;
}

void run_ktest_case(void (*body)(struct mos_test *))
{
	long live = mos_host_live_allocs();
	int depth = mos_host_preempt_depth();
	mos_test t{};
	body(&t);
	EXPECT_EQ(t.failures, 0u);
	EXPECT_EQ(mos_host_live_allocs(), live) << "the case leaked memory";
	EXPECT_EQ(mos_host_preempt_depth(), depth);
}

} // namespace mos_host_test

int main(int argc, char **argv)
{
	testing::InitGoogleTest(&argc, argv);
	testing::FLAGS_gtest_death_test_style = "threadsafe";
	mos_host_set_warn_hook(fail_on_warning);
	mos_host_set_test_fail_hook(fail_test);
	testing::UnitTest::GetInstance()->listeners().Append(new RuntimeReset);
	return RUN_ALL_TESTS();
}
