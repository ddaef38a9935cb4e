// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/multios/sched/ (one value per file) and /proc/multios/sched
 * (per-CPU statistics). Every store parses and validates first, then
 * changes state; a bad value is -EINVAL and changes nothing.
 *
 *   state               the class: disabled, enabled, ... or "error: why"
 *   switch_all          1: every SCHED_NORMAL/BATCH/IDLE task in the class
 *   unprivileged        1: entering SCHED_MULTIOS needs no CAP_SYS_NICE
 *   watchdog_timeout_ms a class task waiting this long while its CPU runs
 *                       other class tasks goes to CFS; one waiting while
 *                       the class runs nothing there disables the class;
 *                       not below twice an admitted EDF period (EBUSY)
 *   edf_util_cap        percent of each CPU admitted EDF tasks may reserve
 *   slice_us            a nice-0 task's share of one scheduling round
 *   debug_stop_picking  tests only: 1 makes the policy pick nothing
 *   balance_algorithm   load, numa, cache or learned: how balance() picks a source
 *   imbalance_pct       how much busier a source must be (CFS: 117)
 *   power_mode          performance, balanced or powersave
 *   domain_size         most children per domain; a change rebuilds the tree
 *   test_fault          tests only, with test_hooks=1: inject a fault (below)
 *
 * /proc/multios/sched (statistics) and /proc/multios/sched_domains (the
 * domain tree, domains.c) are root-only: a read takes every CPU's rq lock
 * or allocates up to 16 MiB, not something every user may make a CPU do
 * in a loop.
 */
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/sched/multios.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include <multios/sched_domains.h>

#include "core.h"
#include "sched_shim.h"

static bool test_hooks;
module_param(test_hooks, bool, 0444);
MODULE_PARM_DESC(test_hooks, "Tests only: add /sys/kernel/multios/sched/test_fault (default 0)");

static struct kobject *sched_kobj;
static struct proc_dir_entry *sched_proc;
static struct proc_dir_entry *domains_proc;

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return multios_state_show(buf);
}

static ssize_t switch_all_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n", multios_switch_all());
}

/* A 0/1 knob applied by the kernel's setter: EINVAL for anything else. */
static ssize_t store_switch(const char *buf, size_t count, int (*set)(bool on))
{
	unsigned int on;
	int err = kstrtouint(buf, 10, &on);

	if (err || on > 1)
		return -EINVAL;
	err = set(on);
	return err ?: count;
}

static ssize_t switch_all_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	return store_switch(buf, count, multios_set_switch_all);
}

/* The kernel's setting (patch 0014): closed again whenever the class is disabled. */
static ssize_t unprivileged_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%d\n", multios_unprivileged());
}

static ssize_t unprivileged_store(struct kobject *kobj, struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return store_switch(buf, count, multios_set_unprivileged);
}

static ssize_t watchdog_timeout_ms_show(struct kobject *kobj, struct kobj_attribute *attr,
					char *buf)
{
	return sysfs_emit(buf, "%u\n", multios_watchdog_timeout());
}

/* A decimal value handed to set(), which says whether it is in range. */
static ssize_t store_uint(const char *buf, size_t count, int (*set)(unsigned int))
{
	unsigned int value;

	if (kstrtouint(buf, 10, &value))
		return -EINVAL;
	return set(value) ?: count;
}

static ssize_t watchdog_timeout_ms_store(struct kobject *kobj, struct kobj_attribute *attr,
					 const char *buf, size_t count)
{
	return store_uint(buf, count, multios_set_watchdog_timeout);
}

static ssize_t edf_util_cap_show(struct kobject *kobj, struct kobj_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(multios_sched_edf_cap));
}

/* -EBUSY below what is admitted now. */
static ssize_t edf_util_cap_store(struct kobject *kobj, struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	unsigned int cap;
	int err = kstrtouint(buf, 10, &cap);

	if (err || cap < 1 || cap > 100)
		return -EINVAL;
	mutex_lock(&multios_sched_lock);
	if (multios_sched_adm)
		err = mos_sched_admission_set_cap(multios_sched_adm, cap);
	if (!err)
		WRITE_ONCE(multios_sched_edf_cap, cap);
	mutex_unlock(&multios_sched_lock);
	return err ?: count;
}

static ssize_t slice_us_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(multios_sched_slice_us));
}

/* Run under that CPU's rq lock by multios_call_locked(). */
static void set_slice_locked(int cpu, u64 now, void *arg)
{
	mos_sched_rq_set_slice_us(multios_sched_cpus[cpu].rq, *(unsigned int *)arg);
}

static ssize_t slice_us_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int us;
	int cpu;

	if (kstrtouint(buf, 10, &us) || mos_sched_slice_us_check(us))
		return -EINVAL;
	mutex_lock(&multios_sched_lock);
	WRITE_ONCE(multios_sched_slice_us, us);
	if (multios_sched_cpus) {
		for_each_possible_cpu(cpu)
			multios_call_locked(cpu, set_slice_locked, &us);
	}
	mutex_unlock(&multios_sched_lock);
	return count;
}

static ssize_t debug_stop_picking_show(struct kobject *kobj, struct kobj_attribute *attr,
				       char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(multios_sched_stop_picking));
}

static ssize_t debug_stop_picking_store(struct kobject *kobj, struct kobj_attribute *attr,
					const char *buf, size_t count)
{
	unsigned int on;

	if (kstrtouint(buf, 10, &on) || on > 1)
		return -EINVAL;
	WRITE_ONCE(multios_sched_stop_picking, on);
	return count;
}

/*
 * test_fault (only with test_hooks=1): arms a fault in the class's
 * callbacks (ops.c), for the tests of the kernel's error path:
 *   "pick" or "pick CPU"  the next peek (on CPU, or any) names a task the
 *                         kernel rejects: "invalid pick on CPU N"
 *   "stall CPU"           peek hides every task on CPU until "none": the
 *                         watchdog's "runnable task stall"
 *   "warn"                the next tick fails a MOS_WARN_ON (warn.c)
 *   "none"                disarms
 * A new fault replaces the armed one.
 */
static int parse_test_fault(const char *buf)
{
	char copy[32], *rest, *word;
	unsigned int cpu_nr;
	int cpu = -1;

	/* A word and an optional CPU number (kstrtouint: no wrap, no trailer). */
	if (strscpy(copy, buf, sizeof(copy)) < 0)
		return -EINVAL;
	rest = strim(copy);
	word = strsep(&rest, " ");
	if (rest) {
		rest = skip_spaces(rest);
		if (kstrtouint(rest, 10, &cpu_nr) || cpu_nr >= nr_cpu_ids ||
		    !cpu_possible(cpu_nr))
			return -EINVAL;
		cpu = cpu_nr;
	}
	if (!strcmp(word, "none") && cpu < 0)
		return MULTIOS_TEST_NONE;
	if (!strcmp(word, "warn") && cpu < 0)
		return MULTIOS_TEST_FAULT(MULTIOS_TEST_WARN, -1);
	if (!strcmp(word, "pick"))
		return MULTIOS_TEST_FAULT(MULTIOS_TEST_PICK, cpu);
	if (!strcmp(word, "stall") && cpu >= 0)
		return MULTIOS_TEST_FAULT(MULTIOS_TEST_STALL, cpu);
	return -EINVAL;
}

static ssize_t test_fault_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	int fault = parse_test_fault(buf);

	if (fault < 0)
		return fault;
	atomic_set(&multios_sched_test_fault, fault);
	return count;
}

/* ---- the domain tree's knobs (domains.c) ---------------------------------- */

/*
 * balance_algorithm, power_mode and imbalance_pct: each a u32 field of
 * struct mos_sd_policy, a word (name/parse) or a number (NULL).
 */
struct policy_attr {
	struct kobj_attribute attr;
	size_t offset;
	const char *(*name)(u32 value);
	int (*parse)(const char *buf, size_t len);
};

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	const struct policy_attr *pa = container_of(attr, struct policy_attr, attr);
	struct mos_sd_policy p;
	u32 value;

	multios_sched_get_policy(&p);
	value = *(const u32 *)((const char *)&p + pa->offset);
	if (pa->name)
		return sysfs_emit(buf, "%s\n", pa->name(value));
	return sysfs_emit(buf, "%u\n", value);
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	const struct policy_attr *pa = container_of(attr, struct policy_attr, attr);
	unsigned int value;
	int parsed;

	if (pa->parse) {
		parsed = pa->parse(buf, count);
		if (parsed < 0)
			return -EINVAL;
		value = parsed;
	} else if (kstrtouint(buf, 10, &value)) {
		return -EINVAL;
	}
	return multios_sched_set_policy(pa->offset, value) ?: count;
}

#define POLICY_ATTR(_name, _field, _word, _parse)				\
	static struct policy_attr _name##_attr = {				\
		.attr = __ATTR(_name, 0644, policy_show, policy_store),		\
		.offset = offsetof(struct mos_sd_policy, _field),		\
		.name = _word,							\
		.parse = _parse,						\
	}

POLICY_ATTR(balance_algorithm, algo, mos_sd_algo_name, mos_sd_algo_parse);
POLICY_ATTR(power_mode, power_mode, mos_sd_power_mode_name, mos_sd_power_mode_parse);
POLICY_ATTR(imbalance_pct, imbalance_pct, NULL, NULL);

static ssize_t domain_size_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%u\n", multios_sched_domain_size());
}

/* A rebuild: -ENOMEM keeps the old tree. */
static ssize_t domain_size_store(struct kobject *kobj, struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	return store_uint(buf, count, multios_sched_set_domain_size);
}

static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute switch_all_attr = __ATTR_RW(switch_all);
static struct kobj_attribute unprivileged_attr = __ATTR_RW(unprivileged);
static struct kobj_attribute watchdog_timeout_ms_attr = __ATTR_RW(watchdog_timeout_ms);
static struct kobj_attribute edf_util_cap_attr = __ATTR_RW(edf_util_cap);
static struct kobj_attribute slice_us_attr = __ATTR_RW(slice_us);
static struct kobj_attribute debug_stop_picking_attr = __ATTR_RW_MODE(debug_stop_picking, 0600);
static struct kobj_attribute domain_size_attr = __ATTR_RW(domain_size);
static struct kobj_attribute test_fault_attr = __ATTR_WO(test_fault);

static struct attribute *sched_attrs[] = {
	&state_attr.attr, &switch_all_attr.attr, &unprivileged_attr.attr,
	&watchdog_timeout_ms_attr.attr,
	&edf_util_cap_attr.attr, &slice_us_attr.attr, &debug_stop_picking_attr.attr,
	&balance_algorithm_attr.attr.attr, &power_mode_attr.attr.attr,
	&imbalance_pct_attr.attr.attr, &domain_size_attr.attr, &test_fault_attr.attr, NULL,
};

/* test_fault exists only when the module was loaded with test_hooks=1. */
static umode_t sched_attr_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	if (attr == &test_fault_attr.attr && !test_hooks)
		return 0;
	return attr->mode;
}

static const struct attribute_group sched_group = {
	.attrs = sched_attrs,
	.is_visible = sched_attr_visible,
};

/* ---- /proc/multios/sched ------------------------------------------------- */

struct cpu_stats {
	struct mos_sched_rq_stats rq;
	u64 balance_calls;
	u64 balance_ns;
};

static void get_stats_locked(int cpu, u64 now, void *arg)
{
	const struct multios_sched_cpu *c = &multios_sched_cpus[cpu];
	struct cpu_stats *s = arg;

	mos_sched_rq_get_stats(c->rq, &s->rq);
	s->balance_calls = c->balance_calls;
	s->balance_ns = c->balance_ns;
}

/* A bandwidth (1 << 20 = one CPU) as a percentage with two decimals. */
static void seq_put_bw(struct seq_file *m, const char *sep, u64 bw)
{
	u64 hundredths = (bw * 10000) >> MOS_SCHED_BW_SHIFT;

	seq_printf(m, "%s%llu.%02llu", sep, hundredths / 100, hundredths % 100);
}

static int sched_proc_show(struct seq_file *m, void *v)
{
	/* multios_state_show() is sysfs_emit(): it wants a whole page. */
	char *state = (char *)get_zeroed_page(GFP_KERNEL);
	struct cpu_stats s;
	int cpu;

	if (!state)
		return -ENOMEM;
	multios_state_show(state);
	seq_printf(m, "state: %s", state);
	free_page((unsigned long)state);
	seq_printf(m, "nr_tasks: %u\n", multios_nr_tasks());
	/* Their cgroup limits their CPU: kept in CFS (patch 0015). */
	seq_printf(m, "cgroup_limited: %u\n", multios_nr_cgroup_limited());
	/* Since the last enable; the first one disabled the class (warn.c). */
	seq_printf(m, "invariant_failures: %lu\n", multios_sched_invariant_failures());
	/*
	 * The watchdog's local remedies (patch 0017), since the class was
	 * registered: tasks moved to CFS after waiting a timeout on a CPU
	 * busy with other class tasks, and the turns CFS's floor handed CFS
	 * behind the class's ordinary tasks.
	 */
	seq_printf(m, "starved_to_cfs: %lu\n", multios_nr_starved_to_cfs());
	seq_printf(m, "cfs_boosts: %lu\n", multios_nr_cfs_boosts());
	mutex_lock(&multios_sched_lock);
	if (!multios_sched_cpus) {
		mutex_unlock(&multios_sched_lock);
		return 0;
	}
	seq_puts(m, "edf_admitted_util_pct: ");
	seq_put_bw(m, "", mos_sched_admission_total_bw(multios_sched_adm));
	seq_printf(m, " of %u CPUs, cap %u%% each\n", num_online_cpus(),
		   mos_sched_admission_cap(multios_sched_adm));
	multios_sched_domains_model_show(m);
	seq_puts(m, "cpu nr_fair nr_edf throttled switches migrations edf_util_pct edf_misses balance_calls balance_ns\n");
	for_each_possible_cpu(cpu) {
		if (multios_call_locked(cpu, get_stats_locked, &s))
			continue;
		seq_printf(m, "%d %u %u %u %llu %llu", cpu, s.rq.nr_fair, s.rq.nr_edf,
			   s.rq.nr_edf_throttled, s.rq.nr_switches, s.rq.nr_migrations);
		seq_put_bw(m, " ", s.rq.edf_running_bw);
		seq_printf(m, " %llu %llu %llu\n", s.rq.edf_misses, s.balance_calls,
			   s.balance_ns);
	}
	mutex_unlock(&multios_sched_lock);
	return 0;
}

static int domains_proc_show(struct seq_file *m, void *v)
{
	return multios_sched_domains_show(m);
}

int multios_sched_knobs_init(void)
{
	int err;

	sched_kobj = kobject_create_and_add("sched", multios_root_kobj());
	if (!sched_kobj)
		return -ENOMEM;
	err = sysfs_create_group(sched_kobj, &sched_group);
	if (err)
		goto put;
	/* Root only: a read takes every rq lock (see the top of this file). */
	sched_proc = proc_create_single("sched", 0400, multios_proc_dir(), sched_proc_show);
	if (!sched_proc) {
		err = -ENOMEM;
		goto remove;
	}
	/* Root only: a read may allocate up to 16 MiB. */
	domains_proc = proc_create_single("sched_domains", 0400, multios_proc_dir(),
					  domains_proc_show);
	if (!domains_proc) {
		err = -ENOMEM;
		goto proc;
	}
	return 0;

proc:
	proc_remove(sched_proc);
remove:
	sysfs_remove_group(sched_kobj, &sched_group);
put:
	kobject_put(sched_kobj);
	return err;
}

void multios_sched_knobs_exit(void)
{
	proc_remove(domains_proc);
	proc_remove(sched_proc);
	sysfs_remove_group(sched_kobj, &sched_group);
	kobject_put(sched_kobj);
}
