// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>
#include <thread>
#include <vector>

#include <mos/alloc.h>
#include <mos/lock.h>

#include "test_support.h"

namespace {

/* One class per kind of lock, as lockdep wants: a class has one name. */
constinit mos::LockClass guard_class{"guard"};
constinit mos::LockClass outer_class{"outer"};
constinit mos::LockClass inner_class{"inner"};
constinit mos::LockClass sleep_class{"sleep"};
constinit mos::LockClass mutex_class{"mutex"};
constinit mos::LockClass spin_class{"spin"};
constinit mos::LockClass account_class{"account"};
constinit mos::LockClass account_mutex_class{"account_mutex"};
constinit mos::LockClass irq_class{"irq"};
constinit mos::LockClass twice_class{"twice"};
constinit mos::LockClass unheld_class{"unheld"};
constinit mos::LockClass destroyed_class{"destroyed"};
constinit mos::LockClass raw_class{"raw"};
constinit mos::LockClass raw_outer_class{"raw_outer"};
constinit mos::LockClass raw_inner_class{"raw_inner"};
constinit mos::LockClass raw_account_class{"raw_account"};
constinit mos::LockClass raw_twice_class{"raw_twice"};
constinit mos::LockClass raw_unheld_class{"raw_unheld"};

struct Account {
	long balance = 0;
	long transfers = 0;
};

template <class F>
void run_threads(int n, F body)
{
	std::vector<std::thread> threads;
	for (int i = 0; i < n; i++)
		threads.emplace_back(body, i);
	for (auto &t : threads)
		t.join();
}

TEST(Lock, SpinGuardDisablesPreemptionForItsScope)
{
	mos::SpinLock lock;
	lock.init(guard_class);
	EXPECT_FALSE(mos_in_atomic());
	{
		mos::SpinGuard guard(lock);
		EXPECT_TRUE(lock.is_locked());
		EXPECT_TRUE(mos_in_atomic());
		EXPECT_EQ(mos_host_preempt_depth(), 1);
	}
	EXPECT_FALSE(lock.is_locked());
	EXPECT_FALSE(mos_in_atomic());
}

TEST(Lock, IrqSaveGuardRestoresTheIrqState)
{
	mos::SpinLock outer, inner;
	outer.init(outer_class);
	inner.init(inner_class);
	{
		mos::IrqSaveSpinGuard a(outer);
		EXPECT_TRUE(mos_host_irqs_disabled());
		{
			mos::IrqSaveSpinGuard b(inner);
			EXPECT_TRUE(mos_host_irqs_disabled());
		}
		EXPECT_TRUE(mos_host_irqs_disabled()) << "inner restore enabled IRQs";
	}
	EXPECT_FALSE(mos_host_irqs_disabled());
}

TEST(Lock, MightSleepUnderASpinGuardIsReported)
{
	mos::SpinLock lock;
	lock.init(sleep_class);
	mos_host_test::ExpectWarnings expect;
	mos_might_sleep();
	EXPECT_EQ(expect.count(), 0u);
	{
		mos::SpinGuard guard(lock);
		mos_might_sleep();
	}
	EXPECT_EQ(expect.count(), 1u);
}

TEST(Lock, MutexUnderASpinGuardIsReported)
{
	auto r = mos::make_owned<mos::Mutex>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	mos::Mutex &mutex = *r.value();
	mutex.init(mutex_class);
	mos::SpinLock lock;
	lock.init(spin_class);
	mos_host_test::ExpectWarnings expect;
	{
		mos::SpinGuard guard(lock);
		mos::MutexGuard sleeping(mutex);
		EXPECT_TRUE(mutex.is_locked());
	}
	EXPECT_EQ(expect.count(), 1u);
	EXPECT_FALSE(mutex.is_locked());
	mutex.destroy();
}

TEST(Lock, SpinProtectedKeepsConcurrentUpdatesConsistent)
{
	auto r = mos::make_owned<mos::SpinProtected<Account>>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	auto &account = *r.value();
	account.init(account_class);
	constexpr int threads = 4, rounds = 5000;
	run_threads(threads, [&](int id) {
		for (int i = 0; i < rounds; i++) {
			if (i % 2) {
				account.with([&](Account &a) {
					a.balance += id + 1;
					a.transfers++;
				});
			} else {
				auto locked = account.lock();
				locked->balance -= id + 1;
				locked->transfers++;
			}
		}
	});
	auto totals = account.with([](Account &a) { return a; });
	EXPECT_EQ(totals.balance, 0);
	EXPECT_EQ(totals.transfers, threads * rounds);
}

TEST(Lock, MutexProtectedSerialisesSleepingSections)
{
	auto r = mos::make_owned<mos::MutexProtected<Account>>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	auto &account = *r.value();
	account.init(account_mutex_class);
	run_threads(4, [&](int) {
		for (int i = 0; i < 2000; i++) {
			account.with([](Account &a) {
				mos_might_sleep(); /* allowed under a mutex */
				long seen = a.balance;
				a.balance = seen + 1;
			});
		}
	});
	EXPECT_EQ(account.with([](Account &a) { return a.balance; }), 8000);
	account.destroy();
}

TEST(Lock, WithIrqsaveReturnsTheResult)
{
	mos::SpinProtected<int> value(41);
	value.init(irq_class);
	EXPECT_EQ(value.with_irqsave([](int &v) { return ++v; }), 42);
	EXPECT_FALSE(mos_host_irqs_disabled());
}

TEST(RawLock, RawSpinGuardDisablesPreemptionForItsScope)
{
	mos::RawSpinLock lock;
	lock.init(raw_class);
	EXPECT_FALSE(mos_in_atomic());
	{
		mos::RawSpinGuard guard(lock);
		EXPECT_TRUE(lock.is_locked());
		EXPECT_TRUE(mos_in_atomic());
		EXPECT_EQ(mos_host_preempt_depth(), 1);
	}
	EXPECT_FALSE(lock.is_locked());
	EXPECT_FALSE(mos_in_atomic());
}

TEST(RawLock, IrqSaveGuardRestoresTheIrqState)
{
	mos::RawSpinLock outer, inner;
	outer.init(raw_outer_class);
	inner.init(raw_inner_class);
	{
		mos::IrqSaveRawSpinGuard a(outer);
		EXPECT_TRUE(mos_host_irqs_disabled());
		{
			mos::IrqSaveRawSpinGuard b(inner);
			EXPECT_TRUE(mos_host_irqs_disabled());
		}
		EXPECT_TRUE(mos_host_irqs_disabled()) << "inner restore enabled IRQs";
	}
	EXPECT_FALSE(mos_host_irqs_disabled());
}

/*
 * PROVE_RAW_LOCK_NESTING: a spinlock_t (a sleeping lock on PREEMPT_RT)
 * under a raw one, such as the scheduler's run-queue lock, is reported;
 * a raw one under a spinlock_t is the allowed order. This is what makes
 * the sched suites fail if a lock the module takes under an rq lock is
 * not raw (modules/sched/tests/sched_cases_test.cpp).
 */
TEST(RawLock, SpinLockUnderARawSpinLockIsReported)
{
	/* Two pairs: one pair in both orders is an inversion TSan reports. */
	mos::RawSpinLock raw, raw_outer;
	raw.init(raw_inner_class);
	raw_outer.init(raw_outer_class);
	mos::SpinLock spin, spin_inner;
	spin.init(spin_class);
	spin_inner.init(inner_class);
	mos_host_test::ExpectWarnings expect;
	{
		mos::SpinGuard outer(spin);
		mos::RawSpinGuard inner(raw);
	}
	EXPECT_EQ(expect.count(), 0u) << "raw inside spinlock_t is allowed";
	{
		mos::IrqSaveRawSpinGuard outer(raw_outer);
		mos::SpinGuard inner(spin_inner);
	}
	EXPECT_EQ(expect.count(), 1u);
	{
		mos::SpinGuard after(spin_inner);	/* the raw lock is gone: fine again */
	}
	EXPECT_EQ(expect.count(), 1u);
}

TEST(RawLock, MightSleepUnderARawSpinGuardIsReported)
{
	mos::RawSpinLock lock;
	lock.init(raw_class);
	mos_host_test::ExpectWarnings expect;
	{
		mos::RawSpinGuard guard(lock);
		mos_might_sleep();
	}
	EXPECT_EQ(expect.count(), 1u);
}

TEST(RawLock, RawSpinProtectedKeepsConcurrentUpdatesConsistent)
{
	auto r = mos::make_owned<mos::RawSpinProtected<Account>>(mos::Gfp::Kernel);
	ASSERT_TRUE(r.is_ok());
	auto &account = *r.value();
	account.init(raw_account_class);
	constexpr int threads = 4, rounds = 5000;
	run_threads(threads, [&](int id) {
		for (int i = 0; i < rounds; i++) {
			if (i % 2) {
				account.with_irqsave([&](Account &a) {
					a.balance += id + 1;
					a.transfers++;
				});
			} else {
				auto locked = account.lock();
				locked->balance -= id + 1;
				locked->transfers++;
			}
		}
	});
	auto totals = account.with([](Account &a) { return a; });
	EXPECT_EQ(totals.balance, 0);
	EXPECT_EQ(totals.transfers, threads * rounds);
}

/*
 * Lockdep: "Looking for class X with key K, but found a different class Y
 * with the same key". The C++ API cannot say it (the name comes from the
 * LockClass), so speak the C ABI directly.
 */
TEST(LockClass, ASecondNameForOneClassIsReported)
{
	constinit static mos_lock_class_t cls{};
	mos_spinlock_t first{}, again{}, renamed{};
	mos_mutex_t same_text{}, other{};
	char copy[] = "lock_class_test";

	mos_host_test::ExpectWarnings expect;
	mos_spin_init(&first, "lock_class_test", &cls);
	mos_spin_init(&again, "lock_class_test", &cls);
	mos_mutex_init(&same_text, copy, &cls); /* same name, other pointer */
	EXPECT_EQ(expect.count(), 0u);
	mos_spin_init(&renamed, "lock_class_other", &cls);
	EXPECT_EQ(expect.count(), 1u);
	mos_mutex_init(&other, "lock_class_mutex", &cls);
	EXPECT_EQ(expect.count(), 2u);
	mos_mutex_destroy(&same_text);
	mos_mutex_destroy(&other);
}

TEST(LockClass, LocksOfOneClassShareItsName)
{
	constinit static mos::LockClass cls{"shared_class"};
	EXPECT_STREQ(cls.name(), "shared_class");
	mos::SpinLock a, b;
	mos::Mutex m;
	a.init(cls); /* any warning here fails the test */
	b.init(cls);
	m.init(cls);
	m.destroy();
}

/* The first name is claimed once, even when CPUs race to claim it. */
TEST(LockClass, ConcurrentFirstInitsAgree)
{
	constinit static mos::LockClass cls{"racing_class"};
	run_threads(8, [](int) {
		for (int i = 0; i < 100; i++) {
			mos::SpinLock lock;
			lock.init(cls);
			mos::SpinGuard guard(lock);
		}
	});
}

#ifndef MOS_TSAN
TEST(LockDeathTest, MisuseIsCaught)
{
	EXPECT_DEATH(
		{
			mos::SpinLock lock;
			lock.init(twice_class);
			mos::SpinGuard a(lock);
			mos::SpinGuard b(lock);
		},
		"spinlock recursion");
	EXPECT_DEATH(
		{
			alignas(mos::SpinLock) unsigned char zeroed[sizeof(mos::SpinLock)] = {};
			auto *lock = new (zeroed) mos::SpinLock; /* never init()ed */
			lock->lock();
		},
		"before mos_spin_init");
	EXPECT_DEATH(
		{
			mos::SpinLock lock;
			lock.init(unheld_class);
			lock.unlock();
		},
		"does not hold it");
	EXPECT_DEATH(
		{
			mos::Mutex mutex;
			mutex.init(destroyed_class);
			mutex.destroy();
			mutex.lock();
		},
		"before mos_mutex_init");
}

TEST(LockDeathTest, RawMisuseIsCaught)
{
	EXPECT_DEATH(
		{
			mos::RawSpinLock lock;
			lock.init(raw_twice_class);
			mos::RawSpinGuard a(lock);
			mos::RawSpinGuard b(lock);
		},
		"raw spinlock recursion");
	EXPECT_DEATH(
		{
			alignas(mos::RawSpinLock) unsigned char zeroed[sizeof(mos::RawSpinLock)] = {};
			auto *lock = new (zeroed) mos::RawSpinLock; /* never init()ed */
			lock->lock();
		},
		"before mos_raw_spin_init");
	EXPECT_DEATH(
		{
			mos::RawSpinLock lock;
			lock.init(raw_unheld_class);
			lock.unlock();
		},
		"does not hold it");
	/* A spinlock_t is not a raw one: the magic tells them apart. */
	EXPECT_DEATH(
		{
			mos_spinlock_t spin{};
			mos_spin_init(&spin, "raw", raw_class.raw());
			mos_raw_spin_lock(reinterpret_cast<mos_raw_spinlock_t *>(&spin));
		},
		"before mos_raw_spin_init");
}
#endif

} // namespace
