/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A control request: one line written to the control file,
 *
 *	PID POLICY NODES [0xSTART-0xEND] [move]
 *
 * "give task PID (or its range START..END) this policy, and with move
 * migrate what is already placed". Like every sysfs store in zram,
 * parsing comes first and is complete: syntax (-EINVAL), then the nodes
 * against the machine as it is now (-ENODEV for a node that is not
 * online, -EINVAL for one without memory), and only then is *out
 * written. Resolving PID and the range is the shim's (it holds the task
 * and mmap locks; this code cannot).
 */
#ifndef MOS_NUMA_CONTROL_REQUEST_H
#define MOS_NUMA_CONTROL_REQUEST_H

#include <multios/numa.h>
#include <mos/result.h>

#include "text_scan.h"

namespace mos::numa {

Result<void> parse_control_request(Text line, const mos_numa_machine &machine,
				   mos_numa_request *out);

} // namespace mos::numa

#endif /* MOS_NUMA_CONTROL_REQUEST_H */
