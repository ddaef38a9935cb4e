// SPDX-License-Identifier: GPL-2.0-only
//
// The host's MOS_WARN_ON handler of the sched core (sched_warn_host.h).

#include "sched_warn_host.h"

#include <atomic>

#include <multios/runtime.h>

namespace {

std::atomic<unsigned long> calls;

} // namespace

extern "C" void mos_sched_warn(const char *file, int line, const char *what)
{
	calls.fetch_add(1);
	mos_warn(file, line, what);
}

unsigned long mos_sched_host_warn_calls()
{
	return calls.load();
}
