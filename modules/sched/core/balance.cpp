// SPDX-License-Identifier: GPL-2.0-only
//
// The periodic / newly-idle balancing decision and the choice of task.
//
// find_busiest() is a pull, as in the kernel: this_cpu looks at the
// children of its domain at `level`, picks the busiest one other than its
// own, and descends into it, one child per level, to the busiest CPU. It
// reads (fan-out) summaries per level: O(fan-out x depth), whatever the
// number of CPUs. How much to move is CFS's calculate_imbalance() for
// load: the smaller of busiest's excess over the domain average and
// local's shortfall, each times its capacity.
#include "balance.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

bool Balancer::share(uint32_t a, uint32_t b, uint32_t mask) const
{
	uint32_t pb = t_.leaf(b);
	for (uint32_t i = t_.leaf(a); i != DomainTree::kNone; i = t_.node(i).parent) {
		if ((t_.node(i).levels & mask) && t_.contains(i, pb))
			return true;
	}
	return false;
}

uint64_t Balancer::locality_cost(const mos_sd_task &task, uint32_t cpu) const
{
	uint32_t here = t_.cpu_node(cpu), nodes = t_.nr_numa_nodes();
	uint64_t cost = 0;
	for (uint32_t k = 0; k < task.nr_mem && k < MOS_SD_TASK_MEM_NODES; k++) {
		if (task.mem[k].node < nodes)
			cost += uint64_t(task.mem[k].share) * t_.distance(here, task.mem[k].node);
	}
	if (task.preferred_node >= 0 && uint32_t(task.preferred_node) < nodes)
		cost += uint64_t(MOS_SD_CAPACITY_SCALE / 2) *
			t_.distance(here, uint32_t(task.preferred_node));
	return cost;
}

uint64_t Balancer::hotness(const mos_sd_task &task, uint64_t now) const
{
	if (task.last_ran_ns == 0)
		return 0;
	uint64_t since = now > task.last_ran_ns ? now - task.last_ran_ns : 0;
	return since < p_.migration_cost_ns ? p_.migration_cost_ns - since : 0;
}

uint32_t Balancer::threshold_pct(uint32_t this_cpu, uint32_t d, uint32_t candidate) const
{
	uint32_t pct = p_.imbalance_pct, margin = pct - 100;
	if (p_.algo == MOS_SD_ALGO_NUMA) {
		uint32_t dist = t_.distance(t_.cpu_node(this_cpu), t_.node(candidate).node);
		return 100 + margin * dist / MOS_TOPO_LOCAL_DISTANCE;
	}
	if (p_.algo == MOS_SD_ALGO_CACHE) {
		uint32_t llc = t_.group_with(this_cpu, MOS_SD_LVL_LLC);
		if (t_.node(d).height > t_.node(llc).height)
			return 100 + 2 * margin;
	}
	return pct;
}

bool Balancer::spreads(uint32_t this_cpu, uint32_t d) const
{
	switch (p_.power_mode) {
	case MOS_SD_POWER_POWERSAVE:
		return false;
	case MOS_SD_POWER_BALANCED: {
		uint32_t llc = t_.group_with(this_cpu, MOS_SD_LVL_LLC);
		return t_.node(d).height <= t_.node(llc).height;
	}
	default:
		return true;
	}
}

uint64_t Balancer::busy_score(uint32_t this_node, uint32_t g, const Load &l) const
{
	uint64_t avg = l.avg();
	if (p_.algo == MOS_SD_ALGO_NUMA)
		return avg * MOS_TOPO_LOCAL_DISTANCE / t_.distance(this_node, t_.node(g).node);
	return avg;
}

// Down from group g to the CPU most worth pulling from: at each level
// the busiest child that has a second task somewhere (else the busiest).
uint32_t Balancer::busiest_cpu(uint32_t g, uint32_t this_node) const
{
	while (!t_.is_cpu(g)) {
		const DomainTree::Node &n = t_.node(g);
		uint32_t best = DomainTree::kNone;
		uint64_t best_score = 0;
		bool best_movable = false;
		for (uint32_t k = 0; k < n.nr_children; k++) {
			uint32_t c = t_.child(n, k);
			Load l = t_.read(c);
			if (l.nr_running == 0)
				continue;
			bool movable = l.movable();
			uint64_t score = busy_score(this_node, c, l);
			if (best == DomainTree::kNone || (movable && !best_movable) ||
			    (movable == best_movable && score > best_score)) {
				best = c;
				best_score = score;
				best_movable = movable;
			}
		}
		if (best == DomainTree::kNone)
			return DomainTree::kNone;	// emptied since its summary
		g = best;
	}
	return g;
}

// The busiest child of d other than local, with what it holds, or kNone;
// adds every child's load and capacity to dom (the domain's totals).
uint32_t Balancer::busiest_group(uint32_t d, uint32_t local, uint32_t this_node,
				 Load &busiest, Load &dom) const
{
	const DomainTree::Node &dn = t_.node(d);
	uint32_t best = DomainTree::kNone;
	uint64_t best_score = 0;
	for (uint32_t k = 0; k < dn.nr_children; k++) {
		uint32_t g = t_.child(dn, k);
		if (g == local)
			continue;
		Load l = t_.read(g);
		dom.load += l.load;
		dom.capacity += l.capacity;
		if (!l.movable())
			continue;	// one task per busy CPU: moving one only swaps
		uint64_t score = busy_score(this_node, g, l);
		if (score > best_score) {
			best = g;
			best_score = score;
			busiest = l;
		}
	}
	return best;
}

int Balancer::find_busiest(uint32_t this_cpu, uint32_t level, mos_sd_imbalance &out) const
{
	if (!t_.has_cpu(this_cpu) || level >= t_.nr_levels(this_cpu))
		return -MOS_EINVAL;
	uint32_t d = t_.domain(this_cpu, level);
	uint32_t local = t_.child_holding(d, t_.leaf(this_cpu));
	uint32_t this_node = t_.cpu_node(this_cpu);
	Load lo = t_.read(local), busiest, dom = lo;
	uint32_t best = busiest_group(d, local, this_node, busiest, dom);
	if (best == DomainTree::kNone)
		return 0;

	bool spread = spreads(this_cpu, d);
	bool to_idle = lo.idle_cpus > 0 && spread;
	uint64_t b_avg = busiest.avg(), l_avg = lo.avg();
	if (!to_idle) {
		if (b_avg * 100 <= l_avg * threshold_pct(this_cpu, d, best))
			return 0;
		// Packing: a group within its capacity keeps its tasks.
		if (!spread && busiest.load <= busiest.capacity)
			return 0;
	}
	uint64_t dom_avg = dom.avg();
	uint64_t excess = b_avg > dom_avg ? (b_avg - dom_avg) * busiest.capacity : 0;
	uint64_t room = dom_avg > l_avg ? (dom_avg - l_avg) * lo.capacity : 0;
	uint64_t amount = (excess < room ? excess : room) / MOS_SD_CAPACITY_SCALE;
	if (to_idle) {
		uint64_t one_task = busiest.load / busiest.nr_running;
		if (amount < one_task)
			amount = one_task;
	}
	if (amount == 0)
		return 0;

	uint32_t src = busiest_cpu(best, this_node);
	if (src == DomainTree::kNone)
		return 0;
	out.src_cpu = int32_t(t_.cpu_at(src));
	out.dst_cpu = int32_t(this_cpu);
	out.load = amount;
	out.level = level;
	out.src_group = t_.first_cpu(best);
	return 1;
}

int Balancer::pick_task(const mos_sd_task *tasks, uint32_t nr, uint32_t src, uint32_t dst,
			uint64_t max_load, uint64_t now) const
{
	if (!t_.has_cpu(src) || !t_.has_cpu(dst) || (nr && !tasks))
		return -MOS_EINVAL;
	// learned makes load's choice (below: the heaviest that fits) until
	// its model is trusted.
	if (p_.algo == MOS_SD_ALGO_LEARNED && t_.model().trusted())
		return pick_learned(tasks, nr, src, dst, max_load, now);
	// numa moves a task away from its memory only to feed an idle CPU:
	// running remote beats not running at all.
	bool cross_node = t_.cpu_node(src) != t_.cpu_node(dst) &&
			  t_.read(t_.leaf(dst)).nr_running != 0;
	bool same_llc = share(src, dst, MOS_SD_LVL_LLC);
	bool same_core = share(src, dst, MOS_SD_LVL_SMT);
	int best = -MOS_EAGAIN;
	int64_t best_gain = 0;
	uint64_t best_load = 0;

	for (uint32_t i = 0; i < nr; i++) {
		const mos_sd_task &task = tasks[i];
		if (task.load > max_load || task.load == 0)
			continue;
		// gain: how much better the task is off on dst (higher wins).
		int64_t gain = 0;
		if (p_.algo == MOS_SD_ALGO_NUMA) {
			gain = int64_t(locality_cost(task, src)) - int64_t(locality_cost(task, dst));
			if (cross_node && gain < 0)
				continue;	// its memory is closer to src
		} else if (p_.algo == MOS_SD_ALGO_CACHE && !same_core) {
			uint64_t hot = hotness(task, now);
			if (hot && !same_llc)
				continue;	// would lose its cache
			gain = -int64_t(hot / 4);	// L1/L2 only, inside the LLC
		}
		if (best < 0 || gain > best_gain || (gain == best_gain && task.load > best_load)) {
			best = int(i);
			best_gain = gain;
			best_load = task.load;
		}
	}
	return best;
}

} // namespace mos::sched
