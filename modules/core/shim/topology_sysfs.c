// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/multios/topology/ (one value per file) and
 * /proc/multios/topology (the same, as one human-readable page).
 * The text comes from the C++ model; this file only routes it.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "core.h"

static const struct mos_topology *topo;
static struct kobject *topology_kobj;
static struct kobject **node_kobjs;
static unsigned int nr_node_kobjs;

/* sysfs gives show() one page; the model returns -E2BIG rather than cut. */
#define SHOW(name, call)						\
static ssize_t name##_show(struct kobject *kobj, struct kobj_attribute *attr, \
			   char *buf)					\
{									\
	return call;							\
}									\
									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

SHOW(cpus, mos_topology_show_cpus(topo, buf, PAGE_SIZE));
SHOW(nodes, mos_topology_show_nodes(topo, buf, PAGE_SIZE));
SHOW(smt, mos_topology_show_groups(topo, MOS_TOPO_SMT, buf, PAGE_SIZE));
SHOW(cluster, mos_topology_show_groups(topo, MOS_TOPO_CLUSTER, buf, PAGE_SIZE));
SHOW(llc, mos_topology_show_groups(topo, MOS_TOPO_LLC, buf, PAGE_SIZE));
SHOW(package, mos_topology_show_groups(topo, MOS_TOPO_PACKAGE, buf, PAGE_SIZE));

static ssize_t caches_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return mos_topology_show_caches(topo, buf, PAGE_SIZE);
}

static struct kobj_attribute caches_attr = __ATTR_RO(caches);

static struct attribute *topology_attrs[] = {
	&cpus_attr.attr, &nodes_attr.attr, &smt_attr.attr, &cluster_attr.attr,
	&llc_attr.attr, &package_attr.attr, &caches_attr.attr, NULL,
};

static const struct attribute_group topology_group = { .attrs = topology_attrs };

/*
 * node<N>/cpulist and node<N>/distance for each node with CPUs, named like
 * /sys/devices/system/node; memory-only nodes are the NUMA engine's.
 */
static int node_of(struct kobject *kobj, unsigned int *node)
{
	return kstrtouint(kobject_name(kobj) + strlen("node"), 10, node);
}

static ssize_t cpulist_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int node;
	int err = node_of(kobj, &node);

	return err ? err : mos_topology_show_node_cpus(topo, node, buf, PAGE_SIZE);
}

static struct kobj_attribute cpulist_attr = __ATTR_RO(cpulist);

static ssize_t distance_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int node;
	int err = node_of(kobj, &node);

	return err ? err : mos_topology_show_node_distance(topo, node, buf, PAGE_SIZE);
}

static struct kobj_attribute distance_attr = __ATTR_RO(distance);

static struct attribute *node_attrs[] = { &cpulist_attr.attr, &distance_attr.attr, NULL };

static const struct attribute_group node_group = { .attrs = node_attrs };

static void remove_node_dirs(void)
{
	unsigned int i;

	for (i = 0; i < nr_node_kobjs; i++) {
		if (node_kobjs[i]) {
			sysfs_remove_group(node_kobjs[i], &node_group);
			kobject_put(node_kobjs[i]);
		}
	}
	kfree(node_kobjs);
	node_kobjs = NULL;
	nr_node_kobjs = 0;
}

static int add_node_dirs(void)
{
	unsigned int node;
	char name[16];
	int err;

	node_kobjs = kcalloc(nr_node_ids, sizeof(*node_kobjs), GFP_KERNEL);
	if (!node_kobjs)
		return -ENOMEM;
	nr_node_kobjs = nr_node_ids;
	for (node = 0; node < nr_node_ids; node++) {
		if (!mos_topology_node_has_cpus(topo, node))
			continue;
		snprintf(name, sizeof(name), "node%u", node);
		node_kobjs[node] = kobject_create_and_add(name, topology_kobj);
		if (!node_kobjs[node])
			return -ENOMEM;
		err = sysfs_create_group(node_kobjs[node], &node_group);
		if (err) {
			kobject_put(node_kobjs[node]);
			node_kobjs[node] = NULL;
			return err;
		}
	}
	return 0;
}

/* The whole topology as one page of text, for people. */
static int topology_proc_show(struct seq_file *m, void *v)
{
	static const enum mos_topo_level levels[] = {
		MOS_TOPO_SMT, MOS_TOPO_CLUSTER, MOS_TOPO_LLC, MOS_TOPO_PACKAGE, MOS_TOPO_NODE,
	};
	const size_t size = 64 * 1024;
	unsigned int i, node;
	char *buf;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (mos_topology_show_summary(topo, buf, size) > 0)
		seq_puts(m, buf);
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		if (mos_topology_show_groups(topo, levels[i], buf, size) > 0)
			seq_printf(m, "%-8s %s", mos_topology_level_name(levels[i]), buf);
	}
	seq_puts(m, "distance:\n");
	for (node = 0; node < nr_node_ids; node++) {
		if (mos_topology_node_has_cpus(topo, node) &&
		    mos_topology_show_node_distance(topo, node, buf, size) > 0)
			seq_printf(m, "  node%-3u %s", node, buf);
	}
	seq_puts(m, "caches:\n");
	if (mos_topology_show_caches(topo, buf, size) > 0)
		seq_puts(m, buf);
	kvfree(buf);
	return 0;
}

int multios_topology_sysfs_init(struct kobject *root, struct proc_dir_entry *proc,
				const struct mos_topology *model)
{
	int err;

	topo = model;
	topology_kobj = kobject_create_and_add("topology", root);
	if (!topology_kobj)
		return -ENOMEM;
	err = sysfs_create_group(topology_kobj, &topology_group);
	if (err)
		goto put_kobj;
	err = add_node_dirs();
	if (err)
		goto remove_nodes;
	if (!proc_create_single("topology", 0444, proc, topology_proc_show)) {
		err = -ENOMEM;
		goto remove_nodes;
	}
	return 0;

remove_nodes:
	remove_node_dirs();
	sysfs_remove_group(topology_kobj, &topology_group);
put_kobj:
	kobject_put(topology_kobj);
	topology_kobj = NULL;
	return err;
}

void multios_topology_sysfs_exit(void)
{
	remove_node_dirs();
	sysfs_remove_group(topology_kobj, &topology_group);
	kobject_put(topology_kobj);
	topology_kobj = NULL;
}
