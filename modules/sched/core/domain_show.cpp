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

#include <stdarg.h>

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

class Out {
public:
	Out(char *buf, size_t size) : buf_(buf), size_(size)
	{
		if (size_)
			buf_[0] = '\0';
	}

	void add(const char *fmt, ...) __attribute__((format(__printf__, 2, 3)))
	{
		va_list ap;
		if (cut_ || size_ == 0) {
			cut_ = true;
			return;
		}
		va_start(ap, fmt);
		int n = mos_vsnprintf(buf_ + len_, size_ - len_, fmt, ap);
		va_end(ap);
		if (n < 0 || size_t(n) >= size_ - len_) {
			cut_ = true;
			len_ = size_ - 1;
			return;
		}
		len_ += size_t(n);
	}

	int result() const { return cut_ ? -MOS_E2BIG : int(len_); }

private:
	char *buf_;
	size_t size_;
	size_t len_ = 0;
	bool cut_ = false;
};

void add_levels(Out &out, const DomainTree::Node &n)
{
	static const char *const names[] = {"smt", "cluster", "llc", "package", "node"};
	bool first = true;
	for (uint32_t b = 0; b < 5; b++) {
		if (n.levels & (1u << b)) {
			out.add("%s%s", first ? "" : "+", names[b]);
			first = false;
		}
	}
	if (n.levels & MOS_SD_LVL_NUMA) {
		out.add("%snuma%u", first ? "" : "+", n.numa_level);
		first = false;
	}
	if (n.levels & MOS_SD_LVL_SPLIT) {
		out.add("%ssplit", first ? "" : "+");
		first = false;
	}
	if (first)
		out.add("machine");
}

// The kernel's cpulist format: ascending ids, runs folded. A scan of
// every id per group: O(groups x ids), fine for a /proc read.
void add_cpus(Out &out, const DomainTree &t, uint32_t g, uint32_t nr_ids)
{
	auto member = [&](uint32_t id) { return t.has_cpu(id) && t.contains(g, t.leaf(id)); };
	bool first = true;
	for (uint32_t id = 0; id < nr_ids; id++) {
		if (!member(id))
			continue;
		uint32_t start = id;
		while (id + 1 < nr_ids && member(id + 1))
			id++;
		out.add(first ? "%u" : ",%u", start);
		if (id > start)
			out.add("-%u", id);
		first = false;
	}
}

} // namespace

int DomainTree::show(char *buf, size_t size) const
{
	Out out(buf, size);
	uint32_t nodes_with_cpus = 0;
	for (uint32_t x = 0; x < nr_numa_nodes_; x++)
		nodes_with_cpus += node_group_[x] != kNone;
	out.add("domains: %u cpus, %u nodes, %u groups, height %u, domain_size %u\n",
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
				out.add("  ");
			add_levels(out, n);
			out.add(" cpus ");
			add_cpus(out, *this, path[depth], nr_cpu_ids_);
			out.add(" weight %u children %u load %llu running %u capacity %u idle %u\n",
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
