// SPDX-License-Identifier: GPL-2.0-only
//
// One CPU's run queue: routes each entity to its class's queue, keeps the
// current entity's accounting, and decides between the classes (EDF
// first; why fair cannot starve is in runqueue.h).

#include "runqueue.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

Runqueue *Runqueue::create(uint32_t cpu, mos_gfp_t gfp)
{
	return alloc_object<Runqueue>(Gfp(gfp), cpu);
}

bool Runqueue::empty() const
{
	return !curr_ && nr_running() == 0 && edf_.nr_throttled() == 0;
}

void Runqueue::destroy()
{
	// Freeing a queue that entities still point to would corrupt them
	// later; leaking it is the lesser evil.
	if (MOS_WARN_ON(!empty()))
		return;
	free_object(this);
}

void Runqueue::abandon()
{
	free_object(this);
}

Result<void> Runqueue::check_slice_us(uint32_t slice_us)
{
	if (slice_us < MOS_SCHED_SLICE_US_MIN || slice_us > MOS_SCHED_SLICE_US_MAX)
		return Error(-MOS_EINVAL);
	return {};
}

Result<void> Runqueue::set_slice_us(uint32_t slice_us)
{
	MOS_TRY(check_slice_us(slice_us));
	slice_ns_ = uint64_t(slice_us) * 1000;
	return {};
}

void Runqueue::charge(uint64_t now)
{
	Entity *c = curr_;

	if (!c)
		return;
	uint64_t delta = before(c->exec_start, now) ? now - c->exec_start : 0;
	c->exec_start = now;
	c->sum_exec += delta;
	if (c->is_edf())
		edf_.account(*c, delta, now);
	else
		fair_.account(*c, delta);
}

bool Runqueue::update_curr(uint64_t now)
{
	charge(now);
	Entity *c = curr_;
	if (!c || !c->is_edf() || !c->queued || c->edf.throttled || c->edf.runtime > 0)
		return false;
	edf_.throttle(*c);
	return true;
}

void Runqueue::enqueue(Entity &se, uint32_t flags, uint64_t now)
{
	if (MOS_WARN_ON(se.queued))
		return;
	// Bring curr and min_vruntime up to date before placing against them.
	update_curr(now);
	se.rq = this;
	se.queued = true;
	if (se.is_edf())
		edf_.enqueue(se, flags, now);
	else
		fair_.enqueue(se, flags, slice_ns_, now);
}

void Runqueue::dequeue(Entity &se, uint32_t flags, uint64_t now)
{
	if (MOS_WARN_ON(!se.queued || se.rq != this))
		return;
	// A job that completes is charged, not throttled: the budget it
	// spent was its own (see EdfQueue::dequeue).
	if (&se == curr_ && (flags & MOS_SCHED_DEQ_SLEEP))
		charge(now);
	else if (&se == curr_)
		update_curr(now);
	if (se.is_edf())
		edf_.dequeue(se, flags);
	else
		fair_.dequeue(se);
	se.queued = false;
	if (se.place != Place::Current)
		se.rq = nullptr;
}

Entity *Runqueue::peek(uint64_t now) const
{
	uint64_t deadline = 0;
	Entity *se = edf_.peek(now, &deadline);
	Entity *c = curr_ && curr_->queued ? curr_ : nullptr;

	if (c && c->is_edf() && !c->edf.throttled) {
		// curr keeps the CPU on a tie, as edf_wants_cpu() has it.
		if (!se || !before(deadline, c->edf.deadline))
			se = c;
	}
	if (se)
		return se;
	// One that waited kMaxWaitNs runs now, whatever its vruntime.
	se = fair_.overdue(now);
	if (se)
		return se;
	se = fair_.first();
	if (c && !c->is_edf() && (!se || before(c->fair.vruntime, se->fair.vruntime)))
		se = c;
	return se;
}

Entity *Runqueue::pick_next(uint64_t now)
{
	if (MOS_WARN_ON(curr_))
		put_prev(*curr_, now);
	Entity *se = peek(now);
	if (se)
		set_next(*se, now);
	return se;
}

void Runqueue::set_next(Entity &se, uint64_t now)
{
	if (MOS_WARN_ON(curr_ || (se.queued && se.rq != this)))
		return;
	// Not queued: the kernel's __schedule() dequeued it (it blocks) and
	// dropped the run-queue lock in the balance pass before put_prev;
	// sched_setattr() on it meanwhile does put_prev + set_next of a
	// task that is still rq->curr. It is current until the put_prev
	// that __schedule() then makes, and in no tree.
	if (!se.queued)
		se.rq = this;
	// The replenishment timer may be late; a pick must not be. peek()
	// already counted on the entities whose period came.
	edf_.replenish_due(now);
	if (se.is_edf())
		edf_.take(se, now);
	else
		fair_.take(se);
	// A yield passes over the yielder once, in the pick that follows.
	fair_.clear_skip();
	curr_ = &se;
	se.exec_start = now;
	se.slice_start = se.sum_exec;
	se.nr_picks++;
	if (&se != last_)
		nr_switches_++;
}

void Runqueue::put_prev(Entity &se, uint64_t now)
{
	if (MOS_WARN_ON(&se != curr_))
		return;
	update_curr(now);
	if (se.is_edf())
		edf_.put_back(se);
	else
		fair_.put_back(se, now);
	curr_ = nullptr;
	last_ = &se;
	if (!se.queued)
		se.rq = nullptr;
}

bool Runqueue::edf_wants_cpu() const
{
	Entity *first = edf_.first();

	if (!first)
		return false;
	if (!curr_ || !curr_->is_edf() || !curr_->queued || curr_->edf.throttled)
		return true;
	return before(first->edf.deadline, curr_->edf.deadline);
}

bool Runqueue::curr_throttled() const
{
	return curr_ && curr_->is_edf() && curr_->queued && curr_->edf.throttled;
}

bool Runqueue::tick(uint64_t now)
{
	bool resched = update_curr(now);

	edf_.replenish_due(now);
	if (edf_wants_cpu() || curr_throttled())
		return true;
	if (curr_ && !curr_->is_edf())
		resched |= fair_.tick_preempt(*curr_, slice_ns_) || fair_.overdue(now);
	return resched;
}

uint64_t Runqueue::next_event() const
{
	uint64_t t = edf_.next_replenish();

	if (curr_ && curr_->is_edf() && curr_->queued && !curr_->edf.throttled)
		t = sooner_event(t, curr_->exec_start + uint64_t(curr_->edf.runtime));
	// The end of a fair slice, so that light entities run for their
	// share and not for a whole scheduler tick (which would put them far
	// ahead in virtual time and make them wait the longer).
	if (curr_ && !curr_->is_edf() && curr_->queued) {
		uint64_t left = fair_.slice_left(*curr_, slice_ns_);
		if (left != kNever)
			t = sooner_event(t, curr_->exec_start + left);
	}
	return t;
}

void Runqueue::yield(uint64_t now)
{
	if (!curr_)
		return;
	update_curr(now);
	if (!curr_->queued)
		return;
	if (curr_->is_edf()) {
		if (!curr_->edf.throttled)
			edf_.yield(*curr_);
	} else {
		fair_.yield(*curr_);
	}
}

bool Runqueue::wakeup_preempt(const Entity &se, uint64_t now)
{
	if (update_curr(now) || !curr_ || curr_throttled())
		return true;
	if (&se == curr_ || se.place == Place::Throttled)
		return false;
	if (se.is_edf())
		return edf_wants_cpu();
	if (curr_->is_edf())
		return false;
	return fair_.wakeup_preempt(*curr_, se, slice_ns_);
}

Result<void> Runqueue::set_nice(Entity &se, int32_t nice, uint64_t now)
{
	if (!nice_valid(nice))
		return Error(-MOS_EINVAL);
	if (&se == curr_)
		update_curr(now);	// charge the old weight first
	se.fair.nice = nice;
	if (!se.is_edf())
		fair_.reweight(se, nice_to_weight(nice));
	return {};
}

void Runqueue::detach(Entity &se, uint64_t now)
{
	if (MOS_WARN_ON(&se == curr_))
		return;	// a running task migrates only after put_prev
	if (se.queued)
		dequeue(se, 0, now);
	fair_.make_relative(se);
}

void Runqueue::attach(Entity &se, uint32_t flags, uint64_t now)
{
	enqueue(se, flags, now);
	nr_migrations_++;
}

void Runqueue::stats(mos_sched_rq_stats &out) const
{
	out = {};
	out.nr_fair = fair_.nr_running();
	out.nr_edf = edf_.nr_running();
	out.nr_edf_throttled = edf_.nr_throttled();
	out.nr_switches = nr_switches_;
	out.nr_migrations = nr_migrations_;
	out.edf_misses = edf_.misses();
	out.edf_throttles = edf_.throttles();
	out.edf_running_bw = uint64_t(edf_.running_bw().raw());
	out.min_vruntime = fair_.min_vruntime();
}

const char *Runqueue::check() const
{
	const char *why = fair_.check();

	if (!why)
		why = edf_.check();
	if (why)
		return why;
	if (curr_ && (curr_->place != Place::Current || curr_->rq != this))
		return "current entity is not marked current here";
	return nullptr;
}

} // namespace mos::sched
