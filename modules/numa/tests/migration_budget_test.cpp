// SPDX-License-Identifier: GPL-2.0-only
//
// The migration budget against its promise over random call sequences:
// over every window of calls, pages granted <= burst + rate * elapsed,
// with elapsed measured on the latest time seen (the clock may jump back
// and far forward); and it is not stingy: a steady demand gets the rate.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include <multios/numa.h>

namespace {

constexpr uint64_t sec = 1000000000ull;

struct Call {
	uint64_t time;		/* the latest time seen so far */
	uint64_t granted;
};

/* Every window [i, j]: O(n^2) sums, fine at a few thousand calls. */
void expect_within_rate(const std::vector<Call> &calls, uint64_t rate, uint64_t burst)
{
	for (size_t i = 0; i < calls.size(); i++) {
		unsigned __int128 granted = 0;
		for (size_t j = i; j < calls.size(); j++) {
			granted += calls[j].granted;
			/* Credit at i's time is at most a burst; from then on, the rate. */
			unsigned __int128 allowed = burst + (unsigned __int128)rate *
						(calls[j].time - calls[i].time) / sec;
			ASSERT_LE((uint64_t)granted, (uint64_t)allowed)
				<< "calls " << i << ".." << j;
		}
	}
}

TEST(NumaBudget, NeverOverTheRateOverAnyWindow)
{
	std::mt19937_64 rng(1);
	for (uint32_t rate : {1u, 1000u, 262144u}) {
		for (uint32_t burst : {0u, rate / 4 + 1}) {
			uint64_t now = 5 * sec, latest = now;
			mos_numa_budget b;
			mos_numa_budget_init(&b, rate, burst, now);
			std::vector<Call> calls;
			uint64_t effective_burst = burst && burst < rate ? burst : rate;
			for (int i = 0; i < 3000; i++) {
				switch (rng() % 10) {
				case 0: now -= rng() % (now / 2 + 1); break;	/* back */
				case 1: now += rng() % (10 * sec); break;	/* a long gap */
				default: now += rng() % (sec / 50); break;
				}
				latest = std::max(latest, now);
				uint64_t want = rng() % (2 * rate + 2);
				uint64_t got = mos_numa_budget_take(&b, now, want);
				ASSERT_LE(got, want);
				calls.push_back({latest, got});
			}
			expect_within_rate(calls, rate, effective_burst);
		}
	}
}

TEST(NumaBudget, SteadyDemandGetsTheRate)
{
	mos_numa_budget b;
	mos_numa_budget_init(&b, 5003, 0, 0);
	uint64_t granted = mos_numa_budget_take(&b, 0, 1000000), last = 0;
	/*
	 * 100 s in steps of 7 ms, 35.021 pages' worth each: credit is kept in
	 * page-ns, so nothing is lost to rounding between calls and the
	 * total is exact.
	 */
	for (uint64_t t = 7000000; t <= 100 * sec; t += 7000000) {
		granted += mos_numa_budget_take(&b, t, 1000000);
		last = t;
	}
	EXPECT_EQ(granted, 5003u + 5003u * last / sec);
	mos_numa_budget_stats stats;
	mos_numa_budget_get_stats(&b, &stats);
	EXPECT_EQ(stats.granted, granted);
}

} // namespace
