// SPDX-License-Identifier: GPL-2.0-only
//
// Setting an entity up and changing its class. The storage is the shim's
// (inside task_struct); these only ever construct into it.

#include "entity_ops.h"

#include <mos/new.h>
#include "edf_params.h"
#include "runqueue.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

static_assert(sizeof(Entity) <= sizeof(mos_sched_entity),
	      "MOS_SCHED_ENTITY_SIZE is too small for Entity");
static_assert(alignof(Entity) <= alignof(mos_sched_entity),
	      "mos_sched_entity is under-aligned for Entity");

Entity *construct(mos_sched_entity *storage)
{
	Entity *se = new (storage) Entity{};
	se->fair.weight = nice_to_weight(0);
	se->mem_node = -1;
	return se;
}

Result<void> set_fair(Entity &se, int32_t nice)
{
	if (!nice_valid(nice))
		return Error(-MOS_EINVAL);
	if (se.queued || se.place != Place::None)
		return Error(-MOS_EBUSY);
	se.policy = Policy::Fair;
	se.fair.nice = nice;
	se.fair.weight = nice_to_weight(nice);
	// Its old vruntime (if any) is stale after a stay in EDF: place it
	// afresh at the queue's min_vruntime when it is next enqueued.
	se.fair.placed = false;
	se.fair.relative = false;
	return {};
}

Result<void> set_edf(Entity &se, const mos_sched_edf_params &p)
{
	MOS_TRY(check_edf_params(p));
	if (se.queued || se.place != Place::None)
		return Error(-MOS_EBUSY);
	se.policy = Policy::Edf;
	EdfState &dl = se.edf;
	dl.dl_runtime = p.runtime_ns;
	dl.dl_deadline = p.deadline_ns;
	dl.dl_period = p.period_ns;
	dl.bw = edf_bandwidth(p);
	dl.fresh = true;	// the first enqueue gives it a deadline
	dl.throttled = false;
	dl.miss_counted = false;
	return {};
}

Result<void> set_nice(Entity &se, int32_t nice, uint64_t now)
{
	if (se.rq)
		return se.rq->set_nice(se, nice, now);
	if (!nice_valid(nice))
		return Error(-MOS_EINVAL);
	se.fair.nice = nice;
	// An EDF entity keeps its nice for its return to the fair class.
	if (!se.is_edf())
		se.fair.weight = nice_to_weight(nice);
	return {};
}

void entity_stats(const Entity &se, mos_sched_entity_stats &out)
{
	out = {};
	out.policy = int32_t(se.policy);
	out.nice = se.fair.nice;
	out.sum_exec_ns = se.sum_exec;
	out.nr_picks = se.nr_picks;
	out.vruntime = se.fair.vruntime;
	out.wait_start = se.wait_start;
	out.edf_deadline = se.edf.deadline;
	out.edf_runtime_left = se.edf.runtime;
	out.edf_bw = uint64_t(se.edf.bw.raw());
	out.edf_misses = se.edf.misses;
	out.edf_throttles = se.edf.throttles;
	out.edf_throttled = se.edf.throttled;
}

} // namespace mos::sched
