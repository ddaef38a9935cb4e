// SPDX-License-Identifier: GPL-2.0-only
//
// EDF class cases (see sched_ktest.h): deadline order, CBS throttling,
// replenishment and the wakeup rule, misses, yield, class changes.

#include "ktest_rq.h"
#include "sched_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using namespace mos::sched::kt;

extern "C" void mos_kt_sched_edf_earliest_deadline_first(struct mos_test *t)
{
	TestRq f(3);
	MOS_KT_ASSERT(t, f.ok());
	const uint64_t deadlines[3] = {30 * kMs, 10 * kMs, 20 * kMs};
	for (uint32_t i = 0; i < 3; i++) {
		auto p = edf(kMs, deadlines[i], 40 * kMs);
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(i), &p), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	}
	MOS_KT_EXPECT_EQ(t, f.stats(1).edf_deadline, 10 * kMs);
	const int order[3] = {1, 2, 0};
	for (int want : order) {
		MOS_KT_EXPECT_EQ(t, f.pick(0), want);
		f.put(0);
		mos_sched_rq_dequeue(f.rq(), f.se(want), MOS_SCHED_DEQ_SLEEP, 0);
	}
	MOS_KT_EXPECT_EQ(t, f.pick(0), -1);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

extern "C" void mos_kt_sched_edf_before_fair(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), -20), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(1), &p), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(1), MOS_SCHED_ENQ_WAKEUP, kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_wakeup_preempt(f.rq(), f.se(1), kMs));
	MOS_KT_EXPECT_EQ(t, f.pick(kMs), 1);
	// A fair wakeup never preempts EDF.
	MOS_KT_EXPECT_FALSE(t, mos_sched_rq_wakeup_preempt(f.rq(), f.se(0), kMs));
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// Balancing offers the waiting EDF entities first, earliest deadline
// first, then the fair ones; never the current or a throttled entity. A
// moved EDF entity keeps its absolute deadline and its budget.
extern "C" void mos_kt_sched_edf_migrate_candidates(struct mos_test *t)
{
	TestRq f(5), b(1);
	MOS_KT_ASSERT(t, f.ok() && b.ok());
	const uint64_t deadlines[3] = {10 * kMs, 30 * kMs, 20 * kMs};
	for (uint32_t i = 0; i < 3; i++) {
		auto p = edf(2 * kMs, deadlines[i], 40 * kMs);
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(i), &p), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	}
	for (uint32_t i = 3; i < 5; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(i), 0), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_NEW, 0);
	}
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	const uint32_t order[4] = {2, 1, 3, 4};
	mos_sched_entity *se = nullptr;
	for (uint32_t i = 0; i < 4; i++) {
		se = mos_sched_rq_migrate_candidate(f.rq(), se);
		MOS_KT_ASSERT_TRUE(t, se != nullptr);
		if (i < 2)
			MOS_KT_EXPECT_EQ(t, uint32_t(se - f.se(0)), order[i]);
		else
			MOS_KT_EXPECT_GE(t, uint32_t(se - f.se(0)), 3u);
	}
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_migrate_candidate(f.rq(), se) == nullptr);

	// The first candidate moves: same deadline and budget on the other queue.
	mos_sched_entity *moved = mos_sched_rq_migrate_candidate(f.rq(), nullptr);
	MOS_KT_ASSERT_TRUE(t, moved == f.se(2));
	mos_sched_rq_detach(f.rq(), moved, kMs);
	mos_sched_rq_attach(b.rq(), moved, 0, kMs);
	MOS_KT_EXPECT_EQ(t, f.stats(2).edf_deadline, 20 * kMs);
	MOS_KT_EXPECT_EQ(t, f.stats(2).edf_runtime_left, int64_t(2 * kMs));
	MOS_KT_EXPECT_EQ(t, b.rq_stats().nr_edf, 1u);
	MOS_KT_EXPECT_EQ(t, b.rq_stats().nr_migrations, 1u);

	// Entity 0 spends its budget and is throttled; 1 runs. Only the fair
	// entities are left to move.
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 2 * kMs));
	MOS_KT_EXPECT_TRUE(t, f.stats(0).edf_throttled);
	MOS_KT_ASSERT_EQ(t, f.pick(2 * kMs), 1);
	uint32_t nr = 0;
	for (se = mos_sched_rq_migrate_candidate(f.rq(), nullptr); se && nr < 5;
	     se = mos_sched_rq_migrate_candidate(f.rq(), se)) {
		MOS_KT_EXPECT_GE(t, uint32_t(se - f.se(0)), 3u);
		nr++;
	}
	MOS_KT_EXPECT_EQ(t, nr, 2u);
	f.put(2 * kMs);
	mos_sched_rq_dequeue(b.rq(), moved, 0, 2 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(b.rq()) == nullptr);
}

// The domain tree's load: fair weights, plus one nice-0 weight per
// runnable EDF entity (a CPU where EDF jobs wait must look busy to an idle
// CPU); a throttled EDF entity adds nothing.
extern "C" void mos_kt_sched_balance_load(struct mos_test *t)
{
	TestRq f(4);
	MOS_KT_ASSERT(t, f.ok());
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_load(f.rq()), 0u);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 0), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(1), 5), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_NEW, 0);
	mos_sched_rq_enqueue(f.rq(), f.se(1), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_load(f.rq()), 1024u + 335u);
	for (uint32_t i = 2; i < 4; i++) {
		auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(i), &p), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	}
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_load(f.rq()), 3u * 1024u + 335u);
	// One EDF entity spends its budget: throttled, out of the load.
	int edf = f.pick(0);
	MOS_KT_ASSERT_GE(t, edf, 2);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 2 * kMs));
	MOS_KT_EXPECT_TRUE(t, f.stats(uint32_t(edf)).edf_throttled);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_load(f.rq()), 2u * 1024u + 335u);
	f.put(2 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// Budget 2 ms per 10 ms: throttled at 2 ms, back at 10 ms with the next
// deadline, 20 ms, and a full budget.
extern "C" void mos_kt_sched_edf_cbs_throttle_replenish(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(0), &p), 0);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(1), 0), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, 0);
	mos_sched_rq_enqueue(f.rq(), f.se(1), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_next_event(f.rq()), 2 * kMs);
	MOS_KT_EXPECT_FALSE(t, mos_sched_rq_tick(f.rq(), kMs));
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 2 * kMs));
	MOS_KT_EXPECT_TRUE(t, f.stats(0).edf_throttled);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_throttles, 1u);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_nr_running(f.rq()), 1u);
	// The overrunning entity gives way: the fair one runs meanwhile.
	MOS_KT_EXPECT_EQ(t, f.pick(2 * kMs), 1);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_next_event(f.rq()), 10 * kMs);
	MOS_KT_EXPECT_FALSE(t, mos_sched_rq_tick(f.rq(), 9 * kMs));
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 10 * kMs));
	MOS_KT_EXPECT_EQ(t, f.pick(10 * kMs), 0);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_deadline, 20 * kMs);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_runtime_left, int64_t(2 * kMs));
	MOS_KT_EXPECT_EQ(t, f.rq_stats().edf_throttles, 1u);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().edf_misses, 0u);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// 2 ms per 10 ms; runs 1 ms, sleeps. Waking at 2 ms: 1 ms left for 8 ms
// is below the 20% it reserved, so it keeps its deadline. Waking at 6 ms:
// 1 ms in 4 ms is above, so it gets a new deadline (16 ms) and 2 ms.
extern "C" void mos_kt_sched_edf_cbs_wakeup_rule(struct mos_test *t)
{
	TestRq f(1);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(0), &p), 0);
	const uint64_t wake[2] = {2 * kMs, 6 * kMs};
	const uint64_t want_deadline[2] = {10 * kMs, 16 * kMs};
	const int64_t want_runtime[2] = {int64_t(kMs), int64_t(2 * kMs)};
	for (int i = 0; i < 2; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_set_edf(f.se(0), &p), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, 0);
		MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
		mos_sched_rq_dequeue(f.rq(), f.se(0), MOS_SCHED_DEQ_SLEEP, kMs);
		f.put(kMs);
		mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, wake[i]);
		MOS_KT_EXPECT_EQ(t, f.stats(0).edf_deadline, want_deadline[i]);
		MOS_KT_EXPECT_EQ(t, f.stats(0).edf_runtime_left, want_runtime[i]);
		mos_sched_rq_dequeue(f.rq(), f.se(0), MOS_SCHED_DEQ_SLEEP, wake[i]);
	}
}

// Two reservations of 6 ms per 10 ms (120%, which admission would refuse):
// the second runs 6..10 ms and still holds 2 ms at its deadline: a miss.
extern "C" void mos_kt_sched_edf_miss_counted(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(6 * kMs, 10 * kMs, 10 * kMs);
	for (uint32_t i = 0; i < 2; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(i), &p), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), MOS_SCHED_ENQ_WAKEUP, 0);
	}
	int a = f.pick(0);
	MOS_KT_ASSERT_GE(t, a, 0);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 6 * kMs));
	int b = f.pick(6 * kMs);
	MOS_KT_ASSERT_EQ(t, b, 1 - a);
	MOS_KT_EXPECT_FALSE(t, mos_sched_rq_tick(f.rq(), 9 * kMs));
	MOS_KT_EXPECT_EQ(t, f.stats(b).edf_misses, 0u);
	mos_sched_rq_tick(f.rq(), 11 * kMs);
	MOS_KT_EXPECT_EQ(t, f.stats(b).edf_misses, 1u);
	MOS_KT_EXPECT_EQ(t, f.stats(a).edf_misses, 0u);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().edf_misses, 1u);
	// Counted once per deadline, not once per tick.
	mos_sched_rq_update_curr(f.rq(), 11 * kMs + 500000);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().edf_misses, 1u);
}

// sched_yield() from EDF: the job is over, the next starts next period.
extern "C" void mos_kt_sched_edf_yield_ends_job(struct mos_test *t)
{
	TestRq f(1);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(2 * kMs, 5 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(0), &p), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_WAKEUP, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	mos_sched_rq_yield(f.rq(), kMs);
	MOS_KT_EXPECT_EQ(t, f.pick(kMs), -1);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_throttles, 0u);
	MOS_KT_EXPECT_EQ(t, mos_sched_rq_next_event(f.rq()), 10 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_tick(f.rq(), 10 * kMs));
	MOS_KT_EXPECT_EQ(t, f.pick(10 * kMs), 0);
	MOS_KT_EXPECT_EQ(t, f.stats(0).edf_deadline, 15 * kMs);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

extern "C" void mos_kt_sched_class_change_needs_dequeue(struct mos_test *t)
{
	TestRq f(1);
	MOS_KT_ASSERT(t, f.ok());
	auto p = edf(kMs, 10 * kMs, 10 * kMs);
	auto bad = edf(0, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 3), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_edf(f.se(0), &bad), -MOS_EINVAL);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_edf(f.se(0), &p), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_policy(f.se(0)), MOS_SCHED_POLICY_FAIR);
	mos_sched_rq_dequeue(f.rq(), f.se(0), MOS_SCHED_DEQ_SAVE, 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_edf(f.se(0), &p), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_RESTORE, 0);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_edf, 1u);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_fair, 0u);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_bw(f.se(0)), MOS_SCHED_BW_UNIT / 10);
	mos_sched_rq_dequeue(f.rq(), f.se(0), MOS_SCHED_DEQ_SAVE, 0);
	// Back to fair keeps the nice it had.
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_fair(f.se(0), 3), 0);
	MOS_KT_EXPECT_EQ(t, f.stats(0).nice, 3);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_bw(f.se(0)), 0u);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_fair(f.se(0), 42), -MOS_EINVAL);
}

// The memory node and last-run time the shim stores survive class
// changes; init forgets them.
extern "C" void mos_kt_sched_entity_mem_node(struct mos_test *t)
{
	mos_sched_entity se;
	auto p = edf(kMs, 10 * kMs, 10 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(&se, 0), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_mem_node(&se), -1);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_last_ran(&se), 0u);
	mos_sched_entity_set_mem_node(&se, 5);
	mos_sched_entity_set_last_ran(&se, 7 * kMs);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_edf(&se, &p), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_mem_node(&se), 5);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_fair(&se, 1), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_mem_node(&se), 5);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_last_ran(&se), 7 * kMs);
	mos_sched_entity_set_mem_node(&se, -7);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_mem_node(&se), -1);
	mos_sched_entity_set_mem_node(&se, 2);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(&se, 0), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_mem_node(&se), -1);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_last_ran(&se), 0u);
}
