// SPDX-License-Identifier: GPL-2.0-only
//
// Control-file requests (control_request.h).

#include "control_request.h"

#include "node_list.h"
#include "node_set.h"
#include "policy.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

/* The words of a request, checked for syntax; the policy's still as text. */
struct RequestWords {
	int32_t pid;
	uint32_t flags;
	uint64_t start;
	uint64_t end;
	Text mode;
	Text nodes;
};

bool valid_machine(const mos_numa_machine &m)
{
	return valid_nr_nodes(m.nr_nodes) && m.page_size >= 4096 &&
	       !(m.page_size & (m.page_size - 1)) && m.online && m.with_memory;
}

bool looks_like_range(Text word)
{
	return word.len >= 2 && word.data[0] == '0' && (word.data[1] == 'x' || word.data[1] == 'X');
}

/* "0xSTART-0xEND": page-aligned, START < END. */
Result<void> parse_range(Text word, uint32_t page_size, RequestWords *w)
{
	Text start, end;

	if (!word.split('-', &start, &end))
		return Error(-MOS_EINVAL);
	w->start = MOS_TRY(parse_hex(start));
	w->end = MOS_TRY(parse_hex(end));
	if (((w->start | w->end) & (page_size - 1)) || w->start >= w->end)
		return Error(-MOS_EINVAL);
	w->flags |= MOS_NUMA_REQUEST_RANGE;
	return {};
}

Result<RequestWords> split_request(Text line, uint32_t page_size)
{
	Fields fields(strip_newline(line));
	RequestWords w{};

	w.pid = int32_t(MOS_TRY(parse_decimal(fields.next(), INT32_MAX)));
	if (w.pid == 0)
		return Error(-MOS_EINVAL);
	w.mode = fields.next();
	uint32_t mode = MOS_TRY(parse_mode(w.mode));
	/* Without nodes, "-" holds the place, or nothing does. */
	if (mode_takes_nodes(mode) || fields.peek().equals("-"))
		w.nodes = fields.next();
	if (looks_like_range(fields.peek()))
		MOS_TRY(parse_range(fields.next(), page_size, &w));
	if (fields.peek().equals("move")) {
		fields.next();
		w.flags |= MOS_NUMA_REQUEST_MOVE;
	}
	if (!fields.at_end())
		return Error(-MOS_EINVAL);
	return w;
}

} // namespace

Result<void> parse_control_request(Text line, const mos_numa_machine &machine,
				   mos_numa_request *out)
{
	NodeSet nodes;

	if (!valid_machine(machine))
		return Error(-MOS_EINVAL);
	RequestWords w = MOS_TRY(split_request(line, machine.page_size));
	MOS_TRY(check_policy(w.mode, w.nodes, machine.nr_nodes, &nodes));
	/* Offline first: the more precise answer when a node is both. */
	if (nodes.first_not_in(NodeSet::of(*machine.online)) != NodeSet::max_nodes)
		return Error(-MOS_ENODEV);
	if (nodes.first_not_in(NodeSet::of(*machine.with_memory)) != NodeSet::max_nodes)
		return Error(-MOS_EINVAL);

	out->pid = w.pid;
	out->flags = w.flags;
	out->start = w.start;
	out->end = w.end;
	fill_policy(w.mode, w.nodes, machine.nr_nodes, &out->policy);
	return {};
}

} // namespace mos::numa
