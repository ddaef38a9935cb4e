/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The support library's shared test cases: C++ bodies written only
 * against <mos/ktest.h>, run by KUnit in the kernel and by GoogleTest on
 * the host (support/tests/ktest_cases_test.cpp).
 *
 * Each X(name) is a function
 *	void mos_kt_<name>(struct mos_test *t);
 * A runner defines X and expands the list, for example in a KUnit suite:
 *	#define X(name) KUNIT_CASE(mos_kunit_##name),
 *	MOS_KT_SUPPORT_CASES(X)
 * Plain C, so the kernel's C test files can include it.
 */
#ifndef MOS_KTEST_CASES_H
#define MOS_KTEST_CASES_H

#define MOS_KT_SUPPORT_CASES(X)      \
	X(result_try)                \
	X(alloc_failure_unwinds)     \
	X(list_ops)                  \
	X(rbtree_ordered)            \
	X(spin_guard_preempt_off)    \
	X(spin_protected_with)       \
	X(raw_spin_protected_with)   \
	X(percpu_sum)                \
	X(fixed_point)               \
	X(atomic_ops)

#ifdef __cplusplus
extern "C" {
#endif

struct mos_test;

#define MOS_KT_DECLARE_CASE(name) void mos_kt_##name(struct mos_test *t);
MOS_KT_SUPPORT_CASES(MOS_KT_DECLARE_CASE)
#undef MOS_KT_DECLARE_CASE

#ifdef __cplusplus
}
#endif

#endif /* MOS_KTEST_CASES_H */
