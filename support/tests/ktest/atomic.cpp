// SPDX-License-Identifier: GPL-2.0-only
/* Atomic<T> return values and the cmpxchg contract, single-threaded. */
#include <mos/atomic.h>
#include <mos/ktest.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

extern "C" void mos_kt_atomic_ops(struct mos_test *t)
{
	mos::Atomic<long> v(5);
	MOS_KT_EXPECT_EQ(t, v.add_return(3), 8l);
	MOS_KT_EXPECT_EQ(t, v.sub_return(10), -2l);
	MOS_KT_EXPECT_EQ(t, v.fetch_add_relaxed(2), -2l);
	MOS_KT_EXPECT_EQ(t, v.load_relaxed(), 0l);
	MOS_KT_EXPECT_EQ(t, v.xchg(7), 0l);
	MOS_KT_EXPECT_EQ(t, v.cmpxchg(1, 9), 7l); /* fails: value is 7 */
	MOS_KT_EXPECT_EQ(t, v.load_acquire(), 7l);
	MOS_KT_EXPECT_EQ(t, v.cmpxchg(7, 9), 7l); /* succeeds */
	MOS_KT_EXPECT_EQ(t, v.load_relaxed(), 9l);

	long expected = 3;
	MOS_KT_EXPECT_FALSE(t, v.try_cmpxchg(expected, 4));
	MOS_KT_EXPECT_EQ(t, expected, 9l);
	MOS_KT_EXPECT_TRUE(t, v.try_cmpxchg(expected, 4));
	MOS_KT_EXPECT_EQ(t, v.load_relaxed(), 4l);

	mos::Atomic<unsigned int> refs(2);
	refs.inc();
	MOS_KT_EXPECT_FALSE(t, refs.dec_and_test());
	MOS_KT_EXPECT_FALSE(t, refs.dec_and_test());
	MOS_KT_EXPECT_TRUE(t, refs.dec_and_test());

	int a = 1, b = 2;
	mos::Atomic<int *> p(&a);
	p.store_release(&b);
	MOS_KT_EXPECT_EQ(t, p.xchg(&a), &b);
	MOS_KT_EXPECT_EQ(t, p.load_relaxed(), &a);
	mos::smp_mb();
}
