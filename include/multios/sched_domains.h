/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C ABI of multios_sched's scheduling-domain tree and load balancers
 * (modules/sched/core/domain_*.cpp, balance*.cpp, placement.cpp).
 *
 * A tree is built once from per-CPU topology descriptors (the CPUs to
 * include, usually the online ones) and the node distance matrix, then
 * never changes: a hot-plug event or a domain_size change builds a new
 * tree, and the caller swaps it in (RCU in the kernel) and frees the old
 * one after a grace period. Only the load statistics inside a tree change
 * after the build, through atomics: mos_sched_domains_update_cpu() from
 * each CPU (under its run-queue lock), and the cached group summaries it
 * refreshes on the way up. Every other call only reads, takes no lock,
 * never allocates and may run on any CPU concurrently with the others.
 *
 * Levels: a CPU's domains are numbered from 0, the smallest group above
 * the CPU itself, up to mos_sched_domains_nr_levels(cpu) - 1, the root.
 * Different CPUs may have different numbers of levels (asymmetric
 * machines, domain_size splits).
 *
 * Load: the weighted load of runnable tasks (a nice-0 task is 1024, the
 * CFS weight). Capacity: 1..1024 per CPU (1024 a whole CPU; thermal
 * pressure or a slower core reduces it). EDF utilization: the EDF
 * bandwidth queued on the CPU, in the same 1024 scale; it is taken off
 * the capacity the fair load may use, like the kernel's rt/dl pressure.
 *
 * The learned balancer keeps one online model per tree (its weights are
 * the only state besides the statistics that changes after the build):
 * the caller describes each migration it made with
 * mos_sched_domains_move_features() and later reports what happened with
 * mos_sched_domains_learn(); the model is Q16.16 fixed point (no FPU).
 *
 * Errors are negative errno values (MOS_EINVAL ... from runtime.h).
 * Design: Documentation/dev/sched-domains.rst.
 */
#ifndef MULTIOS_SCHED_DOMAINS_H
#define MULTIOS_SCHED_DOMAINS_H

#include <multios/runtime.h>
#include <multios/topology.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MOS_SD_CAPACITY_SCALE		1024u
#define MOS_SD_LOAD_NICE_0		1024u

/* domain_size: most CPUs (or child groups) under one domain. */
#define MOS_SD_DOMAIN_SIZE_DEFAULT	16u
#define MOS_SD_DOMAIN_SIZE_MIN		2u
#define MOS_SD_DOMAIN_SIZE_MAX		256u

/* imbalance_pct: busiest must exceed local by this percentage (CFS: 117). */
#define MOS_SD_IMBALANCE_PCT_DEFAULT	117u
#define MOS_SD_IMBALANCE_PCT_MIN	100u
#define MOS_SD_IMBALANCE_PCT_MAX	1000u

/* A task that ran less than this ago is cache hot (sched_migration_cost). */
#define MOS_SD_MIGRATION_COST_NS_DEFAULT	500000ull

/* Most CPUs a tree may hold: the kernel's largest NR_CPUS. */
#define MOS_SD_MAX_CPUS			8192u

enum mos_sd_algo {
	MOS_SD_ALGO_LOAD = 0,	/* busiest group to the idlest, imbalance_pct */
	MOS_SD_ALGO_NUMA = 1,	/* load, weighed by distance and task memory */
	MOS_SD_ALGO_CACHE = 2,	/* load, keeping cache-hot tasks where they ran */
	MOS_SD_ALGO_LEARNED = 3,	/* load's candidates, scored by an online model */
	MOS_SD_NR_ALGOS
};

enum mos_sd_power_mode {
	MOS_SD_POWER_PERFORMANCE = 0,	/* spread: idle CPUs first */
	MOS_SD_POWER_BALANCED = 1,	/* pack inside an LLC, spread across LLCs */
	MOS_SD_POWER_POWERSAVE = 2,	/* pack onto as few CPUs as possible */
	MOS_SD_NR_POWER_MODES
};

/* What a group stands for: the topology levels whose group it equals. */
#define MOS_SD_LVL_SMT		(1u << 0)
#define MOS_SD_LVL_CLUSTER	(1u << 1)
#define MOS_SD_LVL_LLC		(1u << 2)
#define MOS_SD_LVL_PACKAGE	(1u << 3)
#define MOS_SD_LVL_NODE		(1u << 4)
#define MOS_SD_LVL_NUMA		(1u << 5)	/* a group of nodes */
#define MOS_SD_LVL_SPLIT	(1u << 6)	/* made by domain_size */

/* Fixed when the tree is built; a change means a rebuild. */
struct mos_sd_build_params {
	uint32_t domain_size;		/* MOS_SD_DOMAIN_SIZE_MIN..MAX */
	uint32_t reserved;		/* 0 */
	/*
	 * A group summary at height h (1: just above CPUs) is refreshed
	 * from its children at most once per h * stats_interval_ns.
	 * 0: on every update (exact; tests and the simulator).
	 */
	uint64_t stats_interval_ns;
};

/* Runtime knobs, read at every call: changing them needs no rebuild. */
struct mos_sd_policy {
	uint32_t algo;			/* enum mos_sd_algo */
	uint32_t power_mode;		/* enum mos_sd_power_mode */
	uint32_t imbalance_pct;		/* MOS_SD_IMBALANCE_PCT_MIN..MAX */
	uint32_t reserved;		/* 0 */
	uint64_t migration_cost_ns;	/* cache hotness window */
};

/* One CPU's input, written by that CPU. */
struct mos_sd_cpu_stats {
	uint64_t load;			/* sum of runnable tasks' weights */
	uint32_t nr_running;
	uint32_t capacity;		/* 1..1024 */
	uint32_t edf_util;		/* 0..1024 */
	uint32_t reserved;		/* 0 */
};

/* A group's (or a CPU's) summary, as last refreshed. */
struct mos_sd_group_stats {
	uint64_t load;
	uint64_t edf_util;
	uint64_t updated_ns;		/* when it was computed */
	uint32_t nr_running;
	uint32_t nr_cpus;
	uint32_t capacity;		/* sum of capacity - edf_util, each >= 1 */
	uint32_t idle_cpus;		/* nr_running == 0 */
};

/* What the balancers and placement know about one task. */
#define MOS_SD_TASK_MEM_NODES	4u
struct mos_sd_task {
	uint64_t load;			/* its weight (nice 0: 1024) */
	uint64_t last_ran_ns;		/* when it last stopped running; 0: never ran */
	int32_t preferred_node;		/* -1: none */
	uint32_t nr_mem;		/* valid entries of mem[] */
	struct {
		uint32_t node;
		uint32_t share;		/* of its pages, in 1/1024 */
	} mem[MOS_SD_TASK_MEM_NODES];
	uint32_t flags;			/* MOS_SD_TASK_* */
	uint32_t reserved;		/* 0 */
};

/* A task being forked: placed by spreading, not next to where it was made. */
#define MOS_SD_TASK_NEW		(1u << 0)
/* move_features: a waking task, not counted in src's statistics. */
#define MOS_SD_TASK_WAKING	(1u << 1)

/* A decision of mos_sched_domains_find_busiest(). */
struct mos_sd_imbalance {
	int32_t src_cpu;		/* pull from here */
	int32_t dst_cpu;		/* to here (the balancing CPU) */
	uint64_t load;			/* how much load to move */
	uint32_t level;			/* the domain it was found in */
	uint32_t src_group;		/* first CPU of the busiest group */
};

/*
 * The learned balancer's model (Q16.16 fixed point: 1.0 is MOS_SD_Q16_ONE).
 * Features of a move of a task from src to dst, in this order:
 *   0 bias (1.0)             1 src - dst load per capacity, in nice-0 tasks
 *   2 dst idle (0/1)         3 src nr_running / 4 (at most 8 tasks)
 *   4 (distance - 10) / 10   5 src and dst share an LLC (0/1)
 *   6 hotness (0..1 of migration_cost)
 *   7 locality gain: (locality cost on src - on dst) / (1024 * 10)
 *   8 task load / 1024
 *   9 memory speed gain: speed on dst - on src, a CPU's speed for the
 *     task being 10 / its share-weighted distance to the task's memory
 *  10 expected progress gain: share of dst's CPU x speed there - the same
 *     on src, the share being load / (the CPU's load with the task) x
 *     capacity / 1024: what the move pays if nothing else changes
 * Each is clamped to +-MOS_SD_LEARNED_FEATURE_MAX.
 */
#define MOS_SD_Q16_ONE			65536
#define MOS_SD_LEARNED_FEATURES		11u
#define MOS_SD_LEARNED_FEATURE_MAX	(8 * MOS_SD_Q16_ONE)

/* A migration as the model saw it when it was made; kept until learn(). */
struct mos_sd_move {
	int32_t src_cpu;
	int32_t dst_cpu;
	int32_t feature[MOS_SD_LEARNED_FEATURES];	/* Q16.16 */
	uint32_t reserved;				/* 0 */
};

/* The task was moved back to src (ping-pong) before the outcome was taken. */
#define MOS_SD_OUTCOME_PULLED_BACK	(1u << 0)

/*
 * What happened after a migration, over a window of window_ns after it:
 * the useful run time the task got on dst (CPU time, scaled down by how
 * far it now runs from its memory) and the caller's estimate of what it
 * would have got had it stayed on src. The model's target is
 * (progress_dst - progress_src) / window, less 0.5 for a ping-pong.
 */
struct mos_sd_outcome {
	uint64_t window_ns;		/* > 0 */
	uint64_t progress_dst_ns;	/* <= window_ns */
	uint64_t progress_src_ns;	/* <= window_ns */
	uint32_t flags;			/* MOS_SD_OUTCOME_* */
	uint32_t reserved;		/* 0 */
};

/* The model, for tests and the dump. */
struct mos_sd_model_stats {
	uint64_t updates;				/* learn() calls taken */
	int32_t weight[MOS_SD_LEARNED_FEATURES];	/* Q16.16 */
	int32_t mean_abs_error;		/* Q16.16, running mean of |target - prediction| */
	int32_t mean_abs_target;	/* Q16.16, running mean of |target| */
	uint32_t trusted;		/* 0: learned falls back to load's choices */
	uint64_t explored;		/* pulls made although predicted to lose */
};

/* One domain on a CPU's chain (tests, the dump). */
struct mos_sd_domain_info {
	uint32_t levels;		/* MOS_SD_LVL_* it stands for */
	uint32_t first_cpu;		/* first in topology order */
	uint32_t nr_cpus;
	uint32_t nr_children;		/* groups (or CPUs) under it */
	uint32_t height;		/* 1: its children are CPUs */
	uint32_t balance_interval_ms;	/* nr_cpus ms, as the kernel's sd_weight */
};

struct mos_sched_domains;

/* -EINVAL unless in range; check before building. */
int mos_sd_build_params_check(const struct mos_sd_build_params *params);
void mos_sd_build_params_default(struct mos_sd_build_params *params);
int mos_sd_policy_check(const struct mos_sd_policy *policy);
void mos_sd_policy_default(struct mos_sd_policy *policy);
/* "load", "numa", "cache", "learned" (a trailing newline allowed): the value or -EINVAL. */
int mos_sd_algo_parse(const char *buf, size_t len);
const char *mos_sd_algo_name(uint32_t algo);
/* "performance", "balanced", "powersave". */
int mos_sd_power_mode_parse(const char *buf, size_t len);
const char *mos_sd_power_mode_name(uint32_t mode);

/*
 * Builds a tree over nr_cpus CPUs described by cpus[] (any order; CPU
 * ids unique and below MOS_SD_MAX_CPUS, holes allowed) with nr_nodes
 * nodes and distance[from * nr_nodes + to] (MOS_TOPO_LOCAL_DISTANCE on
 * the diagonal, larger elsewhere). -EINVAL on inconsistent input,
 * -ENOMEM, -E2BIG for more levels than the tree supports. Sleeps
 * (MOS_GFP_KERNEL) unless gfp says otherwise; *out set only on success.
 */
int mos_sched_domains_build(const struct mos_cpu_desc *cpus, uint32_t nr_cpus,
			    const uint32_t *distance, uint32_t nr_nodes,
			    const struct mos_sd_build_params *params, mos_gfp_t gfp,
			    struct mos_sched_domains **out);
/* After every reader is gone (an RCU grace period). NULL is ignored. */
void mos_sched_domains_destroy(struct mos_sched_domains *sd);
/*
 * Seeds a new tree's CPU statistics from the old one's, for the CPUs in
 * both (before the swap, so balancing does not start from zero), and the
 * learned model's weights (a rebuild does not forget what it learned).
 */
void mos_sched_domains_copy_stats(struct mos_sched_domains *to,
				  const struct mos_sched_domains *from, uint64_t now);

uint32_t mos_sched_domains_nr_cpus(const struct mos_sched_domains *sd);
uint32_t mos_sched_domains_nr_groups(const struct mos_sched_domains *sd);
/* Longest chain from a CPU to the root, in domains. */
uint32_t mos_sched_domains_height(const struct mos_sched_domains *sd);
bool mos_sched_domains_has_cpu(const struct mos_sched_domains *sd, uint32_t cpu);
/* Domains above cpu (0 when the tree has one CPU), or -EINVAL. */
int mos_sched_domains_nr_levels(const struct mos_sched_domains *sd, uint32_t cpu);
int mos_sched_domains_domain_info(const struct mos_sched_domains *sd, uint32_t cpu,
				  uint32_t level, struct mos_sd_domain_info *out);
/* Whether a and b share a group that stands for any of levels_mask. */
bool mos_sched_domains_share(const struct mos_sched_domains *sd, uint32_t a,
			     uint32_t b, uint32_t levels_mask);

/*
 * Records cpu's statistics and refreshes the summaries above it that are
 * due. Call from that CPU with its run-queue lock held (tick, enqueue,
 * dequeue). -EINVAL for a CPU not in the tree or capacity outside
 * 1..1024; nothing changes then.
 */
int mos_sched_domains_update_cpu(struct mos_sched_domains *sd, uint32_t cpu,
				 const struct mos_sd_cpu_stats *stats, uint64_t now);
/*
 * CPUs with a task waiting (two or more runnable tasks of the class), as
 * the last update_cpu() of each CPU in this tree left it: exact, not a
 * summary of intervals. At 0 no balancing pass can find a task to move.
 */
uint32_t mos_sched_domains_waiting_cpus(const struct mos_sched_domains *sd);
/* The cached summary of cpu's domain at level (level -1: the CPU itself). */
int mos_sched_domains_group_stats(const struct mos_sched_domains *sd, uint32_t cpu,
				  int32_t level, struct mos_sd_group_stats *out);

/*
 * One balancing decision for this_cpu in its domain at level: 1 and *out
 * filled when load should move from out->src_cpu to this_cpu, 0 when the
 * domain is balanced (by the policy's rules), -EINVAL for bad arguments.
 * Reads cached summaries only: O(fan-out x depth).
 */
int mos_sched_domains_find_busiest(const struct mos_sched_domains *sd, uint32_t this_cpu,
				   uint32_t level, const struct mos_sd_policy *policy,
				   struct mos_sd_imbalance *out);
/*
 * Which of the nr tasks queued on src to move to dst, moving at most
 * max_load: its index, or -EAGAIN when none should move (too heavy,
 * numa: its memory is closer to src, cache: hot and dst shares no LLC).
 */
int mos_sched_domains_pick_task(const struct mos_sched_domains *sd,
				const struct mos_sd_task *tasks, uint32_t nr,
				uint32_t src_cpu, uint32_t dst_cpu, uint64_t max_load,
				const struct mos_sd_policy *policy, uint64_t now);
/*
 * Wake-up (and fork) placement: the CPU to run task on. prev_cpu: where
 * it last ran, waker_cpu: the CPU waking it; either may be -1 or a CPU
 * no longer in the tree. A new task (MOS_SD_TASK_NEW) in performance
 * mode goes to the idlest CPU of the whole tree, as CFS's fork balancing
 * does: it has no cache to keep, and a task that never sleeps would
 * otherwise stay next to its parent (balancing pulls only waiting
 * tasks). Returns a CPU of the tree, or -EINVAL.
 */
int mos_sched_domains_select_cpu(const struct mos_sched_domains *sd,
				 const struct mos_sd_task *task, int32_t prev_cpu,
				 int32_t waker_cpu, const struct mos_sd_policy *policy,
				 uint64_t now);

/*
 * The learned balancer's feedback loop. move_features: the features of
 * moving task from src_cpu to dst_cpu now (call it when the move is made,
 * keep *out with the task). learn: one fixed-point LMS step of the tree's
 * model towards what happened (lock-free: concurrent calls may lose one
 * of two racing updates, never corrupt a weight). model_stats: a copy of
 * the model. -EINVAL on bad arguments (a feature out of range, an outcome
 * longer than its window, reserved fields set).
 */
int mos_sched_domains_move_features(const struct mos_sched_domains *sd,
				    const struct mos_sd_task *task, uint32_t src_cpu,
				    uint32_t dst_cpu, const struct mos_sd_policy *policy,
				    uint64_t now, struct mos_sd_move *out);
int mos_sched_domains_learn(struct mos_sched_domains *sd, const struct mos_sd_move *move,
			    const struct mos_sd_outcome *outcome);
int mos_sched_domains_model_stats(const struct mos_sched_domains *sd,
				  struct mos_sd_model_stats *out);

/*
 * The tree for /proc/multios/sched/domains: one line per group, indented
 * by depth. Length written, or -E2BIG if buf was too small (then it holds
 * a cut, NUL-terminated prefix).
 */
int mos_sched_domains_show(const struct mos_sched_domains *sd, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_SCHED_DOMAINS_H */
