/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's topology, as multios_core models it.
 *
 * The shim (modules/core/shim/topology_probe.c) reads what the kernel
 * knows: for every CPU its NUMA node and the first CPU of each group it
 * belongs to (SMT siblings, cluster, last-level cache, package), the node
 * distance matrix, and the caches the kernel reports. It hands those facts
 * to the C++ model (modules/core/core/topology.cpp), which validates them
 * and answers questions: groups per level, CPU lists, distances. The
 * scheduler's domain tree and the NUMA engine are built from this model.
 *
 * Groups are named by their first (lowest-numbered) CPU, so a group id is
 * always a CPU id and "CPU c is alone" means group id == c.
 */
#ifndef MULTIOS_TOPOLOGY_H
#define MULTIOS_TOPOLOGY_H

#include <multios/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MOS_TOPO_MAX_NODES	1024u
#define MOS_TOPO_MAX_CACHES	8u	/* cache leaves per CPU */
#define MOS_TOPO_LOCAL_DISTANCE	10u	/* the kernel's LOCAL_DISTANCE */

/* Grouping levels, narrowest first. */
enum mos_topo_level {
	MOS_TOPO_SMT = 0,
	MOS_TOPO_CLUSTER,
	MOS_TOPO_LLC,
	MOS_TOPO_PACKAGE,
	MOS_TOPO_NODE,
	MOS_TOPO_NR_LEVELS
};

enum mos_cache_type {
	MOS_CACHE_DATA = 1,
	MOS_CACHE_INST = 2,
	MOS_CACHE_UNIFIED = 3,
};

struct mos_cpu_desc {
	uint32_t cpu;
	uint32_t node;
	uint32_t first[MOS_TOPO_NR_LEVELS - 1];	/* SMT, cluster, LLC, package */
};

struct mos_cache_desc {
	uint32_t level;		/* 1, 2, 3 ... */
	uint32_t type;		/* enum mos_cache_type */
	uint32_t size_kb;
	uint32_t line_size;
	uint32_t ways;
	uint32_t shared_first;	/* first CPU sharing this cache instance */
	uint32_t shared_count;	/* how many CPUs share it */
};

struct mos_topology;

/* Building: create, describe every CPU and distance, then finalize. */
struct mos_topology *mos_topology_create(uint32_t nr_cpu_ids, uint32_t nr_nodes,
					 mos_gfp_t gfp);
void mos_topology_destroy(struct mos_topology *topo);
int mos_topology_add_cpu(struct mos_topology *topo, const struct mos_cpu_desc *desc);
int mos_topology_add_cache(struct mos_topology *topo, uint32_t cpu,
			   const struct mos_cache_desc *cache);
int mos_topology_set_distance(struct mos_topology *topo, uint32_t from,
			      uint32_t to, uint32_t distance);
/* Checks consistency; returns -EINVAL with a logged reason if broken. */
int mos_topology_finalize(struct mos_topology *topo);

/* Queries, valid after a successful finalize. */
uint32_t mos_topology_nr_cpus(const struct mos_topology *topo);
uint32_t mos_topology_nr_nodes(const struct mos_topology *topo);
uint32_t mos_topology_nr_groups(const struct mos_topology *topo,
				enum mos_topo_level level);
int32_t mos_topology_cpu_node(const struct mos_topology *topo, uint32_t cpu);
/* The first CPU of cpu's group at level (the node id at MOS_TOPO_NODE). */
int32_t mos_topology_group_of(const struct mos_topology *topo, uint32_t cpu,
			      enum mos_topo_level level);
/* Nodes the model knows are the nodes with CPUs. */
bool mos_topology_node_has_cpus(const struct mos_topology *topo, uint32_t node);
int32_t mos_topology_distance(const struct mos_topology *topo, uint32_t from,
			      uint32_t to);

/*
 * Text for sysfs and procfs, written into buf (at most size bytes, NUL
 * terminated, ending in '\n'); each returns the length or a negative errno.
 */
int mos_topology_show_cpus(const struct mos_topology *topo, char *buf, size_t size);
int mos_topology_show_nodes(const struct mos_topology *topo, char *buf, size_t size);
int mos_topology_show_node_cpus(const struct mos_topology *topo, uint32_t node,
				char *buf, size_t size);
int mos_topology_show_node_distance(const struct mos_topology *topo, uint32_t node,
				    char *buf, size_t size);
int mos_topology_show_groups(const struct mos_topology *topo,
			     enum mos_topo_level level, char *buf, size_t size);
int mos_topology_show_caches(const struct mos_topology *topo, char *buf, size_t size);
int mos_topology_show_summary(const struct mos_topology *topo, char *buf, size_t size);

const char *mos_topology_level_name(enum mos_topo_level level);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_TOPOLOGY_H */
