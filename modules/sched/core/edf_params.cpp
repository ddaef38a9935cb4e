// SPDX-License-Identifier: GPL-2.0-only
//
// EDF parameter rules. Mirroring the kernel's keeps one meaning for
// "valid" whether a task asks SCHED_DEADLINE or this class.

#include "edf_params.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

Result<void> check_edf_params(const mos_sched_edf_params &p)
{
	if (p.runtime_ns < MOS_SCHED_EDF_RUNTIME_MIN_NS || p.period_ns == 0)
		return Error(-MOS_EINVAL);
	if (p.runtime_ns > p.deadline_ns || p.deadline_ns > p.period_ns)
		return Error(-MOS_EINVAL);
	// The upper bound also rejects anything with bit 63 set.
	if (p.period_ns < MOS_SCHED_EDF_PERIOD_MIN_NS ||
	    p.period_ns > MOS_SCHED_EDF_PERIOD_MAX_NS)
		return Error(-MOS_EINVAL);
	return {};
}

Bandwidth edf_bandwidth(const mos_sched_edf_params &p)
{
	// runtime <= period < 2^33, so runtime << 20 fits 64 bits easily.
	return Bandwidth::from_ratio(int64_t(p.runtime_ns), int64_t(p.period_ns));
}

} // namespace mos::sched
