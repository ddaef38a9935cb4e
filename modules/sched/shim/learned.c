// SPDX-License-Identifier: GPL-2.0-only
/*
 * The learned balancer's feedback in the kernel: what happened after each
 * migration, reported to the domain tree's model (mos_sched_domains_learn()
 * in include/multios/sched_domains.h), so that under balance_algorithm
 * "learned" the model trains on this machine and, once it predicts well
 * enough, places wake-ups.
 *
 * A pull (pick_migrate(), both rq locks held) records the move on the
 * destination CPU: the model's features of it, the task's pid, its
 * sum_exec_runtime and the share of the source CPU it would have had
 * there (its weight over the source's load). LEARN_WINDOW_NS later the
 * destination's tick takes the outcome: the CPU time the task got in the
 * window against the window times that share, and whether it went back
 * to the source meanwhile (ping-pong). A task that exits first teaches
 * nothing. The kernel keeps no per-task memory placement this module can
 * read, so progress is CPU time, not CPU time weighed by memory distance
 * as in the simulator.
 *
 * Slots live in struct multios_sched_cpu, under that CPU's rq lock: a
 * few per CPU, a move finding them all taken is not recorded. They hold
 * no reference to the task: dropping one under the raw rq lock may free
 * (a task_struct's last put, or put_pid()'s kmem_cache_free(), which
 * takes sleeping locks on PREEMPT_RT). A slot keeps the task's global pid
 * and its start_time (the monotonic ns of its fork); the tick looks the
 * pid up under RCU and takes the task only if the start time matches,
 * so a pid reused meanwhile by a younger task counts as an exit. Nothing
 * is left to release at disable.
 */
#include <linux/minmax.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include <multios/sched_domains.h>

#include "sched_shim.h"

/* Long enough for a few ticks and slices on the new CPU. */
#define LEARN_WINDOW_NS		(50 * NSEC_PER_MSEC)

/* Both rq locks held (the pull): p moves from src_cpu to dst_cpu. */
void multios_sched_learn_moved(int dst_cpu, struct task_struct *p, int src_cpu)
{
	struct multios_sched_cpu *c = &multios_sched_cpus[dst_cpu];
	struct multios_sched_move *m = NULL;
	unsigned int i;

	if (!multios_sched_learning())
		return;
	for (i = 0; i < ARRAY_SIZE(c->moves) && !m; i++)
		if (!c->moves[i].pid)
			m = &c->moves[i];
	if (!m || multios_sched_domains_move(p, src_cpu, dst_cpu, &m->move, &m->src_share))
		return;
	m->pid = task_pid_nr(p);
	m->start_time = p->start_time;
	m->src_cpu = src_cpu;
	m->start_ns = local_clock();
	m->start_runtime = READ_ONCE(p->se.sum_exec_runtime);
}

/*
 * The task a slot recorded, if it still lives: the same pid and the same
 * fork time. RCU read lock held: the task_struct is freed after a grace
 * period. The rq-locked caller (IRQs off) is an RCU reader already, but
 * lockdep's check in pid_task() asks for rcu_read_lock() itself.
 */
static struct task_struct *moved_task(const struct multios_sched_move *m)
{
	struct task_struct *p = pid_task(find_pid_ns(m->pid, &init_pid_ns), PIDTYPE_PID);

	return p && p->start_time == m->start_time ? p : NULL;
}

/* cpu's rq lock held (its tick): report the moves whose window is over. */
void multios_sched_learn_tick(int cpu)
{
	struct multios_sched_cpu *c = &multios_sched_cpus[cpu];
	struct mos_sd_outcome outcome = { };
	struct multios_sched_move *m;
	struct task_struct *p;
	u64 now = local_clock(), ran = 0;
	unsigned int i;
	bool alive, back = false;

	for (i = 0; i < ARRAY_SIZE(c->moves); i++) {
		m = &c->moves[i];
		if (!m->pid || now - m->start_ns < LEARN_WINDOW_NS)
			continue;
		rcu_read_lock();
		p = moved_task(m);
		alive = !!p;
		if (alive) {
			ran = READ_ONCE(p->se.sum_exec_runtime) - m->start_runtime;
			back = task_cpu(p) == m->src_cpu;
		}
		rcu_read_unlock();
		m->pid = 0;
		if (!alive)
			continue;
		outcome.window_ns = now - m->start_ns;
		outcome.progress_dst_ns = min(ran, outcome.window_ns);
		outcome.progress_src_ns = min_t(u64, outcome.window_ns,
						(outcome.window_ns * m->src_share) >> 16);
		outcome.flags = back ? MOS_SD_OUTCOME_PULLED_BACK : 0;
		multios_sched_domains_learn(&m->move, &outcome);
	}
}
