// SPDX-License-Identifier: GPL-2.0-only
//
// Synthetic machines for the domain tree's tests, the multi-CPU simulator
// and the benchmarks: per-CPU topology descriptors as the kernel would
// report them (Linux numbering: SMT siblings n cores apart) and node
// distance matrices shaped like real ones (SLIT tables of 2-socket x86,
// 4-socket SNC, SGI UV-like hierarchies). Host only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <multios/sched_domains.h>

namespace mos_sched_sim {

struct Machine {
	std::vector<mos_cpu_desc> cpus;
	std::vector<uint32_t> distance;	// nr_nodes x nr_nodes
	uint32_t nr_nodes = 1;

	uint32_t dist(uint32_t a, uint32_t b) const { return distance[a * nr_nodes + b]; }
	// Builds the tree; aborts the test program on failure (host helper).
	mos_sched_domains *build(uint32_t domain_size = MOS_SD_DOMAIN_SIZE_DEFAULT,
				 uint64_t stats_interval_ns = 0) const;
	// The same machine without the listed CPU ids (hot-unplugged).
	Machine without(const std::vector<uint32_t> &offline) const;
};

struct MachineSpec {
	// CPUs per node (threads included); one entry per node. Asymmetric
	// machines just list different counts; 0 is a memory-only node.
	std::vector<uint32_t> cpus_per_node;
	uint32_t smt = 1;		// threads per core
	uint32_t cores_per_llc = 8;	// 0: one LLC per node
	uint32_t llcs_per_package = 0;	// 0: the package is the node
	uint32_t cores_per_cluster = 0;	// 0: cluster = LLC
};

Machine make_machine(const MachineSpec &spec);

// Hierarchical distances: nodes in groups of `sizes[0]` are `dists[0]`
// apart, groups of sizes[0]*sizes[1] are dists[1] apart, ...; anything
// further is dists.back(). dists has one more entry than sizes.
std::vector<uint32_t> hier_distance(uint32_t nr_nodes, const std::vector<uint32_t> &sizes,
				    const std::vector<uint32_t> &dists);
// A realistic matrix for 1, 2, 4, 8, 32, 128 ... nodes.
std::vector<uint32_t> realistic_distance(uint32_t nr_nodes);

// nr_cpus CPUs spread over nr_nodes nodes (as even as possible), SMT2
// when the count allows, LLCs of 8 cores, realistic distances.
Machine standard_machine(uint32_t nr_cpus, uint32_t nr_nodes, uint32_t smt = 2);

}  // namespace mos_sched_sim
