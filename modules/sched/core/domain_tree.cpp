// SPDX-License-Identifier: GPL-2.0-only
//
// DomainTree's queries and its load statistics.
//
// Statistics: each CPU writes its own numbers (update_cpu(), under its
// run-queue lock). Each group caches a summary of its children with the
// time it is next due (the kernel's sched_group_capacity::next_update).
// update_cpu() walks up from the CPU and refreshes every ancestor that is
// due; the CPU that wins the cmpxchg on next_update recomputes it from its
// children's cached summaries: O(fan-out) per group, no global lock, and
// bottom-up, so a parent refreshed in the same walk sees fresh children.
// Readers (balancers, placement) never refresh: they read the cache.
// A reader may see a summary half rewritten; every field is one atomic
// and the balancers only need an estimate, as the kernel's do.
#include "domain_tree.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

uint32_t DomainTree::domain(uint32_t cpu, uint32_t level) const
{
	uint32_t i = nodes_[leaf(cpu)].parent;
	while (level-- && i != kNone)
		i = nodes_[i].parent;
	return i;
}

uint32_t DomainTree::nr_levels(uint32_t cpu) const
{
	uint32_t n = 0;
	for (uint32_t i = nodes_[leaf(cpu)].parent; i != kNone; i = nodes_[i].parent)
		n++;
	return n;
}

uint32_t DomainTree::group_with(uint32_t cpu, uint32_t mask) const
{
	for (uint32_t i = leaf(cpu); i != kNone; i = nodes_[i].parent) {
		if (nodes_[i].levels & mask)
			return i;
	}
	return root_;
}

// Children are in topology order: a binary search over their spans.
uint32_t DomainTree::child_holding(uint32_t g, uint32_t pos) const
{
	const Node &n = nodes_[g];
	uint32_t lo = 0, hi = n.nr_children;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (nodes_[child(n, mid)].begin <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return child(n, lo);
}

DomainTree::Load DomainTree::read(uint32_t i) const
{
	Load l;
	if (is_cpu(i)) {
		const CpuStats &s = cpu_stats_[i];
		uint32_t cap = s.capacity.load_relaxed(), edf = s.edf_util.load_relaxed();
		l.load = s.load.load_relaxed();
		l.updated = s.updated.load_relaxed();
		l.nr_running = s.nr_running.load_relaxed();
		l.edf_util = edf;
		l.nr_cpus = 1;
		l.capacity = usable_capacity(cap, edf);
		l.idle_cpus = l.nr_running == 0;
		return l;
	}
	const GroupStats &s = group_stats_[i - nr_cpus_];
	l.load = s.load.load_relaxed();
	l.edf_util = s.edf_util.load_relaxed();
	l.updated = s.updated.load_relaxed();
	l.nr_running = s.nr_running.load_relaxed();
	l.nr_cpus = nr_cpus_under(i);
	l.capacity = s.capacity.load_relaxed();
	l.idle_cpus = s.idle_cpus.load_relaxed();
	return l;
}

void DomainTree::refresh(uint32_t g, uint64_t now, bool force)
{
	GroupStats &s = group_stats_[g - nr_cpus_];
	uint64_t due = s.next_update.load_relaxed();
	if (force)
		s.next_update.store_relaxed(now + interval_ns(g));
	else if (now < due || !s.next_update.try_cmpxchg(due, now + interval_ns(g)))
		return;
	Load sum;
	const Node &n = nodes_[g];
	for (uint32_t k = 0; k < n.nr_children; k++) {
		Load c = read(child(n, k));
		sum.load += c.load;
		sum.edf_util += c.edf_util;
		sum.nr_running += c.nr_running;
		sum.capacity += c.capacity;
		sum.idle_cpus += c.idle_cpus;
	}
	s.load.store_relaxed(sum.load);
	s.edf_util.store_relaxed(sum.edf_util);
	s.nr_running.store_relaxed(sum.nr_running);
	s.capacity.store_relaxed(sum.capacity);
	s.idle_cpus.store_relaxed(sum.idle_cpus);
	s.updated.store_relaxed(now);
}

Result<void> DomainTree::update_cpu(uint32_t cpu, const mos_sd_cpu_stats &in, uint64_t now)
{
	if (!has_cpu(cpu) || in.capacity == 0 || in.capacity > MOS_SD_CAPACITY_SCALE ||
	    in.edf_util > MOS_SD_CAPACITY_SCALE)
		return Error(-MOS_EINVAL);
	uint32_t i = leaf(cpu);
	CpuStats &s = cpu_stats_[i];
	// A CPU going idle or busy refreshes every summary above it at once:
	// placement looks for idle CPUs through them, and a group whose CPUs
	// all went idle within one interval would otherwise keep its stale
	// count (no update comes from idle CPUs) and lose every choice.
	uint32_t was = s.nr_running.load_relaxed();
	bool idle_changed = (was == 0) != (in.nr_running == 0);
	// Each CPU's updates are serialized (its rq lock) and each applies
	// the change of its own count, so the sum stays exact.
	if ((was > 1) != (in.nr_running > 1)) {
		if (in.nr_running > 1)
			waiting_cpus_.value.inc();
		else
			waiting_cpus_.value.dec();
	}
	s.load.store_relaxed(in.load);
	s.nr_running.store_relaxed(in.nr_running);
	s.capacity.store_relaxed(in.capacity);
	s.edf_util.store_relaxed(in.edf_util);
	s.updated.store_relaxed(now);
	// One load per level when nothing is due; a parent may be due when
	// its child is not (nobody below it updated for a while).
	for (i = nodes_[i].parent; i != kNone; i = nodes_[i].parent)
		refresh(i, now, idle_changed);
	return {};
}

void DomainTree::copy_stats_from(const DomainTree &old, uint64_t now)
{
	uint32_t waiting = 0;
	for (uint32_t pos = 0; pos < nr_cpus_; pos++) {
		uint32_t cpu = order_[pos];
		if (!old.has_cpu(cpu))
			continue;
		const CpuStats &from = old.cpu_stats_[old.leaf(cpu)];
		CpuStats &to = cpu_stats_[pos];
		to.load.store_relaxed(from.load.load_relaxed());
		to.nr_running.store_relaxed(from.nr_running.load_relaxed());
		to.capacity.store_relaxed(from.capacity.load_relaxed());
		to.edf_util.store_relaxed(from.edf_util.load_relaxed());
		to.updated.store_relaxed(from.updated.load_relaxed());
		waiting += to.nr_running.load_relaxed() > 1;
	}
	// Counted from what was copied, not taken from old: old may hold
	// CPUs this tree has not, and only this tree's entries change it now.
	waiting_cpus_.value.store_relaxed(waiting);
	if (&old != this)
		model_.copy_from(old.model_);	// a rebuild keeps what was learned
	// Nobody reads the new tree yet: make every summary exact, bottom-up.
	for (uint32_t g = nr_nodes_total_; g-- > nr_cpus_;) {
		group_stats_[g - nr_cpus_].next_update.store_relaxed(0);
		refresh(g, now);
	}
}

} // namespace mos::sched
