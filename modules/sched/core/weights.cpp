// SPDX-License-Identifier: GPL-2.0-only
//
// The nice-to-weight tables. Copied from Linux so that a nice value means
// here what it means under CFS: users and benchmarks compare the two.

#include "weights.h"

#include <mos/math.h>
#include <multios/sched.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

constexpr uint32_t kWeights[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548,  7620,  6100,  4904,  3906,
	/*  -5 */ 3121,  2501,  1991,  1586,  1277,
	/*   0 */ 1024,  820,   655,   526,   423,
	/*   5 */ 335,   272,   215,   172,   137,
	/*  10 */ 110,   87,    70,    56,    45,
	/*  15 */ 36,    29,    23,    18,    15,
};

constexpr uint32_t kInverse[40] = {
	/* -20 */ 48388,     59856,     76040,     92818,     118348,
	/* -15 */ 147320,    184698,    229616,    287308,    360437,
	/* -10 */ 449829,    563644,    704093,    875809,    1099582,
	/*  -5 */ 1376151,   1717300,   2157191,   2708050,   3363326,
	/*   0 */ 4194304,   5237765,   6557202,   8165337,   10153587,
	/*   5 */ 12820798,  15790321,  19976592,  24970740,  31350126,
	/*  10 */ 39045157,  49367440,  61356676,  76695844,  95443717,
	/*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};

// The tables are each other's inverse; a typo in either breaks fairness.
constexpr bool tables_agree()
{
	for (int i = 0; i < 40; i++) {
		uint64_t product = uint64_t(kWeights[i]) * kInverse[i];
		uint64_t err = product > (1ull << 32) ? product - (1ull << 32)
						      : (1ull << 32) - product;
		if (err > kWeights[i])
			return false;
	}
	return true;
}
static_assert(tables_agree());
static_assert(kWeights[20] == kNice0Weight);

} // namespace

bool nice_valid(int32_t nice)
{
	return nice >= MOS_SCHED_NICE_MIN && nice <= MOS_SCHED_NICE_MAX;
}

Weight nice_to_weight(int32_t nice)
{
	if (!nice_valid(nice))
		nice = 0;
	int i = nice - MOS_SCHED_NICE_MIN;
	return {kWeights[i], kInverse[i]};
}

uint64_t to_virtual(uint64_t delta_ns, Weight w)
{
	if (w.weight == kNice0Weight)
		return delta_ns;
	// 1024 * inv < 2^39, so the product needs 128 bits only for deltas
	// beyond 2^25 s; the shift brings it back below 2^64 for any delta
	// a run queue clock can produce.
	u128 product = u128(delta_ns) * (uint64_t(kNice0Weight) * w.inv);
	return uint64_t(product >> 32);
}

} // namespace mos::sched
