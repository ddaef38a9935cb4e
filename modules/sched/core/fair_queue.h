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
	constexpr FairQueue() = default;

	// se becomes runnable here; placed by flags (MOS_SCHED_ENQ_*).
	void enqueue(Entity &se, uint32_t flags, uint64_t slice_ns);
	void dequeue(Entity &se);
	// Charges delta_ns of CPU time to the current entity.
	void account(Entity &curr, uint64_t delta_ns);

	// The next to run: the leftmost, unless it just yielded.
	Entity *first() const;
	void take(Entity &se);
	void put_back(Entity &se);

	bool tick_preempt(const Entity &curr, uint64_t slice_ns) const;
	bool wakeup_preempt(const Entity &curr, const Entity &waking,
			    uint64_t slice_ns) const;
	void reweight(Entity &se, Weight w);
	void yield(Entity &curr) { skip_ = &curr; }
	void clear_skip() { skip_ = nullptr; }

	// For migration: vruntime as an offset from min_vruntime and back.
	void make_relative(Entity &se) const;

	// Readable without the queue's lock (a sleeping entity's migration).
	uint64_t min_vruntime() const { return min_vruntime_.load_relaxed(); }
	uint32_t nr_running() const { return nr_running_; }
	const char *check() const;

private:
	void place(Entity &se, uint32_t flags, uint64_t slice_ns);
	void update_min_vruntime();
	// se's wall-clock share of one round: slice_ns per runnable entity,
	// divided by weight; load and nr as they would be with se counted.
	uint64_t ideal_slice(const Entity &se, uint64_t slice_ns, uint64_t load,
			     uint32_t nr) const;

	FairTree tree_;
	Entity *curr_ = nullptr;	// current and fair, queued or leaving
	Entity *skip_ = nullptr;	// yielded: passed over once
	Atomic<uint64_t> min_vruntime_;
	uint64_t load_ = 0;		// sum of runnable weights, curr included
	uint32_t nr_running_ = 0;	// runnable, curr included
};

} // namespace mos::sched
