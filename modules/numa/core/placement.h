/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Placement for the 'auto' policy: once per interval and range (or
 * task), given where its pages are and which nodes' CPUs touched it,
 * decide nothing, move the memory, move the task, or interleave, and say
 * why (enum mos_numa_reason). In order:
 *
 *   1. pinned after a ping-pong, too few samples, no pages: nothing;
 *   2. remote samples (an access from node i is remote for the share of
 *      pages not on i) under migration_threshold per mille: nothing;
 *   3. shared: the busiest accessor node has at most half the samples,
 *      so pulling the range to it leaves as many accesses remote as
 *      local: interleave over the nodes with at least a quarter of the
 *      busiest one's samples (the shim drops memory-less ones);
 *   4. moved within settle_intervals: nothing (hysteresis);
 *   5. cost: moving memory to the busiest node pays when its pages are
 *      at most the remote cost it removes (samples times extra SLIT
 *      distance, in units of the local distance 10) times
 *      pages_per_remote_sample. If it does not, and the task is the busy
 *      accessor and most of its pages sit on one other node, the task
 *      moves to them (a big footprint far away: cheaper to move the
 *      task). Either move, if it undoes the last one, pins instead.
 *
 * Integer only; the sums go through 128 bits (pages x samples x
 * distance), divided by math.h's div128_u64, never by libgcc. The cost
 * is (nodes with samples) x (nodes with pages) SLIT lookups per range:
 * small in practice, 1M at worst for 1024 nodes, so the shim calls it
 * from a work item, never from a fault.
 */
#ifndef MOS_NUMA_PLACEMENT_H
#define MOS_NUMA_PLACEMENT_H

#include <multios/numa.h>
#include <mos/result.h>

namespace mos::numa {

const char *action_name(uint32_t action);
const char *reason_name(uint32_t reason);

mos_numa_placement_knobs default_knobs();
Result<void> check_knobs(const mos_numa_placement_knobs &knobs);

/*
 * One interval's decision (see above); advances *state and counts the
 * reason in *stats (may be null). -MOS_EINVAL, with nothing written, for
 * bad input or knobs.
 */
Result<void> decide(const mos_numa_placement_input &input,
		    const mos_numa_placement_knobs &knobs, mos_numa_range_state *state,
		    mos_numa_decision *decision, mos_numa_placement_stats *stats);

} // namespace mos::numa

#endif /* MOS_NUMA_PLACEMENT_H */
