// SPDX-License-Identifier: GPL-2.0-only
//
// Balancer: the load balancers and wake-up placement over a DomainTree.
//
// Stateless: a Balancer is a tree and the policy knobs of one call, made
// on the stack, reading only cached summaries (no lock, no allocation).
// Three algorithms share one skeleton and differ where they weigh:
//
//   load   busiest group (load per capacity) to the local one, when it
//          exceeds local by imbalance_pct (CFS's 117 by default);
//   numa   the same, each candidate group's load weighed by its node's
//          distance from this CPU's, the threshold raised with distance,
//          and tasks chosen by where their memory is;
//   cache  the same, a doubled margin across LLCs, and cache-hot tasks
//          (ran within migration_cost) kept unless dst shares their LLC;
//          wake-up prefers prev, then its SMT and LLC siblings;
//   learned  load's busiest group, but once the tree's online model
//          (learned_model.h) is trusted, each candidate move is scored by
//          it and only a move predicted to pay is made (learned.cpp); at
//          wake-up it picks among prev, load's and numa's CPU the same way.
//          The model is the only state, and it is not the Balancer's.
//
// power_mode changes what "better" means: performance spreads onto idle
// CPUs, powersave packs tasks into the fullest group that still has room
// (and balances only overloaded groups), balanced packs inside an LLC and
// spreads across LLCs. See Documentation/dev/sched-domains.rst.
#pragma once

#include "domain_tree.h"

namespace mos::sched {

class Balancer {
public:
	// Percent of a group's capacity that powersave fills before it spreads.
	static constexpr uint32_t kPackPct = 80;

	Balancer(const DomainTree &tree, const mos_sd_policy &policy)
		: t_(tree), p_(policy)
	{
	}

	// 1: out filled; 0: balanced; -EINVAL.
	int find_busiest(uint32_t this_cpu, uint32_t level, mos_sd_imbalance &out) const;
	// Index of the task to move, or -EAGAIN.
	int pick_task(const mos_sd_task *tasks, uint32_t nr, uint32_t src, uint32_t dst,
		      uint64_t max_load, uint64_t now) const;
	// A CPU of the tree.
	uint32_t select_cpu(const mos_sd_task &task, int32_t prev, int32_t waker,
			    uint64_t now) const;

	// Do a and b share a group standing for any level of mask?
	bool share(uint32_t a, uint32_t b, uint32_t mask) const;
	// Memory-access cost of running task on cpu: its pages' shares times
	// their distance (the preferred node counting as half of them).
	uint64_t locality_cost(const mos_sd_task &task, uint32_t cpu) const;
	// How cache-hot task still is, in ns of migration_cost left; 0: cold.
	uint64_t hotness(const mos_sd_task &task, uint64_t now) const;
	// The learned model's features of moving task from src to dst
	// (learned.cpp). waking: the task is not in src's statistics.
	void move_features(const mos_sd_task &task, uint32_t src, uint32_t dst, uint64_t now,
			   bool waking, int32_t *f) const;

private:
	using Load = DomainTree::Load;

	// imbalance_pct for a decision in domain d (numa: scaled by distance
	// to the candidate; cache: doubled margin above the LLC).
	uint32_t threshold_pct(uint32_t this_cpu, uint32_t d, uint32_t candidate) const;
	// May this domain's idle CPUs pull work just because they are idle?
	bool spreads(uint32_t this_cpu, uint32_t d) const;
	// A candidate group's weight in choosing the busiest.
	uint64_t busy_score(uint32_t this_node, uint32_t g, const Load &l) const;
	uint32_t busiest_cpu(uint32_t g, uint32_t this_node) const;
	uint32_t busiest_group(uint32_t d, uint32_t local, uint32_t this_node, Load &busiest,
			       Load &dom) const;

	// learned (learned.cpp): the best move the model predicts to pay.
	int pick_learned(const mos_sd_task *tasks, uint32_t nr, uint32_t src, uint32_t dst,
			 uint64_t max_load, uint64_t now) const;
	uint32_t select_learned(const mos_sd_task &task, uint32_t anchor, uint64_t now) const;
	int32_t memory_speed(const mos_sd_task &task, uint64_t cost) const;
	int32_t cpu_share(const Load &cpu, uint64_t task_load, bool counted) const;

	// Placement descents (placement.cpp); each returns a CPU or kNone.
	uint32_t find_idle(uint32_t g) const;
	uint32_t least_loaded(uint32_t g) const;
	uint32_t idlest(uint32_t g) const;
	uint32_t pack(uint32_t g, uint64_t task_load, uint32_t anchor) const;
	uint32_t select_load(uint32_t anchor) const;
	uint32_t select_cache(const mos_sd_task &task, uint32_t anchor, int32_t waker,
			      uint64_t now) const;
	uint32_t select_numa(const mos_sd_task &task, uint32_t anchor) const;
	uint32_t home_node(const mos_sd_task &task) const;
	// b is clearly less loaded than a (by imbalance_pct).
	bool clearly_lighter(uint32_t b_node, uint32_t a_node) const;

	const DomainTree &t_;
	const mos_sd_policy &p_;
};

} // namespace mos::sched
