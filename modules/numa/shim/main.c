// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_numa: the NUMA memory policy engine. This first part needs no
 * kernel patch and shows what a stock kernel exports: per node, its
 * memory, CPUs and allocation counters (/proc/multios/numa). It announces
 * the feature "numa_stats". Policies for running processes, the 'auto'
 * balancing and migration need the MultiOS patches and come later
 * (Documentation/admin-guide/multios-numa.rst).
 */
#include <linux/module.h>

#include "core.h"
#include "numa_shim.h"

static int __init multios_numa_init(void)
{
	int err;

	err = multios_numa_node_stats_init(multios_proc_dir());
	if (err)
		return err;
	err = multios_feature_add("numa_stats");
	if (err) {
		multios_numa_node_stats_exit();
		return err;
	}
	return 0;
}

static void __exit multios_numa_exit(void)
{
	multios_feature_remove("numa_stats");
	multios_numa_node_stats_exit();
}

module_init(multios_numa_init);
module_exit(multios_numa_exit);

MODULE_DESCRIPTION("MultiOS NUMA memory policy engine (statistics)");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
