// SPDX-License-Identifier: GPL-2.0-only
//
// Wake-up (and fork) placement: select_task_rq() for the multios class.
//
// Every search is a descent from one group to one CPU, choosing a child
// per level from the cached summaries: O(fan-out x depth) reads. The
// anchor is prev_cpu when it is still in the tree, else the waker's CPU,
// else the first CPU. Power mode is applied first (packing), then the
// algorithm's own order of preference; see balance.h.
#include "balance.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

// An idle CPU under g, the one with the most capacity (thermal pressure
// and EDF reservations count), or kNone.
uint32_t Balancer::find_idle(uint32_t g) const
{
	if (t_.idle_cpus(g) == 0)
		return DomainTree::kNone;
	while (!t_.is_cpu(g)) {
		const DomainTree::Node &n = t_.node(g);
		uint32_t best = DomainTree::kNone;
		uint64_t best_cap = 0;
		for (uint32_t k = 0; k < n.nr_children; k++) {
			uint32_t c = t_.child(n, k);
			uint64_t cap = t_.idle_capacity(c);
			if (cap > best_cap) {
				best = c;
				best_cap = cap;
			}
		}
		if (best == DomainTree::kNone)
			return DomainTree::kNone;
		g = best;
	}
	return t_.idle_cpus(g) ? g : DomainTree::kNone;
}

uint32_t Balancer::least_loaded(uint32_t g) const
{
	while (!t_.is_cpu(g)) {
		const DomainTree::Node &n = t_.node(g);
		uint32_t best = t_.child(n, 0);
		uint64_t best_avg = t_.read(best).avg();
		for (uint32_t k = 1; k < n.nr_children; k++) {
			uint32_t c = t_.child(n, k);
			uint64_t avg = t_.read(c).avg();
			if (avg < best_avg) {
				best = c;
				best_avg = avg;
			}
		}
		g = best;
	}
	return g;
}

// Idle first (the most idle capacity), else the least loaded.
uint32_t Balancer::idlest(uint32_t g) const
{
	uint32_t c = find_idle(g);
	return c != DomainTree::kNone ? c : least_loaded(g);
}

// Best fit: the fullest child that still has room for the task within
// kPackPct of its capacity; on a tie the one holding the anchor (no
// pointless move). kNone when g itself has no room.
uint32_t Balancer::pack(uint32_t g, uint64_t task_load, uint32_t anchor) const
{
	auto room = [&](const Load &l) {
		return (l.load + task_load) * 100 <= uint64_t(l.capacity) * kPackPct;
	};
	if (!room(t_.read(g)))
		return DomainTree::kNone;
	while (!t_.is_cpu(g)) {
		const DomainTree::Node &n = t_.node(g);
		uint32_t best = DomainTree::kNone;
		uint64_t best_avg = 0;
		for (uint32_t k = 0; k < n.nr_children; k++) {
			uint32_t c = t_.child(n, k);
			Load l = t_.read(c);
			if (!room(l))
				continue;
			if (best == DomainTree::kNone || l.avg() > best_avg ||
			    (l.avg() == best_avg && t_.contains(c, anchor))) {
				best = c;
				best_avg = l.avg();
			}
		}
		if (best == DomainTree::kNone)
			return DomainTree::kNone;	// room only in sum, in no one child
		g = best;
	}
	return g;
}

bool Balancer::clearly_lighter(uint32_t b, uint32_t a) const
{
	return t_.read(b).avg() * p_.imbalance_pct < t_.read(a).avg() * 100;
}

uint32_t Balancer::select_load(uint32_t anchor) const
{
	if (t_.idle_cpus(anchor))
		return anchor;
	uint32_t c = find_idle(t_.group_with(t_.cpu_at(anchor), MOS_SD_LVL_LLC));
	if (c != DomainTree::kNone)
		return c;
	c = idlest(t_.root());
	return clearly_lighter(c, anchor) ? c : anchor;
}

uint32_t Balancer::select_cache(const mos_sd_task &task, uint32_t anchor, int32_t waker,
				uint64_t now) const
{
	uint32_t cpu = t_.cpu_at(anchor);
	if (t_.idle_cpus(anchor))
		return anchor;
	uint32_t c = find_idle(t_.group_with(cpu, MOS_SD_LVL_SMT));
	if (c == DomainTree::kNone)
		c = find_idle(t_.group_with(cpu, MOS_SD_LVL_LLC));
	if (c == DomainTree::kNone && waker >= 0 && t_.has_cpu(uint32_t(waker)) &&
	    !share(uint32_t(waker), cpu, MOS_SD_LVL_LLC))
		c = find_idle(t_.group_with(uint32_t(waker), MOS_SD_LVL_LLC));
	if (c != DomainTree::kNone)
		return c;
	if (hotness(task, now))
		return anchor;	// waiting here is cheaper than a cold cache
	c = least_loaded(t_.group_with(cpu, MOS_SD_LVL_LLC));
	return clearly_lighter(c, anchor) ? c : anchor;
}

// The node holding most of the task's memory (its preferred node when it
// says nothing about pages), or kNone.
uint32_t Balancer::home_node(const mos_sd_task &task) const
{
	uint32_t best = DomainTree::kNone, best_share = 0;
	for (uint32_t k = 0; k < task.nr_mem && k < MOS_SD_TASK_MEM_NODES; k++) {
		if (task.mem[k].node < t_.nr_numa_nodes() && task.mem[k].share > best_share) {
			best = task.mem[k].node;
			best_share = task.mem[k].share;
		}
	}
	if (best == DomainTree::kNone && task.preferred_node >= 0 &&
	    uint32_t(task.preferred_node) < t_.nr_numa_nodes())
		best = uint32_t(task.preferred_node);
	return best;
}

// Home node first; remote only when home is overloaded, and then the
// nearest group with an idle CPU (the tree's NUMA levels put nearer
// nodes under nearer ancestors).
uint32_t Balancer::select_numa(const mos_sd_task &task, uint32_t anchor) const
{
	uint32_t home = home_node(task);
	uint32_t hg = home == DomainTree::kNone ? DomainTree::kNone : t_.node_group(home);
	if (hg == DomainTree::kNone)
		return select_load(anchor);	// no memory info, or a CPU-less node
	uint32_t cpu = t_.cpu_at(anchor);
	if (t_.cpu_node(cpu) == home) {
		if (t_.idle_cpus(anchor))
			return anchor;
		uint32_t c = find_idle(t_.group_with(cpu, MOS_SD_LVL_LLC));
		if (c != DomainTree::kNone)
			return c;
	}
	uint32_t c = find_idle(hg);
	if (c != DomainTree::kNone)
		return c;
	Load hl = t_.read(hg);
	if (hl.load <= hl.capacity)
		return least_loaded(hg);
	for (uint32_t from = hg, up = t_.node(hg).parent; up != DomainTree::kNone;
	     from = up, up = t_.node(up).parent) {
		const DomainTree::Node &n = t_.node(up);
		uint32_t best = DomainTree::kNone, best_dist = ~0u;
		for (uint32_t k = 0; k < n.nr_children; k++) {
			uint32_t g = t_.child(n, k);
			uint32_t dist = t_.distance(home, t_.node(g).node);
			if (g != from && t_.idle_cpus(g) && dist < best_dist) {
				best = g;
				best_dist = dist;
			}
		}
		if (best != DomainTree::kNone && (c = find_idle(best)) != DomainTree::kNone)
			return c;
	}
	return least_loaded(hg);
}

uint32_t Balancer::select_cpu(const mos_sd_task &task, int32_t prev, int32_t waker,
			      uint64_t now) const
{
	uint32_t anchor = 0;
	if (prev >= 0 && t_.has_cpu(uint32_t(prev)))
		anchor = t_.leaf(uint32_t(prev));
	else if (waker >= 0 && t_.has_cpu(uint32_t(waker)))
		anchor = t_.leaf(uint32_t(waker));

	uint32_t c = DomainTree::kNone;
	if ((task.flags & MOS_SD_TASK_NEW) && p_.power_mode == MOS_SD_POWER_PERFORMANCE)
		return t_.cpu_at(idlest(t_.root()));
	if (p_.power_mode == MOS_SD_POWER_POWERSAVE)
		c = pack(t_.root(), task.load, anchor);
	else if (p_.power_mode == MOS_SD_POWER_BALANCED)
		c = pack(t_.group_with(t_.cpu_at(anchor), MOS_SD_LVL_LLC), task.load, anchor);
	if (c == DomainTree::kNone) {
		switch (p_.algo) {
		case MOS_SD_ALGO_NUMA:
			c = select_numa(task, anchor);
			break;
		case MOS_SD_ALGO_CACHE:
			c = select_cache(task, anchor, waker, now);
			break;
		case MOS_SD_ALGO_LEARNED:
			c = select_learned(task, anchor, now);
			break;
		default:
			c = select_load(anchor);
			break;
		}
	}
	return t_.cpu_at(c);
}

} // namespace mos::sched
