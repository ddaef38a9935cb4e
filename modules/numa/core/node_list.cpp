// SPDX-License-Identifier: GPL-2.0-only
//
// Node lists as text, both ways (node_list.h).

#include "node_list.h"

#include <multios/numa.h>

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

struct ListItem {
	uint32_t first;
	uint32_t last;
	uint32_t weight;	/* 0: none given */
};

/* "N", "A-B", and with want_weight "N:W", "A-B:W". */
Result<ListItem> parse_item(Text item, uint32_t nr_nodes, bool want_weight)
{
	Text range = item, first, last, weight;
	ListItem out{0, 0, 0};

	if (want_weight) {
		if (!item.split(':', &range, &weight))
			return Error(-MOS_EINVAL);
		out.weight = uint32_t(MOS_TRY(parse_decimal(weight, MOS_NUMA_WEIGHT_MAX)));
		if (out.weight == 0)
			return Error(-MOS_EINVAL);
	}
	if (!range.split('-', &first, &last))
		first = last = range;
	out.first = uint32_t(MOS_TRY(parse_decimal(first, nr_nodes - 1)));
	out.last = uint32_t(MOS_TRY(parse_decimal(last, nr_nodes - 1)));
	if (out.first > out.last)
		return Error(-MOS_EINVAL);
	return out;
}

/*
 * Calls visit(item) for each comma-separated item. An empty item (",,",
 * a leading or trailing comma, an empty list) is an error.
 */
template <class Visit>
Result<void> for_each_item(Text list, uint32_t nr_nodes, bool want_weight, Visit visit)
{
	if (!valid_nr_nodes(nr_nodes) || list.empty())
		return Error(-MOS_EINVAL);
	for (;;) {
		Text item = list, rest;
		bool more = list.split(',', &item, &rest);
		ListItem parsed = MOS_TRY(parse_item(item, nr_nodes, want_weight));
		MOS_TRY(visit(parsed));
		if (!more)
			return {};
		list = rest;
	}
}

} // namespace

Result<void> parse_node_list(Text list, uint32_t nr_nodes, NodeSet *out)
{
	NodeSet nodes;

	MOS_TRY(for_each_item(list, nr_nodes, false, [&](const ListItem &item) -> Result<void> {
		nodes.set_range(item.first, item.last);
		return {};
	}));
	*out = nodes;
	return {};
}

bool list_has_weights(Text list)
{
	Text head, tail;
	return list.split(':', &head, &tail);
}

Result<void> parse_weighted_list(Text list, uint32_t nr_nodes, NodeSet *out,
				 uint8_t *weights)
{
	NodeSet nodes;

	/* Validate everything first, so that a bad item writes no weight. */
	MOS_TRY(for_each_item(list, nr_nodes, true, [&](const ListItem &item) -> Result<void> {
		for (uint32_t n = item.first; n <= item.last; n++) {
			if (nodes.test(n))
				return Error(-MOS_EINVAL);
			nodes.set(n);
		}
		return {};
	}));
	if (weights) {
		MOS_TRY(for_each_item(list, nr_nodes, true, [&](const ListItem &item) -> Result<void> {
			for (uint32_t n = item.first; n <= item.last; n++)
				weights[n] = uint8_t(item.weight);
			return {};
		}));
	}
	*out = nodes;
	return {};
}

void format_node_list(const NodeSet &nodes, uint32_t nr_nodes, TextBuffer &out)
{
	out.append_list(nr_nodes, [&](unsigned int n) { return nodes.test(n); });
}

void format_weighted_list(const NodeSet &nodes, const uint8_t *weights, uint32_t nr_nodes,
			  TextBuffer &out)
{
	const char *sep = "";

	for (uint32_t n = nodes.next(0); n < nr_nodes;) {
		uint32_t last = n;
		while (last + 1 < nr_nodes && nodes.test(last + 1) &&
		       weights[last + 1] == weights[n])
			last++;
		if (last == n)
			out.append("%s%u:%u", sep, n, unsigned(weights[n]));
		else
			out.append("%s%u-%u:%u", sep, n, last, unsigned(weights[n]));
		sep = ",";
		n = nodes.next(last + 1);
	}
}

} // namespace mos::numa
