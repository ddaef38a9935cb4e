// SPDX-License-Identifier: GPL-2.0-only
//
// The read-only dump of a DomainTree (/proc/multios/sched/domains):
//
//   domains: 16 cpus, 2 nodes, 7 groups, height 3, domain_size 16
//   numa1 cpus 0-15 weight 16 children 2 load 0 running 0 capacity 16384 idle 16
//     node+package+llc cpus 0-7 weight 8 children 4 ...
//       smt cpus 0,8 weight 2 children 2 ...
//
// One line per group, depth-first, indented two spaces per level; CPU
// lists as the kernel prints them ("0-3,8").
#include "domain_tree.h"

#include <mos/text_buffer.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

void add_levels(TextBuffer &out, const DomainTree::Node &n)
{
	static const char *const names[] = {"smt", "cluster", "llc", "package", "node"};
	bool first = true;
	for (uint32_t b = 0; b < 5; b++) {
		if (n.levels & (1u << b)) {
			out.append("%s%s", first ? "" : "+", names[b]);
			first = false;
		}
	}
	if (n.levels & MOS_SD_LVL_NUMA) {
		out.append("%snuma%u", first ? "" : "+", n.numa_level);
		first = false;
	}
	if (n.levels & MOS_SD_LVL_SPLIT) {
		out.append("%ssplit", first ? "" : "+");
		first = false;
	}
	if (first)
		out.append("machine");
}

// The kernel's cpulist format. A scan of every id per group:
// O(groups x ids), fine for a /proc read.
void add_cpus(TextBuffer &out, const DomainTree &t, uint32_t g, uint32_t nr_ids)
{
	out.append_list(nr_ids, [&](uint32_t id) {
		return t.has_cpu(id) && t.contains(g, t.leaf(id));
	});
}

} // namespace

int DomainTree::show(char *buf, size_t size) const
{
	TextBuffer out(buf, size);
	uint32_t nodes_with_cpus = 0;
	for (uint32_t x = 0; x < nr_numa_nodes_; x++)
		nodes_with_cpus += node_group_[x] != kNone;
	out.append("domains: %u cpus, %u nodes, %u groups, height %u, domain_size %u\n",
		   nr_cpus_, nodes_with_cpus, nr_groups(), height_, domain_size_);
	if (is_cpu(root_))
		return out.result();

	// Depth-first without recursion: the path from the root, with the
	// next child to visit at each depth.
	uint32_t path[kMaxHeight + 1], next[kMaxHeight + 1];
	uint32_t depth = 0;
	path[0] = root_;
	next[0] = 0;
	for (;;) {
		const Node &n = nodes_[path[depth]];
		if (next[depth] == 0) {
			Load l = read(path[depth]);
			for (uint32_t i = 0; i < depth; i++)
				out.append("  ");
			add_levels(out, n);
			out.append(" cpus ");
			add_cpus(out, *this, path[depth], nr_cpu_ids_);
			out.append(" weight %u children %u load %llu running %u capacity %u idle %u\n",
				   n.end - n.begin, n.nr_children, (unsigned long long)l.load,
				   l.nr_running, l.capacity, l.idle_cpus);
		}
		uint32_t c = next[depth] < n.nr_children ? child(n, next[depth]) : kNone;
		next[depth]++;
		if (c != kNone && !is_cpu(c)) {
			depth++;
			path[depth] = c;
			next[depth] = 0;
		} else if (c == kNone) {
			if (depth == 0)
				break;
			depth--;
		}
	}
	return out.result();
}

} // namespace mos::sched
