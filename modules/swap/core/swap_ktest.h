/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_swap core test cases, shared by KUnit (a later kunit/ suite)
 * and GoogleTest (modules/swap/tests/swap_cases_test.cpp). Each X(name)
 * is a C++ function `void mos_kt_<name>(struct mos_test *)` in
 * core/swap_ktest.cpp, driving the core only through include/multios/swap.h.
 */
#ifndef MULTIOS_SWAP_KTEST_H
#define MULTIOS_SWAP_KTEST_H

#define MOS_KT_SWAP_CASES(X)			\
	X(swap_same_filled_page)		\
	X(swap_slot_frees_what_it_held)		\
	X(swap_dedup_shares_after_compare)	\
	X(swap_dedup_collision_not_shared)	\
	X(swap_writeback_protocol)		\
	X(swap_writeback_stale_finish)		\
	X(swap_page_hash_keyed)			\
	X(swap_dedup_one_hash_flood)		\
	X(swap_dedup_one_bucket_flood)		\
	X(swap_page_size_refused)		\
	X(swap_whole_page_at_each_size)		\
	X(swap_dedup_page_sizes_not_mixed)

#endif /* MULTIOS_SWAP_KTEST_H */
