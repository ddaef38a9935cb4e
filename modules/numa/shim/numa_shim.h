/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_numa shim: what its C files share. Kernel C only.
 */
#ifndef MULTIOS_NUMA_SHIM_H
#define MULTIOS_NUMA_SHIM_H

struct proc_dir_entry;

/* node_stats.c: /proc/multios/numa. */
int multios_numa_node_stats_init(struct proc_dir_entry *dir);
void multios_numa_node_stats_exit(void);

#endif /* MULTIOS_NUMA_SHIM_H */
