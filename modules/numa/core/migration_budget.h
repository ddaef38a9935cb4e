/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MigrationBudget: how many pages the machine may migrate, a token
 * bucket refilled at `rate` pages per second up to `burst` pages (one
 * second's worth at most: a longer idle spell must not buy a storm of
 * migrations that starves the tasks of memory bandwidth).
 *
 * Integer only. Credit is kept in page-nanoseconds (one page is
 * ns_per_sec of them), so a refill is elapsed_ns * rate with no division
 * and no rounding loss between calls. A gap is capped at one second
 * before multiplying: the bucket is full after a second anyway, and the
 * product then fits 64 bits for any u32 rate.
 *
 * The clock is the caller's and monotonic in principle. A time earlier
 * than one seen before counts as no time passed, and the budget keeps
 * counting from the latest time it saw: skew between CPUs can then only
 * slow migration down, never let more through than the rate.
 */
#ifndef MOS_NUMA_MIGRATION_BUDGET_H
#define MOS_NUMA_MIGRATION_BUDGET_H

#include <stdint.h>

namespace mos::numa {

class MigrationBudget {
public:
	static constexpr uint64_t ns_per_sec = 1000000000ull;

	/* rate 0: migration off. burst 0 or over the rate: the rate. Starts full. */
	MigrationBudget(uint32_t pages_per_sec, uint32_t burst_pages, uint64_t now_ns);

	/* Keeps what was earned at the old rate, up to the new burst. */
	void set_rate(uint32_t pages_per_sec, uint32_t burst_pages, uint64_t now_ns);

	/* Up to `pages` pages granted and spent now. */
	uint64_t take(uint64_t now_ns, uint64_t pages);

	uint64_t granted() const { return granted_; }
	uint64_t refused() const { return refused_; }

private:
	void refill(uint64_t now_ns);

	uint64_t rate_;		/* pages per second */
	uint64_t capacity_;	/* burst, in page-ns */
	uint64_t credit_;	/* page-ns */
	uint64_t last_ns_;	/* latest time seen */
	uint64_t granted_ = 0;
	uint64_t refused_ = 0;
};

} // namespace mos::numa

#endif /* MOS_NUMA_MIGRATION_BUDGET_H */
