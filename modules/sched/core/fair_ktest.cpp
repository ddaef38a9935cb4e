// SPDX-License-Identifier: GPL-2.0-only
//
// Fair class cases (see sched_ktest.h): weights, virtual time, yield,
// migration. Freestanding: KUnit in the kernel, GoogleTest on the host.

#include "ktest_rq.h"
#include "sched_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using namespace mos::sched::kt;

extern "C" void mos_kt_sched_nice_weights(struct mos_test *t)
{
	MOS_KT_EXPECT_EQ(t, mos_sched_nice_to_weight(0), 1024u);
	MOS_KT_EXPECT_EQ(t, mos_sched_nice_to_weight(-20), 88761u);
	MOS_KT_EXPECT_EQ(t, mos_sched_nice_to_weight(19), 15u);
	MOS_KT_EXPECT_EQ(t, mos_sched_nice_to_weight(20), 0u);
	MOS_KT_EXPECT_EQ(t, mos_sched_nice_to_weight(-21), 0u);
	// Each step is ~1.25x: about 10% of the CPU between neighbours.
	for (int32_t nice = -20; nice < 19; nice++) {
		uint32_t a = mos_sched_nice_to_weight(nice);
		uint32_t b = mos_sched_nice_to_weight(nice + 1);
		MOS_KT_EXPECT_GE(t, a * 100, b * 120);
		MOS_KT_EXPECT_LE(t, a * 100, b * 130);
	}
	mos_sched_entity se;
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_init_fair(&se, 20), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_init_fair(&se, 5), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_nice(&se, -21, 0), -MOS_EINVAL);
}

// One millisecond of CPU moves a nice-5 entity 1024/335 ms in virtual time.
extern "C" void mos_kt_sched_fair_vruntime_scales_by_weight(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(0), 5), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(0), MOS_SCHED_ENQ_NEW, 0);
	MOS_KT_ASSERT_EQ(t, f.pick(0), 0);
	uint64_t v0 = f.stats(0).vruntime;
	mos_sched_rq_update_curr(f.rq(), kMs);
	uint64_t dv = f.stats(0).vruntime - v0;
	MOS_KT_EXPECT_GE(t, dv, kMs * 1024 / 335 - 1000);
	MOS_KT_EXPECT_LE(t, dv, kMs * 1024 / 335 + 1000);
	MOS_KT_EXPECT_EQ(t, f.stats(0).sum_exec_ns, kMs);

	// A reweight while running charges the old weight first.
	MOS_KT_EXPECT_EQ(t, mos_sched_entity_set_nice(f.se(0), 0, 2 * kMs), 0);
	mos_sched_rq_update_curr(f.rq(), 3 * kMs);
	uint64_t dv2 = f.stats(0).vruntime - v0;
	MOS_KT_EXPECT_GE(t, dv2, 2 * kMs * 1024 / 335 + kMs - 2000);
	MOS_KT_EXPECT_LE(t, dv2, 2 * kMs * 1024 / 335 + kMs + 2000);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

extern "C" void mos_kt_sched_fair_yield_gives_way(struct mos_test *t)
{
	TestRq f(2);
	MOS_KT_ASSERT(t, f.ok());
	for (uint32_t i = 0; i < 2; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(i), 0), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), 0, 0);
	}
	int first = f.pick(0);
	MOS_KT_ASSERT_GE(t, first, 0);
	// Equal vruntime: without the yield the first would run again.
	mos_sched_rq_yield(f.rq(), 0);
	MOS_KT_EXPECT_EQ(t, f.pick(0), 1 - first);
	MOS_KT_EXPECT_EQ(t, f.rq_stats().nr_switches, 2u);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}

// Moving from a queue far ahead in virtual time to a fresh one keeps the
// entity's position relative to min_vruntime, like CFS's migration.
extern "C" void mos_kt_sched_migration_rebases_vruntime(struct mos_test *t)
{
	TestRq a(2), b(1);
	MOS_KT_ASSERT(t, a.ok() && b.ok());
	for (uint32_t i = 0; i < 2; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(a.se(i), 0), 0);
		mos_sched_rq_enqueue(a.rq(), a.se(i), 0, 0);
	}
	// Run both for a while so queue a's min_vruntime grows.
	for (uint64_t now = 0; now < 100 * kMs; now += kMs) {
		if (a.pick(now) < 0 || mos_sched_rq_tick(a.rq(), now + kMs))
			a.put(now + kMs);
	}
	a.put(100 * kMs);
	uint64_t min_a = a.rq_stats().min_vruntime;
	MOS_KT_EXPECT_GE(t, min_a, 40 * kMs);
	int64_t offset = int64_t(a.stats(1).vruntime - min_a);

	mos_sched_rq_detach(a.rq(), a.se(1), 100 * kMs);
	MOS_KT_EXPECT_FALSE(t, mos_sched_entity_queued(a.se(1)));
	mos_sched_rq_attach(b.rq(), a.se(1), 0, 0);
	uint64_t min_b = b.rq_stats().min_vruntime;
	MOS_KT_EXPECT_EQ(t, int64_t(a.stats(1).vruntime - min_b), offset);
	MOS_KT_EXPECT_EQ(t, b.rq_stats().nr_migrations, 1u);
	MOS_KT_EXPECT_EQ(t, a.rq_stats().nr_fair, 1u);
	MOS_KT_EXPECT_EQ(t, b.rq_stats().nr_fair, 1u);
	mos_sched_rq_dequeue(b.rq(), a.se(1), 0, 0);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(a.rq()) == nullptr);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(b.rq()) == nullptr);
}

// Walks the candidates; returns how many, checking order and exclusions.
static uint32_t count_candidates(struct mos_test *t, TestRq &f, int curr)
{
	uint32_t seen = 0;
	uint64_t last_vruntime = 0;

	for (mos_sched_entity *se = mos_sched_rq_migrate_candidate(f.rq(), nullptr); se;
	     se = mos_sched_rq_migrate_candidate(f.rq(), se)) {
		uint32_t i = uint32_t(se - f.se(0));
		MOS_KT_EXPECT_LT(t, i, 4u);	// fair entities only
		MOS_KT_EXPECT_NE(t, int(i), curr);
		MOS_KT_EXPECT_GE(t, f.stats(i).vruntime, last_vruntime);
		last_vruntime = f.stats(i).vruntime;
		if (++seen > 5)
			break;
	}
	return seen;
}

// Balancing takes waiting fair entities, the least recently run (smallest
// vruntime) first: never the current one (here an EDF one; waiting EDF
// entities: sched_edf_migrate_candidates).
extern "C" void mos_kt_sched_migrate_candidates(struct mos_test *t)
{
	TestRq f(5);
	MOS_KT_ASSERT(t, f.ok());
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_migrate_candidate(f.rq(), nullptr) == nullptr);
	for (uint32_t i = 0; i < 4; i++) {
		MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_fair(f.se(i), 0), 0);
		mos_sched_rq_enqueue(f.rq(), f.se(i), 0, 0);
	}
	// Run the fair entities in turn, for different times, so their
	// vruntimes differ.
	uint64_t now = 0;
	for (uint32_t round = 0; round < 4; round++) {
		int i = f.pick(now);
		MOS_KT_ASSERT_GE(t, i, 0);
		now += (uint64_t(i) + 1) * kMs;
		f.put(now);
	}
	// An EDF entity runs: all four fair ones are candidates, it is not.
	mos_sched_edf_params p = edf(kMs, 100 * kMs, 100 * kMs);
	MOS_KT_ASSERT_EQ(t, mos_sched_entity_init_edf(f.se(4), &p), 0);
	mos_sched_rq_enqueue(f.rq(), f.se(4), MOS_SCHED_ENQ_WAKEUP, now);
	MOS_KT_ASSERT_EQ(t, f.pick(now), 4);
	MOS_KT_EXPECT_EQ(t, count_candidates(t, f, 4), 4u);
	f.put(now);
	mos_sched_rq_dequeue(f.rq(), f.se(4), MOS_SCHED_DEQ_SLEEP, now);

	// A fair entity runs: the three others are candidates.
	int curr = f.pick(now);
	MOS_KT_ASSERT_GE(t, curr, 0);
	MOS_KT_ASSERT_LT(t, curr, 4);
	MOS_KT_EXPECT_EQ(t, count_candidates(t, f, curr), 3u);
	// The current entity is no place to continue from.
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_migrate_candidate(f.rq(), f.se(uint32_t(curr))) ==
				      nullptr);
	f.put(now);
	MOS_KT_EXPECT_TRUE(t, mos_sched_rq_check(f.rq()) == nullptr);
}
