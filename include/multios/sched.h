/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C ABI between the multios_sched shim (kernel C) and its C++ policy
 * core (modules/sched/core/): per-CPU run queues holding a weighted fair
 * class (nice, like CFS) and an EDF class (runtime/deadline/period with a
 * constant bandwidth server), and EDF admission control per CPU set.
 *
 * Units: times are u64 nanoseconds of the run queue's clock; bandwidths
 * are fractions of one CPU in fixed point with MOS_SCHED_BW_SHIFT
 * fraction bits (the kernel's BW_SHIFT), so 1 << 20 is a whole CPU.
 *
 * What the shim must guarantee (the core trusts it and checks nothing):
 *   - every mos_sched_rq_* and mos_sched_entity_* call that names a run
 *     queue, or an entity queued on one, runs with that queue's lock held
 *     (the kernel's rq->__lock, a raw spinlock, IRQs off);
 *   - `now` is that queue's clock (rq_clock_task()), never going back;
 *   - entity storage lives as long as the task, inside task_struct.
 * In return, nothing reachable under the run-queue lock allocates, sleeps
 * or takes another lock, except the admission calls (their own spinlock,
 * nested inside the run-queue lock like the kernel's dl_b->lock).
 *
 * Errors are negative errno values (MOS_EINVAL ... from runtime.h).
 * Design and rules: Documentation/dev/sched-core.rst.
 */
#ifndef MULTIOS_SCHED_H
#define MULTIOS_SCHED_H

#include <multios/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MOS_SCHED_BW_SHIFT		20
#define MOS_SCHED_BW_UNIT		(1ull << MOS_SCHED_BW_SHIFT)

#define MOS_SCHED_NICE_MIN		(-20)
#define MOS_SCHED_NICE_MAX		19

/* slice_us: a nice-0 task's share of one scheduling round. */
#define MOS_SCHED_SLICE_US_DEFAULT	3000u
#define MOS_SCHED_SLICE_US_MIN		100u
#define MOS_SCHED_SLICE_US_MAX		100000u

/*
 * The longest a fair task waits on a queue while others run there: one
 * that has waited this long runs next whatever its vruntime.
 */
#define MOS_SCHED_FAIR_MAX_WAIT_NS	(500ull * 1000 * 1000)

/* edf_util_cap: percent of each CPU that admitted EDF tasks may claim. */
#define MOS_SCHED_EDF_CAP_DEFAULT	95u

/* EDF parameter limits, as SCHED_DEADLINE's (__checkparam_dl and sysctls). */
#define MOS_SCHED_EDF_RUNTIME_MIN_NS	1024ull			/* 1 << DL_SCALE */
#define MOS_SCHED_EDF_PERIOD_MIN_NS	100000ull		/* 100 us */
#define MOS_SCHED_EDF_PERIOD_MAX_NS	((1ull << 22) * 1000ull)	/* ~4.2 s */

/*
 * Per-task state the shim embeds in task_struct: opaque here, a C++
 * object inside the core (static_assert-checked to fit). Embedding it is
 * what lets enqueue, dequeue and pick run without allocating.
 */
#define MOS_SCHED_ENTITY_SIZE		256
struct mos_sched_entity {
	unsigned char opaque[MOS_SCHED_ENTITY_SIZE] __attribute__((aligned(16)));
};

/* One per CPU. */
struct mos_sched_rq;
/* One per CPU set that shares an EDF bandwidth budget. */
struct mos_sched_admission;

enum mos_sched_policy {
	MOS_SCHED_POLICY_FAIR = 0,
	MOS_SCHED_POLICY_EDF = 1,
};

/* Relative times in ns; runtime <= deadline <= period. */
struct mos_sched_edf_params {
	uint64_t runtime_ns;
	uint64_t deadline_ns;
	uint64_t period_ns;
};

/* Enqueue flags: what the kernel passes as ENQUEUE_*. */
#define MOS_SCHED_ENQ_WAKEUP	0x1u	/* woke from sleep: wakeup placement, CBS rule */
#define MOS_SCHED_ENQ_NEW	0x2u	/* first enqueue after fork */
#define MOS_SCHED_ENQ_RESTORE	0x4u	/* back after a DEQ_SAVE: state unchanged */
/* Dequeue flags: DEQUEUE_*. */
#define MOS_SCHED_DEQ_SLEEP	0x1u	/* blocks: an EDF job is complete */
#define MOS_SCHED_DEQ_SAVE	0x2u	/* comes back with ENQ_RESTORE */

/* ---- entities ------------------------------------------------------------
 * init_* prepare fresh storage (fork, or a task entering the class).
 * set_fair/set_edf change class and need the entity off every queue
 * (-EBUSY otherwise): the shim dequeues with DEQ_SAVE and puts it back,
 * as __sched_setscheduler() does. Admission is the caller's business:
 * admit first, set_edf after. set_nice works at any time; for an EDF
 * entity it is kept for its return to the fair class.
 */
int mos_sched_entity_init_fair(struct mos_sched_entity *se, int32_t nice);
int mos_sched_entity_init_edf(struct mos_sched_entity *se,
			      const struct mos_sched_edf_params *params);
int mos_sched_entity_set_fair(struct mos_sched_entity *se, int32_t nice);
int mos_sched_entity_set_edf(struct mos_sched_entity *se,
			     const struct mos_sched_edf_params *params);
/* Queued: the lock of its run queue held. */
int mos_sched_entity_set_nice(struct mos_sched_entity *se, int32_t nice,
			      uint64_t now);
/* Runnable on some queue (between enqueue and dequeue). */
bool mos_sched_entity_queued(const struct mos_sched_entity *se);
enum mos_sched_policy mos_sched_entity_policy(const struct mos_sched_entity *se);
/* The EDF bandwidth it was given (BW units); 0 for a fair entity. */
uint64_t mos_sched_entity_bw(const struct mos_sched_entity *se);
/*
 * The NUMA node the task's memory is bound to (-1: none, the initial
 * value), stored for the shim: it can read a task's memory policy only
 * while the task is current, but places and balances it when it is not.
 */
void mos_sched_entity_set_mem_node(struct mos_sched_entity *se, int32_t node);
int32_t mos_sched_entity_mem_node(const struct mos_sched_entity *se);
/*
 * When the task last stopped running (0, the initial value: never), on
 * the clock the shim gives the domain tree as "now", stored for the
 * tree's cache hotness (struct mos_sd_task's last_ran_ns).
 */
void mos_sched_entity_set_last_ran(struct mos_sched_entity *se, uint64_t ns);
uint64_t mos_sched_entity_last_ran(const struct mos_sched_entity *se);

/* The CFS weight of a nice value (sched_prio_to_weight[]), 0 if out of range. */
uint32_t mos_sched_nice_to_weight(int32_t nice);

/* ---- run queues ---------------------------------------------------------- */
struct mos_sched_rq *mos_sched_rq_create(uint32_t cpu, mos_gfp_t gfp);
/* The queue must be empty (WARNs otherwise, and leaks rather than corrupts). */
void mos_sched_rq_destroy(struct mos_sched_rq *rq);
/*
 * Frees a queue that may still hold entities, without touching them: they
 * belong to tasks that left the class while the kernel ran it without the
 * module (its bypass). No entity of it may be used again before one of the
 * mos_sched_entity_init_*() functions rebuilt it. NULL is ignored.
 */
void mos_sched_rq_destroy_abandon(struct mos_sched_rq *rq);
/* -EINVAL outside MOS_SCHED_SLICE_US_MIN..MAX; check before locking. */
int mos_sched_slice_us_check(uint32_t slice_us);
int mos_sched_rq_set_slice_us(struct mos_sched_rq *rq, uint32_t slice_us);

void mos_sched_rq_enqueue(struct mos_sched_rq *rq, struct mos_sched_entity *se,
			  uint32_t flags, uint64_t now);
void mos_sched_rq_dequeue(struct mos_sched_rq *rq, struct mos_sched_entity *se,
			  uint32_t flags, uint64_t now);
/*
 * The entity to run, made current; NULL when nothing of this class may
 * run (empty, or every EDF entity throttled). The previous current must
 * have been put back with put_prev first.
 */
struct mos_sched_entity *mos_sched_rq_pick_next(struct mos_sched_rq *rq, uint64_t now);
/*
 * The entity pick_next would return, with no side effect at all (the
 * kernel may discard it: core scheduling's pick_task). EDF entities whose
 * replenishment is due by now count as replenished. With no current
 * entity, pick_next(now) is exactly peek(now) followed by set_next(that,
 * now). With a current entity (a sibling's pick under core scheduling) it
 * competes as it stands, not charged up to now.
 */
struct mos_sched_entity *mos_sched_rq_peek(const struct mos_sched_rq *rq, uint64_t now);
void mos_sched_rq_put_prev(struct mos_sched_rq *rq, struct mos_sched_entity *se,
			   uint64_t now);
/*
 * Makes a queued entity current (set_next_task()): the one peek returned,
 * or a running task that changed class or parameters (then even a
 * throttled EDF entity, which the next tick reschedules).
 */
void mos_sched_rq_set_next(struct mos_sched_rq *rq, struct mos_sched_entity *se,
			   uint64_t now);
/* Charges the current entity up to now (update_curr()). */
void mos_sched_rq_update_curr(struct mos_sched_rq *rq, uint64_t now);
/*
 * Accounts, enforces EDF budgets, replenishes throttled EDF entities whose
 * period came, and checks the fair slice. Call from the scheduler tick and
 * from the shim's hrtimer at mos_sched_rq_next_event(). True: reschedule.
 */
bool mos_sched_rq_tick(struct mos_sched_rq *rq, uint64_t now);
/*
 * When the queue next needs mos_sched_rq_tick() to keep EDF exact: the
 * current EDF entity's budget running out, or the earliest replenishment.
 * UINT64_MAX: nothing pending. Re-read after every call that changed the
 * queue and program one hrtimer per CPU with it.
 */
uint64_t mos_sched_rq_next_event(const struct mos_sched_rq *rq);
/* sched_yield(): fair gives way to the next entity; EDF ends its job. */
void mos_sched_rq_yield(struct mos_sched_rq *rq, uint64_t now);
/* After enqueueing se on rq: should it preempt the current entity? */
bool mos_sched_rq_wakeup_preempt(struct mos_sched_rq *rq,
				 const struct mos_sched_entity *se, uint64_t now);
/* Runnable entities that may run now: fair + unthrottled EDF (for rq->nr_running). */
uint32_t mos_sched_rq_nr_running(const struct mos_sched_rq *rq);
/*
 * The load the scheduling-domain tree balances: the weights of the queued
 * fair entities, current included (nice 0 is 1024, as in CFS), plus 1024
 * for each runnable (unthrottled) EDF entity. An EDF entity counts as one
 * nice-0 task so that a CPU where EDF jobs wait looks busy to an idle
 * CPU's pull; its bandwidth is also taken off capacity.
 */
uint64_t mos_sched_rq_load(const struct mos_sched_rq *rq);

/*
 * Migration. The kernel's migrate_task_rq() (a task on no queue, src's
 * lock not needed) is detach from the source, then attach at the next
 * enqueue on the destination (the one with MULTIOS_ENQ_MIGRATED).
 * detach takes se off src (dequeuing it if queued) and makes its
 * virtual runtime relative to src's min_vruntime, like CFS's
 * migrate_task_rq_fair(); for a sleeping entity it reads src's
 * min_vruntime without src's lock (an atomic load), as a wakeup migration
 * needs. attach enqueues it on dst (the dst lock held), rebased on dst's
 * min_vruntime, and counts the migration. EDF deadlines are absolute and
 * move unchanged: every run queue clock must share one timebase.
 */
/*
 * Load balancing, rq's lock held: the queued, waiting entity that comes
 * after `after` (NULL: the first) in the order entities should leave
 * this queue. EDF entities first, earliest deadline first: one waiting
 * behind an earlier deadline runs at once on a CPU with no EDF work (as
 * SCHED_DEADLINE's pull does); throttled ones stay. Then fair entities,
 * smallest vruntime first (the least recently run, so the coldest in
 * this CPU's caches). Never the current entity. NULL when there are no
 * more, or `after` is not waiting here. The caller skips those the
 * kernel will not move (affinity) and EDF ones the destination cannot
 * run at once.
 */
struct mos_sched_entity *mos_sched_rq_migrate_candidate(const struct mos_sched_rq *rq,
							const struct mos_sched_entity *after);

void mos_sched_rq_detach(struct mos_sched_rq *src, struct mos_sched_entity *se,
			 uint64_t now);
void mos_sched_rq_attach(struct mos_sched_rq *dst, struct mos_sched_entity *se,
			 uint32_t flags, uint64_t now);

/* ---- statistics (/proc/multios/sched) ------------------------------------ */
struct mos_sched_rq_stats {
	uint32_t nr_fair;		/* runnable fair entities, current included */
	uint32_t nr_edf;		/* runnable EDF entities not throttled */
	uint32_t nr_edf_throttled;	/* waiting for their next period */
	uint32_t reserved;
	uint64_t nr_switches;		/* picks of a different entity */
	uint64_t nr_migrations;		/* entities attached from another queue */
	uint64_t edf_misses;		/* jobs late with budget left */
	uint64_t edf_throttles;		/* budgets exhausted while runnable */
	uint64_t edf_running_bw;	/* sum over queued EDF entities, BW units */
	uint64_t min_vruntime;
};

struct mos_sched_entity_stats {
	int32_t policy;			/* enum mos_sched_policy */
	int32_t nice;
	uint64_t sum_exec_ns;
	uint64_t nr_picks;		/* times made current */
	uint64_t vruntime;
	uint64_t wait_start;		/* fair: last started to wait here */
	uint64_t edf_deadline;		/* absolute */
	int64_t edf_runtime_left;
	uint64_t edf_bw;
	uint64_t edf_misses;
	uint64_t edf_throttles;
	bool edf_throttled;
};

void mos_sched_rq_get_stats(const struct mos_sched_rq *rq, struct mos_sched_rq_stats *out);
void mos_sched_entity_get_stats(const struct mos_sched_entity *se,
			    struct mos_sched_entity_stats *out);
/* NULL when every invariant holds, else what broke (KUnit and host tests). */
const char *mos_sched_rq_check(const struct mos_sched_rq *rq);

/* ---- EDF admission ---------------------------------------------------------
 * The sum of admitted utilizations (runtime/period) of a CPU set stays at
 * most edf_util_cap percent of each of its nr_cpus CPUs, and no task may
 * ask for more than the cap of one CPU. Thread-safe (own spinlock).
 */
/* -EINVAL for parameters SCHED_DEADLINE would refuse (see limits above). */
int mos_sched_edf_params_check(const struct mos_sched_edf_params *params);
/* runtime / period in BW units; params must have passed the check. */
uint64_t mos_sched_edf_bw(const struct mos_sched_edf_params *params);

struct mos_sched_admission *mos_sched_admission_create(uint32_t nr_cpus,
							mos_gfp_t gfp);
void mos_sched_admission_destroy(struct mos_sched_admission *adm);
/* -EINVAL bad params, -EBUSY over the cap; nothing changes on error. */
int mos_sched_admission_admit(struct mos_sched_admission *adm,
			      const struct mos_sched_edf_params *params);
void mos_sched_admission_release(struct mos_sched_admission *adm,
				 const struct mos_sched_edf_params *params);
/* Atomically swaps old's bandwidth for new's (a parameter change). */
int mos_sched_admission_change(struct mos_sched_admission *adm,
			       const struct mos_sched_edf_params *old_params,
			       const struct mos_sched_edf_params *new_params);
/* -EINVAL outside 1..100; -EBUSY below what is admitted; else set. */
int mos_sched_admission_set_cap(struct mos_sched_admission *adm, uint32_t percent);
uint32_t mos_sched_admission_cap(struct mos_sched_admission *adm);
/* CPU hot-plug: -EBUSY if the admitted total would no longer fit. */
int mos_sched_admission_set_nr_cpus(struct mos_sched_admission *adm, uint32_t nr_cpus);
uint64_t mos_sched_admission_total_bw(struct mos_sched_admission *adm);

/*
 * Test hook (test_fault "warn", only with the module's test_hooks=1): a
 * MOS_WARN_ON of the core fails, through whatever handler the core was
 * built with (mos_sched_warn() in the module), as a real one would.
 * Returns true.
 */
bool mos_sched_test_invariant_failure(void);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_SCHED_H */
