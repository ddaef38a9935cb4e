// SPDX-License-Identifier: GPL-2.0-only
//
// Cases for what the kernel's class operations need of the core (see
// sched_ktest.h): peek without side effects, set_next of what peek gave
// or of a running task after a class change, the migration of a sleeping
// task, and freeing queues that tasks left behind.

#include "ktest_rq.h"
#include "sched_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using namespace mos::sched::kt;

namespace {

// Everything peek could disturb, for a before/after comparison.
struct Snapshot {
	mos_sched_rq_stats rq;
	mos_sched_entity_stats se[4];
};

Snapshot snapshot(TestRq &f, uint32_t n)
{
	Snapshot s{};
	s.rq = f.rq_stats();
	for (uint32_t i = 0; i < n; i++)
		s.se[i] = f.stats(i);
	return s;
}

// Peeking changed nothing that snapshot() recorded.
bool unchanged(const Snapshot &a, TestRq &f, uint32_t n)
{
	const mos_sched_rq_stats &x = a.rq;
	const mos_sched_rq_stats y = f.rq_stats();

	if (x.nr_fair != y.nr_fair || x.nr_edf != y.nr_edf ||
	    x.nr_edf_throttled != y.nr_edf_throttled || x.nr_switches != y.nr_switches ||
	    x.edf_misses != y.edf_misses || x.min_vruntime != y.min_vruntime)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		const mos_sched_entity_stats &p = a.se[i];
		const mos_sched_entity_stats q = f.stats(i);
		if (p.sum_exec_ns != q.sum_exec_ns || p.nr_picks != q.nr_picks ||
		    p.vruntime != q.vruntime || p.edf_deadline != q.edf_deadline ||
		    p.edf_runtime_left != q.edf_runtime_left || p.edf_misses != q.edf_misses ||
		    p.edf_throttled != q.edf_throttled)
			return false;
	}
	return true;
}

} // namespace

// Two fair entities and two EDF ones, one of which overruns: at every
// step peek names what pick_next then picks, and peeking changes nothing.
// Half the picks go through peek + set_next, the kernel's way.
extern "C" void mos_kt_sched_peek_is_pick_without_effects(struct mos_test *t)
{
	TestRq f(4);
	MOS_KT_ASSERT(t, f.ok());
	auto short_job = edf(kMs, 5 * kMs, 10 * kMs);
	auto hog = edf(2 * kMs, 20 * kMs, 20 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 0), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(1), 5), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(2), &short_job), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(3), &hog), 0);
	for (uint32_t i = 0; i < 4; i++)
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	uint32_t seen[4] = {};
	for (uint64_t step = 0, now = 0; step < 200; step++, now += kMs / 2) {
		f.put(now);
		Snapshot before = snapshot(f, 4);
		int want = f.peek(now);
		MOS_KT_EXPECT_EQ(t, f.peek(now), want);
		MOS_KT_ASSERT_TRUE(t, unchanged(before, f, 4));
		int got;
		if (step % 2) {
			got = f.pick(now);
		} else {
			if (want >= 0)
				f.set_next(uint32_t(want), now);
			got = want;
		}
		MOS_KT_ASSERT_EQ(t, got, want);
		if (got >= 0)
			seen[got]++;
		// The short job sleeps after each run; the others stay.
		if (got == 2) {
			mos_sched_rq_update_curr(f.rq(), now + kMs / 2);
			mos_sched_rq_dequeue(f.rq(), f.se(2), MOS_SCHED_DEQ_SLEEP, now + kMs / 2);
			f.put(now + kMs / 2);
			mos_sched_rq_enqueue(f.rq(), f.se(2), MOS_SCHED_ENQ_WAKEUP, now + kMs / 2);
		}
		MOS_KT_ASSERT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
	}
	for (int i = 0; i < 4; i++)
		MOS_KT_EXPECT_GT(t, seen[i], 0u);
	// The short job reserved 1 ms per 10 ms and wakes at once after
	// each half-ms run: 100 ms hold 10 periods, so 20 runs at most. (A
	// fresh deadline on each early wakeup would have given it ~90%.)
	MOS_KT_EXPECT_LE(t, seen[2], 20u);
	MOS_KT_EXPECT_GT(t, f.rq_stats().edf_throttles, 0u);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().edf_misses, 0u);
}

// A throttled EDF entity whose next period has come but whose timer has
// not fired yet: peek already names it (as pick_next would, which
// replenishes first) and leaves it throttled; set_next replenishes it.
extern "C" void mos_kt_sched_peek_sees_due_replenishment(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(0), &p), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(1), 0), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, 0);
	mos_sched_rq_enqueue(f.rq(), f.se(1), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 3 * kMs));
	f.put(3 * kMs);
	MOS_KT_EXPECT_TRUE(t, f.stats(0).edf_throttled);
	MOS_KT_EXPECT_EQ(t, f.peek(3 * kMs), 1);
	MOS_KT_EXPECT_EQ(t, f.peek(9 * kMs), 1);
	// Due at 10 ms; no tick came.
	MOS_KT_EXPECT_EQ(t, f.peek(11 * kMs), 0);
	MOS_KT_EXPECT_TRUE(t, f.stats(0).edf_throttled);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_deadline, 10 * kMs);
	f.set_next(0, 11 * kMs);
	MOS_KT_EXPECT_FALSE(t, f.stats(0).edf_throttled);
	// Overran by 1 ms: one period's refill leaves 1 ms, deadline 20 ms.
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_deadline, 20 * kMs);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_runtime_left, int64_t(kMs));
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// sched_setattr() on a running EDF task that has spent its budget: the
// kernel puts it back, dequeues with SAVE, restores and makes it current
// again. The core accepts that, and the next tick asks for a reschedule.
extern "C" void mos_kt_sched_set_next_throttled_running(struct mos_test *t)
{
	TestRq f(1);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(0), &p), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	mos_sched_rq_update_curr(f.rq(), 3 * kMs);
	MOS_KT_EXPECT_TRUE(t, f.stats(0).edf_throttled);
	f.put(3 * kMs);
	mos_sched_rq_dequeue(f.rq(), f.se(0), MOS_SCHED_DEQ_SAVE, 3 * kMs);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_RESTORE, 3 * kMs);
	MOS_KT_EXPECT_EQ(t, f.peek(3 * kMs), -1);
	f.set_next(0, 3 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 4 * kMs));
	f.put(4 * kMs);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_edf_throttled, 1u);
	MOS_KT_EXPECT_EQ(t, f.pick(10 * kMs), 0);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// The kernel's __schedule() dequeues a task that blocks, then drops the
// run-queue lock in its balance pass before put_prev. A sched_setattr()
// in that window sees the task still rq->curr: put_prev, set_next of the
// not queued task, and __schedule()'s own put_prev after that.
extern "C" void mos_kt_sched_set_next_blocked_current(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 0), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(1), &p), 0);
	for (uint32_t i = 0; i < 2; i++)
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_NEW, 0);
	for (uint32_t i = 0; i < 2; i++) {
		f.set_next(i, kMs);
		mos_sched_rq_dequeue(f.rq(), f.se(i), MOS_SCHED_DEQ_SLEEP, 2 * kMs);
		f.put(2 * kMs);			// sched_setattr(): put_prev ...
		f.set_next(i, 2 * kMs);		// ... and set_next, not queued
		MOS_KT_EXPECT_FALSE(t, mos_sched_entity_queued(f.se(i)));
		MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
		f.put(3 * kMs);			// __schedule()'s put_prev
		MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
		// It wakes up later like any sleeper.
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 4 * kMs);
		MOS_KT_EXPECT_TRUE(t, mos_sched_entity_queued(f.se(i)));
	}
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_fair, 1u);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_edf + f.rq_stats().nr_edf_throttled, 1u);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// migrate() of a sleeping task: detach from a queue it is not on (only
// its min_vruntime is read), attach with the next enqueue elsewhere. The
// offset from min_vruntime survives, then the wakeup rule applies.
extern "C" void mos_kt_sched_migrate_sleeping_entity(struct mos_test *t)
{
	TestRq a(2), b(1);
	MOS_KT_ASSERT(t, a.ok() && b.ok());
	for (uint32_t i = 0; i < 2; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(a.se(i), 0), 0);
		mos_sched_rq_enqueue(a.rq(), a.se(i), 0, 0);
	}
	for (uint64_t now = 0; now < 50 * kMs; now += kMs) {
		if (a.pick(now) < 0 || mos_sched_rq_tick(a.rq(), now + kMs))
			a.put(now + kMs);
	}
	a.put(50 * kMs);
	mos_sched_rq_dequeue(a.rq(), a.se(1), MOS_SCHED_DEQ_SLEEP, 50 * kMs);
	uint64_t min_a = a.rq_stats().min_vruntime;
	int64_t offset = int64_t(a.stats(1).vruntime - min_a);
	MOS_KT_EXPECT_GT(t, min_a, 10 * kMs);

	mos_sched_rq_detach(a.rq(), a.se(1), 50 * kMs);
	MOS_KT_EXPECT_EQ(t, a.rq_stats().nr_fair, 1u);
	// A second detach (migrated again before it ran) changes nothing.
	mos_sched_rq_detach(b.rq(), a.se(1), 50 * kMs);
	mos_sched_rq_attach(b.rq(), a.se(1), MOS_SCHED_ENQ_WAKEUP, 50 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_entity_queued(a.se(1)));
	MOS_KT_EXPECT_EQ(t, b.rq_stats().nr_migrations, 1u);
	MOS_KT_EXPECT_EQ(t, int64_t(a.stats(1).vruntime - b.rq_stats().min_vruntime), offset);
	mos_sched_rq_dequeue(b.rq(), a.se(1), 0, 50 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(a.rq()) == nullptr);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(b.rq()) == nullptr);
}

// A queue with a current entity, a queued fair one and a throttled EDF
// one is freed without a look at them (the host's leak checker sees the
// queue go); the entities are rebuilt and work on a fresh queue.
extern "C" void mos_kt_sched_destroy_abandon(struct mos_test *t)
{
	TestRq f(3);
	MOS_KT_ASSERT(t, f.ok());
	mos_sched_rq *old = mos_sched_rq_create(1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, old != nullptr);
	auto p = edf(kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 0), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(1), 0), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(2), &p), 0);
	for (uint32_t i = 0; i < 3; i++)
		mos_sched_rq_enqueue(old, f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	mos_sched_entity *c = mos_sched_rq_pick_next(old, 0);
	MOS_KT_ASSERT(t, c == f.se(2));
	mos_sched_rq_update_curr(old, 2 * kMs);	// throttled
	mos_sched_rq_put_prev(old, c, 2 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_pick_next(old, 2 * kMs) != nullptr);
	mos_sched_rq_destroy_abandon(old);
	mos_sched_rq_destroy_abandon(nullptr);

	for (uint32_t i = 0; i < 3; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(i), 0), 0);
		MOS_KT_EXPECT_FALSE(t, mos_sched_entity_queued(f.se(i)));
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_NEW, 0);
	}
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_fair, 3u);
	MOS_KT_EXPECT_GE(t, f.pick(0), 0);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}
