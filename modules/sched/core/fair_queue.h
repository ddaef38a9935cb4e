// SPDX-License-Identifier: GPL-2.0-only
//
// FairQueue: weighted fair queueing by virtual runtime, CFS as of Linux
// 6.1. Each entity's vruntime advances by its CPU time scaled by
// 1024 / weight; the entity with the smallest vruntime runs next, so
// over time CPU time divides in proportion to weight. The queue's
// min_vruntime only moves forward and anchors new, waking and migrating
// entities so none can cash in a vruntime earned elsewhere.
//
// Why not EEVDF: see Documentation/dev/sched-core.rst. In short, 6.1's
// CFS is the baseline this class is benchmarked against, and matching
// its placement rules makes every difference one we chose.
#pragma once

#include <mos/atomic.h>

#include "entity.h"

namespace mos::sched {

class FairQueue {
public:
	// Longest an entity waits behind the others on this queue because
	// its vruntime ran ahead of theirs (a nice 19 task next to nice -20
	// hogs would otherwise wait minutes: 4 ms of CPU puts it 273 ms of
	// virtual time ahead, which one nice -20 task needs 24 s to cover).
	// Well under the kernel's watchdog_timeout_ms default of 10 s; see
	// Documentation/dev/sched-core.rst, "Why waiting is bounded".
	static constexpr uint64_t kMaxWaitNs = MOS_SCHED_FAIR_MAX_WAIT_NS;

	constexpr FairQueue() = default;

	// se becomes runnable here; placed by flags (MOS_SCHED_ENQ_*).
	void enqueue(Entity &se, uint32_t flags, uint64_t slice_ns, uint64_t now);
	void dequeue(Entity &se);
	// Charges delta_ns of CPU time to the current entity.
	void account(Entity &curr, uint64_t delta_ns);

	// The next to run: the leftmost, unless it just yielded.
	Entity *first() const;
	void take(Entity &se);
	void put_back(Entity &se, uint64_t now);
	// The entity that has waited kMaxWaitNs or longer, the longest
	// waiter first; nullptr if none. It runs next whatever its vruntime.
	Entity *overdue(uint64_t now) const;

	bool tick_preempt(const Entity &curr, uint64_t slice_ns) const;
	// CPU time curr may still run before tick_preempt() wants it off
	// (0: now); kNever while nothing else is runnable here or curr's
	// share is a full slice or more (the tick ends those). The run
	// queue arms its timer with it, so a light entity's short share ends
	// on time rather than at the next scheduler tick.
	uint64_t slice_left(const Entity &curr, uint64_t slice_ns) const;
	bool wakeup_preempt(const Entity &curr, const Entity &waking,
			    uint64_t slice_ns) const;
	void reweight(Entity &se, Weight w);
	void yield(Entity &curr) { skip_ = &curr; }
	void clear_skip() { skip_ = nullptr; }

	// Balancing: the waiting entity after `after` in the order they
	// should move away, smallest vruntime first (see .cpp); the first
	// one for nullptr. Never the current entity.
	Entity *migrate_candidate(const Entity *after) const;

	// For migration: vruntime as an offset from min_vruntime and back.
	void make_relative(Entity &se) const;

	// Readable without the queue's lock (a sleeping entity's migration).
	uint64_t min_vruntime() const { return min_vruntime_.load_relaxed(); }
	uint32_t nr_running() const { return nr_running_; }
	uint64_t load() const { return load_; }
	const char *check() const;

private:
	void place(Entity &se, uint32_t flags, uint64_t slice_ns);
	void update_min_vruntime();
	// se's wall-clock share of one round: slice_ns per runnable entity,
	// divided by weight; load and nr as they would be with se counted.
	uint64_t ideal_slice(const Entity &se, uint64_t slice_ns, uint64_t load,
			     uint32_t nr) const;
	// ideal_slice() for curr, never below a quarter slice (see .cpp).
	uint64_t run_slice(const Entity &curr, uint64_t slice_ns) const;
	// Keeps curr's lead over the leftmost within kMaxWaitNs of real time.
	void bound_lead(Entity &curr);
	void insert_waiting(Entity &se, uint64_t now);
	void erase_waiting(Entity &se);

	FairTree tree_;
	// The tree's entities again, longest waiting first: bound_lead()
	// alone cannot bound a wait, as a heavier entity that arrives or is
	// reniced later covers the same lead more slowly.
	IntrusiveList<Entity, &Entity::wait_node> waiting_;
	Entity *curr_ = nullptr;	// current and fair, queued or leaving
	Entity *skip_ = nullptr;	// yielded: passed over once
	Atomic<uint64_t> min_vruntime_;
	uint64_t load_ = 0;		// sum of runnable weights, curr included
	uint32_t nr_running_ = 0;	// runnable, curr included
};

} // namespace mos::sched
