// SPDX-License-Identifier: GPL-2.0-only
//
// EDF admission cases (see sched_ktest.h): the cap, bad parameters,
// parameter changes, CPU sets, calls under a run-queue lock. Every
// refused request changes nothing.

#include <mos/lock.h>

#include "ktest_rq.h"
#include "sched_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using namespace mos::sched::kt;

namespace {

// A reservation of `percent` of a 10 ms period.
mos_sched_edf_params percent_of_10ms(uint64_t percent)
{
	return edf(percent * 100 * 1000, 10 * kMs, 10 * kMs);
}

uint64_t bw_percent(uint64_t percent)
{
	return percent * MOS_SCHED_BW_UNIT / 100;
}

// Stands in for the kernel's run-queue lock: a raw spinlock.
constinit mos::LockClass test_rq_lock_class{"mos_kt_sched_rq"};

} // namespace

extern "C" void mos_kt_sched_admission_cap(struct mos_test *t)
{
	mos_sched_admission *adm = mos_sched_admission_create(1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, adm != nullptr);
	auto p50 = percent_of_10ms(50), p40 = percent_of_10ms(40);
	auto p10 = percent_of_10ms(10), p5 = percent_of_10ms(5);

	MOS_KT_EXPECT_EQ(t, mos_sched_admission_cap(adm), MOS_SCHED_EDF_CAP_DEFAULT);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p50), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p40), 0);
	uint64_t at90 = mos_sched_admission_total_bw(adm);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p10), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), at90);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p5), 0);	// exactly 95%

	// The cap can not go below what is admitted, nor outside 1..100.
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_cap(adm, 90), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_cap(adm, 0), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_cap(adm, 101), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_cap(adm), 95u);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_cap(adm, 100), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p5), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p5), -MOS_EBUSY);
	mos_sched_admission_release(adm, &p5);
	mos_sched_admission_release(adm, &p5);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_cap(adm, 90), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), at90);

	mos_sched_admission_release(adm, &p50);
	mos_sched_admission_release(adm, &p40);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), 0u);
	mos_sched_admission_destroy(adm);
}

extern "C" void mos_kt_sched_admission_bad_params(struct mos_test *t)
{
	const mos_sched_edf_params bad[] = {
		edf(0, 10 * kMs, 10 * kMs),			// no runtime
		edf(1000, 10 * kMs, 10 * kMs),			// below 2^DL_SCALE ns
		edf(6 * kMs, 5 * kMs, 10 * kMs),		// runtime > deadline
		edf(kMs, 20 * kMs, 10 * kMs),			// deadline > period
		edf(kMs, 10 * kMs, 0),				// no period
		edf(10000, 50000, 50000),			// period under 100 us
		edf(kMs, 10 * kMs, 5000 * kMs),			// period over ~4.2 s
		edf(kMs, 1ull << 63, 1ull << 63),		// bit 63
		edf(~0ull, ~0ull, ~0ull),			// absurd
	};
	mos_sched_admission *adm = mos_sched_admission_create(1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, adm != nullptr);
	for (const auto &p : bad) {
		MOS_KT_EXPECT_EQ(t, mos_sched_edf_params_check(&p), -MOS_EINVAL);
		MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p), -MOS_EINVAL);
	}
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), 0u);
	auto good = edf(MOS_SCHED_EDF_RUNTIME_MIN_NS, MOS_SCHED_EDF_PERIOD_MIN_NS,
			MOS_SCHED_EDF_PERIOD_MAX_NS);
	MOS_KT_EXPECT_EQ(t, mos_sched_edf_params_check(&good), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_create(0, MOS_GFP_KERNEL), nullptr);
	mos_sched_admission_destroy(adm);
}

extern "C" void mos_kt_sched_admission_change(struct mos_test *t)
{
	mos_sched_admission *adm = mos_sched_admission_create(1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, adm != nullptr);
	auto p50 = percent_of_10ms(50), p60 = percent_of_10ms(60);
	auto p100 = percent_of_10ms(100), p0 = percent_of_10ms(0);

	MOS_KT_ASSERT_EQ(t, mos_sched_admission_admit(adm, &p50), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_change(adm, &p50, &p60), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), bw_percent(60));
	// Over the cap, or invalid: the old reservation stays.
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_change(adm, &p60, &p100), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_change(adm, &p60, &p0), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), bw_percent(60));
	mos_sched_admission_release(adm, &p60);
	mos_sched_admission_destroy(adm);
}

// Two CPUs at 95%: 190% in total, but no single reservation over 95%.
extern "C" void mos_kt_sched_admission_cpu_set(struct mos_test *t)
{
	mos_sched_admission *adm = mos_sched_admission_create(2, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, adm != nullptr);
	auto p60 = percent_of_10ms(60), p96 = percent_of_10ms(96);

	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p96), -MOS_EBUSY);
	for (int i = 0; i < 3; i++)
		MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p60), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p60), -MOS_EBUSY);
	// Losing a CPU would strand 180% on 95%: refused, nothing changes.
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_nr_cpus(adm, 1), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_nr_cpus(adm, 0), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p60), -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_set_nr_cpus(adm, 4), 0);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_admit(adm, &p60), 0);
	for (int i = 0; i < 4; i++)
		mos_sched_admission_release(adm, &p60);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), 0u);
	mos_sched_admission_destroy(adm);
}

// The kernel calls admit() with the run-queue and pi locks held, both raw
// spinlocks, with IRQs off: admission's own lock must be raw as well.
// With a spinlock_t there (as before Scheduler III) the host runtime
// fails this case ("Invalid wait context": an unexpected mos_warn), as
// lockdep's PROVE_RAW_LOCK_NESTING splats in the KUnit run.
extern "C" void mos_kt_sched_admission_under_rq_lock(struct mos_test *t)
{
	auto rq_lock = mos::make_owned<mos::RawSpinLock>(mos::Gfp::Kernel);
	MOS_KT_ASSERT_OK(t, rq_lock);
	mos_sched_admission *adm = mos_sched_admission_create(1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, adm != nullptr);
	rq_lock.value()->init(test_rq_lock_class);
	auto p30 = percent_of_10ms(30), p40 = percent_of_10ms(40), p60 = percent_of_10ms(60);
	int admit, change, over;
	{
		mos::IrqSaveRawSpinGuard rq(*rq_lock.value());
		admit = mos_sched_admission_admit(adm, &p30);
		change = mos_sched_admission_change(adm, &p30, &p40);
		over = mos_sched_admission_admit(adm, &p60);	// 100% > the 95% cap
		mos_sched_admission_release(adm, &p40);
	}
	MOS_KT_EXPECT_EQ(t, admit, 0);
	MOS_KT_EXPECT_EQ(t, change, 0);
	MOS_KT_EXPECT_EQ(t, over, -MOS_EBUSY);
	MOS_KT_EXPECT_EQ(t, mos_sched_admission_total_bw(adm), 0u);
	mos_sched_admission_destroy(adm);
}
