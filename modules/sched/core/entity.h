// SPDX-License-Identifier: GPL-2.0-only
//
// Entity: what the scheduler keeps per task, living in the opaque
// struct mos_sched_entity the shim embeds in task_struct. One RbNode
// serves all three trees an entity can be in (fair, EDF, throttled),
// because it is in at most one of them at a time.
#pragma once

#include <stdint.h>
#include <mos/fixed.h>
#include <mos/list.h>
#include <mos/rbtree.h>
#include <multios/sched.h>

#include "vtime.h"
#include "weights.h"

namespace mos::sched {

class Runqueue;

// A fraction of one CPU with the kernel's BW_SHIFT fraction bits.
using Bandwidth = Fixed<MOS_SCHED_BW_SHIFT>;

enum class Policy : uint8_t { Fair = MOS_SCHED_POLICY_FAIR, Edf = MOS_SCHED_POLICY_EDF };

// Where the entity is. Current is outside every tree, like CFS's curr.
enum class Place : uint8_t { None, FairTree, EdfTree, Throttled, Current };

struct FairState {
	uint64_t vruntime;
	Weight weight;
	int32_t nice;
	bool placed;	// vruntime means something on some queue
	bool relative;	// detached: vruntime is an offset from min_vruntime
};

struct EdfState {
	// The reservation, relative: runtime <= deadline <= period.
	uint64_t dl_runtime;
	uint64_t dl_deadline;
	uint64_t dl_period;
	Bandwidth bw;
	// The current job: absolute deadline, budget left (negative: overran).
	uint64_t deadline;
	int64_t runtime;
	bool fresh;		// no deadline yet: the first enqueue sets one
	bool throttled;		// budget spent; waits for the next period
	bool miss_counted;	// this deadline's miss is already counted
	uint64_t misses;
	uint64_t throttles;

	// The start of the next period, when a throttled budget comes back.
	uint64_t replenish_at() const { return deadline - dl_deadline + dl_period; }
};

struct Entity {
	RbNode node;
	Runqueue *rq;		// the queue it is runnable on, or nullptr
	Policy policy;
	Place place;
	bool queued;		// between enqueue and dequeue
	uint64_t exec_start;	// when it last became current or was charged
	uint64_t sum_exec;
	uint64_t slice_start;	// sum_exec when it became current
	uint64_t nr_picks;
	// Fair and waiting in the tree: on its queue's list in the order
	// they started to wait, since wait_start (see FairQueue::overdue()).
	ListNode wait_node;
	uint64_t wait_start;
	FairState fair;
	EdfState edf;
	// The NUMA node its memory is bound to, as the shim last saw it (-1:
	// none). Kept here for the domain tree's placement; the queues
	// never read it.
	int32_t mem_node;
	// When it last stopped running, on the shim's clock (0: never ran),
	// for the tree's cache hotness; the queues never read it either.
	uint64_t last_ran_ns;

	static Entity *from(mos_sched_entity *se) { return reinterpret_cast<Entity *>(se); }
	static const Entity *from(const mos_sched_entity *se)
	{
		return reinterpret_cast<const Entity *>(se);
	}
	mos_sched_entity *raw() { return reinterpret_cast<mos_sched_entity *>(this); }

	bool is_edf() const { return policy == Policy::Edf; }
};

// Orders for the three trees; times compare wrap-safely.
struct ByVruntime {
	bool operator()(const Entity &a, const Entity &b) const
	{
		return before(a.fair.vruntime, b.fair.vruntime);
	}
};
struct ByDeadline {
	bool operator()(const Entity &a, const Entity &b) const
	{
		return before(a.edf.deadline, b.edf.deadline);
	}
};
struct ByReplenish {
	bool operator()(const Entity &a, const Entity &b) const
	{
		return before(a.edf.replenish_at(), b.edf.replenish_at());
	}
};

using FairTree = RbTree<Entity, &Entity::node, ByVruntime>;
using EdfTree = RbTree<Entity, &Entity::node, ByDeadline>;
using ThrottledTree = RbTree<Entity, &Entity::node, ByReplenish>;

} // namespace mos::sched
