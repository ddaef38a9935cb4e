// SPDX-License-Identifier: GPL-2.0-only
//
// DomainTree: the scheduling-domain tree of one CPU configuration.
//
// Built once (domain_build.cpp) and then IMMUTABLE except for the
// statistics and the learned balancer's model weights (both atomics):
// the shim swaps whole trees under RCU, so a reader may hold a tree
// while a new one is built. Statistics are atomics in arrays of
// their own, written per CPU by update_cpu() and summarised per group by
// whichever CPU finds the summary due (domain_stats.cpp); nothing takes
// a lock or allocates after build().
//
// Shape: CPUs are sorted into topology order, so that every group of
// every level is a contiguous span of that order. Nodes 0..nr_cpus-1 are
// the CPUs (leaves, in topology order); groups follow. A group with one
// child would equal it and is never made; each group records which
// topology levels it stands for (MOS_SD_LVL_*), and a group wider than
// domain_size children is cut into SPLIT groups of at most domain_size.
#pragma once

#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/cache.h>
#include <mos/result.h>
#include <multios/sched_domains.h>

#include "learned_model.h"

namespace mos::sched {

class DomainTree {
public:
	static constexpr uint32_t kNone = ~0u;
	// Longest CPU-to-root chain; deeper trees are refused (-E2BIG).
	static constexpr uint32_t kMaxHeight = 48;

	struct Node {
		uint32_t parent;	// kNone for the root
		uint32_t first_child;	// index into children_
		uint32_t nr_children;	// 0 for a CPU
		uint32_t height;	// 0 for a CPU
		uint32_t begin, end;	// span in topology order
		uint32_t levels;	// MOS_SD_LVL_*
		uint32_t node;		// NUMA node of its first CPU
		uint32_t numa_level;	// 1.. for a NUMA group, else 0
	};

	// A summary as plain numbers.
	struct Load {
		uint64_t load = 0;
		uint64_t edf_util = 0;
		uint64_t updated = 0;
		uint32_t nr_running = 0;
		uint32_t nr_cpus = 0;
		uint32_t capacity = 0;
		uint32_t idle_cpus = 0;

		// Load per 1024 of capacity: comparable across group sizes.
		uint64_t avg() const { return load * MOS_SD_CAPACITY_SCALE / (capacity ? capacity : 1); }
		// Some CPU in it has a second runnable task (one could move).
		bool movable() const { return nr_running > nr_cpus - idle_cpus; }
	};

	DomainTree() = default;	// build() makes them
	~DomainTree();
	DomainTree(const DomainTree &) = delete;
	DomainTree &operator=(const DomainTree &) = delete;

	static Result<DomainTree *> build(const mos_cpu_desc *cpus, uint32_t nr_cpus,
					  const uint32_t *distance, uint32_t nr_nodes,
					  const mos_sd_build_params &params, Gfp gfp);
	void destroy();

	// ---- structure (immutable) ----
	uint32_t nr_cpus() const { return nr_cpus_; }
	uint32_t nr_groups() const { return nr_nodes_total_ - nr_cpus_; }
	uint32_t height() const { return height_; }
	uint32_t root() const { return root_; }
	const Node &node(uint32_t i) const { return nodes_[i]; }
	bool is_cpu(uint32_t i) const { return i < nr_cpus_; }
	uint32_t child(const Node &n, uint32_t k) const { return children_[n.first_child + k]; }
	// The CPU id at a topology position, and back.
	uint32_t cpu_at(uint32_t pos) const { return order_[pos]; }
	bool has_cpu(uint32_t cpu) const { return cpu < nr_cpu_ids_ && pos_of_[cpu] != kNone; }
	uint32_t leaf(uint32_t cpu) const { return pos_of_[cpu]; }
	uint32_t cpu_node(uint32_t cpu) const { return nodes_[leaf(cpu)].node; }
	// The first CPU of a node or group (in topology order).
	uint32_t first_cpu(uint32_t i) const { return order_[nodes_[i].begin]; }
	// cpu's ancestor `level` steps above its parent (level 0: the parent).
	uint32_t domain(uint32_t cpu, uint32_t level) const;
	uint32_t nr_levels(uint32_t cpu) const;
	// cpu's lowest ancestor (itself included) that stands for one of mask.
	uint32_t group_with(uint32_t cpu, uint32_t mask) const;
	// The child of group g whose span holds topology position pos.
	uint32_t child_holding(uint32_t g, uint32_t pos) const;
	bool contains(uint32_t g, uint32_t pos) const
	{
		return nodes_[g].begin <= pos && pos < nodes_[g].end;
	}
	uint32_t distance(uint32_t from, uint32_t to) const
	{
		return distance_[from * nr_numa_nodes_ + to];
	}
	uint32_t nr_numa_nodes() const { return nr_numa_nodes_; }
	// The NODE group of a node with CPUs in the tree, else kNone.
	uint32_t node_group(uint32_t numa_node) const { return node_group_[numa_node]; }
	uint32_t domain_size() const { return domain_size_; }

	// ---- statistics (atomics; domain_stats.cpp) ----
	Result<void> update_cpu(uint32_t cpu, const mos_sd_cpu_stats &stats, uint64_t now);
	// A CPU's current numbers, or a group's cached summary. Never refreshes.
	Load read(uint32_t i) const;
	// The part of read() the idle searches of every wake-up use, inline:
	// they read each child of each level, and a whole Load (seven atomic
	// loads and an out-of-line call) was half of a placement's time.
	uint32_t idle_cpus(uint32_t i) const
	{
		if (is_cpu(i))
			return cpu_stats_[i].nr_running.load_relaxed() == 0;
		return group_stats_[i - nr_cpus_].idle_cpus.load_relaxed();
	}
	// What an idle CPU under i could give a task: read(i)'s capacity x
	// idle_cpus / nr_cpus, the same numbers and rounding.
	uint64_t idle_capacity(uint32_t i) const
	{
		if (is_cpu(i)) {
			const CpuStats &s = cpu_stats_[i];
			if (s.nr_running.load_relaxed() != 0)
				return 0;
			return usable_capacity(s.capacity.load_relaxed(), s.edf_util.load_relaxed());
		}
		const GroupStats &s = group_stats_[i - nr_cpus_];
		uint32_t idle = s.idle_cpus.load_relaxed();
		if (idle == 0)
			return 0;
		return uint64_t(s.capacity.load_relaxed()) * idle / nr_cpus_under(i);
	}
	void copy_stats_from(const DomainTree &old, uint64_t now);
	// CPUs with a task waiting (two or more runnable), kept exact by
	// update_cpu() on every crossing of 1 <-> 2. A pull moves a waiting
	// task, so at 0 no balancing pass can find anything to move: a newly
	// idle CPU learns that from one load instead of a walk of its
	// domains. Summaries cannot say it: they fall due by interval.
	uint32_t waiting_cpus() const { return waiting_cpus_.value.load_relaxed(); }

	// ---- the learned balancer's model (learned_model.h): shared, lock-free ----
	const LearnedModel &model() const { return model_; }
	LearnedModel &model() { return model_; }

	// ---- the dump (domain_show.cpp) ----
	int show(char *buf, size_t size) const;

private:
	friend class TreeBuilder;

	struct MOS_CACHELINE_ALIGNED CpuStats {
		Atomic<uint64_t> load;
		Atomic<uint64_t> updated;
		Atomic<uint32_t> nr_running;
		Atomic<uint32_t> capacity;
		Atomic<uint32_t> edf_util;
	};

	struct MOS_CACHELINE_ALIGNED GroupStats {
		Atomic<uint64_t> load;
		Atomic<uint64_t> edf_util;
		Atomic<uint64_t> updated;
		Atomic<uint64_t> next_update;
		Atomic<uint32_t> nr_running;
		Atomic<uint32_t> capacity;
		Atomic<uint32_t> idle_cpus;
	};

	// Written by every CPU whose count crosses 1 <-> 2, read by every
	// newly idle one: a line of its own, away from the structure's.
	struct MOS_CACHELINE_ALIGNED WaitingCpus {
		Atomic<uint32_t> value;
	};

	// A CPU's capacity less its EDF reservations, at least 1: what read()
	// and idle_capacity() report for a CPU.
	static uint32_t usable_capacity(uint32_t cap, uint32_t edf)
	{
		return cap > edf ? cap - edf : 1;
	}
	uint32_t nr_cpus_under(uint32_t i) const { return nodes_[i].end - nodes_[i].begin; }

	// Recomputes g's summary from its children when due (or force).
	void refresh(uint32_t g, uint64_t now, bool force = false);
	uint64_t interval_ns(uint32_t g) const { return stats_interval_ns_ * nodes_[g].height; }

	uint32_t nr_cpus_ = 0;
	uint32_t nr_cpu_ids_ = 0;	// highest CPU id + 1
	uint32_t nr_nodes_total_ = 0;	// CPUs + groups
	uint32_t nr_numa_nodes_ = 0;
	uint32_t root_ = 0;
	uint32_t height_ = 0;
	uint32_t domain_size_ = 0;
	uint64_t stats_interval_ns_ = 0;

	Node *nodes_ = nullptr;		// nr_nodes_total_
	uint32_t *children_ = nullptr;	// nr_nodes_total_ - 1
	uint32_t *order_ = nullptr;	// topology position -> CPU id
	uint32_t *pos_of_ = nullptr;	// CPU id -> position, or kNone
	uint32_t *distance_ = nullptr;	// nr_numa_nodes_^2
	uint32_t *node_group_ = nullptr;	// nr_numa_nodes_
	CpuStats *cpu_stats_ = nullptr;		// by position
	GroupStats *group_stats_ = nullptr;	// by node index - nr_cpus_
	LearnedModel model_;			// changes after build, like the stats
	WaitingCpus waiting_cpus_;		// see waiting_cpus()
};

} // namespace mos::sched
