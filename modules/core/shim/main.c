// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_core: the runtime every MultiOS module stands on, and the root
 * of its sysfs and procfs trees.
 *
 *   /sys/kernel/multios/version    the project version
 *   /sys/kernel/multios/features   what this kernel and the loaded
 *                                  modules provide, one word each
 *   /sys/kernel/multios/topology/  the machine as the modules see it
 *   /proc/multios/                 human-readable statistics
 *
 * Other modules hang their folders off multios_root_kobj() and
 * multios_proc_dir() and announce themselves with multios_feature_add().
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "core.h"

static struct kobject *root_kobj;
static struct proc_dir_entry *proc_dir;
static struct mos_topology *topology;

/* ---- features ------------------------------------------------------------- */

struct feature {
	struct list_head node;
	char name[32];
};

static DEFINE_MUTEX(features_lock);
static LIST_HEAD(features);	/* under features_lock */

/* What the kernel itself was built with; fixed for the module's lifetime. */
static const char *const builtin_features[] = {
	"cxx",
#ifdef CONFIG_MULTIOS
	"patched_kernel",
#endif
#ifdef CONFIG_NUMA
	"numa",
#endif
#ifdef CONFIG_HOTPLUG_CPU
	"cpu_hotplug",
#endif
#if IS_ENABLED(CONFIG_KUNIT)
	"kunit",
#endif
#ifdef CONFIG_PROVE_LOCKING
	"lockdep",
#endif
};

/* Called with features_lock held. */
static struct feature *feature_find(const char *name)
{
	struct feature *f;

	list_for_each_entry(f, &features, node) {
		if (!strcmp(f->name, name))
			return f;
	}
	return NULL;
}

/* A feature is one word of [a-z0-9_], listed once. */
int multios_feature_add(const char *name)
{
	struct feature *f;
	int err = 0;

	if (!name || !*name || strlen(name) >= sizeof(f->name) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
		return -EINVAL;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	strscpy(f->name, name, sizeof(f->name));
	mutex_lock(&features_lock);
	if (feature_find(name))
		err = -EEXIST;
	else
		list_add_tail(&f->node, &features);
	mutex_unlock(&features_lock);
	if (err)
		kfree(f);
	return err;
}
EXPORT_SYMBOL_GPL(multios_feature_add);

void multios_feature_remove(const char *name)
{
	struct feature *f;

	mutex_lock(&features_lock);
	f = feature_find(name);
	if (f)
		list_del(&f->node);
	mutex_unlock(&features_lock);
	kfree(f);
}
EXPORT_SYMBOL_GPL(multios_feature_remove);

static void features_free(void)
{
	struct feature *f, *tmp;

	mutex_lock(&features_lock);
	list_for_each_entry_safe(f, tmp, &features, node) {
		list_del(&f->node);
		kfree(f);
	}
	mutex_unlock(&features_lock);
}

/* ---- sysfs root ------------------------------------------------------------- */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", MULTIOS_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t features_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct feature *f;
	int len = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(builtin_features); i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "", builtin_features[i]);
	mutex_lock(&features_lock);
	list_for_each_entry(f, &features, node)
		len += sysfs_emit_at(buf, len, " %s", f->name);
	mutex_unlock(&features_lock);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static struct kobj_attribute features_attr = __ATTR_RO(features);

static struct attribute *root_attrs[] = { &version_attr.attr, &features_attr.attr, NULL };

static const struct attribute_group root_group = { .attrs = root_attrs };

struct kobject *multios_root_kobj(void)
{
	return root_kobj;
}
EXPORT_SYMBOL_GPL(multios_root_kobj);

struct proc_dir_entry *multios_proc_dir(void)
{
	return proc_dir;
}
EXPORT_SYMBOL_GPL(multios_proc_dir);

const struct mos_topology *multios_topology(void)
{
	return topology;
}
EXPORT_SYMBOL_GPL(multios_topology);

/* The first CPU of cpu's group at level (its node at MOS_TOPO_NODE), or < 0. */
int multios_cpu_group(unsigned int cpu, enum mos_topo_level level)
{
	return mos_topology_group_of(topology, cpu, level);
}
EXPORT_SYMBOL_GPL(multios_cpu_group);

/* ---- load and unload ------------------------------------------------------- */

static void log_loaded(void)
{
	char summary[128];

	if (mos_topology_show_summary(topology, summary, sizeof(summary)) < 0)
		strscpy(summary, "?\n", sizeof(summary));
	pr_info("multios: core %s loaded: %s", MULTIOS_VERSION, summary);
}

static int __init multios_core_init(void)
{
	int err;

	topology = multios_topology_probe();
	if (IS_ERR(topology)) {
		err = PTR_ERR(topology);
		pr_err("multios: cannot model this machine's topology: %d\n", err);
		return err;
	}
	root_kobj = kobject_create_and_add("multios", kernel_kobj);
	if (!root_kobj) {
		err = -ENOMEM;
		goto free_topology;
	}
	err = sysfs_create_group(root_kobj, &root_group);
	if (err)
		goto put_root;
	proc_dir = proc_mkdir("multios", NULL);
	if (!proc_dir) {
		err = -ENOMEM;
		goto remove_group;
	}
	err = multios_topology_sysfs_init(root_kobj, proc_dir, topology);
	if (err)
		goto remove_proc;
	log_loaded();
	return 0;

remove_proc:
	proc_remove(proc_dir);
remove_group:
	sysfs_remove_group(root_kobj, &root_group);
put_root:
	kobject_put(root_kobj);
free_topology:
	mos_topology_destroy(topology);
	return err;
}

static void __exit multios_core_exit(void)
{
	/* Readers first: nothing may reach the model once it is freed. */
	proc_remove(proc_dir);
	multios_topology_sysfs_exit();
	sysfs_remove_group(root_kobj, &root_group);
	kobject_put(root_kobj);
	features_free();
	mos_topology_destroy(topology);
	mos_runtime_exit();
	pr_info("multios: core unloaded\n");
}

module_init(multios_core_init);
module_exit(multios_core_exit);

MODULE_DESCRIPTION("MultiOS core: C++ runtime, topology model, /sys/kernel/multios");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MULTIOS_VERSION);
