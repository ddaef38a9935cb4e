// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/multios/numa: what each node holds and how its allocations went,
 * as numastat(8) shows them, from what a stock kernel exports: the node's
 * pglist_data (node_data[] is exported on every architecture we build)
 * and its zones' counters. The node distances are in
 * /proc/multios/topology (multios_core).
 *
 * In 6.1 the NUMA event counters live per CPU and are folded into the
 * zones only when something reads numastat, vmstat or zoneinfo
 * (fold_vm_numa_events(), not exported; the vmstat worker leaves them
 * alone). So each reading adds the CPUs' pending counts to the zones'
 * without folding them, as sum_zone_numa_event_state() plus the fold
 * would: the numbers are current whether or not anyone read numastat.
 */
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/vmstat.h>

#include "numa_shim.h"

struct node_counts {
	unsigned long present, free;
	unsigned long event[NR_VM_NUMA_EVENT_ITEMS];
};

/*
 * Every zone, populated or not: a zone emptied by memory offline keeps
 * the events it counted, and the kernel's numastat sums them too. Zones
 * never set up point at boot_zonestats, which is valid to read.
 */
static void node_counts_read(int nid, struct node_counts *c)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	struct per_cpu_zonestat *pcp;
	struct zone *zone;
	int i, cpu;

	memset(c, 0, sizeof(*c));
	c->present = pgdat->node_present_pages;
	for (zone = pgdat->node_zones; zone < pgdat->node_zones + MAX_NR_ZONES; zone++) {
		c->free += zone_page_state(zone, NR_FREE_PAGES);
		for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
			c->event[i] += zone_numa_event_state(zone, i);
		for_each_online_cpu(cpu) {
			pcp = per_cpu_ptr(zone->per_cpu_zonestats, cpu);
			for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
				c->event[i] += READ_ONCE(pcp->vm_numa_event[i]);
		}
	}
}

/*
 * One line per online node, no lock. The CPU column is the node's online
 * CPUs, as /sys/devices/system/node/nodeN/cpulist, or "-" for none, so
 * every line has every column. 0444, as numastat's sources are.
 */
static int numa_node_stats_show(struct seq_file *m, void *v)
{
	struct node_counts c;
	cpumask_var_t cpus;
	int nid;

	if (!alloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	seq_printf(m, "nodes: %u online, %u with memory, %u with CPUs\n",
		   num_online_nodes(), num_node_state(N_MEMORY), num_node_state(N_CPU));
	seq_puts(m, "node  memory cpus present_kb free_kb numa_hit numa_miss numa_foreign interleave_hit local_node other_node\n");
	for_each_online_node(nid) {
		node_counts_read(nid, &c);
		cpumask_and(cpus, cpumask_of_node(nid), cpu_online_mask);
		seq_printf(m, "node%d %s ", nid, node_state(nid, N_MEMORY) ? "yes" : "no");
		if (cpumask_empty(cpus))
			seq_puts(m, "-");
		else
			seq_printf(m, "%*pbl", cpumask_pr_args(cpus));
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu %lu\n",
			   c.present << (PAGE_SHIFT - 10), c.free << (PAGE_SHIFT - 10),
			   c.event[NUMA_HIT], c.event[NUMA_MISS], c.event[NUMA_FOREIGN],
			   c.event[NUMA_INTERLEAVE_HIT], c.event[NUMA_LOCAL],
			   c.event[NUMA_OTHER]);
	}
	free_cpumask_var(cpus);
	return 0;
}

static struct proc_dir_entry *numa_proc;

int multios_numa_node_stats_init(struct proc_dir_entry *dir)
{
	numa_proc = proc_create_single("numa", 0444, dir, numa_node_stats_show);
	return numa_proc ? 0 : -ENOMEM;
}

void multios_numa_node_stats_exit(void)
{
	proc_remove(numa_proc);
}
