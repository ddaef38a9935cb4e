// SPDX-License-Identifier: GPL-2.0-only
//
// EDF reservation parameters: which ones SCHED_DEADLINE would accept,
// and the bandwidth (runtime / period) each claims.
#pragma once

#include <mos/result.h>
#include <multios/sched.h>

#include "entity.h"

namespace mos::sched {

// -EINVAL for what __checkparam_dl() refuses, with the default sysctl
// limits: runtime of at least 2^DL_SCALE ns, runtime <= deadline <=
// period, period within [100 us, ~4.2 s].
Result<void> check_edf_params(const mos_sched_edf_params &p);

// runtime / period, floored; only for parameters that passed the check.
Bandwidth edf_bandwidth(const mos_sched_edf_params &p);

} // namespace mos::sched
