// SPDX-License-Identifier: GPL-2.0-only
//
// EDF admission control. Every test and update happens under one lock, so
// two tasks racing for the last bit of bandwidth cannot both get it; the
// lock is taken with interrupts off because the shim calls in with the
// run-queue lock held, and it is a raw spinlock for the same reason (like
// the kernel's dl_b->lock): a spinlock_t sleeps on PREEMPT_RT and may not
// nest in the raw rq lock (PROVE_RAW_LOCK_NESTING). Each section is a few
// additions and comparisons.

#include "admission.h"

#include <mos/alloc.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

constinit LockClass admission_lock_class{"multios_sched_admission"};

constexpr uint32_t kMaxCpus = 1u << 16;

} // namespace

Bandwidth Admission::State::per_cpu_cap() const
{
	return Bandwidth::from_ratio(int64_t(cap_percent) * int64_t(MOS_SCHED_BW_UNIT),
				     100 * int64_t(MOS_SCHED_BW_UNIT));
}

Bandwidth Admission::State::set_cap() const
{
	return Bandwidth::from_raw(per_cpu_cap().raw() * int64_t(nr_cpus));
}

bool Admission::State::fits(Bandwidth freed, Bandwidth claimed) const
{
	// One task runs on one CPU at a time: it alone may not pass the cap.
	if (claimed > per_cpu_cap())
		return false;
	return total - freed + claimed <= set_cap();
}

Admission::Admission(uint32_t nr_cpus)
	: state_(State{Bandwidth(), MOS_SCHED_EDF_CAP_DEFAULT, nr_cpus})
{
	state_.init(admission_lock_class);
}

Admission *Admission::create(uint32_t nr_cpus, mos_gfp_t gfp)
{
	if (nr_cpus == 0 || nr_cpus > kMaxCpus)
		return nullptr;
	return alloc_object<Admission>(Gfp(gfp), nr_cpus);
}

// Bandwidth may still be counted here, and that is no bug: a task that
// dies while the class is being disabled finds no module to release its
// reservation to (the kernel calls no callback once the disable began),
// and the module goes with the count. A leak while the class runs shows
// in edf_admitted_util_pct instead (multios_sched_test.sh's
// edf_admission checks it returns to 0).
void Admission::destroy()
{
	free_object(this);
}

Result<void> Admission::admit(const mos_sched_edf_params &p)
{
	MOS_TRY(check_edf_params(p));
	Bandwidth bw = edf_bandwidth(p);
	return state_.with_irqsave([&](State &s) -> Result<void> {
		if (!s.fits(Bandwidth(), bw))
			return Error(-MOS_EBUSY);
		s.total += bw;
		return {};
	});
}

void Admission::release(const mos_sched_edf_params &p)
{
	if (MOS_WARN_ON(check_edf_params(p).is_error()))
		return;
	Bandwidth bw = edf_bandwidth(p);
	state_.with_irqsave([&](State &s) {
		// Releasing more than was admitted is a shim bug; clamp, loudly.
		if (MOS_WARN_ON(bw > s.total))
			bw = s.total;
		s.total -= bw;
	});
}

Result<void> Admission::change(const mos_sched_edf_params &old_p,
			       const mos_sched_edf_params &new_p)
{
	MOS_TRY(check_edf_params(new_p));
	if (MOS_WARN_ON(check_edf_params(old_p).is_error()))
		return Error(-MOS_EINVAL);
	Bandwidth freed = edf_bandwidth(old_p), claimed = edf_bandwidth(new_p);
	return state_.with_irqsave([&](State &s) -> Result<void> {
		if (MOS_WARN_ON(freed > s.total))
			return Error(-MOS_EINVAL);
		if (!s.fits(freed, claimed))
			return Error(-MOS_EBUSY);
		s.total = s.total - freed + claimed;
		return {};
	});
}

Result<void> Admission::set_limits(uint32_t cap_percent, uint32_t nr_cpus)
{
	return state_.with_irqsave([&](State &s) -> Result<void> {
		State next = s;
		next.cap_percent = cap_percent ? cap_percent : s.cap_percent;
		next.nr_cpus = nr_cpus ? nr_cpus : s.nr_cpus;
		// Never below what is admitted: that would strand reservations.
		if (s.total > next.set_cap())
			return Error(-MOS_EBUSY);
		s = next;
		return {};
	});
}

Result<void> Admission::set_cap_percent(uint32_t percent)
{
	if (percent < 1 || percent > 100)
		return Error(-MOS_EINVAL);
	return set_limits(percent, 0);
}

Result<void> Admission::set_nr_cpus(uint32_t nr_cpus)
{
	if (nr_cpus == 0 || nr_cpus > kMaxCpus)
		return Error(-MOS_EINVAL);
	return set_limits(0, nr_cpus);
}

uint32_t Admission::cap_percent()
{
	return state_.with_irqsave([](State &s) { return s.cap_percent; });
}

Bandwidth Admission::total()
{
	return state_.with_irqsave([](State &s) { return s.total; });
}

} // namespace mos::sched
