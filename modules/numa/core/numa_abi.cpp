// SPDX-License-Identifier: GPL-2.0-only
//
// The C ABI of include/multios/numa.h over the C++ core: casts, text
// framing and errno conversion only, no policy.

#include <multios/numa.h>

#include <mos/new.h>
#include <mos/text_buffer.h>

#include "control_request.h"
#include "migration_budget.h"
#include "node_list.h"
#include "placement.h"
#include "policy.h"
#include "range_history.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using mos::TextBuffer;
using mos::numa::MigrationBudget;
using mos::numa::NodeSet;
using mos::numa::Text;

static_assert(sizeof(MigrationBudget) <= sizeof(mos_numa_budget) &&
	      alignof(MigrationBudget) <= alignof(mos_numa_budget));

namespace {

Text text_of(const char *text, size_t len)
{
	return mos::numa::strip_newline({text, text ? len : 0});
}

MigrationBudget *cast(mos_numa_budget *b)
{
	return reinterpret_cast<MigrationBudget *>(b);
}

const MigrationBudget *cast(const mos_numa_budget *b)
{
	return reinterpret_cast<const MigrationBudget *>(b);
}

} // namespace

extern "C" {

/* ---- node sets ---- */

int mos_numa_nodemask_parse(const char *text, size_t len, uint32_t nr_nodes,
			    mos_numa_nodemask *out)
{
	return mos::to_errno(mos::numa::parse_node_list(text_of(text, len), nr_nodes,
							 &NodeSet::of(*out)));
}

int mos_numa_nodemask_format(const mos_numa_nodemask *mask, uint32_t nr_nodes, char *buf,
			     size_t size)
{
	TextBuffer out(buf, size);

	if (!mos::numa::valid_nr_nodes(nr_nodes))
		return -MOS_EINVAL;
	mos::numa::format_node_list(NodeSet::of(*mask), nr_nodes, out);
	return out.result();
}

/* ---- policies ---- */

int mos_numa_policy_parse(const char *text, size_t len, uint32_t nr_nodes,
			  mos_numa_policy *out)
{
	mos::numa::Fields fields(text_of(text, len));
	Text mode = fields.next(), nodes = fields.next();

	if (!fields.at_end())
		return -MOS_EINVAL;
	return mos::to_errno(mos::numa::parse_policy(mode, nodes, nr_nodes, out));
}

int mos_numa_policy_format(const mos_numa_policy *policy, uint32_t nr_nodes, char *buf,
			   size_t size)
{
	TextBuffer out(buf, size);

	if (!mos::numa::valid_nr_nodes(nr_nodes))
		return -MOS_EINVAL;
	mos::numa::format_policy(*policy, nr_nodes, out);
	return out.result();
}

const char *mos_numa_mode_name(uint32_t mode)
{
	return mos::numa::mode_name(mode);
}

/* ---- control requests ---- */

int mos_numa_request_parse(const char *text, size_t len, const mos_numa_machine *machine,
			   mos_numa_request *out)
{
	return mos::to_errno(mos::numa::parse_control_request({text, text ? len : 0},
								*machine, out));
}

/* ---- migration budget ---- */

void mos_numa_budget_init(mos_numa_budget *budget, uint32_t pages_per_sec,
			  uint32_t burst_pages, uint64_t now_ns)
{
	new (budget) MigrationBudget(pages_per_sec, burst_pages, now_ns);
}

void mos_numa_budget_set_rate(mos_numa_budget *budget, uint32_t pages_per_sec,
			      uint32_t burst_pages, uint64_t now_ns)
{
	cast(budget)->set_rate(pages_per_sec, burst_pages, now_ns);
}

uint64_t mos_numa_budget_take(mos_numa_budget *budget, uint64_t now_ns, uint64_t pages)
{
	return cast(budget)->take(now_ns, pages);
}

void mos_numa_budget_get_stats(const mos_numa_budget *budget, mos_numa_budget_stats *stats)
{
	stats->granted = cast(budget)->granted();
	stats->refused = cast(budget)->refused();
}

/* ---- placement ---- */

void mos_numa_placement_knobs_default(mos_numa_placement_knobs *knobs)
{
	*knobs = mos::numa::default_knobs();
}

int mos_numa_placement_knobs_check(const mos_numa_placement_knobs *knobs)
{
	return mos::to_errno(mos::numa::check_knobs(*knobs));
}

void mos_numa_range_state_init(mos_numa_range_state *state)
{
	mos::numa::RangeHistory::init(state);
}

int mos_numa_decide(const mos_numa_placement_input *input,
		    const mos_numa_placement_knobs *knobs, mos_numa_range_state *state,
		    mos_numa_decision *decision, mos_numa_placement_stats *stats)
{
	return mos::to_errno(mos::numa::decide(*input, *knobs, state, decision, stats));
}

const char *mos_numa_action_name(uint32_t action)
{
	return mos::numa::action_name(action);
}

const char *mos_numa_reason_name(uint32_t reason)
{
	return mos::numa::reason_name(reason);
}

int mos_numa_placement_stats_format(const mos_numa_placement_stats *stats, char *buf,
				    size_t size)
{
	TextBuffer out(buf, size);

	for (uint32_t r = 0; r < MOS_NUMA_WHY_NR; r++)
		out.append("%s=%llu ", mos::numa::reason_name(r),
			   (unsigned long long)stats->decisions[r]);
	out.append("pages_to_move=%llu\n", (unsigned long long)stats->pages_to_move);
	return out.result();
}

} // extern "C"
