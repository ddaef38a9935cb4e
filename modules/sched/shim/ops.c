// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multios class's operations (include/linux/sched/multios.h) over the
 * C++ core: one mos_sched_rq per possible CPU, one admission object for
 * all online CPUs. Every callback but enable() and disable() runs with a
 * run-queue or pi lock held and IRQs off: nothing here allocates, frees,
 * sleeps, prints to the console or takes a lock that is not raw. The
 * kernel checks the answers; a wrong one disables the class and every
 * task goes back to CFS.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/multios.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "core.h"
#include "sched_shim.h"

/* Knobs against enable()/disable(): see sched_shim.h. */
DEFINE_MUTEX(multios_sched_lock);
struct multios_sched_cpu *multios_sched_cpus;
struct mos_sched_admission *multios_sched_adm;
struct cpumask *multios_sched_idle;
unsigned int multios_sched_slice_us = MOS_SCHED_SLICE_US_DEFAULT;
unsigned int multios_sched_edf_cap = MOS_SCHED_EDF_CAP_DEFAULT;
bool multios_sched_stop_picking;
atomic_t multios_sched_test_fault = ATOMIC_INIT(MULTIOS_TEST_NONE);

static struct mos_sched_entity *entity_of(struct task_struct *p)
{
	return (struct mos_sched_entity *)multios_task_storage(p);
}

static struct multios_sched_cpu *cpu_state(int cpu)
{
	return &multios_sched_cpus[cpu];
}

/* SCHED_IDLE (switch_all) has no class of its own here: the lowest weight. */
static int effective_nice(struct task_struct *p, int nice)
{
	return p->policy == SCHED_IDLE ? MOS_SCHED_NICE_MAX : nice;
}

/* period 0 means period = deadline (sched_setattr()); the core wants it spelt out. */
static void edf_params_of(const struct multios_edf_attr *attr,
			  struct mos_sched_edf_params *params)
{
	params->runtime_ns = attr->runtime;
	params->deadline_ns = attr->deadline;
	params->period_ns = attr->period ?: attr->deadline;
}

/* ---- enable and disable (process context) ------------------------------ */

static void free_state(void)
{
	int cpu;

	if (multios_sched_cpus) {
		for_each_possible_cpu(cpu)
			mos_sched_rq_destroy_abandon(cpu_state(cpu)->rq);
	}
	kfree(multios_sched_cpus);
	multios_sched_cpus = NULL;
	mos_sched_admission_destroy(multios_sched_adm);
	multios_sched_adm = NULL;
	kfree(multios_sched_idle);
	multios_sched_idle = NULL;
}

/* The model multios_core took at load: which CPUs share a cache and a node. */
static void topology_of(int cpu, struct multios_sched_cpu *c)
{
	int llc = multios_cpu_group(cpu, MOS_TOPO_LLC);
	int node = multios_cpu_group(cpu, MOS_TOPO_NODE);

	c->llc = llc >= 0 ? llc : cpu;
	c->node = node >= 0 ? node : 0;
}

static int sched_enable(void)
{
	int cpu, i, err = -ENOMEM;

	mutex_lock(&multios_sched_lock);
	multios_sched_warn_reset();
	atomic_set(&multios_sched_test_fault, MULTIOS_TEST_NONE);
	/* Test knobs do not outlive the registration they were set for. */
	WRITE_ONCE(multios_sched_stop_picking, false);
	multios_sched_cpus = kcalloc(nr_cpu_ids, sizeof(*multios_sched_cpus), GFP_KERNEL);
	multios_sched_idle = kzalloc(cpumask_size(), GFP_KERNEL);
	if (!multios_sched_cpus || !multios_sched_idle)
		goto fail;
	cpumask_copy(multios_sched_idle, cpu_possible_mask);
	for_each_possible_cpu(cpu) {
		struct multios_sched_cpu *c = cpu_state(cpu);

		c->rq = mos_sched_rq_create(cpu, MOS_GFP_KERNEL);
		if (!c->rq)
			goto fail;
		err = mos_sched_rq_set_slice_us(c->rq, multios_sched_slice_us);
		if (err)
			goto fail;
		topology_of(cpu, c);
		c->last_kick = jiffies - 1;	/* may kick at once */
		c->last_pulled = jiffies - 1;
		for (i = 0; i < ARRAY_SIZE(c->next_balance); i++)
			c->next_balance[i] = jiffies;
		c->pending_src = -1;
	}
	err = -ENOMEM;
	multios_sched_adm = mos_sched_admission_create(num_online_cpus(), MOS_GFP_KERNEL);
	if (!multios_sched_adm)
		goto fail;
	err = mos_sched_admission_set_cap(multios_sched_adm, multios_sched_edf_cap);
	if (err)
		goto fail;
	mutex_unlock(&multios_sched_lock);
	return 0;

fail:
	free_state();
	mutex_unlock(&multios_sched_lock);
	return err;
}

/*
 * hotplug.c: the admission counts nr_cpus CPUs from now on, or -EBUSY
 * and nothing changes when what is admitted would not fit them. No-op
 * while the class is disabled (enable() counts the online CPUs).
 */
int multios_sched_edf_set_cpus(unsigned int nr_cpus)
{
	int err = 0;

	mutex_lock(&multios_sched_lock);
	if (multios_sched_adm)
		err = mos_sched_admission_set_nr_cpus(multios_sched_adm, nr_cpus);
	mutex_unlock(&multios_sched_lock);
	return err;
}

/*
 * Every task has left the class; the queues may still link the entities
 * of tasks that left while the kernel ran the class without us, so they
 * are abandoned, not emptied.
 */
static void sched_disable(void)
{
	mutex_lock(&multios_sched_lock);
	free_state();
	mutex_unlock(&multios_sched_lock);
}

/* Under cpu's rq lock (multios_call_locked()). */
static void record_stats_locked(int cpu, u64 now, void *arg)
{
	multios_sched_domains_update(cpu, cpu_state(cpu));
}

/*
 * A new domain tree was published (domains.c). The statistics it copied
 * from the old one miss what CPUs recorded there between the copy and
 * the swap, and nothing else would rewrite them for an idle CPU, or one
 * running only other classes, until its next enqueue or dequeue: a CPU
 * with a task waiting could stay out of the tree's waiting count, or an
 * idle one look busy. Each CPU's own numbers are recorded again, under
 * its rq lock as at every enqueue. Nothing to record while the class is
 * disabled (no queues).
 */
void multios_sched_record_all_stats(void)
{
	int cpu;

	mutex_lock(&multios_sched_lock);
	if (multios_sched_cpus) {
		for_each_online_cpu(cpu)
			multios_call_locked(cpu, record_stats_locked, NULL);
	}
	mutex_unlock(&multios_sched_lock);
}

/* ---- entering the class, parameters, admission (rq lock) ----------------- */

static void init_entity(struct task_struct *p)
{
	struct mos_sched_entity *se = entity_of(p);
	struct mos_sched_edf_params params;

	if (multios_task_is_edf(p)) {
		edf_params_of(&p->mos.edf, &params);
		/* Admitted with these parameters, so they pass the same check. */
		if (!mos_sched_entity_init_edf(se, &params))
			return;
	}
	mos_sched_entity_init_fair(se, effective_nice(p, task_nice(p)));
}

static void sched_init_task(int cpu, struct task_struct *p, u64 now)
{
	init_entity(p);
}

/* p is on no queue: the core lets an entity change class only then. */
static void sched_set_params(int cpu, struct task_struct *p, u64 now)
{
	struct mos_sched_entity *se = entity_of(p);
	struct mos_sched_edf_params params;

	if (multios_task_is_edf(p)) {
		edf_params_of(&p->mos.edf, &params);
		if (!mos_sched_entity_set_edf(se, &params))
			return;
	}
	if (mos_sched_entity_set_fair(se, effective_nice(p, task_nice(p))))
		multios_error("cannot set parameters of %s[%d]", p->comm, task_pid_nr(p));
}

static void sched_set_nice(int cpu, struct task_struct *p, int nice, u64 now)
{
	mos_sched_entity_set_nice(entity_of(p), effective_nice(p, nice), now);
}

/*
 * Any context (the kernel calls it under the rq and pi locks and from a
 * dead task's last switch): the admission object has its own IRQ-safe
 * lock, a raw spinlock, as only those may nest in the raw rq lock.
 */
static int sched_admit(struct task_struct *p, const struct multios_edf_attr *old,
		       const struct multios_edf_attr *new)
{
	struct mos_sched_edf_params o, n;
	u64 max_period = (u64)multios_watchdog_timeout() * NSEC_PER_MSEC / 2;

	if (old && !old->runtime)
		old = NULL;
	if (new && !new->runtime)
		new = NULL;
	if (old)
		edf_params_of(old, &o);
	if (new) {
		edf_params_of(new, &n);
		/* A throttled task waits up to a period: keep it under the watchdog. */
		if (n.period_ns > max_period)
			return -EINVAL;
	}
	if (old && new)
		return mos_sched_admission_change(multios_sched_adm, &o, &n);
	if (new)
		return mos_sched_admission_admit(multios_sched_adm, &n);
	if (old)
		mos_sched_admission_release(multios_sched_adm, &o);
	return 0;
}

/* ---- placement (pi lock) -------------------------------------------------- */

/*
 * The load select_cpu() compares: queued EDF bandwidth for an EDF task
 * (spread reservations over CPUs), queued tasks of the class otherwise.
 * Read without the rq lock: a hint, like CFS's idle checks.
 */
static u64 cpu_load(int cpu, bool edf)
{
	const struct multios_sched_cpu *c = cpu_state(cpu);

	return edf ? READ_ONCE(c->edf_bw) : READ_ONCE(c->nr_queued);
}

/*
 * A synchronous wake-up (the waker is about to sleep: a pipe or socket
 * handing over work) from the only task of the class on this CPU puts
 * the wakee here, as CFS's wake_affine_idle() does: it runs as soon as
 * the waker sleeps, on a warm cache, and no CPU is woken by an IPI.
 */
static bool wake_affine(struct task_struct *p, int this_cpu, unsigned int flags)
{
	return (flags & MULTIOS_SELECT_SYNC) && cpumask_test_cpu(this_cpu, p->cpus_ptr) &&
	       cpu_active(this_cpu) && READ_ONCE(cpu_state(this_cpu)->nr_queued) == 1 &&
	       mos_sched_entity_queued(entity_of(current));
}

/*
 * A fair task goes where the domain tree says (balance_algorithm,
 * power_mode; see domains.c). The tree knows no affinity masks, so for a
 * task with a narrower one its answer counts only if the task may run
 * there: it looks near prev_cpu first (prev, its LLC, its node), which a
 * node- or cpuset-bound task's mask usually holds, at O(depth) where the
 * scan below costs O(allowed CPUs). An EDF task, a refused answer, or no
 * tree: prev_cpu if nothing of ours waits there, else a CPU as empty in
 * the same LLC, else in the same node, else the least loaded allowed
 * CPU, in one pass over the allowed CPUs. CFS tasks are not seen either
 * way: in partial mode a CPU busy with CFS looks free (the kernel's
 * idle_cpu() is not exported in 6.1).
 */
static int sched_select_cpu(struct task_struct *p, int prev_cpu, unsigned int wake_flags)
{
	bool edf = multios_task_is_edf(p);
	int this_cpu = smp_processor_id();	/* pi lock held, IRQs off */
	int cpu, best = -1, same_node = -1;
	const struct multios_sched_cpu *prev;
	u64 load, best_load = U64_MAX;

	if (prev_cpu < 0 || prev_cpu >= nr_cpu_ids)
		return prev_cpu;
	if (!edf && wake_affine(p, this_cpu, wake_flags))
		return this_cpu;
	/* exec(): p runs on prev_cpu; alone there, it has nothing to flee. */
	if ((wake_flags & MULTIOS_SELECT_EXEC) && prev_cpu == this_cpu &&
	    READ_ONCE(cpu_state(prev_cpu)->nr_queued) <= 1)
		return prev_cpu;
	if (!edf) {
		cpu = multios_sched_domains_select(p, prev_cpu, this_cpu,
						   wake_flags & MULTIOS_SELECT_FORK);
		if (cpu >= 0 && cpu_active(cpu) && cpumask_test_cpu(cpu, p->cpus_ptr))
			return cpu;
	}
	prev = cpu_state(prev_cpu);
	if (cpumask_test_cpu(prev_cpu, p->cpus_ptr) && cpu_active(prev_cpu)) {
		best_load = cpu_load(prev_cpu, edf);
		if (!best_load)
			return prev_cpu;
		best = prev_cpu;
	}
	for_each_cpu_and(cpu, p->cpus_ptr, cpu_active_mask) {
		load = cpu_load(cpu, edf);
		if (!load && cpu_state(cpu)->llc == prev->llc)
			return cpu;
		if (!load && same_node < 0 && cpu_state(cpu)->node == prev->node)
			same_node = cpu;
		if (load < best_load) {
			best_load = load;
			best = cpu;
		}
	}
	if (same_node >= 0)
		return same_node;
	return best >= 0 ? best : prev_cpu;
}

/*
 * pi lock or the source's rq lock; p on no queue. Its vruntime becomes
 * relative to the source queue (read atomically, the source lock is not
 * needed); the next enqueue carries MULTIOS_ENQ_MIGRATED and attaches it.
 */
static void sched_migrate(struct task_struct *p, int from_cpu, int to_cpu)
{
	struct mos_sched_entity *se = entity_of(p);

	if (mos_sched_entity_queued(se)) {
		multios_error("%s[%d] migrates while queued on CPU %d", p->comm,
			      task_pid_nr(p), from_cpu);
		return;
	}
	mos_sched_rq_detach(cpu_state(from_cpu)->rq, se, 0);
}

/* ---- the queue (rq lock) --------------------------------------------------- */

static void sched_enqueue(int cpu, struct task_struct *p, unsigned int flags, u64 now)
{
	struct multios_sched_cpu *c = cpu_state(cpu);
	struct mos_sched_entity *se = entity_of(p);
	u32 mflags = 0;

	if (flags & MULTIOS_ENQ_WAKEUP)
		mflags |= MOS_SCHED_ENQ_WAKEUP;
	if (flags & MULTIOS_ENQ_NEW)
		mflags |= MOS_SCHED_ENQ_NEW;
	if (flags & MULTIOS_ENQ_RESTORE)
		mflags |= MOS_SCHED_ENQ_RESTORE;
	if (flags & MULTIOS_ENQ_MIGRATED)
		mos_sched_rq_attach(c->rq, se, mflags, now);
	else
		mos_sched_rq_enqueue(c->rq, se, mflags, now);
	WRITE_ONCE(c->nr_queued, c->nr_queued + 1);
	WRITE_ONCE(c->edf_bw, c->edf_bw + mos_sched_entity_bw(se));
	if (c->nr_queued == 1)
		cpumask_clear_cpu(cpu, multios_sched_idle);
	multios_sched_domains_update(cpu, c);
}

static void sched_dequeue(int cpu, struct task_struct *p, unsigned int flags, u64 now)
{
	struct multios_sched_cpu *c = cpu_state(cpu);
	struct mos_sched_entity *se = entity_of(p);
	u32 mflags = 0;

	if (flags & MULTIOS_DEQ_SLEEP)
		mflags |= MOS_SCHED_DEQ_SLEEP;
	if (flags & MULTIOS_DEQ_SAVE)
		mflags |= MOS_SCHED_DEQ_SAVE;
	mos_sched_rq_dequeue(c->rq, se, mflags, now);
	WRITE_ONCE(c->nr_queued, c->nr_queued - 1);
	WRITE_ONCE(c->edf_bw, c->edf_bw - mos_sched_entity_bw(se));
	if (!c->nr_queued)
		cpumask_set_cpu(cpu, multios_sched_idle);
	multios_sched_domains_update(cpu, c);
}

/*
 * test_fault (knobs.c, only with test_hooks=1): is a fault of this kind
 * armed for cpu? once: it fires a single time, the first CPU to see it
 * disarms it (a cmpxchg, so two CPUs cannot both take it).
 */
static bool test_fault_hits(int cpu, int kind, bool once)
{
	int fault = atomic_read(&multios_sched_test_fault);
	int target = MULTIOS_TEST_FAULT_CPU(fault);

	if (likely(fault == MULTIOS_TEST_NONE))
		return false;
	if (MULTIOS_TEST_FAULT_KIND(fault) != kind || (target >= 0 && target != cpu))
		return false;
	return !once || atomic_cmpxchg(&multios_sched_test_fault, fault,
				       MULTIOS_TEST_NONE) == fault;
}

/*
 * debug_stop_picking: nothing of the class runs, so the kernel's watchdog
 * fires; test_fault "stall" does it on one CPU only. test_fault "pick"
 * names the boot CPU's idle task, never a valid pick (wrong class): the
 * kernel's multios_valid_pick() rejects it and disables the class.
 */
static struct task_struct *sched_peek(int cpu, u64 now)
{
	struct mos_sched_entity *se;

	if (READ_ONCE(multios_sched_stop_picking) ||
	    test_fault_hits(cpu, MULTIOS_TEST_STALL, false))
		return NULL;
	if (test_fault_hits(cpu, MULTIOS_TEST_PICK, true))
		return &init_task;
	se = mos_sched_rq_peek(cpu_state(cpu)->rq, now);
	return se ? multios_storage_task(se) : NULL;
}

static void sched_set_next(int cpu, struct task_struct *p, u64 now)
{
	mos_sched_rq_set_next(cpu_state(cpu)->rq, entity_of(p), now);
	cpu_state(cpu)->curr = p;
}

/*
 * p stops running (preempted, yielding or going to sleep). The time, on
 * local_clock() as every call into the domain tree gives "now", is its
 * last run for the cache algorithm's hotness (domains.c).
 */
static void sched_put_prev(int cpu, struct task_struct *p, u64 now)
{
	mos_sched_rq_put_prev(cpu_state(cpu)->rq, entity_of(p), now);
	mos_sched_entity_set_last_ran(entity_of(p), local_clock());
	cpu_state(cpu)->curr = NULL;
}

static void sched_update_curr(int cpu, u64 now)
{
	mos_sched_rq_update_curr(cpu_state(cpu)->rq, now);
}

/* ---- balancing ------------------------------------------------------------ */

/* 0: same LLC, 1: same node, 2: farther. Moves prefer the nearest. */
static int distance_rank(const struct multios_sched_cpu *a, const struct multios_sched_cpu *b)
{
	if (a->llc == b->llc)
		return 0;
	return a->node == b->node ? 1 : 2;
}

/*
 * Every CPU that goes idle asks the same tree and hears the same busiest
 * CPU. A herd of them spinning on that CPU's rq lock (a kicked CPU spins
 * in hard IRQ) stalls the busiest CPU and the herd alike: on a 64-vCPU
 * guest, soft lockups of 22 s and a kworker the watchdog saw wait 22 s.
 * CFS lets one CPU per domain balance (should_we_balance()); here the
 * first CPU to claim a source in a jiffy pulls from it, the others find
 * nothing to do without touching its lock. Lockless: a lost race only
 * means one pull less, retried from the next newly idle CPU or tick kick.
 */
static bool claim_pull(int src)
{
	struct multios_sched_cpu *s = cpu_state(src);
	unsigned long last = READ_ONCE(s->last_pulled), now = jiffies;

	return last != now && cmpxchg(&s->last_pulled, last, now) == last;
}

/*
 * rq of cpu (newly idle, or kicked): the domain tree's answer under the
 * current balance_algorithm, imbalance_pct and power_mode (domains.c).
 * Counts are read from the tree's summaries, not from the other CPUs'
 * queues; pick_migrate() runs under the source's lock and finds out if
 * they went stale. This CPU's own numbers, which decide whether it is
 * the idle one, are current: every enqueue and dequeue here recorded
 * them (and refreshed the summaries above at the change to idle).
 */
static int sched_balance(int cpu)
{
	struct multios_sched_cpu *c = cpu_state(cpu);
	u64 start = local_clock();
	int src = c->pending_src;

	/* Periodic balancing chose (and claimed) the source and kicked us. */
	if (src >= 0) {
		c->pending_src = -1;
		return src;
	}
	src = multios_sched_domains_busiest(cpu, NULL, 0, NULL);
	c->balance_calls++;
	c->balance_ns += local_clock() - start;
	return src >= 0 && claim_pull(src) ? src : -1;
}

/*
 * rq of cpu, from its tick: the due levels of periodic balancing (see
 * multios_sched_domains_busiest()). The tick holds only this CPU's rq
 * lock and the kernel's pull takes two, so a source found is recorded
 * and this CPU kicked: the kick's balance() returns it at once.
 */
static void periodic_balance(int cpu, struct multios_sched_cpu *c)
{
	u64 start = local_clock();
	bool asked;
	int src;

	if (c->pending_src >= 0)
		return;	/* a kick on its way */
	src = multios_sched_domains_busiest(cpu, c->next_balance,
					    ARRAY_SIZE(c->next_balance), &asked);
	if (!asked)
		return;
	c->balance_calls++;
	c->balance_ns += local_clock() - start;
	if (src >= 0 && claim_pull(src)) {
		c->pending_src = src;
		multios_kick_balance(cpu);
	}
}

/*
 * rq of src_cpu: a waiting task that may run on dst_cpu. First an EDF
 * task waiting behind an earlier deadline, if nothing of EDF is queued
 * on dst_cpu (there it runs at once; next to other EDF work it would
 * only wait elsewhere): SCHED_DEADLINE's pull, so an EDF job does not
 * wait while a CPU runs fair work. Else a fair task: under load the
 * longest-waiting; under numa, cache and learned the one the tree picks
 * among the first eight allowed on dst_cpu in waiting order (maybe none;
 * see multios_sched_domains_pick()).
 * Never src's only task (CFS's load_balance() likewise wants
 * busiest->nr_running > 1): that task is about to run there, so moving
 * it only moves the idle CPU, and it undid fork placement (a child
 * placed on an idle node, not yet running when the parent's CPU went
 * idle, was pulled straight back).
 */
static struct task_struct *sched_pick_migrate(int src_cpu, int dst_cpu)
{
	struct task_struct *fair[MULTIOS_PICK_CANDIDATES], *p;
	struct mos_sched_rq *rq = cpu_state(src_cpu)->rq;
	bool dst_has_edf = READ_ONCE(cpu_state(dst_cpu)->edf_bw) != 0;
	struct mos_sched_entity *se = NULL;
	int tries = MULTIOS_PICK_CANDIDATES;	/* bounded under the lock */
	bool weigh = multios_sched_domains_weighs_tasks();
	/* load takes the first allowed: no need to see more. */
	int nr = 0, pick = -ENOENT, want = weigh ? MULTIOS_PICK_CANDIDATES : 1;

	if (cpu_state(src_cpu)->nr_queued < 2)
		return NULL;

	while (tries-- && (se = mos_sched_rq_migrate_candidate(rq, se))) {
		p = multios_storage_task(se);
		if (!cpumask_test_cpu(dst_cpu, p->cpus_ptr))
			continue;
		if (multios_task_is_edf(p)) {
			if (dst_has_edf)
				continue;
			/* EDF candidates come first: SCHED_DEADLINE's pull. */
			multios_sched_learn_moved(dst_cpu, p, src_cpu);
			return p;
		}
		fair[nr++] = p;
		if (nr == want)
			break;
	}
	if (!nr)
		return NULL;
	/* numa, cache and learned weigh the tasks; else the longest-waiting. */
	if (weigh)
		pick = multios_sched_domains_pick(fair, nr, src_cpu, dst_cpu);
	if (pick == -EAGAIN)
		return NULL;
	p = fair[pick >= 0 && pick < nr ? pick : 0];
	multios_sched_learn_moved(dst_cpu, p, src_cpu);
	return p;
}

/*
 * rq of cpu, from the tick: a task waits here while a CPU has nothing of
 * the class. Wake the nearest such CPU to pull (at most once a jiffy;
 * a kick already pending there is not queued again).
 */
static void kick_idle_cpu(int cpu)
{
	struct multios_sched_cpu *c = cpu_state(cpu);
	int idle, target = -1, rank, best_rank = INT_MAX;

	if (c->nr_queued < 2 || !time_after(jiffies, c->last_kick))
		return;
	c->last_kick = jiffies;
	for_each_cpu_and(idle, multios_sched_idle, cpu_online_mask) {
		rank = distance_rank(c, cpu_state(idle));
		if (rank < best_rank) {
			target = idle;
			best_rank = rank;
			if (!rank)
				break;
		}
	}
	if (target >= 0)
		multios_kick_balance(target);
}

/*
 * The scheduler tick of a CPU running a task of the class, or the class's
 * hrtimer for cpu's queue, which may fire over a task of another class
 * and on another CPU than cpu: only when current is cpu's task of the
 * class may its memory policy be read for it.
 */
static bool sched_tick(int cpu, u64 now)
{
	/* test_fault "warn": a MOS_WARN_ON of the core fails, as a real one would. */
	if (test_fault_hits(cpu, MULTIOS_TEST_WARN, true))
		mos_sched_test_invariant_failure();
	/* Counts changed at enqueue/dequeue; the tick refreshes due summaries. */
	multios_sched_domains_update(cpu, cpu_state(cpu));
	if (cpu == smp_processor_id() && cpu_state(cpu)->curr == current)
		multios_sched_domains_note_memory(current, cpu);
	kick_idle_cpu(cpu);
	periodic_balance(cpu, cpu_state(cpu));
	multios_sched_learn_tick(cpu);
	return mos_sched_rq_tick(cpu_state(cpu)->rq, now);
}

static u64 sched_next_event(int cpu)
{
	return mos_sched_rq_next_event(cpu_state(cpu)->rq);
}

static void sched_yield(int cpu, u64 now)
{
	mos_sched_rq_yield(cpu_state(cpu)->rq, now);
}

static bool sched_wakeup_preempt(int cpu, struct task_struct *p, u64 now)
{
	return mos_sched_rq_wakeup_preempt(cpu_state(cpu)->rq, entity_of(p), now);
}

static struct multios_sched_ops sched_ops = {
	.name		= "multios_sched",
	.enable		= sched_enable,
	.disable	= sched_disable,
	.init_task	= sched_init_task,
	.set_params	= sched_set_params,
	.set_nice	= sched_set_nice,
	.admit		= sched_admit,
	.select_cpu	= sched_select_cpu,
	.migrate	= sched_migrate,
	.enqueue	= sched_enqueue,
	.dequeue	= sched_dequeue,
	.peek		= sched_peek,
	.set_next	= sched_set_next,
	.put_prev	= sched_put_prev,
	.update_curr	= sched_update_curr,
	.tick		= sched_tick,
	.next_event	= sched_next_event,
	.yield		= sched_yield,
	.wakeup_preempt	= sched_wakeup_preempt,
	.balance	= sched_balance,
	.pick_migrate	= sched_pick_migrate,
};

int multios_sched_ops_register(void)
{
	/* The kernel's per-task storage is the core's entity, byte for byte. */
	BUILD_BUG_ON(sizeof(struct mos_sched_entity) != MULTIOS_ENTITY_SIZE);
	BUILD_BUG_ON(__alignof__(struct mos_sched_entity) >
		     __alignof__(struct sched_multios_entity));
	BUILD_BUG_ON(offsetof(struct sched_multios_entity, storage) %
		     __alignof__(struct mos_sched_entity));
	return multios_register(&sched_ops);
}

/* Returns when no CPU can be inside the callbacks above. */
void multios_sched_ops_unregister(void)
{
	multios_unregister(&sched_ops);
}
