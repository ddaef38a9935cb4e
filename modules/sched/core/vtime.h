// SPDX-License-Identifier: GPL-2.0-only
//
// Comparing u64 nanosecond times and virtual times the way the kernel
// does (time_before(), entity_before()): through the signed difference,
// so the order stays right across a wrap of the counter.
#pragma once

#include <stdint.h>

namespace mos::sched {

inline constexpr uint64_t kNever = ~0ull;

constexpr bool before(uint64_t a, uint64_t b)
{
	return int64_t(a - b) < 0;
}

constexpr uint64_t later_of(uint64_t a, uint64_t b)
{
	return before(a, b) ? b : a;
}

constexpr uint64_t earlier_of(uint64_t a, uint64_t b)
{
	return before(a, b) ? a : b;
}

// The sooner of two event times where kNever means "no event": kNever is
// not a time, and a wrap-safe compare would call it the past.
constexpr uint64_t sooner_event(uint64_t a, uint64_t b)
{
	if (a == kNever)
		return b;
	if (b == kNever)
		return a;
	return earlier_of(a, b);
}

} // namespace mos::sched
