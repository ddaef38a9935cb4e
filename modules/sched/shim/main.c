// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_sched: the policy of the multios scheduling class (a weighted
 * fair class and EDF with CBS and admission, in C++ under core/) plugged
 * into the kernel's class (kernel/sched/multios.c) through
 * struct multios_sched_ops. Needs multios_core and a kernel with
 * CONFIG_MULTIOS_SCHED.
 *
 * Loading registers the policy: every SCHED_MULTIOS task (and with
 * switch_all every SCHED_NORMAL/BATCH/IDLE one) joins the class.
 * Unloading unregisters it: the kernel moves every task back to CFS first.
 */
#include <linux/module.h>

#include "core.h"
#include "sched_shim.h"

static int __init multios_sched_init(void)
{
	int err;

	/* The domain tree first: the knobs show it and balance() reads it. */
	err = multios_sched_domains_init();
	if (err) {
		pr_err("multios: sched: cannot build the domain tree: %d\n", err);
		return err;
	}
	err = multios_sched_hotplug_init();
	if (err)
		goto domains;
	/* The knobs next: they work (and are remembered) before enable(). */
	err = multios_sched_knobs_init();
	if (err)
		goto hotplug;
	err = multios_sched_ops_register();
	if (err) {
		pr_err("multios: sched: cannot register the policy: %d\n", err);
		goto knobs;
	}
	err = multios_feature_add("sched");
	if (err)
		goto unregister;
	return 0;

unregister:
	multios_sched_ops_unregister();
knobs:
	multios_sched_knobs_exit();
hotplug:
	multios_sched_hotplug_exit();
domains:
	multios_sched_domains_exit();
	return err;
}

static void __exit multios_sched_exit(void)
{
	multios_feature_remove("sched");
	/* Every task is back in CFS and no CPU is in our code after this. */
	multios_sched_ops_unregister();
	multios_sched_knobs_exit();
	multios_sched_hotplug_exit();
	multios_sched_domains_exit();
}

module_init(multios_sched_init);
module_exit(multios_sched_exit);

MODULE_DESCRIPTION("MultiOS scheduler: fair and EDF policy of the multios class");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
