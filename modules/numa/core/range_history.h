/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RangeHistory: what one range (or task) remembers between placement
 * intervals, so that 'auto' does not chase noise. Two rules:
 *
 *   settle     after a move, the range stays put for settle_intervals
 *              intervals: its new samples must first show the effect;
 *   ping-pong  a move straight back to where the last one came from,
 *              within pingpong_window intervals, is not made. The range
 *              is pinned instead, for pin_intervals, doubled for each
 *              ping-pong it already had (up to 16x): two nodes that take
 *              turns at it share it, and moving it is pure cost.
 *
 * The state is the C ABI's struct mos_numa_range_state, viewed in place.
 */
#ifndef MOS_NUMA_RANGE_HISTORY_H
#define MOS_NUMA_RANGE_HISTORY_H

#include <stdint.h>

#include <multios/numa.h>

#include "node_set.h"

namespace mos::numa {

class RangeHistory {
public:
	static constexpr uint32_t never_moved = UINT32_MAX;

	static RangeHistory &of(mos_numa_range_state &state)
	{
		return reinterpret_cast<RangeHistory &>(state);
	}

	static void init(mos_numa_range_state *state);

	/* A new interval began. */
	void tick();
	/* Still pinned after a ping-pong: spends one interval of the pin. */
	bool spend_pin();
	bool settling(uint32_t settle_intervals) const
	{
		return raw_.intervals_since_move <= settle_intervals;
	}
	/*
	 * Interleaved last, over a set that covers every busy node? Both
	 * sets folded to 64 bits (NodeSet::fold64()).
	 */
	bool interleaved_over(uint64_t busy_fold) const
	{
		return raw_.interleaved && !(busy_fold & ~raw_.interleave_fold);
	}

	/* Would moving (kind) from -> to undo the last move, recently? */
	bool is_move_back(uint32_t kind, uint32_t from, uint32_t to, uint32_t window) const;
	/* The move was refused as a ping-pong: pin the range. */
	void pin(uint32_t pin_intervals);
	/* Remembers the decision; a move or interleave restarts settling. */
	void record(const mos_numa_decision &decision, uint32_t from);

private:
	mos_numa_range_state raw_;
};

static_assert(sizeof(RangeHistory) == sizeof(mos_numa_range_state) &&
		      __is_standard_layout(RangeHistory),
	      "RangeHistory::of() views a mos_numa_range_state in place");

} // namespace mos::numa

#endif /* MOS_NUMA_RANGE_HISTORY_H */
