// SPDX-License-Identifier: GPL-2.0-only
//
// Hysteresis and ping-pong detection per range (range_history.h).

#include "range_history.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

/* The pin doubles with each ping-pong, up to this many doublings. */
constexpr uint32_t max_pin_doublings = 4;

} // namespace

void RangeHistory::init(mos_numa_range_state *state)
{
	__builtin_memset(state, 0, sizeof(*state));
	state->intervals_since_move = never_moved;
}

void RangeHistory::tick()
{
	if (raw_.intervals_since_move != never_moved)
		raw_.intervals_since_move++;
}

bool RangeHistory::spend_pin()
{
	if (!raw_.pin_left)
		return false;
	raw_.pin_left--;
	return true;
}

bool RangeHistory::is_move_back(uint32_t kind, uint32_t from, uint32_t to,
				uint32_t window) const
{
	return raw_.last_move_kind == kind && raw_.last_from == to && raw_.last_to == from &&
	       raw_.intervals_since_move <= window;
}

void RangeHistory::pin(uint32_t pin_intervals)
{
	uint32_t doublings = raw_.ping_pongs < max_pin_doublings ? raw_.ping_pongs
								: max_pin_doublings;
	raw_.pin_left = pin_intervals << doublings;
	raw_.ping_pongs++;
}

void RangeHistory::record(const mos_numa_decision &decision, uint32_t from)
{
	raw_.last_action = decision.action;
	raw_.last_reason = decision.reason;
	if (decision.action == MOS_NUMA_ACT_NONE)
		return;
	raw_.intervals_since_move = 0;
	raw_.moves++;
	raw_.interleaved = decision.action == MOS_NUMA_ACT_INTERLEAVE;
	if (raw_.interleaved)
		raw_.interleave_fold = NodeSet::of(decision.nodes).fold64();
	raw_.last_move_kind = decision.action;
	raw_.last_from = from;
	raw_.last_to = decision.node;
}

} // namespace mos::numa
