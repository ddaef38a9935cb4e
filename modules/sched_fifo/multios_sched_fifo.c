// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_sched_fifo: a per-CPU round-robin FIFO behind the multios
 * scheduling class, for testing the class's kernel side.
 *
 * The misbehave parameter makes it wrong on purpose (tests only):
 *   0  behave;
 *   1  never pick a task: the class watchdog must disable the class;
 *   2  pick a task that is not queued on that CPU: the class must catch
 *      the invalid pick and disable itself.
 */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched/multios.h>
#include <linux/sched/task.h>

struct fifo_task {
	struct list_head node;
	bool queued;
	bool running;
};

struct fifo_cpu {
	struct list_head queue;
};

static int misbehave;
module_param(misbehave, int, 0644);
MODULE_PARM_DESC(misbehave, "0: behave, 1: never pick, 2: pick an invalid task (tests)");

static struct fifo_cpu __percpu *fifo_cpus;

/* state (read-only) and switch_all, as multios_sched has them in sysfs. */
static int fifo_state_get(char *buf, const struct kernel_param *kp)
{
	return multios_state_show(buf);
}

static const struct kernel_param_ops fifo_state_ops = {
	.get = fifo_state_get,
};
module_param_cb(state, &fifo_state_ops, NULL, 0444);
MODULE_PARM_DESC(state, "state of the multios class");

static int fifo_switch_all_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	return ret ? ret : multios_set_switch_all(on);
}

static int fifo_switch_all_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", multios_switch_all());
}

static const struct kernel_param_ops fifo_switch_all_ops = {
	.set = fifo_switch_all_set,
	.get = fifo_switch_all_get,
};
module_param_cb(switch_all, &fifo_switch_all_ops, NULL, 0644);
MODULE_PARM_DESC(switch_all, "1: every SCHED_NORMAL/BATCH/IDLE task in the class");

static int fifo_watchdog_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret = kstrtouint(val, 0, &ms);

	return ret ? ret : multios_set_watchdog_timeout(ms);
}

static int fifo_watchdog_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", multios_watchdog_timeout());
}

static const struct kernel_param_ops fifo_watchdog_ops = {
	.set = fifo_watchdog_set,
	.get = fifo_watchdog_get,
};
module_param_cb(watchdog_timeout_ms, &fifo_watchdog_ops, NULL, 0644);
MODULE_PARM_DESC(watchdog_timeout_ms, "the class's watchdog timeout");

static int fifo_nr_tasks_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", multios_nr_tasks());
}

static const struct kernel_param_ops fifo_nr_tasks_ops = {
	.get = fifo_nr_tasks_get,
};
module_param_cb(nr_tasks, &fifo_nr_tasks_ops, NULL, 0444);
MODULE_PARM_DESC(nr_tasks, "tasks in the class");

static struct fifo_task *fifo_of(struct task_struct *p)
{
	BUILD_BUG_ON(sizeof(struct fifo_task) > MULTIOS_ENTITY_SIZE);
	return multios_task_storage(p);
}

static int fifo_enable(void)
{
	int cpu;

	fifo_cpus = alloc_percpu(struct fifo_cpu);
	if (!fifo_cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(&per_cpu_ptr(fifo_cpus, cpu)->queue);
	return 0;
}

/* Tasks may still point into the queues: they are not looked at. */
static void fifo_disable(void)
{
	free_percpu(fifo_cpus);
	fifo_cpus = NULL;
}

static void fifo_init_task(int cpu, struct task_struct *p, u64 now)
{
	struct fifo_task *ft = fifo_of(p);

	INIT_LIST_HEAD(&ft->node);
	ft->queued = false;
	ft->running = false;
}

static void fifo_set_params(int cpu, struct task_struct *p, u64 now) { }

static void fifo_set_nice(int cpu, struct task_struct *p, int nice, u64 now) { }

/* No EDF: every reservation is refused. */
static int fifo_admit(struct task_struct *p, const struct multios_edf_attr *old,
		      const struct multios_edf_attr *new)
{
	return new ? -EBUSY : 0;
}

/* Spread new tasks; a waking task stays where it ran (no balancing). */
static int fifo_select_cpu(struct task_struct *p, int prev_cpu, unsigned int flags)
{
	if (flags & MULTIOS_SELECT_FORK)
		return cpumask_any_distribute(p->cpus_ptr);
	return prev_cpu;
}

static void fifo_migrate(struct task_struct *p, int from_cpu, int to_cpu) { }

static void fifo_enqueue(int cpu, struct task_struct *p, unsigned int flags,
			 u64 now)
{
	struct fifo_task *ft = fifo_of(p);

	ft->queued = true;
	if (!ft->running)
		list_add_tail(&ft->node, &per_cpu_ptr(fifo_cpus, cpu)->queue);
}

static void fifo_dequeue(int cpu, struct task_struct *p, unsigned int flags,
			 u64 now)
{
	struct fifo_task *ft = fifo_of(p);

	ft->queued = false;
	list_del_init(&ft->node);
}

static struct task_struct *fifo_peek(int cpu, u64 now)
{
	struct fifo_cpu *fc = per_cpu_ptr(fifo_cpus, cpu);
	struct fifo_task *ft;

	switch (READ_ONCE(misbehave)) {
	case 1:
		return NULL;
	case 2:
		/* CPU 0's idle task is never in the class. */
		return &init_task;
	}
	ft = list_first_entry_or_null(&fc->queue, struct fifo_task, node);
	return ft ? multios_storage_task(ft) : NULL;
}

static void fifo_set_next(int cpu, struct task_struct *p, u64 now)
{
	struct fifo_task *ft = fifo_of(p);

	ft->running = true;
	list_del_init(&ft->node);
}

static void fifo_put_prev(int cpu, struct task_struct *p, u64 now)
{
	struct fifo_task *ft = fifo_of(p);

	ft->running = false;
	if (ft->queued)
		list_add_tail(&ft->node, &per_cpu_ptr(fifo_cpus, cpu)->queue);
}

static void fifo_update_curr(int cpu, u64 now) { }

/* Round robin at every tick when others wait. */
static bool fifo_tick(int cpu, u64 now)
{
	return !list_empty(&per_cpu_ptr(fifo_cpus, cpu)->queue);
}

static u64 fifo_next_event(int cpu)
{
	return U64_MAX;
}

static void fifo_yield(int cpu, u64 now) { }

static bool fifo_wakeup_preempt(int cpu, struct task_struct *p, u64 now)
{
	return false;
}

static struct multios_sched_ops fifo_ops = {
	.name		= "multios_sched_fifo",
	.enable		= fifo_enable,
	.disable	= fifo_disable,
	.init_task	= fifo_init_task,
	.set_params	= fifo_set_params,
	.set_nice	= fifo_set_nice,
	.admit		= fifo_admit,
	.select_cpu	= fifo_select_cpu,
	.migrate	= fifo_migrate,
	.enqueue	= fifo_enqueue,
	.dequeue	= fifo_dequeue,
	.peek		= fifo_peek,
	.set_next	= fifo_set_next,
	.put_prev	= fifo_put_prev,
	.update_curr	= fifo_update_curr,
	.tick		= fifo_tick,
	.next_event	= fifo_next_event,
	.yield		= fifo_yield,
	.wakeup_preempt	= fifo_wakeup_preempt,
};

static int __init fifo_init(void)
{
	return multios_register(&fifo_ops);
}

static void __exit fifo_exit(void)
{
	multios_unregister(&fifo_ops);
}

module_init(fifo_init);
module_exit(fifo_exit);
MODULE_DESCRIPTION("MultiOS scheduling class: round-robin FIFO test policy");
MODULE_LICENSE("GPL");
