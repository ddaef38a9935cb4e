// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spinlock guards, alone and nested inside a preempt-disabled section;
 * raw spinlocks, alone and nested inside a spinlock (the allowed order).
 */
#include <mos/alloc.h>
#include <mos/ktest.h>
#include <mos/lock.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

namespace {

/* One class per kind of lock: lockdep wants one name per key. */
constinit mos::LockClass counter_lock_class{"mos_kt_counter"};
constinit mos::LockClass stats_lock_class{"mos_kt_stats"};
constinit mos::LockClass raw_stats_lock_class{"mos_kt_raw_stats"};

struct Counter {
	mos::SpinLock lock;
	unsigned long value = 0;
};

struct Stats {
	unsigned long events = 0;
	unsigned long bytes = 0;
};

} // namespace

extern "C" void mos_kt_spin_guard_preempt_off(struct mos_test *t)
{
	auto counter = mos::make_owned<Counter>(mos::Gfp::Kernel);
	MOS_KT_ASSERT_OK(t, counter);
	Counter &c = *counter.value();
	c.lock.init(counter_lock_class);

	bool atomic_before = mos_in_atomic();
	mos_preempt_disable();
	MOS_KT_EXPECT_TRUE(t, mos_in_atomic());
	{
		mos::SpinGuard guard(c.lock);
		MOS_KT_EXPECT_TRUE(t, mos_in_atomic());
		MOS_KT_EXPECT_TRUE(t, c.lock.is_locked());
		c.value++;
	}
	MOS_KT_EXPECT_FALSE(t, c.lock.is_locked());
	MOS_KT_EXPECT_TRUE(t, mos_in_atomic()); /* still preempt-disabled */
	{
		mos::IrqSaveSpinGuard guard(c.lock);
		MOS_KT_EXPECT_TRUE(t, c.lock.is_locked());
		c.value++;
	}
	mos_preempt_enable();
	MOS_KT_EXPECT_EQ(t, mos_in_atomic(), atomic_before);
	MOS_KT_EXPECT_EQ(t, c.value, 2ul);
}

extern "C" void mos_kt_spin_protected_with(struct mos_test *t)
{
	auto stats = mos::make_owned<mos::SpinProtected<Stats>>(mos::Gfp::Kernel);
	MOS_KT_ASSERT_OK(t, stats);
	auto &protected_stats = *stats.value();
	protected_stats.init(stats_lock_class);

	unsigned long events = protected_stats.with([&](Stats &s) {
		MOS_KT_EXPECT_TRUE(t, mos_in_atomic());
		s.events += 2;
		s.bytes += 100;
		return s.events;
	});
	MOS_KT_EXPECT_EQ(t, events, 2ul);
	MOS_KT_EXPECT_FALSE(t, protected_stats.is_locked());
	{
		auto locked = protected_stats.lock();
		MOS_KT_EXPECT_TRUE(t, protected_stats.is_locked());
		locked->bytes += 1;
	}
	MOS_KT_EXPECT_FALSE(t, protected_stats.is_locked());
	MOS_KT_EXPECT_EQ(t, protected_stats.with_irqsave([](Stats &s) { return s.bytes; }),
			 101ul);
}

/*
 * A RawSpinProtected behaves as a SpinProtected, and may be taken under a
 * SpinLock (raw inside non-raw is the order PROVE_RAW_LOCK_NESTING
 * allows; the reverse is what the host runtime and lockdep report).
 */
extern "C" void mos_kt_raw_spin_protected_with(struct mos_test *t)
{
	auto stats = mos::make_owned<mos::RawSpinProtected<Stats>>(mos::Gfp::Kernel);
	auto counter = mos::make_owned<Counter>(mos::Gfp::Kernel);
	MOS_KT_ASSERT_OK(t, stats);
	MOS_KT_ASSERT_OK(t, counter);
	auto &raw_stats = *stats.value();
	Counter &c = *counter.value();
	raw_stats.init(raw_stats_lock_class);
	c.lock.init(counter_lock_class);

	bool atomic_before = mos_in_atomic();
	{
		mos::SpinGuard outer(c.lock);
		raw_stats.with([&](Stats &s) {
			MOS_KT_EXPECT_TRUE(t, mos_in_atomic());
			s.events++;
		});
	}
	MOS_KT_EXPECT_FALSE(t, raw_stats.is_locked());
	MOS_KT_EXPECT_EQ(t, mos_in_atomic(), atomic_before);
	{
		auto locked = raw_stats.lock();
		MOS_KT_EXPECT_TRUE(t, raw_stats.is_locked());
		locked->bytes += 7;
	}
	MOS_KT_EXPECT_EQ(t, raw_stats.with_irqsave([](Stats &s) { return s.events + s.bytes; }),
			 8ul);
	MOS_KT_EXPECT_EQ(t, mos_in_atomic(), atomic_before);
}
