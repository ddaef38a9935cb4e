/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A memory policy as text: "MODE NODES", the words numactl and the
 * kernel's mempolicy use (bind, preferred, interleave, local) plus auto
 * (placement.h decides) and default (no policy of ours). The policy
 * itself is the C ABI's struct mos_numa_policy: plain data the shim
 * keeps per task or range.
 *
 * A policy is over 1 KiB, too big to stage on a kernel stack, so parsing
 * is two steps: check_policy() validates everything and yields only the
 * node set; fill_policy() writes a checked one. parse_policy() does both,
 * and writes nothing unless the whole text is valid.
 */
#ifndef MOS_NUMA_POLICY_H
#define MOS_NUMA_POLICY_H

#include <stdint.h>

#include <multios/numa.h>
#include <mos/result.h>
#include <mos/text_buffer.h>

#include "node_set.h"
#include "text_scan.h"

namespace mos::numa {

/* "bind" and so on; nullptr for a mode that does not exist. */
const char *mode_name(uint32_t mode);
Result<uint32_t> parse_mode(Text word);

/* Does the mode take nodes (bind, preferred, interleave)? */
bool mode_takes_nodes(uint32_t mode);

/*
 * mode and nodes are two words; nodes may be empty (none given) or "-"
 * (none) for modes without nodes. *nodes_out gets the node set.
 */
Result<void> check_policy(Text mode, Text nodes, uint32_t nr_nodes, NodeSet *nodes_out);
/* Writes a policy check_policy() accepted. */
void fill_policy(Text mode, Text nodes, uint32_t nr_nodes, mos_numa_policy *out);
Result<void> parse_policy(Text mode, Text nodes, uint32_t nr_nodes, mos_numa_policy *out);

/* "local", "bind 0-3", "interleave 0:3,1:1": what parse_policy() reads back. */
void format_policy(const mos_numa_policy &policy, uint32_t nr_nodes, TextBuffer &out);

} // namespace mos::numa

#endif /* MOS_NUMA_POLICY_H */
