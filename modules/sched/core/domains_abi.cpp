// SPDX-License-Identifier: GPL-2.0-only
//
// The C ABI of include/multios/sched_domains.h over DomainTree and
// Balancer: argument checks, casts and errno conversion only, no policy.

#include <multios/sched_domains.h>

#include "balance.h"
#include "domain_tree.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using mos::sched::Balancer;
using mos::sched::DomainTree;
using mos::sched::LearnedModel;

namespace {

DomainTree *cast(mos_sched_domains *sd)
{
	return reinterpret_cast<DomainTree *>(sd);
}

const DomainTree *cast(const mos_sched_domains *sd)
{
	return reinterpret_cast<const DomainTree *>(sd);
}

// name, or name followed by one '\n' (what `echo` writes to sysfs).
bool matches(const char *buf, size_t len, const char *name)
{
	if (len && buf[len - 1] == '\n')
		len--;
	size_t i = 0;
	for (; i < len; i++) {
		if (name[i] == '\0' || name[i] != buf[i])
			return false;
	}
	return name[i] == '\0';
}

const char *const algo_names[MOS_SD_NR_ALGOS] = {"load", "numa", "cache", "learned"};
const char *const power_names[MOS_SD_NR_POWER_MODES] = {"performance", "balanced",
							 "powersave"};

bool valid_move(const DomainTree &t, const mos_sd_move &m)
{
	if (m.reserved || m.src_cpu < 0 || m.dst_cpu < 0 || !t.has_cpu(uint32_t(m.src_cpu)) ||
	    !t.has_cpu(uint32_t(m.dst_cpu)))
		return false;
	for (uint32_t i = 0; i < LearnedModel::kFeatures; i++) {
		if (m.feature[i] > LearnedModel::kMaxFeature || m.feature[i] < -LearnedModel::kMaxFeature)
			return false;
	}
	return true;
}

bool valid_outcome(const mos_sd_outcome &o)
{
	return o.window_ns && o.progress_dst_ns <= o.window_ns &&
	       o.progress_src_ns <= o.window_ns && !(o.flags & ~MOS_SD_OUTCOME_PULLED_BACK) &&
	       !o.reserved;
}

// The model's target: (progress on dst - on src) / window, less half a
// window's worth for a ping-pong (the move and the move back both cost).
int32_t outcome_target(const mos_sd_outcome &o)
{
	uint64_t window = o.window_ns, dst = o.progress_dst_ns, src = o.progress_src_ns;
	while (window >= (1ull << 40)) {	// keep the Q16 product in range
		window >>= 1;
		dst >>= 1;
		src >>= 1;
	}
	int32_t target = LearnedModel::ratio(int64_t(dst) - int64_t(src), int64_t(window ? window : 1),
					     LearnedModel::kMaxTarget);
	if (o.flags & MOS_SD_OUTCOME_PULLED_BACK)
		target -= LearnedModel::kOne / 2;
	return target;
}

} // namespace

extern "C" {

int mos_sd_build_params_check(const mos_sd_build_params *p)
{
	if (!p || p->domain_size < MOS_SD_DOMAIN_SIZE_MIN ||
	    p->domain_size > MOS_SD_DOMAIN_SIZE_MAX || p->reserved)
		return -MOS_EINVAL;
	return 0;
}

void mos_sd_build_params_default(mos_sd_build_params *p)
{
	p->domain_size = MOS_SD_DOMAIN_SIZE_DEFAULT;
	p->reserved = 0;
	p->stats_interval_ns = 1000000;	// 1 ms per level of height
}

int mos_sd_policy_check(const mos_sd_policy *p)
{
	if (!p || p->algo >= MOS_SD_NR_ALGOS || p->power_mode >= MOS_SD_NR_POWER_MODES ||
	    p->imbalance_pct < MOS_SD_IMBALANCE_PCT_MIN ||
	    p->imbalance_pct > MOS_SD_IMBALANCE_PCT_MAX || p->reserved)
		return -MOS_EINVAL;
	return 0;
}

void mos_sd_policy_default(mos_sd_policy *p)
{
	p->algo = MOS_SD_ALGO_LOAD;
	p->power_mode = MOS_SD_POWER_PERFORMANCE;
	p->imbalance_pct = MOS_SD_IMBALANCE_PCT_DEFAULT;
	p->reserved = 0;
	p->migration_cost_ns = MOS_SD_MIGRATION_COST_NS_DEFAULT;
}

int mos_sd_algo_parse(const char *buf, size_t len)
{
	for (int i = 0; i < int(MOS_SD_NR_ALGOS); i++) {
		if (buf && matches(buf, len, algo_names[i]))
			return i;
	}
	return -MOS_EINVAL;
}

const char *mos_sd_algo_name(uint32_t algo)
{
	return algo < MOS_SD_NR_ALGOS ? algo_names[algo] : "?";
}

int mos_sd_power_mode_parse(const char *buf, size_t len)
{
	for (int i = 0; i < int(MOS_SD_NR_POWER_MODES); i++) {
		if (buf && matches(buf, len, power_names[i]))
			return i;
	}
	return -MOS_EINVAL;
}

const char *mos_sd_power_mode_name(uint32_t mode)
{
	return mode < MOS_SD_NR_POWER_MODES ? power_names[mode] : "?";
}

int mos_sched_domains_build(const mos_cpu_desc *cpus, uint32_t nr_cpus,
			    const uint32_t *distance, uint32_t nr_nodes,
			    const mos_sd_build_params *params, mos_gfp_t gfp,
			    mos_sched_domains **out)
{
	if (!params || !out)
		return -MOS_EINVAL;
	auto tree = DomainTree::build(cpus, nr_cpus, distance, nr_nodes, *params,
				      mos::Gfp(gfp));
	if (tree.is_error())
		return tree.error();
	*out = reinterpret_cast<mos_sched_domains *>(tree.value());
	return 0;
}

void mos_sched_domains_destroy(mos_sched_domains *sd)
{
	if (sd)
		cast(sd)->destroy();
}

void mos_sched_domains_copy_stats(mos_sched_domains *to, const mos_sched_domains *from,
				  uint64_t now)
{
	if (to && from)
		cast(to)->copy_stats_from(*cast(from), now);
}

uint32_t mos_sched_domains_nr_cpus(const mos_sched_domains *sd)
{
	return cast(sd)->nr_cpus();
}

uint32_t mos_sched_domains_nr_groups(const mos_sched_domains *sd)
{
	return cast(sd)->nr_groups();
}

uint32_t mos_sched_domains_height(const mos_sched_domains *sd)
{
	return cast(sd)->height();
}

bool mos_sched_domains_has_cpu(const mos_sched_domains *sd, uint32_t cpu)
{
	return cast(sd)->has_cpu(cpu);
}

int mos_sched_domains_nr_levels(const mos_sched_domains *sd, uint32_t cpu)
{
	const DomainTree *t = cast(sd);
	return t->has_cpu(cpu) ? int(t->nr_levels(cpu)) : -MOS_EINVAL;
}

int mos_sched_domains_domain_info(const mos_sched_domains *sd, uint32_t cpu, uint32_t level,
				  mos_sd_domain_info *out)
{
	const DomainTree *t = cast(sd);
	if (!out || !t->has_cpu(cpu) || level >= t->nr_levels(cpu))
		return -MOS_EINVAL;
	uint32_t d = t->domain(cpu, level);
	const DomainTree::Node &n = t->node(d);
	out->levels = n.levels;
	out->first_cpu = t->first_cpu(d);
	out->nr_cpus = n.end - n.begin;
	out->nr_children = n.nr_children;
	out->height = n.height;
	out->balance_interval_ms = n.end - n.begin;
	return 0;
}

bool mos_sched_domains_share(const mos_sched_domains *sd, uint32_t a, uint32_t b,
			     uint32_t levels_mask)
{
	const DomainTree *t = cast(sd);
	mos_sd_policy policy;
	mos_sd_policy_default(&policy);
	if (!t->has_cpu(a) || !t->has_cpu(b))
		return false;
	return Balancer(*t, policy).share(a, b, levels_mask);
}

int mos_sched_domains_update_cpu(mos_sched_domains *sd, uint32_t cpu,
				 const mos_sd_cpu_stats *stats, uint64_t now)
{
	if (!stats)
		return -MOS_EINVAL;
	return mos::to_errno(cast(sd)->update_cpu(cpu, *stats, now));
}

uint32_t mos_sched_domains_waiting_cpus(const mos_sched_domains *sd)
{
	return cast(sd)->waiting_cpus();
}

int mos_sched_domains_group_stats(const mos_sched_domains *sd, uint32_t cpu, int32_t level,
				  mos_sd_group_stats *out)
{
	const DomainTree *t = cast(sd);
	if (!out || !t->has_cpu(cpu) || level < -1 || (level >= 0 && uint32_t(level) >= t->nr_levels(cpu)))
		return -MOS_EINVAL;
	uint32_t i = level < 0 ? t->leaf(cpu) : t->domain(cpu, uint32_t(level));
	DomainTree::Load l = t->read(i);
	out->load = l.load;
	out->edf_util = l.edf_util;
	out->updated_ns = l.updated;
	out->nr_running = l.nr_running;
	out->nr_cpus = l.nr_cpus;
	out->capacity = l.capacity;
	out->idle_cpus = l.idle_cpus;
	return 0;
}

int mos_sched_domains_find_busiest(const mos_sched_domains *sd, uint32_t this_cpu,
				   uint32_t level, const mos_sd_policy *policy,
				   mos_sd_imbalance *out)
{
	if (!out || mos_sd_policy_check(policy))
		return -MOS_EINVAL;
	return Balancer(*cast(sd), *policy).find_busiest(this_cpu, level, *out);
}

int mos_sched_domains_pick_task(const mos_sched_domains *sd, const mos_sd_task *tasks,
				uint32_t nr, uint32_t src_cpu, uint32_t dst_cpu,
				uint64_t max_load, const mos_sd_policy *policy, uint64_t now)
{
	if (mos_sd_policy_check(policy))
		return -MOS_EINVAL;
	return Balancer(*cast(sd), *policy).pick_task(tasks, nr, src_cpu, dst_cpu, max_load,
						      now);
}

int mos_sched_domains_select_cpu(const mos_sched_domains *sd, const mos_sd_task *task,
				 int32_t prev_cpu, int32_t waker_cpu,
				 const mos_sd_policy *policy, uint64_t now)
{
	if (!task || mos_sd_policy_check(policy))
		return -MOS_EINVAL;
	return int(Balancer(*cast(sd), *policy).select_cpu(*task, prev_cpu, waker_cpu, now));
}

int mos_sched_domains_move_features(const mos_sched_domains *sd, const mos_sd_task *task,
				    uint32_t src_cpu, uint32_t dst_cpu, const mos_sd_policy *policy,
				    uint64_t now, mos_sd_move *out)
{
	const DomainTree *t = cast(sd);
	if (!task || !out || mos_sd_policy_check(policy) || !t->has_cpu(src_cpu) ||
	    !t->has_cpu(dst_cpu))
		return -MOS_EINVAL;
	out->src_cpu = int32_t(src_cpu);
	out->dst_cpu = int32_t(dst_cpu);
	out->reserved = 0;
	bool waking = task->flags & MOS_SD_TASK_WAKING;
	Balancer(*t, *policy).move_features(*task, src_cpu, dst_cpu, now, waking, out->feature);
	return 0;
}

int mos_sched_domains_learn(mos_sched_domains *sd, const mos_sd_move *move,
			    const mos_sd_outcome *outcome)
{
	DomainTree *t = cast(sd);
	if (!move || !outcome || !valid_move(*t, *move) || !valid_outcome(*outcome))
		return -MOS_EINVAL;
	t->model().learn(move->feature, outcome_target(*outcome));
	return 0;
}

int mos_sched_domains_model_stats(const mos_sched_domains *sd, mos_sd_model_stats *out)
{
	if (!out)
		return -MOS_EINVAL;
	cast(sd)->model().stats(*out);
	return 0;
}

int mos_sched_domains_show(const mos_sched_domains *sd, char *buf, size_t size)
{
	if (!buf)
		return -MOS_EINVAL;
	return cast(sd)->show(buf, size);
}

} // extern "C"
