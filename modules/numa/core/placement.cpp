// SPDX-License-Identifier: GPL-2.0-only
//
// The 'auto' placement decision (placement.h).

#include "placement.h"

#include <mos/math.h>

#include "node_list.h"
#include "node_set.h"
#include "range_history.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

constexpr const char *action_names[MOS_NUMA_ACT_NR] = {
	"none", "move_memory", "move_task", "interleave",
};

/* The statistics' names: keep in the order of enum mos_numa_reason. */
constexpr const char *reason_names[MOS_NUMA_WHY_NR] = {
	"too_few_samples",	"no_pages",	     "pinned",
	"below_threshold",	"already_shared",    "hysteresis",
	"ping_pong",		"too_costly",	     "in_place",
	"shared",		"memory_follows_task", "memory_follows_accesses",
	"task_follows_memory",
};

/* The SLIT's local distance: one unit of remote cost. */
constexpr uint64_t local_distance = 10;

/* n / d, saturated when the quotient does not fit 64 bits. */
uint64_t div_sat(u128 n, uint64_t d)
{
	uint64_t q = UINT64_MAX;
	div128_u64(uint64_t(n >> 64), uint64_t(n), d, &q);
	return q;
}

Result<uint64_t> check_input(const mos_numa_placement_input &in)
{
	uint64_t total = 0;

	if (!valid_nr_nodes(in.nr_nodes) || in.task_node >= in.nr_nodes || !in.pages ||
	    !in.samples || !in.distance)
		return Error(-MOS_EINVAL);
	for (uint32_t n = 0; n < in.nr_nodes; n++) {
		if (__builtin_add_overflow(total, in.pages[n], &total))
			return Error(-MOS_EINVAL);
	}
	return total;
}

/* One interval's range, and the sums the decision is made of. */
class RangeView {
public:
	RangeView(const mos_numa_placement_input &in, uint64_t total_pages)
		: in_(in), total_pages_(total_pages)
	{
		for (uint32_t n = 0; n < in.nr_nodes; n++) {
			total_samples_ += in.samples[n];
			/* A tie goes to the lowest node, or to the task's own. */
			bool tie_to_task = in.samples[n] == in.samples[busiest_] && n == in.task_node;
			if (in.samples[n] > in.samples[busiest_] || tie_to_task)
				busiest_ = n;
			if (in.pages[n] > in.pages[majority_])
				majority_ = n;
		}
	}

	uint64_t total_pages() const { return total_pages_; }
	uint64_t total_samples() const { return total_samples_; }
	uint64_t pages_on(uint32_t node) const { return in_.pages[node]; }
	uint32_t busiest() const { return busiest_; }
	uint32_t majority() const { return majority_; }
	uint32_t task_node() const { return in_.task_node; }

	/* No node has more than half the samples. */
	bool shared() const { return uint64_t(in_.samples[busiest_]) * 2 <= total_samples_; }

	/* Samples that hit another node, if accesses spread evenly over the pages. */
	uint64_t remote_samples() const
	{
		u128 sum = 0;
		for (uint32_t i = 0; i < in_.nr_nodes; i++)
			sum += u128(in_.samples[i]) * (total_pages_ - in_.pages[i]);
		return div_sat(sum, total_pages_);
	}

	/* Samples times extra SLIT distance, with the pages where they are now. */
	uint64_t remote_cost_now() const
	{
		u128 sum = 0;
		for (uint32_t i = 0; i < in_.nr_nodes; i++) {
			if (!in_.samples[i])
				continue;
			u128 row = 0;
			for (uint32_t j = 0; j < in_.nr_nodes; j++) {
				if (in_.pages[j])
					row += u128(in_.pages[j]) * excess(i, j);
			}
			sum += row * in_.samples[i];
		}
		return div_sat(sum, total_pages_);
	}

	/* The same with every page on `node`. */
	uint64_t remote_cost_on(uint32_t node) const
	{
		uint64_t sum = 0;
		for (uint32_t i = 0; i < in_.nr_nodes; i++)
			sum += uint64_t(in_.samples[i]) * excess(i, node);
		return sum;
	}

	/* Nodes with at least a quarter of the busiest node's samples. */
	bool busy(uint32_t n) const
	{
		return in_.samples[n] && uint64_t(in_.samples[n]) * 4 >= in_.samples[busiest_];
	}

	void busy_nodes(NodeSet *out) const
	{
		for (uint32_t n = 0; n < in_.nr_nodes; n++) {
			if (busy(n))
				out->set(n);
		}
	}

	/* busy_nodes() folded as NodeSet::fold64(), with no set on the stack. */
	uint64_t busy_fold() const
	{
		uint64_t fold = 0;
		for (uint32_t n = 0; n < in_.nr_nodes; n++) {
			if (busy(n))
				fold |= 1ull << (n % 64);
		}
		return fold;
	}

private:
	/* A SLIT below its diagonal is broken firmware: no cost, not a gain. */
	uint32_t excess(uint32_t from, uint32_t to) const
	{
		uint32_t local = in_.distance[from * in_.nr_nodes + from];
		uint32_t d = in_.distance[from * in_.nr_nodes + to];
		return d > local ? d - local : 0;
	}

	const mos_numa_placement_input &in_;
	uint64_t total_pages_;
	uint64_t total_samples_ = 0;
	uint32_t busiest_ = 0;
	uint32_t majority_ = 0;
};

void set_decision(mos_numa_decision *d, uint32_t action, uint32_t reason, uint32_t node = 0,
		  uint64_t pages = 0)
{
	__builtin_memset(d, 0, sizeof(*d));
	d->action = action;
	d->reason = reason;
	d->node = node;
	d->pages = pages;
}

/* Step 5 of placement.h: which move pays, if any. *from: where it leaves. */
void choose_move(const RangeView &v, const mos_numa_placement_knobs &k,
		 mos_numa_decision *d, uint32_t *from)
{
	uint32_t target = v.busiest();
	uint64_t to_move = v.total_pages() - v.pages_on(target);
	uint64_t now = v.remote_cost_now(), after = v.remote_cost_on(target);
	uint64_t gain = now > after ? now - after : 0;

	if (!to_move)
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_IN_PLACE);
	if (to_move <= mul_u64_u64_div_u64(gain, k.pages_per_remote_sample, local_distance)) {
		*from = v.majority();
		return set_decision(d, MOS_NUMA_ACT_MOVE_MEMORY,
				    target == v.task_node() ? MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK
							    : MOS_NUMA_WHY_MEMORY_FOLLOWS_ACCESSES,
				    target, to_move);
	}
	if (target == v.task_node() && v.majority() != target &&
	    v.pages_on(v.majority()) > v.total_pages() / 2) {
		*from = target;
		return set_decision(d, MOS_NUMA_ACT_MOVE_TASK, MOS_NUMA_WHY_TASK_FOLLOWS_MEMORY,
				    v.majority());
	}
	set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_TOO_COSTLY);
}

/* Steps 1-5 of placement.h. */
void choose(const RangeView &v, const mos_numa_placement_knobs &k, RangeHistory &history,
	    mos_numa_decision *d, uint32_t *from)
{
	if (history.spend_pin())
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_PINNED);
	if (!v.total_samples() || v.total_samples() < k.min_samples)
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_TOO_FEW_SAMPLES);
	if (!v.total_pages())
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_NO_PAGES);
	if (v.remote_samples() * 1000 < uint64_t(k.migration_threshold) * v.total_samples())
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_BELOW_THRESHOLD);
	if (v.shared() && history.interleaved_over(v.busy_fold()))
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_ALREADY_SHARED);
	if (history.settling(k.settle_intervals))
		return set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_HYSTERESIS);
	if (v.shared()) {
		set_decision(d, MOS_NUMA_ACT_INTERLEAVE, MOS_NUMA_WHY_SHARED);
		v.busy_nodes(&NodeSet::of(d->nodes));
		*from = v.majority();
		return;
	}
	choose_move(v, k, d, from);
	if (d->action != MOS_NUMA_ACT_NONE &&
	    history.is_move_back(d->action, *from, d->node, k.pingpong_window)) {
		history.pin(k.pin_intervals);
		set_decision(d, MOS_NUMA_ACT_NONE, MOS_NUMA_WHY_PING_PONG);
	}
}

} // namespace

const char *action_name(uint32_t action)
{
	return action < MOS_NUMA_ACT_NR ? action_names[action] : nullptr;
}

const char *reason_name(uint32_t reason)
{
	return reason < MOS_NUMA_WHY_NR ? reason_names[reason] : nullptr;
}

mos_numa_placement_knobs default_knobs()
{
	return {
		.migration_threshold = MOS_NUMA_DEFAULT_MIGRATION_THRESHOLD,
		.min_samples = MOS_NUMA_DEFAULT_MIN_SAMPLES,
		.settle_intervals = MOS_NUMA_DEFAULT_SETTLE_INTERVALS,
		.pingpong_window = MOS_NUMA_DEFAULT_PINGPONG_WINDOW,
		.pin_intervals = MOS_NUMA_DEFAULT_PIN_INTERVALS,
		.pages_per_remote_sample = MOS_NUMA_DEFAULT_PAGES_PER_REMOTE_SAMPLE,
	};
}

Result<void> check_knobs(const mos_numa_placement_knobs &k)
{
	if (k.migration_threshold > 1000 || !k.pages_per_remote_sample ||
	    k.pin_intervals > MOS_NUMA_MAX_PIN_INTERVALS)
		return Error(-MOS_EINVAL);
	return {};
}

Result<void> decide(const mos_numa_placement_input &input,
		    const mos_numa_placement_knobs &knobs, mos_numa_range_state *state,
		    mos_numa_decision *decision, mos_numa_placement_stats *stats)
{
	uint64_t total_pages = MOS_TRY(check_input(input));
	MOS_TRY(check_knobs(knobs));

	RangeHistory &history = RangeHistory::of(*state);
	RangeView view(input, total_pages);
	uint32_t from = 0;

	history.tick();
	choose(view, knobs, history, decision, &from);
	history.record(*decision, from);
	if (stats) {
		stats->decisions[decision->reason]++;
		if (decision->action == MOS_NUMA_ACT_MOVE_MEMORY)
			stats->pages_to_move += decision->pages;
	}
	return {};
}

} // namespace mos::numa
