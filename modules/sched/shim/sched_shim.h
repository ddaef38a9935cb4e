/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_sched shim: what its C files share. Kernel C only; the policy
 * is the C++ core behind include/multios/sched.h.
 */
#ifndef MULTIOS_SCHED_SHIM_H
#define MULTIOS_SCHED_SHIM_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <multios/sched.h>

#include <multios/sched_domains.h>

/* Levels of a CPU's domains with their own periodic-balancing clock. */
#define MULTIOS_SCHED_BALANCE_SLOTS	8

/* Moves a CPU waits to learn from at once (learned.c). */
#define MULTIOS_SCHED_LEARN_SLOTS	4

/* A migration to this CPU whose outcome the learned model waits for. */
struct multios_sched_move {
	pid_t pid;			/* global pid; 0: a free slot */
	u64 start_time;			/* the task's start_time: pid reuse */
	int src_cpu;
	u64 start_ns;			/* local_clock() at the move */
	u64 start_runtime;		/* the task's sum_exec_runtime then */
	u64 src_share;			/* of the source CPU it had, Q16 */
	struct mos_sd_move move;	/* the model's features of it */
};

/* One per possible CPU, from the ops table's enable() to its disable(). */
struct multios_sched_cpu {
	struct mos_sched_rq *rq;	/* under that CPU's rq lock */
	/*
	 * Written under the rq lock, read locklessly by select_cpu():
	 * tasks of the class queued here, and the EDF bandwidth of those.
	 */
	unsigned int nr_queued;
	u64 edf_bw;
	/* For select_cpu() and balancing: first CPU of its LLC, its node. */
	int llc;
	int node;
	/* jiffies of this CPU's last multios_kick_balance(): one per tick. */
	unsigned long last_kick;
	/* jiffies of the last pull from this CPU (claim_pull()): one per tick. */
	unsigned long last_pulled;
	/*
	 * Under this CPU's rq lock. Periodic balancing: when each level of
	 * the CPU's domains is next due (jiffies; levels past the last slot
	 * share it), and the source it chose for the pull it kicked (-1:
	 * none pending). Its cost, for /proc/multios/sched: decisions asked
	 * of the tree (periodic, newly idle, kicked) and the time they took.
	 */
	unsigned long next_balance[MULTIOS_SCHED_BALANCE_SLOTS];
	int pending_src;
	u64 balance_calls;
	u64 balance_ns;
	/*
	 * Under this CPU's rq lock: the task of the class running here
	 * (set_next to put_prev), or NULL. Only ever compared with current,
	 * never dereferenced: a stale value after a disable matches nothing
	 * that matters (see sched_tick()).
	 */
	struct task_struct *curr;
	/* Under this CPU's rq lock: moves to it the learned model awaits. */
	struct multios_sched_move moves[MULTIOS_SCHED_LEARN_SLOTS];
};

/*
 * Guards the pointers below against enable()/disable() for the knobs;
 * the class's callbacks need no lock (the kernel calls none outside
 * enable..disable). Order: the kernel's multios_mutex, then this one.
 */
extern struct mutex multios_sched_lock;
extern struct multios_sched_cpu *multios_sched_cpus;
extern struct mos_sched_admission *multios_sched_adm;
/* CPUs with no task of the class queued (hint, updated under their rq lock). */
extern struct cpumask *multios_sched_idle;
/* Knob values, kept across disable and applied by enable(). */
extern unsigned int multios_sched_slice_us;
extern unsigned int multios_sched_edf_cap;
extern bool multios_sched_stop_picking;

/*
 * test_fault (knobs.c, present only with test_hooks=1): a fault the
 * class's callbacks inject, for the tests of the kernel's error path.
 * One word, so a CPU disarms a one-shot fault with a cmpxchg: the kind
 * in the low byte, the CPU + 1 above it (0: any CPU).
 */
enum multios_test_fault_kind {
	MULTIOS_TEST_NONE,
	MULTIOS_TEST_PICK,	/* once: peek() gives a task the kernel rejects */
	MULTIOS_TEST_STALL,	/* until "none": peek() hides every task */
	MULTIOS_TEST_WARN,	/* once: a MOS_WARN_ON of the core fails at a tick */
};

#define MULTIOS_TEST_FAULT(kind, cpu)	((kind) | (((cpu) + 1) << 8))
#define MULTIOS_TEST_FAULT_KIND(fault)	((fault) & 0xff)
#define MULTIOS_TEST_FAULT_CPU(fault)	(((fault) >> 8) - 1)
extern atomic_t multios_sched_test_fault;

/* ops.c */
int multios_sched_ops_register(void);
void multios_sched_ops_unregister(void);
int multios_sched_edf_set_cpus(unsigned int nr_cpus);
/* Process context, after a new domain tree is published. */
void multios_sched_record_all_stats(void);

/* hotplug.c: CPU hot-plug callbacks, after domains init, before its exit. */
int multios_sched_hotplug_init(void);
void multios_sched_hotplug_exit(void);

/*
 * domains.c: the scheduling-domain tree behind RCU. init builds it (may
 * sleep); update and busiest run under cpu's rq lock and never sleep.
 */
struct seq_file;
struct mos_sd_policy;
int multios_sched_domains_init(void);
void multios_sched_domains_exit(void);
void multios_sched_domains_changed(void);
void multios_sched_domains_update(int cpu, const struct multios_sched_cpu *c);
void multios_sched_domains_note_memory(struct task_struct *p, int cpu);
int multios_sched_domains_busiest(int cpu, unsigned long *next_balance,
				  unsigned int nr_slots, bool *asked);
struct task_struct;
int multios_sched_domains_select(struct task_struct *p, int prev_cpu, int waker_cpu,
				 bool fork);
/* The most candidates a pull looks at, under two rq locks. */
#define MULTIOS_PICK_CANDIDATES	8
bool multios_sched_domains_weighs_tasks(void);
int multios_sched_domains_pick(struct task_struct *const *cands, unsigned int nr,
			       int src_cpu, int dst_cpu);
/* Under rq locks: the learned model's side (features, outcome, knob). */
bool multios_sched_learning(void);
int multios_sched_domains_move(struct task_struct *p, int src_cpu, int dst_cpu,
			       struct mos_sd_move *out, u64 *src_share);
void multios_sched_domains_learn(const struct mos_sd_move *move,
				 const struct mos_sd_outcome *outcome);
int multios_sched_domains_model_show(struct seq_file *m);
unsigned int multios_sched_domain_size(void);
int multios_sched_set_domain_size(unsigned int size);
void multios_sched_get_policy(struct mos_sd_policy *p);
int multios_sched_set_policy(size_t offset, u32 value);
int multios_sched_domains_show(struct seq_file *m);

/* learned.c: the learned model's feedback (rq locks held; nothing to free) */
void multios_sched_learn_moved(int dst_cpu, struct task_struct *p, int src_cpu);
void multios_sched_learn_tick(int cpu);

/*
 * warn.c: the core's MOS_WARN_ON handler (any context): the first broken
 * invariant since enable() is reported and disables the class.
 */
void mos_sched_warn(const char *file, int line, const char *what);
void multios_sched_warn_reset(void);
unsigned long multios_sched_invariant_failures(void);

/* knobs.c: /sys/kernel/multios/sched, /proc/multios/sched and sched_domains */
int multios_sched_knobs_init(void);
void multios_sched_knobs_exit(void);

#endif /* MULTIOS_SCHED_SHIM_H */
