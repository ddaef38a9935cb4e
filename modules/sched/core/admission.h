// SPDX-License-Identifier: GPL-2.0-only
//
// Admission: EDF bandwidth bookkeeping for one set of CPUs (the kernel's
// dl_bw of a root domain). A reservation is admitted only if the set's
// total stays within edf_util_cap of each CPU; that cap is what keeps
// the fair class alive next to EDF (see runqueue.h).
#pragma once

#include <mos/lock.h>
#include <mos/result.h>
#include <multios/sched.h>

#include "edf_params.h"

namespace mos::sched {

class Admission {
public:
	explicit Admission(uint32_t nr_cpus);

	static Admission *create(uint32_t nr_cpus, mos_gfp_t gfp);
	void destroy();

	Result<void> admit(const mos_sched_edf_params &p);
	void release(const mos_sched_edf_params &p);
	// Replaces old's claim by new's, or changes nothing.
	Result<void> change(const mos_sched_edf_params &old_p,
			    const mos_sched_edf_params &new_p);
	Result<void> set_cap_percent(uint32_t percent);
	Result<void> set_nr_cpus(uint32_t nr_cpus);
	uint32_t cap_percent();
	Bandwidth total();

private:
	struct State {
		Bandwidth total;	// admitted, summed over the set
		uint32_t cap_percent;
		uint32_t nr_cpus;

		Bandwidth per_cpu_cap() const;
		Bandwidth set_cap() const;
		// Would total - freed + claimed fit, with claimed on one CPU?
		bool fits(Bandwidth freed, Bandwidth claimed) const;
	};

	// Both at once under the lock; 0 keeps the current value.
	Result<void> set_limits(uint32_t cap_percent, uint32_t nr_cpus);

	// Raw: the shim calls in under the run-queue and pi locks (raw too).
	RawSpinProtected<State> state_;
};

} // namespace mos::sched
