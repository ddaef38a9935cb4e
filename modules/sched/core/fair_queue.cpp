// SPDX-License-Identifier: GPL-2.0-only
//
// The fair class's queue. Placement and preemption follow CFS (6.1,
// kernel/sched/fair.c): START_DEBIT for new entities, a bounded credit
// for sleepers (GENTLE_FAIR_SLEEPERS), a wakeup granularity so tasks
// that ping-pong do not preempt each other on every wakeup.

#include "fair_queue.h"

#include <mos/math.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

void FairQueue::enqueue(Entity &se, uint32_t flags, uint64_t slice_ns, uint64_t now)
{
	if (se.fair.relative) {
		se.fair.vruntime += min_vruntime();
		se.fair.relative = false;
	}
	place(se, flags, slice_ns);
	load_ += se.fair.weight.weight;
	nr_running_++;
	// A current entity that blocked and is back before put_prev stays out.
	if (se.place != Place::Current)
		insert_waiting(se, now);
	update_min_vruntime();
}

// An entity in the tree is also on the waiting list: the two change
// together, here and in erase_waiting() only.
void FairQueue::insert_waiting(Entity &se, uint64_t now)
{
	tree_.insert(se);
	se.place = Place::FairTree;
	se.wait_start = now;
	waiting_.push_back(se);
}

void FairQueue::erase_waiting(Entity &se)
{
	tree_.erase(se);
	waiting_.remove(se);
}

// The list is in wait_start order (entities join at the back as they
// start to wait), so the front is the only candidate.
Entity *FairQueue::overdue(uint64_t now) const
{
	Entity *oldest = waiting_.front();

	if (!oldest || before(now, oldest->wait_start + kMaxWaitNs))
		return nullptr;
	return oldest;
}

// Where a (re)entering entity starts in virtual time.
void FairQueue::place(Entity &se, uint32_t flags, uint64_t slice_ns)
{
	uint64_t min = min_vruntime();

	if (!se.fair.placed) {
		se.fair.placed = true;
		se.fair.vruntime = min;
		// A forked task starts one slice behind: forking cannot
		// be used to jump the queue (CFS's START_DEBIT).
		if (flags & MOS_SCHED_ENQ_NEW)
			se.fair.vruntime += to_virtual(
				ideal_slice(se, slice_ns, load_ + se.fair.weight.weight,
					    nr_running_ + 1),
				se.fair.weight);
		return;
	}
	// A sleeper may lead the queue by at most one slice: enough to run
	// promptly on wakeup, too little to bank credit by sleeping.
	if (flags & MOS_SCHED_ENQ_WAKEUP)
		se.fair.vruntime = later_of(se.fair.vruntime, min - slice_ns);
}

void FairQueue::dequeue(Entity &se)
{
	if (se.place == Place::FairTree) {
		erase_waiting(se);
		se.place = Place::None;
	}
	if (skip_ == &se)
		skip_ = nullptr;
	load_ -= se.fair.weight.weight;
	nr_running_--;
	update_min_vruntime();
}

void FairQueue::account(Entity &curr, uint64_t delta_ns)
{
	curr.fair.vruntime += to_virtual(delta_ns, curr.fair.weight);
	bound_lead(curr);
	update_min_vruntime();
}

// The others cover curr's lead over the leftmost at 1024 / (their total
// weight) of virtual time per ns, so the lead worth kMaxWaitNs of their
// running is kMaxWaitNs * 1024 / load (load counts curr too: a little
// tighter than needed). Beyond it, curr is charged no more: a very light
// entity among very heavy ones then gets more than its weight's share,
// but never waits longer than kMaxWaitNs plus one round of the others'
// slices. Ordering is kept: the capped entity stays behind the leftmost.
void FairQueue::bound_lead(Entity &curr)
{
	Entity *left = tree_.first();

	if (!left || load_ == 0)
		return;
	uint64_t max_lead = mul_u64_u64_div_u64(kMaxWaitNs, kNice0Weight, load_);
	if (int64_t(curr.fair.vruntime - left->fair.vruntime) > int64_t(max_lead))
		curr.fair.vruntime = left->fair.vruntime + max_lead;
}

Entity *FairQueue::first() const
{
	Entity *left = tree_.first();

	if (left && left == skip_) {
		Entity *second = FairTree::next(*left);
		if (second)
			return second;
	}
	return left;
}

void FairQueue::take(Entity &se)
{
	if (se.place == Place::FairTree)
		erase_waiting(se);
	se.place = Place::Current;
	curr_ = &se;
	skip_ = nullptr;
}

void FairQueue::put_back(Entity &se, uint64_t now)
{
	curr_ = nullptr;
	if (se.queued)
		insert_waiting(se, now);
	else
		se.place = Place::None;
	update_min_vruntime();
}

// min_vruntime follows the smallest runnable vruntime, never backwards.
void FairQueue::update_min_vruntime()
{
	uint64_t old = min_vruntime(), vr = old;
	bool have = false;
	Entity *left = tree_.first();

	if (curr_ && curr_->queued) {
		vr = curr_->fair.vruntime;
		have = true;
	}
	if (left) {
		vr = have ? earlier_of(vr, left->fair.vruntime) : left->fair.vruntime;
		have = true;
	}
	if (have)
		min_vruntime_.store_relaxed(later_of(old, vr));
}

uint64_t FairQueue::ideal_slice(const Entity &se, uint64_t slice_ns,
				uint64_t load, uint32_t nr) const
{
	if (load == 0 || nr <= 1)
		return slice_ns;
	return mul_u64_u64_div_u64(slice_ns * nr, se.fair.weight.weight, load);
}

// A light entity's ideal slice can be microseconds (nice 19 next to a
// nice -20 hog: 1/5900 of the round); ending it that early would cost a
// timer and a switch per microsecond. A quarter slice is the floor, as
// CFS's sched_min_granularity is a quarter of its latency target.
uint64_t FairQueue::run_slice(const Entity &curr, uint64_t slice_ns) const
{
	return later_of(ideal_slice(curr, slice_ns, load_, nr_running_), slice_ns / 4);
}

// Only a share shorter than a nominal slice gets a timer: a light entity
// among heavier ones, the case where running a whole tick would put it
// far ahead. Equal or heavier entities end their slice at the tick, as
// CFS's do without HRTICK, and cost no hrtimer reprogramming per switch.
uint64_t FairQueue::slice_left(const Entity &curr, uint64_t slice_ns) const
{
	if (!first())
		return kNever;
	uint64_t slice = run_slice(curr, slice_ns);
	if (slice >= slice_ns)
		return kNever;
	uint64_t ran = curr.sum_exec - curr.slice_start;
	return ran >= slice ? 0 : slice - ran;
}

bool FairQueue::tick_preempt(const Entity &curr, uint64_t slice_ns) const
{
	Entity *left = first();

	if (!left)
		return false;
	uint64_t ideal = run_slice(curr, slice_ns);
	uint64_t ran = curr.sum_exec - curr.slice_start;
	if (ran >= ideal)
		return true;
	// Far ahead of the leftmost (it woke with credit): give way once
	// it has run at least a quarter slice, so switches stay bounded.
	int64_t lead = int64_t(curr.fair.vruntime - left->fair.vruntime);
	return ran >= slice_ns / 4 && lead > int64_t(ideal);
}

bool FairQueue::wakeup_preempt(const Entity &curr, const Entity &waking,
			       uint64_t slice_ns) const
{
	// A quarter slice of the waker's virtual time: a sleeper with its
	// full credit preempts a hog at once, two ping-ponging tasks at
	// nearly equal vruntime do not (CFS's wakeup_gran()).
	uint64_t gran = to_virtual(slice_ns / 4, waking.fair.weight);
	return int64_t(curr.fair.vruntime - waking.fair.vruntime) > int64_t(gran);
}

void FairQueue::reweight(Entity &se, Weight w)
{
	// The key (vruntime) is unchanged, so the tree stays ordered.
	if (se.queued)
		load_ = load_ - se.fair.weight.weight + w.weight;
	se.fair.weight = w;
}

// Leftmost first: among equals the entity that ran longest ago, so the
// coldest in this CPU's caches, and one that moved to an idle CPU runs at
// once instead of next here. (The rightmost is usually the one that just
// ran: CFS's detach_tasks() likewise takes the least recently run.)
Entity *FairQueue::migrate_candidate(const Entity *after) const
{
	if (!after)
		return tree_.first();
	if (after->place != Place::FairTree)
		return nullptr;
	return FairTree::next(const_cast<Entity &>(*after));
}

void FairQueue::make_relative(Entity &se) const
{
	if (!se.fair.placed || se.fair.relative)
		return;
	se.fair.vruntime -= min_vruntime();
	se.fair.relative = true;
}

const char *FairQueue::check() const
{
	const char *why = tree_.check();
	uint64_t load = 0;
	uint32_t nr = 0;

	if (why)
		return why;
	for (const Entity &se : tree_) {
		if (se.place != Place::FairTree || !se.queued || se.is_edf())
			return "fair tree holds a misplaced entity";
		if (!se.wait_node.is_linked())
			return "fair tree holds an entity not on the waiting list";
		load += se.fair.weight.weight;
		nr++;
	}
	uint32_t nr_waiting = 0;
	const Entity *prev = nullptr;
	for (const Entity &se : waiting_) {
		if (se.place != Place::FairTree)
			return "waiting list holds an entity not in the fair tree";
		if (prev && before(se.wait_start, prev->wait_start))
			return "waiting list is out of wait_start order";
		prev = &se;
		nr_waiting++;
	}
	if (curr_ && curr_->queued)
		nr_waiting++;
	if (curr_ && curr_->queued) {
		load += curr_->fair.weight.weight;
		nr++;
	}
	if (nr != nr_running_)
		return "fair nr_running does not match the entities";
	if (nr_waiting != nr_running_)
		return "fair waiting list does not match the tree";
	if (load != load_)
		return "fair load does not match the weights";
	return nullptr;
}

} // namespace mos::sched
