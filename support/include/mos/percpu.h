/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PerCpu<T>: one T per possible CPU, each on its own cache line(s).
 *
 * This is an array indexed by CPU id in ordinary allocated memory (not
 * the kernel's percpu area): simple, works the same in the host
 * simulators at 1024 CPUs, and the cache-line padding keeps CPUs from
 * sharing lines. It is sized nr_cpu_ids at create(), so create it after
 * the possible mask is final (it is, long before modules load).
 *
 * this_cpu() is only meaningful with preemption disabled (a spinlock
 * held, or mos_preempt_disable()): otherwise the task may migrate and
 * touch another CPU's slot without that CPU's knowledge. It warns when
 * called preemptible, like the kernel's CONFIG_DEBUG_PREEMPT.
 */
#ifndef MOS_PERCPU_H
#define MOS_PERCPU_H

#include <multios/runtime.h>
#include <mos/alloc.h>
#include <mos/bug.h>
#include <mos/cache.h>
#include <mos/result.h>

namespace mos {

template <class T>
class PerCpu {
public:
	PerCpu() = default;

	/* nr_cpu_ids value-initialised slots, or -MOS_ENOMEM. */
	static Result<PerCpu> create(Gfp gfp)
	{
		auto slots = MOS_TRY(OwnedArray<CacheAligned<T>>::create(gfp, mos_nr_cpu_ids()));
		return PerCpu(mos::move(slots));
	}

	unsigned int nr_cpu_ids() const { return unsigned(slots_.size()); }

	T &on(unsigned int cpu) { return slots_[cpu].value; }
	const T &on(unsigned int cpu) const { return slots_[cpu].value; }

	/* The current CPU's slot; preemption must be disabled (see above). */
	T &this_cpu()
	{
		MOS_WARN_ON(!mos_in_atomic());
		return on(mos_this_cpu());
	}

	/* f(cpu, T&) for every possible CPU. */
	template <class F>
	void for_each_possible(F &&f)
	{
		for (unsigned int cpu = 0; cpu < nr_cpu_ids(); cpu++) {
			if (mos_cpu_possible(cpu))
				f(cpu, on(cpu));
		}
	}

private:
	explicit PerCpu(OwnedArray<CacheAligned<T>> &&slots) : slots_(mos::move(slots)) {}

	OwnedArray<CacheAligned<T>> slots_;
};

} // namespace mos

#endif /* MOS_PERCPU_H */
