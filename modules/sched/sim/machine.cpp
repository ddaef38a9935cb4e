// SPDX-License-Identifier: GPL-2.0-only
#include "machine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace mos_sched_sim {

mos_sched_domains *Machine::build(uint32_t domain_size, uint64_t stats_interval_ns) const
{
	mos_sd_build_params params;
	mos_sd_build_params_default(&params);
	params.domain_size = domain_size;
	params.stats_interval_ns = stats_interval_ns;
	mos_sched_domains *sd = nullptr;
	int err = mos_sched_domains_build(cpus.data(), uint32_t(cpus.size()), distance.data(),
					  nr_nodes, &params, MOS_GFP_KERNEL, &sd);
	if (err) {
		std::fprintf(stderr, "mos_sched_domains_build: %d\n", err);
		std::abort();
	}
	return sd;
}

Machine Machine::without(const std::vector<uint32_t> &offline) const
{
	Machine m = *this;
	m.cpus.erase(std::remove_if(m.cpus.begin(), m.cpus.end(),
				    [&](const mos_cpu_desc &c) {
					    return std::find(offline.begin(), offline.end(),
							     c.cpu) != offline.end();
				    }),
		     m.cpus.end());
	return m;
}

Machine make_machine(const MachineSpec &spec)
{
	Machine m;
	m.nr_nodes = uint32_t(spec.cpus_per_node.size());
	uint32_t total = 0;
	for (uint32_t n : spec.cpus_per_node)
		total += n;
	uint32_t smt = spec.smt ? spec.smt : 1;
	uint32_t nr_cores = total / smt;
	// Core k of the machine is CPU k; its thread t is CPU t * nr_cores + k.
	uint32_t core = 0;
	for (uint32_t node = 0; node < m.nr_nodes; node++) {
		uint32_t cores = spec.cpus_per_node[node] / smt;
		uint32_t per_llc = spec.cores_per_llc ? spec.cores_per_llc : cores;
		uint32_t node_first = core;
		for (uint32_t k = 0; k < cores; k++, core++) {
			uint32_t llc_idx = k / per_llc;
			uint32_t llc_first = node_first + llc_idx * per_llc;
			uint32_t pkg_first = node_first;
			if (spec.llcs_per_package)
				pkg_first += (llc_idx / spec.llcs_per_package) *
					     spec.llcs_per_package * per_llc;
			uint32_t clu = spec.cores_per_cluster ? spec.cores_per_cluster : per_llc;
			uint32_t clu_first = llc_first + ((k % per_llc) / clu) * clu;
			for (uint32_t t = 0; t < smt; t++) {
				mos_cpu_desc d{};
				d.cpu = t * nr_cores + core;
				d.node = node;
				d.first[MOS_TOPO_SMT] = core;
				d.first[MOS_TOPO_CLUSTER] = clu_first;
				d.first[MOS_TOPO_LLC] = llc_first;
				d.first[MOS_TOPO_PACKAGE] = pkg_first;
				m.cpus.push_back(d);
			}
		}
	}
	m.distance = realistic_distance(m.nr_nodes);
	return m;
}

std::vector<uint32_t> hier_distance(uint32_t nr_nodes, const std::vector<uint32_t> &sizes,
				    const std::vector<uint32_t> &dists)
{
	std::vector<uint32_t> d(size_t(nr_nodes) * nr_nodes);
	for (uint32_t a = 0; a < nr_nodes; a++) {
		for (uint32_t b = 0; b < nr_nodes; b++) {
			if (a == b) {
				d[a * nr_nodes + b] = MOS_TOPO_LOCAL_DISTANCE;
				continue;
			}
			uint32_t span = 1;
			size_t lvl = 0;
			for (; lvl < sizes.size(); lvl++) {
				span *= sizes[lvl];
				if (a / span == b / span)
					break;
			}
			d[a * nr_nodes + b] = dists[std::min(lvl, dists.size() - 1)];
		}
	}
	return d;
}

std::vector<uint32_t> realistic_distance(uint32_t n)
{
	if (n <= 1)
		return {MOS_TOPO_LOCAL_DISTANCE};
	if (n == 2)
		return hier_distance(n, {}, {21});		// 2-socket x86
	if (n <= 4)
		return hier_distance(n, {2}, {12, 21});		// 2 sockets, SNC2
	if (n <= 8)
		return hier_distance(n, {2, 2}, {12, 21, 32});	// 4 sockets, SNC2, twisted ladder
	if (n <= 32)
		return hier_distance(n, {4, 4}, {12, 21, 31});	// 8 sockets x SNC4 (2 boards)
	return hier_distance(n, {4, 4, 4}, {12, 20, 30, 40});	// SGI UV-like: socket, blade, rack
}

Machine standard_machine(uint32_t nr_cpus, uint32_t nr_nodes, uint32_t smt)
{
	MachineSpec spec;
	for (uint32_t node = 0; node < nr_nodes; node++)
		spec.cpus_per_node.push_back(nr_cpus / nr_nodes + (node < nr_cpus % nr_nodes));
	bool even = true;
	for (uint32_t c : spec.cpus_per_node)
		even = even && c % smt == 0 && c > 0;
	spec.smt = even ? smt : 1;
	spec.cores_per_llc = 8;
	return make_machine(spec);
}

}  // namespace mos_sched_sim
