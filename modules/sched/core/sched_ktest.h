/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_sched core test cases, shared by KUnit (a later kunit/ suite)
 * and GoogleTest (modules/sched/tests/sched_cases_test.cpp). Each X(name)
 * is a C++ function `void mos_kt_<name>(struct mos_test *)` in
 * core/{fair,edf,admission,ops,domains}_ktest.cpp, driving the core only
 * through include/multios/sched.h and sched_domains.h.
 */
#ifndef MULTIOS_SCHED_KTEST_H
#define MULTIOS_SCHED_KTEST_H

#define MOS_KT_SCHED_CASES(X)			\
	X(sched_nice_weights)			\
	X(sched_fair_vruntime_scales_by_weight)	\
	X(sched_fair_yield_gives_way)		\
	X(sched_migration_rebases_vruntime)	\
	X(sched_migrate_candidates)		\
	X(sched_edf_earliest_deadline_first)	\
	X(sched_edf_migrate_candidates)		\
	X(sched_balance_load)			\
	X(sched_edf_before_fair)		\
	X(sched_edf_cbs_throttle_replenish)	\
	X(sched_edf_cbs_wakeup_rule)		\
	X(sched_edf_miss_counted)		\
	X(sched_edf_yield_ends_job)		\
	X(sched_class_change_needs_dequeue)	\
	X(sched_entity_mem_node)		\
	X(sched_peek_is_pick_without_effects)	\
	X(sched_peek_sees_due_replenishment)	\
	X(sched_set_next_throttled_running)	\
	X(sched_set_next_blocked_current)	\
	X(sched_migrate_sleeping_entity)	\
	X(sched_destroy_abandon)		\
	X(sched_admission_cap)			\
	X(sched_admission_bad_params)		\
	X(sched_admission_change)		\
	X(sched_admission_cpu_set)		\
	X(sched_admission_under_rq_lock)	\
	X(sched_domains_odd_holes_asymmetric)	\
	X(sched_domains_split)			\
	X(sched_domains_balancers)		\
	X(sched_domains_hotplug)		\
	X(sched_domains_waiting_cpus)		\
	X(sched_domains_power_modes)

#endif /* MULTIOS_SCHED_KTEST_H */
