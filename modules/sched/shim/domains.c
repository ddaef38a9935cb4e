// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling-domain tree (include/multios/sched_domains.h) in the
 * kernel: built from multios_core's topology at load, published with RCU,
 * fed with each CPU's queue length by the class's callbacks and asked by
 * balance() which CPU to pull from.
 *
 * Readers (enqueue, dequeue, tick, balance: a run-queue lock held, IRQs
 * off) only rcu_dereference() the tree; they never sleep or allocate.
 * The writer (module load, a domain_size store) builds a whole new tree
 * with GFP_KERNEL under domains_lock, a mutex no reader takes, seeds it
 * with the old tree's statistics, publishes it with rcu_assign_pointer()
 * and frees the old one after synchronize_rcu(). The dump holds
 * domains_lock too, so the tree it prints cannot be freed under it.
 *
 * The tree covers the CPUs online at its build. A CPU going on- or
 * offline queues rebuild_work (hotplug.c): the hot-plug callbacks run
 * with the hot-plug lock held, which build_tree() takes for reading, so
 * the rebuild runs after the hot-plug operation ends. Until then a CPU just
 * plugged in pulls nothing and is not pulled from, and a decision may
 * name a CPU that just left; the kernel's pull checks cpu_online() and
 * the source's queue anyway.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/mempolicy.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/multios.h>
#include <linux/sched/topology.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/workqueue.h>

#include <multios/sched_domains.h>

#include "core.h"
#include "sched_shim.h"

static DEFINE_MUTEX(domains_lock);
static struct mos_sched_domains __rcu *domains;
/* Under domains_lock: what the current tree was built with. */
static struct mos_sd_build_params build_params;
/* Read field by field by balance(); each field is checked on its own. */
static struct mos_sd_policy policy;

/* One CPU as multios_core modelled it; the kernel's word for a CPU it did not. */
static void describe_cpu(unsigned int cpu, struct mos_cpu_desc *desc)
{
	static const enum mos_topo_level levels[] = {
		MOS_TOPO_SMT, MOS_TOPO_CLUSTER, MOS_TOPO_LLC, MOS_TOPO_PACKAGE,
	};
	int i, group, node = multios_cpu_group(cpu, MOS_TOPO_NODE);

	desc->cpu = cpu;
	desc->node = node >= 0 ? node : cpu_to_node(cpu);
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		group = multios_cpu_group(cpu, levels[i]);
		desc->first[levels[i]] = group >= 0 ? group : cpu;
	}
}

/* The kernel's SLIT, LOCAL_DISTANCE on the diagonal and at least that elsewhere. */
static void describe_distances(u32 *distance, unsigned int nr_nodes)
{
	unsigned int from, to;

	for (from = 0; from < nr_nodes; from++) {
		for (to = 0; to < nr_nodes; to++) {
			distance[from * nr_nodes + to] = from == to ? MOS_TOPO_LOCAL_DISTANCE :
				max_t(u32, node_distance(from, to), MOS_TOPO_LOCAL_DISTANCE);
		}
	}
}

/* Process context, may sleep: a tree over the online CPUs, or an errno. */
static int build_tree(const struct mos_sd_build_params *params,
		      struct mos_sched_domains **out)
{
	unsigned int cpu, nr = 0, nr_nodes = nr_node_ids;
	struct mos_cpu_desc *cpus;
	u32 *distance;
	int err = -ENOMEM;

	cpus_read_lock();
	cpus = kvmalloc_array(num_online_cpus(), sizeof(*cpus), GFP_KERNEL);
	distance = kvmalloc_array(nr_nodes * nr_nodes, sizeof(*distance), GFP_KERNEL);
	if (!cpus || !distance)
		goto out;
	for_each_online_cpu(cpu)
		describe_cpu(cpu, &cpus[nr++]);
	describe_distances(distance, nr_nodes);
	err = mos_sched_domains_build(cpus, nr, distance, nr_nodes, params,
				      MOS_GFP_KERNEL, out);
out:
	cpus_read_unlock();
	kvfree(distance);
	kvfree(cpus);
	return err;
}

/* domains_lock held: build with params, swap in, free the old tree. */
static int rebuild_locked(const struct mos_sd_build_params *params)
{
	struct mos_sched_domains *new, *old;
	int err = build_tree(params, &new);

	if (err)
		return err;
	old = rcu_dereference_protected(domains, lockdep_is_held(&domains_lock));
	if (old)
		mos_sched_domains_copy_stats(new, old, local_clock());
	rcu_assign_pointer(domains, new);
	build_params = *params;
	synchronize_rcu();
	mos_sched_domains_destroy(old);
	/* Every update from here on lands in the new tree: fill in what the copy missed. */
	multios_sched_record_all_stats();
	return 0;
}

/* After a hot-plug operation: the same parameters over the CPUs online now. */
static void rebuild_workfn(struct work_struct *work)
{
	int err;

	mutex_lock(&domains_lock);
	err = rebuild_locked(&build_params);
	mutex_unlock(&domains_lock);
	if (err)
		pr_warn("multios: sched: domain tree not rebuilt after CPU hot-plug: %d\n", err);
}

static DECLARE_WORK(rebuild_work, rebuild_workfn);

/* From the hot-plug callbacks (the hot-plug lock held): rebuild once it is dropped. */
void multios_sched_domains_changed(void)
{
	schedule_work(&rebuild_work);
}

int multios_sched_domains_init(void)
{
	struct mos_sd_build_params params;
	int err;

	mos_sd_build_params_default(&params);
	mos_sd_policy_default(&policy);
	mutex_lock(&domains_lock);
	err = rebuild_locked(&params);
	mutex_unlock(&domains_lock);
	return err;
}

/* No reader is left: the class's callbacks, the knobs and hotplug.c are gone. */
void multios_sched_domains_exit(void)
{
	cancel_work_sync(&rebuild_work);
	mos_sched_domains_destroy(rcu_dereference_protected(domains, true));
	RCU_INIT_POINTER(domains, NULL);
}

/* ---- the class's callbacks (rq lock held, IRQs off) ---------------------- */

/*
 * cpu's rq lock held. The load is the sum of the queued ordinary tasks'
 * weights (nice 0 = 1024, as CFS's load) plus 1024 per runnable EDF task
 * (mos_sched_rq_load()); EDF bandwidth is also taken off the CPU's
 * capacity, and nr_running counts every task. The capacity is the
 * arch's (arch_scale_cpu_capacity(): 1024 on x86 and on symmetric
 * arm64/riscv64, less on a little core) less the thermal pressure the
 * cooling code sets (arm64; x86 and riscv64 have none in 6.1). CFS
 * takes off a PELT average of the pressure (thermal_load_avg()); the
 * instant value is used here, as of the CPU's last enqueue, dequeue or
 * class tick (an idle CPU keeps the value it went idle with). The
 * per-CPU variable is exported by the series' arch_topology patch.
 *
 * The time is local_clock(), not the caller's rq_clock_task(): the tree's
 * summaries are shared between CPUs and fall due by one clock, and
 * rq_clock_task() leaves out IRQ and steal time (IRQ_TIME_ACCOUNTING,
 * PARAVIRT_TIME_ACCOUNTING), so it runs behind other clocks by however
 * much of that a CPU has seen. The rebuild's copy of the statistics uses
 * local_clock() as well.
 */
static u32 capacity_of(int cpu)
{
	unsigned long max = arch_scale_cpu_capacity(cpu);
	unsigned long pressure = arch_scale_thermal_pressure(cpu);

	/* At least 1: the tree divides by it and a CPU never has none. */
	return clamp_t(unsigned long, pressure < max ? max - pressure : 1, 1,
		       MOS_SD_CAPACITY_SCALE);
}

void multios_sched_domains_update(int cpu, const struct multios_sched_cpu *c)
{
	struct mos_sd_cpu_stats stats = {
		.load = mos_sched_rq_load(c->rq),
		.nr_running = c->nr_queued,
		.capacity = capacity_of(cpu),
		.edf_util = min_t(u64, c->edf_bw >> (MOS_SCHED_BW_SHIFT - 10),
				  MOS_SD_CAPACITY_SCALE),
	};
	struct mos_sched_domains *sd;

	rcu_read_lock();
	sd = rcu_dereference(domains);
	/* -EINVAL for a CPU the tree does not hold: nothing to record. */
	if (sd)
		mos_sched_domains_update_cpu(sd, cpu, &stats, local_clock());
	rcu_read_unlock();
}

static void policy_snapshot(struct mos_sd_policy *p)
{
	p->algo = READ_ONCE(policy.algo);
	p->power_mode = READ_ONCE(policy.power_mode);
	p->imbalance_pct = READ_ONCE(policy.imbalance_pct);
	p->reserved = 0;
	p->migration_cost_ns = READ_ONCE(policy.migration_cost_ns);
}

/*
 * RCU read lock held: the source the tree names for cpu at level, or -1.
 * whole_task: only if the imbalance is at least the source's average
 * task load. A pull moves one whole task, so from a busy CPU a smaller
 * imbalance would trade one back and forth (3 against 2, every interval;
 * the kernel's detach_tasks() likewise skips a task heavier than the
 * imbalance). An idle CPU takes any: running beats waiting.
 */
static int level_source(const struct mos_sched_domains *sd, int cpu, int level,
			const struct mos_sd_policy *p, bool whole_task)
{
	struct mos_sd_group_stats src;
	struct mos_sd_imbalance imb;

	if (mos_sched_domains_find_busiest(sd, cpu, level, p, &imb) != 1 || imb.src_cpu == cpu)
		return -1;
	if (whole_task && (mos_sched_domains_group_stats(sd, imb.src_cpu, -1, &src) ||
			   !src.nr_running || imb.load * src.nr_running < src.load))
		return -1;
	return imb.src_cpu;
}

/*
 * A busy CPU balances each domain this many times less often than an idle
 * one would: the kernel's sd->busy_factor (16 in 6.1).
 */
#define BUSY_FACTOR	16

/*
 * cpu's rq lock held: the CPU to pull from, or -1. Smallest domain first,
 * as the kernel's load_balance() walks up: a neighbour sharing a cache
 * wins over a busier CPU farther away.
 *
 * next_balance NULL: cpu has nothing of the class (newly idle, or kicked
 * to pull), every level is asked. Otherwise periodic balancing, from the
 * tick of a CPU running a task of the class, which evens out CPUs that
 * never go idle: each level is due every BUSY_FACTOR x balance_interval_ms
 * of that domain (its weight in ms), so wider domains are balanced less
 * often, as in the kernel's rebalance_domains(); next_balance[] holds
 * when each is due (levels past nr_slots share the last slot), and
 * *asked says whether any was.
 */
int multios_sched_domains_busiest(int cpu, unsigned long *next_balance,
				  unsigned int nr_slots, bool *asked)
{
	struct mos_sd_domain_info info;
	struct mos_sched_domains *sd;
	unsigned long *next;
	struct mos_sd_policy p;
	int level, nr_levels, src = -1;

	if (next_balance)
		*asked = false;
	policy_snapshot(&p);
	rcu_read_lock();
	sd = rcu_dereference(domains);
	/*
	 * Nothing waits on any CPU: there is no task a pass could move. Every
	 * CPU going idle asks, and with one task per CPU (the common case
	 * of a machine that is not overloaded) this is the whole answer,
	 * as CFS's newidle balance stops at !rd->overload.
	 */
	if (!sd || !mos_sched_domains_waiting_cpus(sd))
		nr_levels = 0;
	else
		nr_levels = mos_sched_domains_nr_levels(sd, cpu);
	for (level = 0; level < nr_levels && src < 0; level++) {
		if (next_balance) {
			next = &next_balance[min_t(unsigned int, level, nr_slots - 1)];
			if (time_before(jiffies, *next) ||
			    mos_sched_domains_domain_info(sd, cpu, level, &info))
				continue;
			*next = jiffies +
				msecs_to_jiffies(info.balance_interval_ms * BUSY_FACTOR);
			*asked = true;
		}
		src = level_source(sd, cpu, level, &p, !!next_balance);
	}
	rcu_read_unlock();
	return src;
}

/*
 * The tick on cpu of p, cpu's task of the class, which is current (its
 * rq locked, IRQs off): store the node p's memory policy puts its memory
 * on, for describe_task(). NUMA balancing's preferred node is no help
 * for a task of this class: its scanner is armed from CFS's tick only.
 * p->mempolicy is safe to read here: only p replaces its policy, and
 * frees the old one, in process context, which this tick interrupted
 * (exit clears the pointer before the put). A cpuset rebind rewrites
 * ->nodes in place from another CPU: a torn mask may name a node of
 * either set, or none (first_node() is then MAX_NUMNODES: no node).
 * Bind and preferred policies have a home: the node of cpu if the mask
 * holds it (the kernel allocates there first), else the mask's first
 * node. Interleave and local have none. A child inherits its parent's
 * policy but starts with no node here, until its first tick.
 */
void multios_sched_domains_note_memory(struct task_struct *p, int cpu)
{
	int node = -1;
#ifdef CONFIG_NUMA
	struct mempolicy *pol = READ_ONCE(p->mempolicy);

	if (pol && (pol->mode == MPOL_BIND || pol->mode == MPOL_PREFERRED ||
		    pol->mode == MPOL_PREFERRED_MANY)) {
		node = cpu_to_node(cpu);
		/* data_race(): a cpuset rebind may rewrite ->nodes (above) */
		if (node == NUMA_NO_NODE || !data_race(node_isset(node, pol->nodes)))
			/* data_race(): the same */
			node = data_race(first_node(pol->nodes));
		if (node >= nr_node_ids)
			node = -1;
	}
#endif
	mos_sched_entity_set_mem_node(multios_task_storage(p), node);
}

/*
 * p as the tree sees it: a load, when it last stopped running (put_prev,
 * on local_clock(), the "now" of every call below), the node its memory
 * policy binds its memory to (all of it, as far as the tree is told),
 * and NUMA balancing's preferred node (set only while p was in CFS).
 */
static void describe_task(struct task_struct *p, u64 load, struct mos_sd_task *task)
{
	const struct mos_sched_entity *se = multios_task_storage(p);
	int mem_node = mos_sched_entity_mem_node(se);

	*task = (struct mos_sd_task){ .load = load, .preferred_node = -1,
				      .last_ran_ns = mos_sched_entity_last_ran(se) };
	if (mem_node >= 0) {
		task->nr_mem = 1;
		task->mem[0].node = mem_node;
		task->mem[0].share = 1024;
	}
#ifdef CONFIG_NUMA_BALANCING
	task->preferred_node = READ_ONCE(p->numa_preferred_nid);
#endif
}

/*
 * Wake-up and fork placement (p's pi lock held, IRQs off): the tree's
 * choice under the balance_algorithm and power_mode in force, or -1 (no
 * tree yet). The tree knows no affinity: the caller checks that p may
 * run there (sched_select_cpu()). The
 * task is described as the tree counts it: one nice-0 load, with its
 * last run (cache keeps a task that ran within migration_cost_ns where
 * it ran) and its memory node (describe_task()). fork: p is new (spread it
 * in performance mode, see mos_sched_domains_select_cpu()).
 */
int multios_sched_domains_select(struct task_struct *p, int prev_cpu, int waker_cpu,
				 bool fork)
{
	struct mos_sched_domains *sd;
	struct mos_sd_policy pol;
	struct mos_sd_task task;
	int cpu = -1;

	describe_task(p, MOS_SD_LOAD_NICE_0, &task);
	task.flags = fork ? MOS_SD_TASK_NEW : 0;
	/* A child's storage is still a copy of its parent's: no run, no node yet. */
	if (fork) {
		task.last_ran_ns = 0;
		task.nr_mem = 0;
	}
	policy_snapshot(&pol);
	rcu_read_lock();
	sd = rcu_dereference(domains);
	if (sd)
		cpu = mos_sched_domains_select_cpu(sd, &task, prev_cpu, waker_cpu, &pol,
						   local_clock());
	rcu_read_unlock();
	return cpu < 0 ? -1 : cpu;
}

/*
 * Does the pull's choice of task depend on the task under the algorithm
 * in force? numa (where its memory is), cache (how recently it ran) and
 * learned (the model's predicted gain) weigh the candidates; load takes
 * the longest-waiting.
 */
bool multios_sched_domains_weighs_tasks(void)
{
	return READ_ONCE(policy.algo) != MOS_SD_ALGO_LOAD;
}

/* The candidates' descriptions: one array per CPU, used with IRQs off. */
static DEFINE_PER_CPU(struct mos_sd_task[MULTIOS_PICK_CANDIDATES], pick_tasks);

/*
 * The pull's choice among cands[] (both rq locks held, IRQs off): the
 * index of the task to move, -EAGAIN when none should move (numa: every
 * candidate's memory is nearer src and dst is busy; cache: every one ran
 * within migration_cost_ns and dst shares no LLC with src; learned: no
 * gain predicted, except one time in 8 when it explores and moves the
 * least bad), -ENOENT when the tree cannot answer (none yet, a CPU not
 * in it): the caller takes the longest-waiting. Called when
 * multios_sched_domains_weighs_tasks() said yes (a knob change since
 * then gets that algorithm's pick). With equal gains, and under learned
 * until its model is trusted, the tree takes the heaviest (the core's
 * load rule), the first of equals: the longest-waiting of those.
 */
int multios_sched_domains_pick(struct task_struct *const *cands, unsigned int nr,
			       int src_cpu, int dst_cpu)
{
	struct mos_sd_task *tasks = *this_cpu_ptr(&pick_tasks);
	struct mos_sched_domains *sd;
	struct mos_sd_policy pol;
	unsigned int i;
	int pick = -ENOENT;

	policy_snapshot(&pol);
	nr = min_t(unsigned int, nr, MULTIOS_PICK_CANDIDATES);
	for (i = 0; i < nr; i++)
		describe_task(cands[i], mos_sched_nice_to_weight(task_nice(cands[i])),
			      &tasks[i]);
	rcu_read_lock();
	sd = rcu_dereference(domains);
	if (sd)
		pick = mos_sched_domains_pick_task(sd, tasks, nr, src_cpu, dst_cpu, U64_MAX,
						   &pol, local_clock());
	rcu_read_unlock();
	/* -EINVAL: a CPU not in the tree (hot-plug, rebuild pending). */
	return pick < 0 && pick != -EAGAIN ? -ENOENT : pick;
}

/* ---- the learned model's feedback (rq locks held; learned.c) -------------- */

bool multios_sched_learning(void)
{
	return READ_ONCE(policy.algo) == MOS_SD_ALGO_LEARNED;
}

/*
 * The model's features of moving p from src_cpu to dst_cpu now, and the
 * share of src_cpu's load p had there (Q16, at most 1.0), or an errno
 * (no tree, a CPU not in it).
 */
int multios_sched_domains_move(struct task_struct *p, int src_cpu, int dst_cpu,
			       struct mos_sd_move *out, u64 *src_share)
{
	struct mos_sd_group_stats src;
	struct mos_sched_domains *sd;
	struct mos_sd_policy pol;
	struct mos_sd_task task;
	int err = -ENODEV;

	describe_task(p, mos_sched_nice_to_weight(task_nice(p)), &task);
	policy_snapshot(&pol);
	rcu_read_lock();
	sd = rcu_dereference(domains);
	if (sd)
		err = mos_sched_domains_move_features(sd, &task, src_cpu, dst_cpu, &pol,
						      local_clock(), out);
	if (!err)
		err = mos_sched_domains_group_stats(sd, src_cpu, -1, &src);
	rcu_read_unlock();
	if (err)
		return err;
	*src_share = src.load > task.load ? div64_u64(task.load << 16, src.load) : 1 << 16;
	return 0;
}

void multios_sched_domains_learn(const struct mos_sd_move *move,
				 const struct mos_sd_outcome *outcome)
{
	struct mos_sched_domains *sd;

	rcu_read_lock();
	sd = rcu_dereference(domains);
	/* -EINVAL (a move named CPUs of an older tree): nothing learned. */
	if (sd)
		mos_sched_domains_learn(sd, move, outcome);
	rcu_read_unlock();
}

/* /proc/multios/sched: one line on the learned model. */
int multios_sched_domains_model_show(struct seq_file *m)
{
	struct mos_sd_model_stats st;
	struct mos_sched_domains *sd;
	int err = -ENODEV;

	rcu_read_lock();
	sd = rcu_dereference(domains);
	if (sd)
		err = mos_sched_domains_model_stats(sd, &st);
	rcu_read_unlock();
	if (err)
		return err;
	/* Q16.16 as thousandths. */
	seq_printf(m, "learned_model: updates %llu trusted %u mean_abs_error %d mean_abs_target %d explored %llu\n",
		   st.updates, st.trusted, (int)div_s64((s64)st.mean_abs_error * 1000, 1 << 16),
		   (int)div_s64((s64)st.mean_abs_target * 1000, 1 << 16), st.explored);
	return 0;
}

/* ---- knobs (process context) --------------------------------------------- */

unsigned int multios_sched_domain_size(void)
{
	unsigned int size;

	mutex_lock(&domains_lock);
	size = build_params.domain_size;
	mutex_unlock(&domains_lock);
	return size;
}

/* -EINVAL out of range, -ENOMEM: the old tree stays. */
int multios_sched_set_domain_size(unsigned int size)
{
	struct mos_sd_build_params params;
	int err;

	mutex_lock(&domains_lock);
	params = build_params;
	params.domain_size = size;
	err = mos_sd_build_params_check(&params);
	if (!err && size != build_params.domain_size)
		err = rebuild_locked(&params);
	mutex_unlock(&domains_lock);
	return err;
}

void multios_sched_get_policy(struct mos_sd_policy *p)
{
	policy_snapshot(p);
}

/*
 * Sets the u32 field of struct mos_sd_policy at offset to value: -EINVAL
 * unless mos_sd_policy_check() accepts the result, and then nothing
 * changes. Under domains_lock, so two knobs written at once both stick.
 */
int multios_sched_set_policy(size_t offset, u32 value)
{
	struct mos_sd_policy p;
	int err;

	if (offset > sizeof(p) - sizeof(value))
		return -EINVAL;
	mutex_lock(&domains_lock);
	policy_snapshot(&p);
	*(u32 *)((char *)&p + offset) = value;
	err = mos_sd_policy_check(&p);
	if (!err) {
		WRITE_ONCE(policy.algo, p.algo);
		WRITE_ONCE(policy.power_mode, p.power_mode);
		WRITE_ONCE(policy.imbalance_pct, p.imbalance_pct);
	}
	mutex_unlock(&domains_lock);
	return err;
}

/* /proc/multios/sched_domains: the buffer grows until the dump fits. */
int multios_sched_domains_show(struct seq_file *m)
{
	struct mos_sched_domains *sd;
	size_t size = PAGE_SIZE;
	char *buf = NULL;
	int len;

	mutex_lock(&domains_lock);
	sd = rcu_dereference_protected(domains, lockdep_is_held(&domains_lock));
	do {
		kvfree(buf);
		size *= 2;
		buf = kvmalloc(size, GFP_KERNEL);
		len = buf ? mos_sched_domains_show(sd, buf, size) : -ENOMEM;
	} while (len == -E2BIG && size < SZ_16M);
	mutex_unlock(&domains_lock);
	if (len >= 0)
		seq_write(m, buf, len);
	kvfree(buf);
	return len < 0 ? len : 0;
}
