// SPDX-License-Identifier: GPL-2.0-only
//
// Memory policies as text (policy.h).

#include "policy.h"

#include <mos/bug.h>

#include "node_list.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

/* Indexed by enum mos_numa_mode: the sysfs and control-file words. */
constexpr const char *mode_names[MOS_NUMA_MODE_NR] = {
	"default", "bind", "preferred", "interleave", "local", "auto",
};

bool no_nodes_given(Text nodes)
{
	return nodes.empty() || nodes.equals("-");
}

} // namespace

const char *mode_name(uint32_t mode)
{
	return mode < MOS_NUMA_MODE_NR ? mode_names[mode] : nullptr;
}

Result<uint32_t> parse_mode(Text word)
{
	for (uint32_t mode = 0; mode < MOS_NUMA_MODE_NR; mode++) {
		if (word.equals(mode_names[mode]))
			return mode;
	}
	return Error(-MOS_EINVAL);
}

bool mode_takes_nodes(uint32_t mode)
{
	return mode == MOS_NUMA_BIND || mode == MOS_NUMA_PREFERRED ||
	       mode == MOS_NUMA_INTERLEAVE;
}

Result<void> check_policy(Text mode_word, Text nodes, uint32_t nr_nodes, NodeSet *nodes_out)
{
	uint32_t mode = MOS_TRY(parse_mode(mode_word));
	NodeSet set;

	if (!valid_nr_nodes(nr_nodes))
		return Error(-MOS_EINVAL);
	if (!mode_takes_nodes(mode)) {
		if (!no_nodes_given(nodes))
			return Error(-MOS_EINVAL);
		*nodes_out = set;
		return {};
	}
	if (mode == MOS_NUMA_INTERLEAVE && list_has_weights(nodes))
		MOS_TRY(parse_weighted_list(nodes, nr_nodes, &set, nullptr));
	else
		MOS_TRY(parse_node_list(nodes, nr_nodes, &set));
	/* "preferred 2,2" is one node; "preferred 2-3" is two. */
	if (mode == MOS_NUMA_PREFERRED && set.count() != 1)
		return Error(-MOS_EINVAL);
	*nodes_out = set;
	return {};
}

void fill_policy(Text mode_word, Text nodes, uint32_t nr_nodes, mos_numa_policy *out)
{
	NodeSet &set = NodeSet::of(out->nodes);

	__builtin_memset(out, 0, sizeof(*out));
	out->mode = parse_mode(mode_word).value_or(MOS_NUMA_DEFAULT);
	out->weighted = out->mode == MOS_NUMA_INTERLEAVE && list_has_weights(nodes);
	if (out->weighted) {
		MOS_WARN_ON(parse_weighted_list(nodes, nr_nodes, &set, out->weights).is_error());
	} else if (mode_takes_nodes(out->mode)) {
		MOS_WARN_ON(parse_node_list(nodes, nr_nodes, &set).is_error());
		if (out->mode == MOS_NUMA_INTERLEAVE) {
			for (uint32_t n = set.next(0); n < nr_nodes; n = set.next(n + 1))
				out->weights[n] = 1;
		}
	}
}

Result<void> parse_policy(Text mode, Text nodes, uint32_t nr_nodes, mos_numa_policy *out)
{
	NodeSet set;

	MOS_TRY(check_policy(mode, nodes, nr_nodes, &set));
	fill_policy(mode, nodes, nr_nodes, out);
	return {};
}

void format_policy(const mos_numa_policy &policy, uint32_t nr_nodes, TextBuffer &out)
{
	const NodeSet &set = NodeSet::of(policy.nodes);
	const char *name = mode_name(policy.mode);

	out.append("%s", name ? name : "?");
	if (!mode_takes_nodes(policy.mode))
		return;
	out.append(" ");
	if (policy.weighted)
		format_weighted_list(set, policy.weights, nr_nodes, out);
	else
		format_node_list(set, nr_nodes, out);
}

} // namespace mos::numa
