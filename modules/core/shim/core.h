/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_core shim: what its C files share. Kernel C only.
 */
#ifndef MULTIOS_CORE_SHIM_H
#define MULTIOS_CORE_SHIM_H

#include <linux/kobject.h>
#include <linux/proc_fs.h>

#include <multios/topology.h>

#define MULTIOS_VERSION "0.1.0"

/* runtime.c: finish deferred work before the module goes. */
void mos_runtime_exit(void);

/* topology_probe.c: read the kernel's topology into the C++ model. */
struct mos_topology *multios_topology_probe(void);

/* topology_sysfs.c: /sys/kernel/multios/topology and /proc/multios/topology. */
int multios_topology_sysfs_init(struct kobject *root, struct proc_dir_entry *proc,
				const struct mos_topology *topo);
void multios_topology_sysfs_exit(void);

/* Exported to the other MultiOS modules (main.c). */
struct kobject *multios_root_kobj(void);
struct proc_dir_entry *multios_proc_dir(void);
const struct mos_topology *multios_topology(void);
int multios_cpu_group(unsigned int cpu, enum mos_topo_level level);
int multios_feature_add(const char *name);
void multios_feature_remove(const char *name);

#endif /* MULTIOS_CORE_SHIM_H */
