// SPDX-License-Identifier: GPL-2.0-only
//
// Nice values to weights, exactly as CFS has them (kernel/sched/core.c,
// sched_prio_to_weight[] and sched_prio_to_wmult[]): each nice step is
// about 10% of CPU, a factor of ~1.25 between neighbours, nice 0 = 1024.
#pragma once

#include <stdint.h>

namespace mos::sched {

inline constexpr uint32_t kNice0Weight = 1024;

struct Weight {
	uint32_t weight;	// share of the CPU, relative to kNice0Weight
	uint32_t inv;		// 2^32 / weight, so dividing is multiplying
};

bool nice_valid(int32_t nice);
// The weight of a valid nice value; nice 0's for anything else.
Weight nice_to_weight(int32_t nice);

// delta_ns of CPU time in the virtual time of a `w`-weighted entity:
// delta * 1024 / weight, without a division (the kernel's __calc_delta).
uint64_t to_virtual(uint64_t delta_ns, Weight w);

} // namespace mos::sched
