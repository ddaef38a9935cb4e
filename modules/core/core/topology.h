// SPDX-License-Identifier: GPL-2.0-only
//
// Topology: the machine's CPUs, their groups and the NUMA distances.
//
// Built once from facts the shim reads out of the kernel (see
// include/multios/topology.h), validated in finalize(), then read-only:
// the scheduler's domain tree and the NUMA engine query it without locks.
#pragma once

#include <multios/topology.h>

#include <mos/text_buffer.h>

namespace mos {

class Topology {
public:
	static constexpr uint32_t kNone = ~0u;

	Topology() = default;	// use create(); public for alloc_object

	// Allocates the tables; nullptr if that fails or the sizes are absurd.
	static Topology *create(uint32_t nr_cpu_ids, uint32_t nr_nodes, mos_gfp_t gfp);
	void destroy();

	int add_cpu(const mos_cpu_desc &desc);
	int add_cache(uint32_t cpu, const mos_cache_desc &cache);
	int set_distance(uint32_t from, uint32_t to, uint32_t distance);
	int finalize();

	uint32_t nr_cpus() const { return nr_cpus_; }
	uint32_t nr_cpu_ids() const { return nr_cpu_ids_; }
	uint32_t nr_nodes() const { return nr_nodes_; }
	uint32_t nr_groups(mos_topo_level level) const;
	bool cpu_present(uint32_t cpu) const;
	uint32_t cpu_node(uint32_t cpu) const;
	// The first CPU of the group at `level` that holds `cpu`.
	uint32_t group_of(uint32_t cpu, mos_topo_level level) const;
	uint32_t distance(uint32_t from, uint32_t to) const;
	bool node_has_cpus(uint32_t node) const;

	void show_cpus(TextBuffer &out) const;
	void show_nodes(TextBuffer &out) const;
	void show_node_cpus(TextBuffer &out, uint32_t node) const;
	void show_node_distance(TextBuffer &out, uint32_t node) const;
	void show_groups(TextBuffer &out, mos_topo_level level) const;
	void show_caches(TextBuffer &out) const;
	void show_summary(TextBuffer &out) const;

private:
	struct CpuRecord {
		bool present;
		uint32_t node;
		uint32_t first[MOS_TOPO_NR_LEVELS - 1];
		uint32_t nr_caches;
		mos_cache_desc caches[MOS_TOPO_MAX_CACHES];
	};

	int check_cpu(uint32_t cpu) const;
	int check_distances() const;
	void link_groups();
	void collect_cache_kinds();
	uint32_t next_in_group(mos_topo_level level, uint32_t cpu) const
	{
		return next_in_group_[level * nr_cpu_ids_ + cpu];
	}
	void show_chain(TextBuffer &out, mos_topo_level level, uint32_t first) const;

	// Distinct kinds of cache, counted once in finalize(): the show
	// functions must not rescan every CPU's caches for every kind.
	struct CacheKind {
		mos_cache_desc desc;
		uint32_t instances;
	};
	static constexpr uint32_t kMaxCacheKinds = 32;

	uint32_t nr_cpu_ids_ = 0;
	uint32_t nr_nodes_ = 0;
	uint32_t nr_cpus_ = 0;
	bool finalized_ = false;
	CpuRecord *cpus_ = nullptr;	// nr_cpu_ids_ entries
	uint32_t *distance_ = nullptr;	// nr_nodes_ x nr_nodes_, 0 = unset
	uint32_t *node_cpus_ = nullptr;	// CPUs described on each node
	// Set by finalize(), so that listing a group costs its size:
	uint32_t *next_in_group_ = nullptr;	// per level, next CPU up or kNone
	uint32_t *node_first_ = nullptr;	// each node's first CPU or kNone
	CacheKind cache_kinds_[kMaxCacheKinds] = {};
	uint32_t nr_cache_kinds_ = 0;
	bool more_cache_kinds_ = false;	// there were more than kMaxCacheKinds
};

} // namespace mos
