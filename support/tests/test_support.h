// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test harness. Every mos_warn() during a test is a failure at the
 * warning's file and line, unless the test declared it expects warnings
 * with an ExpectWarnings scope (which then counts them).
 */
#ifndef MOS_TEST_SUPPORT_H
#define MOS_TEST_SUPPORT_H

#include "mos_host.h"

namespace mos_host_test {

class ExpectWarnings {
public:
	ExpectWarnings();
	~ExpectWarnings();
	ExpectWarnings(const ExpectWarnings &) = delete;
	ExpectWarnings &operator=(const ExpectWarnings &) = delete;

	/* Warnings since this scope began. */
	unsigned long count() const { return mos_host_warn_count() - start_; }

private:
	unsigned long start_;
};

/*
 * Runs one shared KUnit/host test body (a MOS_KT_*_CASES entry) in the
 * current GoogleTest test, and checks what KUnit cannot see cheaply: that
 * the body reported no failure, left no block allocated and left
 * preemption balanced.
 */
void run_ktest_case(void (*body)(struct mos_test *));

} // namespace mos_host_test

#endif /* MOS_TEST_SUPPORT_H */
