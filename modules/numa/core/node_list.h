/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The node list syntax of the kernel and numactl, "0-3,5,7", and its
 * weighted form for interleave, "0:3,1-2:1". Parsing is strict (what
 * bitmap_parselist() accepts minus its strides, and numbers below the
 * caller's nr_nodes): a typo in a control file must fail the write, not
 * bind a task to the wrong nodes.
 */
#ifndef MOS_NUMA_NODE_LIST_H
#define MOS_NUMA_NODE_LIST_H

#include <stdint.h>

#include <mos/result.h>
#include <mos/text_buffer.h>

#include "node_set.h"
#include "text_scan.h"

namespace mos::numa {

/* nr_nodes as the caller gave it: 1..max_nodes. */
inline bool valid_nr_nodes(uint32_t nr_nodes)
{
	return nr_nodes >= 1 && nr_nodes <= NodeSet::max_nodes;
}

/* Duplicates merged; -MOS_EINVAL and *out untouched on any error. */
Result<void> parse_node_list(Text list, uint32_t nr_nodes, NodeSet *out);

/* Does the list give weights ("0:3")? Then parse it with parse_weighted_list(). */
bool list_has_weights(Text list);

/*
 * Every item "N:W" or "A-B:W", W in 1..255, each node once (a second
 * weight for a node is ambiguous, so refused). *nodes gets the nodes;
 * weights, if not null, gets each one's weight (the rest untouched).
 * On error nothing is written.
 */
Result<void> parse_weighted_list(Text list, uint32_t nr_nodes, NodeSet *nodes,
				 uint8_t *weights);

void format_node_list(const NodeSet &nodes, uint32_t nr_nodes, TextBuffer &out);
/* Runs of consecutive nodes of equal weight as "A-B:W". */
void format_weighted_list(const NodeSet &nodes, const uint8_t *weights, uint32_t nr_nodes,
			  TextBuffer &out);

} // namespace mos::numa

#endif /* MOS_NUMA_NODE_LIST_H */
