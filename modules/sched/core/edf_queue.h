// SPDX-License-Identifier: GPL-2.0-only
//
// EdfQueue: earliest deadline first, each entity a constant bandwidth
// server (Abeni & Buttazzo, 1998) as SCHED_DEADLINE implements it.
//
//   - An entity gets `runtime` ns per `period`, to be used before its
//     absolute deadline. Running charges the budget.
//   - Budget spent while still runnable: throttled, out of the run tree,
//     until the start of its next period; then deadline += period and
//     the budget refilled. So an entity that overruns delays only itself:
//     it never consumes more than runtime/period of the CPU, which is what
//     admission accounted for, and every other reservation still holds.
//   - On wakeup, the CBS rule: if the budget left, spent at the rate
//     runtime/deadline (the bandwidth, for implicit deadlines), would not
//     fit before the current deadline (or the deadline has passed), the
//     entity gets a fresh deadline now + deadline and a full budget;
//     otherwise it keeps both. This stops a task that sleeps and wakes
//     from carrying an early deadline forward. A constrained deadline
//     (deadline < period) not yet passed is kept instead, with the budget
//     cut to what fits at that rate (SCHED_DEADLINE's revised wakeup):
//     refreshing it would let a task that wakes often take the whole CPU.
//   - A deadline miss is a job still holding budget (it had not yet
//     received its runtime) when its deadline passes. Overrunning is not
//     a miss: the job got what it reserved; that is a throttle.
#pragma once

#include "entity.h"

namespace mos::sched {

class EdfQueue {
public:
	constexpr EdfQueue() = default;

	void enqueue(Entity &se, uint32_t flags, uint64_t now);
	void dequeue(Entity &se, uint32_t flags);
	// Charges the current entity for delta_ns of CPU ending at now.
	void account(Entity &curr, uint64_t delta_ns, uint64_t now);
	// Budget gone and still runnable: out until the next period.
	void throttle(Entity &se);
	// sched_yield(): this job is done; the next starts next period.
	void yield(Entity &curr);
	// Returns throttled entities whose period came; true if any did.
	bool replenish_due(uint64_t now);

	Entity *first() const { return runnable_.first(); }
	// Load balancing: the waiting entity after `after` (NULL: the first)
	// in deadline order, earliest first, as SCHED_DEADLINE's pull takes
	// the earliest pushable task. Never the current entity, never a
	// throttled one (its budget is spent until its period comes; moving
	// it gains nothing). NULL when there is none or `after` is not
	// waiting here.
	Entity *migrate_candidate(const Entity *after) const;
	// What first() would be after replenish_due(now), without doing it:
	// the earliest deadline among the runnable and the throttled whose
	// period came (with the deadline replenishment would give them, in
	// *deadline). Changes nothing.
	Entity *peek(uint64_t now, uint64_t *deadline) const;
	void take(Entity &se, uint64_t now);
	void put_back(Entity &se);

	// The earliest replenishment, or kNever.
	uint64_t next_replenish() const;

	uint32_t nr_running() const { return nr_running_; }
	uint32_t nr_throttled() const { return nr_throttled_; }
	Bandwidth running_bw() const { return running_bw_; }
	uint64_t misses() const { return misses_; }
	uint64_t throttles() const { return throttles_; }
	const char *check() const;

private:
	void count(const Entity &se, int dir);
	void insert(Entity &se);
	void note_miss(Entity &se);
	// A throttled entity's next job, as replenish() would set it.
	struct Refill {
		uint64_t deadline;
		int64_t runtime;
		bool new_job;	// a later deadline than now: misses count anew
	};
	static Refill refill(const Entity &se, uint64_t now);
	static void new_deadline(Entity &se, uint64_t now);
	static void replenish(Entity &se, uint64_t now);
	static bool cbs_overflow(const Entity &se, uint64_t now);

	EdfTree runnable_;
	ThrottledTree throttled_;
	Entity *curr_ = nullptr;
	Bandwidth running_bw_;		// queued entities, throttled included
	uint32_t nr_running_ = 0;	// queued, not throttled, curr included
	uint32_t nr_throttled_ = 0;	// queued, throttled, curr included
	uint64_t misses_ = 0;
	uint64_t throttles_ = 0;
};

} // namespace mos::sched
