/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's mos_sched_warn(): the sched core is built with
 * MOS_WARN_HANDLER=mos_sched_warn everywhere (modules/sched/Kbuild, and
 * CMakeLists.txt for every host binary that links it), and on the host
 * the handler is a plain mos_warn(), so an unexpected broken invariant
 * still fails the test that hit it.
 */
#ifndef MOS_SCHED_WARN_HOST_H
#define MOS_SCHED_WARN_HOST_H

extern "C" void mos_sched_warn(const char *file, int line, const char *what);

/* Calls of mos_sched_warn() so far. */
unsigned long mos_sched_host_warn_calls();

#endif /* MOS_SCHED_WARN_HOST_H */
