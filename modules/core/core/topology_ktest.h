/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Topology model test cases, shared by KUnit (kunit/topology_kunit.c) and
 * GoogleTest (modules/core/tests/topology_cases_test.cpp). Each X(name) is a C++ function
 * `void mos_kt_<name>(struct mos_test *)` in core/topology_ktest.cpp.
 */
#ifndef MULTIOS_TOPOLOGY_KTEST_H
#define MULTIOS_TOPOLOGY_KTEST_H

#define MOS_KT_TOPOLOGY_CASES(X)		\
	X(topology_two_nodes_smt2)		\
	X(topology_holes_in_cpu_ids)		\
	X(topology_asymmetric_nodes)		\
	X(topology_rejects_absent_leader)	\
	X(topology_rejects_straddling_smt)	\
	X(topology_rejects_bad_distance)	\
	X(topology_rejects_bad_input)		\
	X(topology_show_reports_truncation)	\
	X(topology_alloc_failure_unwinds)

#endif /* MULTIOS_TOPOLOGY_KTEST_H */
