// SPDX-License-Identifier: GPL-2.0-only
//
// The EDF class's queue: deadline order plus CBS budget enforcement.
// The rules and why they hold are in edf_queue.h; the kernel's versions
// are in kernel/sched/deadline.c (replenish_dl_entity, dl_entity_overflow,
// update_curr_dl).

#include "edf_queue.h"

#include <mos/math.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

// Keeps nr_running/nr_throttled true to (queued, throttled): call with
// -1 before a change of either and +1 after. Runqueue owns `queued`: set
// before enqueue, cleared after dequeue.
void EdfQueue::count(const Entity &se, int dir)
{
	if (!se.queued)
		return;
	if (se.edf.throttled)
		nr_throttled_ += dir;
	else
		nr_running_ += dir;
}

void EdfQueue::insert(Entity &se)
{
	if (se.place == Place::Current)
		return;	// put_back files it
	if (se.edf.throttled) {
		throttled_.insert(se);
		se.place = Place::Throttled;
	} else {
		runnable_.insert(se);
		se.place = Place::EdfTree;
	}
}

void EdfQueue::enqueue(Entity &se, uint32_t flags, uint64_t now)
{
	EdfState &dl = se.edf;

	if (dl.fresh) {
		new_deadline(se, now);
		dl.fresh = false;
		dl.throttled = false;
	} else if (dl.throttled && !before(now, dl.replenish_at())) {
		replenish(se, now);
	} else if (!dl.throttled && (flags & MOS_SCHED_ENQ_WAKEUP) &&
		   cbs_overflow(se, now)) {
		// A constrained deadline (D < P) keeps its deadline and has its
		// budget cut to what fits at density Q/D (the kernel's "revised
		// wakeup"): a fresh deadline now + D with a full budget on every
		// early wakeup would give it up to the whole CPU, not Q/P.
		if (dl.dl_deadline < dl.dl_period && before(now, dl.deadline))
			dl.runtime = int64_t(mul_u64_u64_div_u64(dl.dl_runtime, dl.deadline - now,
								 dl.dl_deadline));
		else
			new_deadline(se, now);
	}
	count(se, +1);
	running_bw_ += dl.bw;
	insert(se);
}

void EdfQueue::dequeue(Entity &se, uint32_t flags)
{
	if (se.place == Place::EdfTree)
		runnable_.erase(se);
	else if (se.place == Place::Throttled)
		throttled_.erase(se);
	if (se.place != Place::Current)
		se.place = Place::None;
	count(se, -1);
	running_bw_ -= se.edf.bw;
	// A job that completes with its budget spent waits for its next
	// period before the next job may run, as in SCHED_DEADLINE; it is
	// not an enforcement, so it is not counted as a throttle.
	if ((flags & MOS_SCHED_DEQ_SLEEP) && se.edf.runtime <= 0)
		se.edf.throttled = true;
}

void EdfQueue::account(Entity &curr, uint64_t delta_ns, uint64_t now)
{
	EdfState &dl = curr.edf;

	dl.runtime -= int64_t(delta_ns);
	if (dl.miss_counted || !before(dl.deadline, now))
		return;
	// It ran over [now - delta, now]; the budget left at the deadline
	// is what is left now plus what it ran after the deadline.
	uint64_t after = now - dl.deadline < delta_ns ? now - dl.deadline : delta_ns;
	if (dl.runtime + int64_t(after) > 0)
		note_miss(curr);
}

void EdfQueue::note_miss(Entity &se)
{
	se.edf.miss_counted = true;
	se.edf.misses++;
	misses_++;
}

void EdfQueue::throttle(Entity &se)
{
	count(se, -1);
	se.edf.throttled = true;
	count(se, +1);
	se.edf.throttles++;
	throttles_++;
}

void EdfQueue::yield(Entity &curr)
{
	count(curr, -1);
	curr.edf.runtime = 0;
	curr.edf.throttled = true;
	count(curr, +1);
}

bool EdfQueue::replenish_due(uint64_t now)
{
	bool any = false;

	for (Entity *se = throttled_.first(); se && !before(now, se->edf.replenish_at());
	     se = throttled_.first()) {
		throttled_.erase(*se);
		se->place = Place::None;
		replenish(*se, now);
		count(*se, +1);
		nr_throttled_--;
		insert(*se);
		any = true;
	}
	return any;
}

Entity *EdfQueue::peek(uint64_t now, uint64_t *deadline) const
{
	Entity *best = runnable_.first();
	uint64_t best_dl = best ? best->edf.deadline : 0;

	// Due entities are a prefix of the throttled tree. replenish_due()
	// inserts them after the runnable ones, in this order, and equal
	// deadlines leave in insertion order: so only a strictly earlier
	// deadline wins here.
	for (Entity *se = throttled_.first(); se && !before(now, se->edf.replenish_at());
	     se = ThrottledTree::next(*se)) {
		uint64_t dl = refill(*se, now).deadline;
		if (!best || before(dl, best_dl)) {
			best = se;
			best_dl = dl;
		}
	}
	if (best && deadline)
		*deadline = best_dl;
	return best;
}

void EdfQueue::take(Entity &se, uint64_t now)
{
	// Throttled: the kernel makes a running task current again after a
	// class or parameter change, whatever its budget; it leaves at the
	// next tick (Runqueue::tick()).
	if (se.place == Place::Throttled)
		throttled_.erase(se);
	else if (se.place == Place::EdfTree)
		runnable_.erase(se);
	se.place = Place::Current;
	curr_ = &se;
	// It waited past its deadline with budget left: late already.
	if (!se.edf.miss_counted && before(se.edf.deadline, now) && se.edf.runtime > 0)
		note_miss(se);
}

Entity *EdfQueue::migrate_candidate(const Entity *after) const
{
	if (!after)
		return runnable_.first();
	if (after->place != Place::EdfTree)
		return nullptr;
	return EdfTree::next(const_cast<Entity &>(*after));
}

void EdfQueue::put_back(Entity &se)
{
	curr_ = nullptr;
	se.place = Place::None;
	if (se.queued)
		insert(se);
}

uint64_t EdfQueue::next_replenish() const
{
	Entity *se = throttled_.first();
	return se ? se->edf.replenish_at() : kNever;
}

void EdfQueue::new_deadline(Entity &se, uint64_t now)
{
	se.edf.deadline = now + se.edf.dl_deadline;
	se.edf.runtime = int64_t(se.edf.dl_runtime);
	se.edf.miss_counted = false;
}

// Refill for as many periods as the overrun spent, keeping the deadline
// on the period grid; if even that lags behind now, restart from now.
EdfQueue::Refill EdfQueue::refill(const Entity &se, uint64_t now)
{
	const EdfState &dl = se.edf;
	Refill r{dl.deadline, dl.runtime, false};

	if (r.runtime <= 0) {
		uint64_t periods = uint64_t(-r.runtime) / dl.dl_runtime + 1;
		r.deadline += periods * dl.dl_period;
		r.runtime += int64_t(periods * dl.dl_runtime);
		r.new_job = true;
	}
	if (before(r.deadline, now)) {
		r.deadline = now + dl.dl_deadline;
		r.runtime = int64_t(dl.dl_runtime);
		r.new_job = true;
	}
	return r;
}

void EdfQueue::replenish(Entity &se, uint64_t now)
{
	Refill r = refill(se, now);

	se.edf.deadline = r.deadline;
	se.edf.runtime = r.runtime;
	if (r.new_job)
		se.edf.miss_counted = false;
	se.edf.throttled = false;
}

// runtime / (deadline - now) > dl_runtime / dl_deadline (the density,
// which is the bandwidth for implicit deadlines), cross-multiplied in 128
// bits so nothing is divided and no precision is lost (the kernel's
// dl_entity_overflow() scales both sides down by 2^10 instead).
bool EdfQueue::cbs_overflow(const Entity &se, uint64_t now)
{
	const EdfState &dl = se.edf;

	if (!before(now, dl.deadline))
		return true;
	if (dl.runtime <= 0)
		return false;
	u128 left = u128(uint64_t(dl.runtime)) * dl.dl_deadline;
	u128 right = u128(dl.deadline - now) * dl.dl_runtime;
	return left > right;
}

const char *EdfQueue::check() const
{
	const char *why = runnable_.check();
	uint32_t nr = 0, nr_thr = 0;

	if (!why)
		why = throttled_.check();
	if (why)
		return why;
	for (const Entity &se : runnable_) {
		if (se.place != Place::EdfTree || !se.queued || se.edf.throttled ||
		    !se.is_edf())
			return "EDF tree holds a misplaced entity";
		nr++;
	}
	for (const Entity &se : throttled_) {
		if (se.place != Place::Throttled || !se.queued || !se.edf.throttled)
			return "throttled tree holds a misplaced entity";
		nr_thr++;
	}
	if (curr_ && curr_->queued)
		(curr_->edf.throttled ? nr_thr : nr)++;
	if (nr != nr_running_ || nr_thr != nr_throttled_)
		return "EDF counts do not match the entities";
	return nullptr;
}

} // namespace mos::sched
