// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read the machine's topology from the kernel into the C++ model.
 *
 * Only interfaces a stock (unpatched) 6.1 kernel exports to modules are
 * used, so multios_core loads on Debian's own kernel too:
 *   - SMT siblings and packages: topology_sibling_cpumask() and
 *     topology_core_cpumask();
 *   - caches: the cacheinfo devices under /sys/devices/system/cpu/cpuN/
 *     cache/indexM, whose driver data is the kernel's struct cacheinfo
 *     (get_cpu_cacheinfo() itself is not exported);
 *   - the cluster level is the group sharing the second-level cache and
 *     the LLC level the group sharing the highest-level cache, because
 *     x86 does not export its cluster and LLC masks; where the kernel
 *     reports no caches (riscv64 QEMU), cluster = SMT and LLC = package.
 * CPUs that are offline at load time are not described.
 */
#include <linux/cacheinfo.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/nodemask.h>
#include <linux/topology.h>

#include "core.h"

struct cache_walk {
	unsigned int cpu;
	unsigned int nr;
	struct mos_cache_desc leaves[MOS_TOPO_MAX_CACHES];
};

/* A group is named by its first online CPU; a CPU outside the mask is alone. */
static unsigned int first_online(const struct cpumask *mask, unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, mask))
		return cpu;
	return cpumask_first_and(mask, cpu_online_mask);
}

static u32 cache_type(enum cache_type type)
{
	switch (type) {
	case CACHE_TYPE_DATA:
		return MOS_CACHE_DATA;
	case CACHE_TYPE_INST:
		return MOS_CACHE_INST;
	default:
		return MOS_CACHE_UNIFIED;
	}
}

static int collect_cache_leaf(struct device *dev, void *data)
{
	struct cache_walk *walk = data;
	struct cacheinfo *leaf = dev_get_drvdata(dev);
	unsigned int shared;

	if (!leaf || leaf->type == CACHE_TYPE_NOCACHE || walk->nr == MOS_TOPO_MAX_CACHES)
		return 0;
	shared = cpumask_weight_and(&leaf->shared_cpu_map, cpu_online_mask);
	walk->leaves[walk->nr++] = (struct mos_cache_desc) {
		.level = leaf->level,
		.type = cache_type(leaf->type),
		.size_kb = leaf->size / 1024,
		.line_size = leaf->coherency_line_size,
		.ways = leaf->ways_of_associativity,
		.shared_first = first_online(&leaf->shared_cpu_map, walk->cpu),
		.shared_count = shared ? shared : 1,
	};
	return 0;
}

/* Fills walk->leaves from cpuN/cache/index*; none where the kernel has none. */
static void collect_caches(struct cache_walk *walk)
{
	struct device *cpu_dev = get_cpu_device(walk->cpu);
	struct device *cache_dev;

	if (!cpu_dev)
		return;
	cache_dev = device_find_child_by_name(cpu_dev, "cache");
	if (!cache_dev)
		return;
	device_for_each_child(cache_dev, walk, collect_cache_leaf);
	put_device(cache_dev);
}

/* The first CPU sharing the data or unified cache at `level`, or `fallback`. */
static u32 cache_group(const struct cache_walk *walk, unsigned int level, u32 fallback)
{
	unsigned int i;

	for (i = 0; i < walk->nr; i++) {
		if (walk->leaves[i].level == level && walk->leaves[i].type != MOS_CACHE_INST)
			return walk->leaves[i].shared_first;
	}
	return fallback;
}

static int describe_cpu(struct mos_topology *topo, unsigned int cpu)
{
	struct cache_walk walk = { .cpu = cpu };
	struct mos_cpu_desc desc = { .cpu = cpu, .node = cpu_to_node(cpu) };
	unsigned int i, llc_level = 0;
	int err;

	collect_caches(&walk);
	for (i = 0; i < walk.nr; i++) {
		if (walk.leaves[i].type != MOS_CACHE_INST)
			llc_level = max(llc_level, walk.leaves[i].level);
	}
	desc.first[MOS_TOPO_SMT] = first_online(topology_sibling_cpumask(cpu), cpu);
	desc.first[MOS_TOPO_PACKAGE] = first_online(topology_core_cpumask(cpu), cpu);
	desc.first[MOS_TOPO_CLUSTER] = cache_group(&walk, 2, desc.first[MOS_TOPO_SMT]);
	desc.first[MOS_TOPO_LLC] = cache_group(&walk, llc_level, desc.first[MOS_TOPO_PACKAGE]);

	err = mos_topology_add_cpu(topo, &desc);
	for (i = 0; !err && i < walk.nr; i++)
		err = mos_topology_add_cache(topo, cpu, &walk.leaves[i]);
	return err;
}

struct mos_topology *multios_topology_probe(void)
{
	struct mos_topology *topo;
	unsigned int cpu, from, to;
	int err = 0;

	cpus_read_lock();
	topo = mos_topology_create(nr_cpu_ids, nr_node_ids, MOS_GFP_KERNEL);
	if (!topo) {
		cpus_read_unlock();
		return ERR_PTR(-ENOMEM);
	}
	for_each_online_cpu(cpu) {
		err = describe_cpu(topo, cpu);
		if (err)
			goto fail;
	}
	for_each_online_node(from) {
		for_each_online_node(to) {
			err = mos_topology_set_distance(topo, from, to,
							node_distance(from, to));
			if (err)
				goto fail;
		}
	}
	err = mos_topology_finalize(topo);
	if (err)
		goto fail;
	cpus_read_unlock();
	return topo;
fail:
	cpus_read_unlock();
	mos_topology_destroy(topo);
	return ERR_PTR(err);
}
