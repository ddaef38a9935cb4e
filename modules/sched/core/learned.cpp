// SPDX-License-Identifier: GPL-2.0-only
//
// The `learned` balancer: load's candidates, scored by the tree's online
// model (learned_model.h).
//
// find_busiest is load's (the same busiest group, threshold and amount).
// What the model decides is whether and which task moves: every task of
// src that fits is scored from the features of moving it (below) and the
// best one moves only if its predicted benefit is positive. At wake-up
// the candidates are prev (benefit 0), load's CPU and numa's CPU. While
// the model is not trusted (too few outcomes, or predicting no better
// than "every move is worth 0"), learned is load, and the caller's
// outcomes keep training it.
#include "balance.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

// Loads and costs are caller-supplied u64: keep them where Q16 products fit.
int64_t sat(uint64_t v)
{
	constexpr uint64_t kMax = 1ull << 40;
	return int64_t(v > kMax ? kMax : v);
}

} // namespace

// How fast task runs where its locality_cost is cost, Q16 (1.0: all of
// its memory local): 10 / its share-weighted distance.
int32_t Balancer::memory_speed(const mos_sd_task &task, uint64_t cost) const
{
	uint64_t weight = 0;	// shares locality_cost counted
	uint32_t nodes = t_.nr_numa_nodes();
	for (uint32_t k = 0; k < task.nr_mem && k < MOS_SD_TASK_MEM_NODES; k++) {
		if (task.mem[k].node < nodes)
			weight += task.mem[k].share;
	}
	if (task.preferred_node >= 0 && uint32_t(task.preferred_node) < nodes)
		weight += MOS_SD_CAPACITY_SCALE / 2;
	if (!weight || !cost)
		return LearnedModel::kOne;
	return LearnedModel::ratio(sat(weight) * MOS_TOPO_LOCAL_DISTANCE, sat(cost), LearnedModel::kOne);
}

// What the task would get of cpu (Q16 of the CPU): CFS's weight share.
int32_t Balancer::cpu_share(const Load &cpu, uint64_t task_load, bool counted) const
{
	int64_t total = sat(cpu.load) + (counted ? 0 : sat(task_load));
	int64_t share = LearnedModel::ratio(sat(task_load), total, LearnedModel::kOne);
	return int32_t(share * cpu.capacity / MOS_SD_CAPACITY_SCALE);
}

void Balancer::move_features(const mos_sd_task &task, uint32_t src, uint32_t dst,
			     uint64_t now, bool waking, int32_t *f) const
{
	using M = LearnedModel;
	Load s = t_.read(t_.leaf(src)), d = t_.read(t_.leaf(dst));
	if (waking) {
		s.load += task.load;
		s.nr_running++;
	}
	uint32_t src_nr = s.nr_running < 8 ? s.nr_running : 8;
	int64_t dist = t_.distance(t_.cpu_node(src), t_.cpu_node(dst));
	uint64_t cost_src = locality_cost(task, src), cost_dst = locality_cost(task, dst);
	int64_t locality = sat(cost_src) - sat(cost_dst);

	f[0] = M::kOne;
	f[1] = M::ratio(sat(s.avg()) - sat(d.avg()), MOS_SD_LOAD_NICE_0, M::kMaxFeature);
	f[2] = d.nr_running == 0 ? M::kOne : 0;
	f[3] = M::ratio(src_nr, 4, M::kMaxFeature);
	f[4] = M::ratio(dist - MOS_TOPO_LOCAL_DISTANCE, MOS_TOPO_LOCAL_DISTANCE, M::kMaxFeature);
	f[5] = share(src, dst, MOS_SD_LVL_LLC) ? M::kOne : 0;
	f[6] = M::ratio(sat(hotness(task, now)), sat(p_.migration_cost_ns), M::kMaxFeature);
	f[7] = M::ratio(locality, int64_t(MOS_SD_CAPACITY_SCALE) * MOS_TOPO_LOCAL_DISTANCE,
			M::kMaxFeature);
	f[8] = M::ratio(sat(task.load), MOS_SD_LOAD_NICE_0, M::kMaxFeature);
	int32_t speed_src = memory_speed(task, cost_src), speed_dst = memory_speed(task, cost_dst);
	f[9] = speed_dst - speed_src;
	f[10] = int32_t((int64_t(cpu_share(d, task.load, false)) * speed_dst -
			 int64_t(cpu_share(s, task.load, true)) * speed_src) >> 16);
}

int Balancer::pick_learned(const mos_sd_task *tasks, uint32_t nr, uint32_t src, uint32_t dst,
			   uint64_t max_load, uint64_t now) const
{
	int best = -MOS_EAGAIN;
	int32_t best_gain = 0;	// only a predicted gain moves a task
	uint64_t best_load = 0;
	int least_bad = -MOS_EAGAIN;	// the best of the rest, for exploring
	int32_t least_bad_gain = 0;
	for (uint32_t i = 0; i < nr; i++) {
		const mos_sd_task &task = tasks[i];
		if (task.load > max_load || task.load == 0)
			continue;
		int32_t f[LearnedModel::kFeatures];
		move_features(task, src, dst, now, false, f);
		int32_t gain = t_.model().predict(f);
		if (gain > best_gain || (best >= 0 && gain == best_gain && task.load > best_load)) {
			best = int(i);
			best_gain = gain;
			best_load = task.load;
		}
		if (least_bad < 0 || gain > least_bad_gain) {
			least_bad = int(i);
			least_bad_gain = gain;
		}
	}
	// Every candidate predicted to lose: now and then move the least bad
	// one anyway, so the model keeps learning (learned_model.h).
	if (best < 0 && least_bad >= 0 && t_.model().explore())
		return least_bad;
	return best;
}

uint32_t Balancer::select_learned(const mos_sd_task &task, uint32_t anchor, uint64_t now) const
{
	uint32_t by_load = select_load(anchor);
	if (!t_.model().trusted())
		return by_load;
	const uint32_t candidates[] = {by_load, select_numa(task, anchor)};
	uint32_t best = anchor, prev_cpu = t_.cpu_at(anchor);
	int32_t best_gain = 0;	// staying on prev is worth 0
	for (uint32_t c : candidates) {
		if (c == anchor)
			continue;
		int32_t f[LearnedModel::kFeatures];
		move_features(task, prev_cpu, t_.cpu_at(c), now, true, f);
		int32_t gain = t_.model().predict(f);
		if (gain > best_gain) {
			best = c;
			best_gain = gain;
		}
	}
	return best;
}

} // namespace mos::sched
