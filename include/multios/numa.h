/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C ABI between the multios_numa shim (kernel C: the control file,
 * sysfs, the hooks of the NUMA patch, page migration) and its C++ core
 * (modules/numa/core/): node lists, policies, control requests, the
 * migration budget and the placement decision of the 'auto' policy.
 *
 * Contexts: nothing in this file allocates or sleeps, and nothing takes a
 * lock. Parsers and formatters run in process context (sysfs/procfs
 * store and show). A budget and a range state are plain data: the shim
 * serialises calls on one of them (one spinlock for the machine-wide
 * budget; the range's own lock for its state). Statistics are plain
 * counters the caller serialises the same way (or keeps per CPU).
 *
 * Text comes as (text, len), as a sysfs store gets it: not
 * NUL-terminated, one trailing '\n' accepted. Every parser validates all
 * of its input before it writes anything: on error the output is
 * untouched. Errors are negative errno values (MOS_E* of runtime.h).
 * A policy is over 1 KiB (the per-node interleave weights): allocate it,
 * never put one on a kernel stack.
 */
#ifndef MULTIOS_NUMA_H
#define MULTIOS_NUMA_H

#include <multios/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- node sets ---- */

/* The kernel's largest MAX_NUMNODES (NODES_SHIFT 10). */
#define MOS_NUMA_MAX_NODES	1024u

struct mos_numa_nodemask {
	uint64_t bits[MOS_NUMA_MAX_NODES / 64];
};

static inline bool mos_numa_node_isset(const struct mos_numa_nodemask *mask, uint32_t node)
{
	return node < MOS_NUMA_MAX_NODES && ((mask->bits[node / 64] >> (node % 64)) & 1);
}

static inline void mos_numa_node_set(struct mos_numa_nodemask *mask, uint32_t node)
{
	if (node < MOS_NUMA_MAX_NODES)
		mask->bits[node / 64] |= 1ull << (node % 64);
}

/*
 * The kernel's node list syntax, "0-3,5,7": decimal, ranges ascending
 * (3-3 is node 3), no spaces, duplicates merged, every node below
 * nr_nodes (1..MOS_NUMA_MAX_NODES). -MOS_EINVAL for anything else,
 * an empty list included.
 */
int mos_numa_nodemask_parse(const char *text, size_t len, uint32_t nr_nodes,
			    struct mos_numa_nodemask *out);
/*
 * The nodes below nr_nodes as a list, NUL-terminated. Returns the length,
 * or -MOS_E2BIG if it did not fit (like a sysfs show that was cut).
 * An empty set is "".
 */
int mos_numa_nodemask_format(const struct mos_numa_nodemask *mask, uint32_t nr_nodes,
			     char *buf, size_t size);

/* ---- policies ---- */

enum mos_numa_mode {
	MOS_NUMA_DEFAULT = 0,	/* no policy of ours: what the kernel does */
	MOS_NUMA_BIND,		/* only these nodes */
	MOS_NUMA_PREFERRED,	/* this one node first, then any */
	MOS_NUMA_INTERLEAVE,	/* round robin over the nodes, by weight */
	MOS_NUMA_LOCAL,		/* the node the task runs on */
	MOS_NUMA_AUTO,		/* placement decided by mos_numa_decide() */
	MOS_NUMA_MODE_NR,
};

#define MOS_NUMA_WEIGHT_MAX	255u

struct mos_numa_policy {
	uint32_t mode;		/* enum mos_numa_mode */
	/* Interleave written as "node:weight": formatted the same way. */
	bool weighted;
	struct mos_numa_nodemask nodes;	/* empty for default, local, auto */
	/* Interleave: 1..255 for each node of nodes, 0 elsewhere. */
	uint8_t weights[MOS_NUMA_MAX_NODES];
};

/*
 * "MODE NODES": "bind 0-3", "preferred 2", "interleave 0-3" or
 * "interleave 0:3,1:1" (weights 1..255, each node once, ranges allowed:
 * "0-3:2"), "local", "auto", "default" ("-" for no nodes accepted).
 * preferred takes exactly one node; bind and interleave one or more.
 */
int mos_numa_policy_parse(const char *text, size_t len, uint32_t nr_nodes,
			  struct mos_numa_policy *out);
/*
 * The text mos_numa_policy_parse() reads back to the same policy:
 * "interleave 0-1:3,2:1", "bind 0-3", "local". Length or -MOS_E2BIG.
 */
int mos_numa_policy_format(const struct mos_numa_policy *policy, uint32_t nr_nodes,
			   char *buf, size_t size);
/* "bind", ...; NULL for a mode that does not exist. */
const char *mos_numa_mode_name(uint32_t mode);

/* ---- control requests ---- */

/* What the machine is now: what a request is checked against. */
struct mos_numa_machine {
	uint32_t nr_nodes;	/* nr_node_ids */
	uint32_t page_size;	/* PAGE_SIZE: a power of two, 4096 or more */
	const struct mos_numa_nodemask *online;		/* N_ONLINE */
	const struct mos_numa_nodemask *with_memory;	/* N_MEMORY */
};

#define MOS_NUMA_REQUEST_RANGE	0x1u	/* start/end given */
#define MOS_NUMA_REQUEST_MOVE	0x2u	/* migrate what is already placed */

struct mos_numa_request {
	int32_t pid;		/* > 0 */
	uint32_t flags;		/* MOS_NUMA_REQUEST_* */
	uint64_t start;		/* page-aligned, start < end; with RANGE only */
	uint64_t end;		/* exclusive */
	struct mos_numa_policy policy;
};

/*
 * One line written to the control file:
 *
 *	PID POLICY NODES [0xSTART-0xEND] [move]
 *
 * fields separated by blanks, NODES as in mos_numa_policy_parse() ("-"
 * or nothing for local/auto/default), addresses hex with "0x". Syntax
 * errors are -MOS_EINVAL; then a node that is not online is -MOS_ENODEV,
 * and a node without memory -MOS_EINVAL (no allocation could use it).
 */
int mos_numa_request_parse(const char *text, size_t len,
			   const struct mos_numa_machine *machine,
			   struct mos_numa_request *out);

/* ---- migration budget ---- */

/*
 * A token bucket of pages per second for the whole machine, so that
 * migration cannot eat the memory bandwidth the tasks need. Granted
 * pages over any window of W ns never exceed burst + rate * W / 1e9.
 * Time is the caller's monotonic clock in ns; a clock that goes back is
 * taken as no time passed. The shim holds one lock around every call.
 */
struct mos_numa_budget {
	uint64_t opaque[6];
};

struct mos_numa_budget_stats {
	uint64_t granted;	/* pages */
	uint64_t refused;	/* pages asked for and not granted */
};

/*
 * Rate 0 turns migration off. burst: at most one second's worth (the
 * rate); 0 means the rate. The bucket starts full.
 */
void mos_numa_budget_init(struct mos_numa_budget *budget, uint32_t pages_per_sec,
			  uint32_t burst_pages, uint64_t now_ns);
/* A knob store: pages earned so far at the old rate are kept, up to the new burst. */
void mos_numa_budget_set_rate(struct mos_numa_budget *budget, uint32_t pages_per_sec,
			      uint32_t burst_pages, uint64_t now_ns);
/* How many of `pages` may be migrated now (0..pages); they are spent. */
uint64_t mos_numa_budget_take(struct mos_numa_budget *budget, uint64_t now_ns,
			      uint64_t pages);
void mos_numa_budget_get_stats(const struct mos_numa_budget *budget,
			       struct mos_numa_budget_stats *stats);

/* ---- placement for the 'auto' policy ---- */

/*
 * One interval's view of a range (or of a task's whole memory). Samples
 * count accesses by the node of the CPU that made them (NUMA hinting
 * faults, accessed-bit scans); pages count where the range lives now.
 * distance is the SLIT, row-major nr_nodes x nr_nodes, 10 = local.
 */
struct mos_numa_placement_input {
	uint32_t nr_nodes;
	uint32_t task_node;		/* where the range's owner runs */
	const uint64_t *pages;		/* [nr_nodes] */
	const uint32_t *samples;	/* [nr_nodes] */
	const uint8_t *distance;	/* [nr_nodes * nr_nodes] */
};

struct mos_numa_placement_knobs {
	/* Per mille of samples that must be remote before a range moves. */
	uint32_t migration_threshold;
	/* Fewer samples in an interval decide nothing. */
	uint32_t min_samples;
	/* Intervals after a move during which the range does not move again. */
	uint32_t settle_intervals;
	/* A move back within this many intervals of a move is a ping-pong... */
	uint32_t pingpong_window;
	/* ...and pins the range where it is for this many intervals. */
	uint32_t pin_intervals;
	/*
	 * Pages worth migrating per remote sample of one interval at one
	 * local distance (10) of extra distance: memory moves when the pages
	 * to move are at most the weighted remote samples times this;
	 * otherwise the task may move to its memory instead.
	 */
	uint32_t pages_per_remote_sample;
};

#define MOS_NUMA_DEFAULT_MIGRATION_THRESHOLD	100u
#define MOS_NUMA_DEFAULT_MIN_SAMPLES		8u
#define MOS_NUMA_DEFAULT_SETTLE_INTERVALS	3u
#define MOS_NUMA_DEFAULT_PINGPONG_WINDOW	8u
#define MOS_NUMA_DEFAULT_PIN_INTERVALS		32u
#define MOS_NUMA_DEFAULT_PAGES_PER_REMOTE_SAMPLE 256u
/* Pins double with each ping-pong (16x at most): this keeps them in 32 bits. */
#define MOS_NUMA_MAX_PIN_INTERVALS		(1u << 20)

enum mos_numa_action {
	MOS_NUMA_ACT_NONE = 0,
	MOS_NUMA_ACT_MOVE_MEMORY,	/* node, pages: migrate to node */
	MOS_NUMA_ACT_MOVE_TASK,		/* node: run the owner there */
	MOS_NUMA_ACT_INTERLEAVE,	/* nodes: spread the range over them */
	MOS_NUMA_ACT_NR,
};

/* Why: one counter each in mos_numa_placement_stats. */
enum mos_numa_reason {
	MOS_NUMA_WHY_TOO_FEW_SAMPLES = 0,	/* NONE */
	MOS_NUMA_WHY_NO_PAGES,			/* NONE: nothing placed yet */
	MOS_NUMA_WHY_PINNED,			/* NONE: after a ping-pong */
	MOS_NUMA_WHY_BELOW_THRESHOLD,		/* NONE: local enough */
	MOS_NUMA_WHY_ALREADY_SHARED,		/* NONE: interleaved already */
	MOS_NUMA_WHY_HYSTERESIS,		/* NONE: moved recently */
	MOS_NUMA_WHY_PING_PONG,			/* NONE: would move back; pinned now */
	MOS_NUMA_WHY_TOO_COSTLY,		/* NONE: neither move pays */
	MOS_NUMA_WHY_IN_PLACE,			/* NONE: on its busiest node already */
	MOS_NUMA_WHY_SHARED,			/* INTERLEAVE */
	MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK,	/* MOVE_MEMORY to the owner's node */
	MOS_NUMA_WHY_MEMORY_FOLLOWS_ACCESSES,	/* MOVE_MEMORY to other threads' node */
	MOS_NUMA_WHY_TASK_FOLLOWS_MEMORY,	/* MOVE_TASK */
	MOS_NUMA_WHY_NR,
};

struct mos_numa_decision {
	uint32_t action;	/* enum mos_numa_action */
	uint32_t reason;	/* enum mos_numa_reason */
	uint32_t node;		/* MOVE_MEMORY, MOVE_TASK */
	uint64_t pages;		/* MOVE_MEMORY: pages not on node yet */
	struct mos_numa_nodemask nodes;	/* INTERLEAVE */
};

/* Per range (or task): what hysteresis and ping-pong detection remember. */
struct mos_numa_range_state {
	uint32_t last_action;		/* enum mos_numa_action */
	uint32_t last_reason;		/* enum mos_numa_reason */
	uint32_t intervals_since_move;	/* saturates; large when never moved */
	uint32_t pin_left;		/* intervals still pinned */
	uint32_t last_move_kind;	/* MOVE_MEMORY, MOVE_TASK or NONE */
	uint32_t last_from;		/* the last move's nodes */
	uint32_t last_to;
	uint32_t moves;			/* moves and interleaves decided */
	uint32_t ping_pongs;
	bool interleaved;
	/*
	 * The nodes of the last interleave, folded to 64 bits (bit n % 64 for
	 * node n, to keep the state small): shared accesses from these alone
	 * are "already shared"; one from elsewhere interleaves again. Exact
	 * up to 64 nodes; beyond, a node 64 apart from one of the set passes
	 * for it.
	 */
	uint64_t interleave_fold;
};

struct mos_numa_placement_stats {
	uint64_t decisions[MOS_NUMA_WHY_NR];	/* by reason */
	uint64_t pages_to_move;			/* sum of MOVE_MEMORY pages */
};

void mos_numa_placement_knobs_default(struct mos_numa_placement_knobs *knobs);
/*
 * -MOS_EINVAL: a threshold over 1000, a zero pages_per_remote_sample, or
 * a pin_intervals over MOS_NUMA_MAX_PIN_INTERVALS.
 */
int mos_numa_placement_knobs_check(const struct mos_numa_placement_knobs *knobs);
void mos_numa_range_state_init(struct mos_numa_range_state *state);

/*
 * One interval's decision for one range: advances *state (a decision
 * that moves counts as done: the next intervals settle, whether or not
 * the shim's budget let all of it happen) and counts the reason in
 * *stats (may be NULL). -MOS_EINVAL for bad input or knobs, and then
 * nothing is written.
 */
int mos_numa_decide(const struct mos_numa_placement_input *input,
		    const struct mos_numa_placement_knobs *knobs,
		    struct mos_numa_range_state *state,
		    struct mos_numa_decision *decision,
		    struct mos_numa_placement_stats *stats);

/* "move_memory", "below_threshold", ...: the names of the statistics. */
const char *mos_numa_action_name(uint32_t action);
const char *mos_numa_reason_name(uint32_t reason);
/*
 * One line, "too_few_samples=0 no_pages=0 ... pages_to_move=0\n", like
 * zram's mm_stat but named. Length or -MOS_E2BIG.
 */
int mos_numa_placement_stats_format(const struct mos_numa_placement_stats *stats,
				    char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MULTIOS_NUMA_H */
