// SPDX-License-Identifier: GPL-2.0-only
//
// Runqueue: one CPU's queue of this class, EDF above fair.
//
// EDF always runs before fair, so fair load can never delay an EDF job.
// The fair class still cannot starve: every EDF entity is a constant
// bandwidth server that runs at most runtime/period of the CPU before it
// is throttled, and admission keeps the sum of those on a CPU within
// edf_util_cap <= 100%. So over any window of the longest EDF period the
// fair class gets at least (1 - cap) of the CPU, 5% by default, and with
// it every fair entity its weighted share of that remainder. (With a cap
// of 100% fair tasks may wait for as long as EDF keeps the CPU busy;
// that is the administrator's explicit choice.)
//
// Every method runs under the CPU's run-queue lock, with `now` from the
// run-queue clock; none allocates.
#pragma once

#include <mos/alloc.h>

#include "edf_queue.h"
#include "fair_queue.h"

namespace mos::sched {

class Runqueue {
public:
	explicit Runqueue(uint32_t cpu) : cpu_(cpu) {}

	static Runqueue *create(uint32_t cpu, mos_gfp_t gfp);
	void destroy();
	// Frees the queue even if entities are still on it, without touching
	// them: they belong to tasks that left the class while the kernel ran
	// it without this module. Their storage is rebuilt before any reuse.
	void abandon();

	static Result<void> check_slice_us(uint32_t slice_us);
	Result<void> set_slice_us(uint32_t slice_us);

	void enqueue(Entity &se, uint32_t flags, uint64_t now);
	void dequeue(Entity &se, uint32_t flags, uint64_t now);
	// The entity pick_next() would return, changing nothing (the kernel
	// may discard it: core scheduling). With no current entity,
	// pick_next(now) == set_next(peek(now), now). With one (a sibling's
	// pick under core scheduling) it competes as it stands, uncharged.
	Entity *peek(uint64_t now) const;
	Entity *pick_next(uint64_t now);
	void put_prev(Entity &se, uint64_t now);
	void set_next(Entity &se, uint64_t now);
	// Charges curr; true if that spent an EDF budget (now throttled).
	bool update_curr(uint64_t now);
	bool tick(uint64_t now);
	uint64_t next_event() const;
	void yield(uint64_t now);
	bool wakeup_preempt(const Entity &se, uint64_t now);
	Result<void> set_nice(Entity &se, int32_t nice, uint64_t now);

	void detach(Entity &se, uint64_t now);
	void attach(Entity &se, uint32_t flags, uint64_t now);
	// A sleeping entity's vruntime made relative to this queue, without
	// its lock: only min_vruntime is read, atomically.
	void make_relative(Entity &se) const { fair_.make_relative(se); }
	// See mos_sched_rq_migrate_candidate(): waiting EDF entities first,
	// then waiting fair ones.
	Entity *migrate_candidate(const Entity *after) const
	{
		if (after && after->rq != this)
			return nullptr;
		if (!after || after->is_edf()) {
			Entity *se = edf_.migrate_candidate(after);

			if (se || (after && after->place != Place::EdfTree))
				return se;
			after = nullptr;	// past the last EDF one: the fair ones
		}
		return fair_.migrate_candidate(after);
	}

	uint32_t nr_running() const { return fair_.nr_running() + edf_.nr_running(); }
	uint64_t balance_load() const
	{
		return fair_.load() + uint64_t(edf_.nr_running()) * kNice0Weight;
	}
	Entity *curr() const { return curr_; }
	uint64_t slice_ns() const { return slice_ns_; }
	void stats(mos_sched_rq_stats &out) const;
	const char *check() const;

private:
	// Charges curr for the time since it was last charged.
	void charge(uint64_t now);
	// Something runnable here should run instead of curr.
	bool edf_wants_cpu() const;
	// The current entity is EDF and has no budget left.
	bool curr_throttled() const;
	bool empty() const;

	uint32_t cpu_;
	Entity *curr_ = nullptr;
	// Compared, never dereferenced: it may have exited since.
	const Entity *last_ = nullptr;
	uint64_t slice_ns_ = uint64_t(MOS_SCHED_SLICE_US_DEFAULT) * 1000;
	uint64_t nr_switches_ = 0;
	uint64_t nr_migrations_ = 0;
	FairQueue fair_;
	EdfQueue edf_;
};

} // namespace mos::sched
