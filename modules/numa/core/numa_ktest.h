/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_numa core test cases, shared by KUnit (kunit/numa_kunit.c)
 * and GoogleTest (modules/numa/tests/numa_cases_test.cpp). Each X(name)
 * is a C++ function `void mos_kt_<name>(struct mos_test *)` in
 * core/numa_ktest.cpp, driving the core only through include/multios/numa.h.
 */
#ifndef MULTIOS_NUMA_KTEST_H
#define MULTIOS_NUMA_KTEST_H

#define MOS_KT_NUMA_CASES(X)			\
	X(numa_nodemask_round_trip)		\
	X(numa_nodemask_strict)			\
	X(numa_policy_round_trip)		\
	X(numa_policy_refused)			\
	X(numa_request_parsed)			\
	X(numa_request_refused_untouched)	\
	X(numa_budget_rate_and_burst)		\
	X(numa_budget_clock_oddities)		\
	X(numa_decide_memory_follows_task)	\
	X(numa_decide_task_follows_memory)	\
	X(numa_decide_shared_interleaves)	\
	X(numa_decide_ping_pong_pins)		\
	X(numa_stats_line)

#endif /* MULTIOS_NUMA_KTEST_H */
