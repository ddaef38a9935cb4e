// SPDX-License-Identifier: GPL-2.0-only
//
// The C ABI of include/multios/sched.h over the C++ core: casts and
// errno conversion only, no policy.

#include <multios/sched.h>

#include "admission.h"
#include "entity_ops.h"
#include "runqueue.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

using mos::sched::Admission;
using mos::sched::Entity;
using mos::sched::Runqueue;

namespace {

Runqueue *cast(mos_sched_rq *rq)
{
	return reinterpret_cast<Runqueue *>(rq);
}

const Runqueue *cast(const mos_sched_rq *rq)
{
	return reinterpret_cast<const Runqueue *>(rq);
}

Admission *cast(mos_sched_admission *adm)
{
	return reinterpret_cast<Admission *>(adm);
}

Entity &entity(mos_sched_entity *se)
{
	return *Entity::from(se);
}

} // namespace

extern "C" {

/* ---- entities ---- */

int mos_sched_entity_init_fair(mos_sched_entity *se, int32_t nice)
{
	return mos::to_errno(mos::sched::set_fair(*mos::sched::construct(se), nice));
}

int mos_sched_entity_init_edf(mos_sched_entity *se, const mos_sched_edf_params *params)
{
	return mos::to_errno(mos::sched::set_edf(*mos::sched::construct(se), *params));
}

int mos_sched_entity_set_fair(mos_sched_entity *se, int32_t nice)
{
	return mos::to_errno(mos::sched::set_fair(entity(se), nice));
}

int mos_sched_entity_set_edf(mos_sched_entity *se, const mos_sched_edf_params *params)
{
	return mos::to_errno(mos::sched::set_edf(entity(se), *params));
}

int mos_sched_entity_set_nice(mos_sched_entity *se, int32_t nice, uint64_t now)
{
	return mos::to_errno(mos::sched::set_nice(entity(se), nice, now));
}

bool mos_sched_entity_queued(const mos_sched_entity *se)
{
	return Entity::from(se)->queued;
}

enum mos_sched_policy mos_sched_entity_policy(const mos_sched_entity *se)
{
	return mos_sched_policy(Entity::from(se)->policy);
}

uint64_t mos_sched_entity_bw(const mos_sched_entity *se)
{
	const Entity *e = Entity::from(se);
	return e->is_edf() ? uint64_t(e->edf.bw.raw()) : 0;
}

void mos_sched_entity_set_mem_node(mos_sched_entity *se, int32_t node)
{
	Entity::from(se)->mem_node = node < 0 ? -1 : node;
}

int32_t mos_sched_entity_mem_node(const mos_sched_entity *se)
{
	return Entity::from(se)->mem_node;
}

void mos_sched_entity_set_last_ran(mos_sched_entity *se, uint64_t ns)
{
	Entity::from(se)->last_ran_ns = ns;
}

uint64_t mos_sched_entity_last_ran(const mos_sched_entity *se)
{
	return Entity::from(se)->last_ran_ns;
}

uint32_t mos_sched_nice_to_weight(int32_t nice)
{
	return mos::sched::nice_valid(nice) ? mos::sched::nice_to_weight(nice).weight : 0;
}

void mos_sched_entity_get_stats(const mos_sched_entity *se, mos_sched_entity_stats *out)
{
	mos::sched::entity_stats(*Entity::from(se), *out);
}

/* ---- run queues ---- */

mos_sched_rq *mos_sched_rq_create(uint32_t cpu, mos_gfp_t gfp)
{
	return reinterpret_cast<mos_sched_rq *>(Runqueue::create(cpu, gfp));
}

void mos_sched_rq_destroy(mos_sched_rq *rq)
{
	if (rq)
		cast(rq)->destroy();
}

void mos_sched_rq_destroy_abandon(mos_sched_rq *rq)
{
	if (rq)
		cast(rq)->abandon();
}

int mos_sched_slice_us_check(uint32_t slice_us)
{
	return mos::to_errno(Runqueue::check_slice_us(slice_us));
}

int mos_sched_rq_set_slice_us(mos_sched_rq *rq, uint32_t slice_us)
{
	return mos::to_errno(cast(rq)->set_slice_us(slice_us));
}

void mos_sched_rq_enqueue(mos_sched_rq *rq, mos_sched_entity *se, uint32_t flags,
			  uint64_t now)
{
	cast(rq)->enqueue(entity(se), flags, now);
}

void mos_sched_rq_dequeue(mos_sched_rq *rq, mos_sched_entity *se, uint32_t flags,
			  uint64_t now)
{
	cast(rq)->dequeue(entity(se), flags, now);
}

mos_sched_entity *mos_sched_rq_pick_next(mos_sched_rq *rq, uint64_t now)
{
	Entity *se = cast(rq)->pick_next(now);
	return se ? se->raw() : nullptr;
}

mos_sched_entity *mos_sched_rq_peek(const mos_sched_rq *rq, uint64_t now)
{
	Entity *se = cast(rq)->peek(now);
	return se ? se->raw() : nullptr;
}

void mos_sched_rq_put_prev(mos_sched_rq *rq, mos_sched_entity *se, uint64_t now)
{
	cast(rq)->put_prev(entity(se), now);
}

void mos_sched_rq_set_next(mos_sched_rq *rq, mos_sched_entity *se, uint64_t now)
{
	cast(rq)->set_next(entity(se), now);
}

void mos_sched_rq_update_curr(mos_sched_rq *rq, uint64_t now)
{
	(void)cast(rq)->update_curr(now);
}

bool mos_sched_rq_tick(mos_sched_rq *rq, uint64_t now)
{
	return cast(rq)->tick(now);
}

uint64_t mos_sched_rq_next_event(const mos_sched_rq *rq)
{
	return cast(rq)->next_event();
}

void mos_sched_rq_yield(mos_sched_rq *rq, uint64_t now)
{
	cast(rq)->yield(now);
}

bool mos_sched_rq_wakeup_preempt(mos_sched_rq *rq, const mos_sched_entity *se,
				 uint64_t now)
{
	return cast(rq)->wakeup_preempt(*Entity::from(se), now);
}

uint32_t mos_sched_rq_nr_running(const mos_sched_rq *rq)
{
	return cast(rq)->nr_running();
}

uint64_t mos_sched_rq_load(const mos_sched_rq *rq)
{
	return cast(rq)->balance_load();
}

mos_sched_entity *mos_sched_rq_migrate_candidate(const mos_sched_rq *rq,
						const mos_sched_entity *after)
{
	const Entity *a = after ? &entity(const_cast<mos_sched_entity *>(after)) : nullptr;
	Entity *se = cast(rq)->migrate_candidate(a);
	return se ? se->raw() : nullptr;
}

void mos_sched_rq_detach(mos_sched_rq *src, mos_sched_entity *se, uint64_t now)
{
	Entity &e = entity(se);

	if (e.queued)
		cast(src)->detach(e, now);
	else
		cast(src)->make_relative(e);	// no src lock needed
}

void mos_sched_rq_attach(mos_sched_rq *dst, mos_sched_entity *se, uint32_t flags,
			 uint64_t now)
{
	cast(dst)->attach(entity(se), flags, now);
}

void mos_sched_rq_get_stats(const mos_sched_rq *rq, mos_sched_rq_stats *out)
{
	cast(rq)->stats(*out);
}

const char *mos_sched_rq_check(const mos_sched_rq *rq)
{
	return cast(rq)->check();
}

/* ---- EDF admission ---- */

int mos_sched_edf_params_check(const mos_sched_edf_params *params)
{
	return mos::to_errno(mos::sched::check_edf_params(*params));
}

uint64_t mos_sched_edf_bw(const mos_sched_edf_params *params)
{
	return uint64_t(mos::sched::edf_bandwidth(*params).raw());
}

mos_sched_admission *mos_sched_admission_create(uint32_t nr_cpus, mos_gfp_t gfp)
{
	return reinterpret_cast<mos_sched_admission *>(Admission::create(nr_cpus, gfp));
}

void mos_sched_admission_destroy(mos_sched_admission *adm)
{
	if (adm)
		cast(adm)->destroy();
}

int mos_sched_admission_admit(mos_sched_admission *adm, const mos_sched_edf_params *params)
{
	return mos::to_errno(cast(adm)->admit(*params));
}

void mos_sched_admission_release(mos_sched_admission *adm,
				 const mos_sched_edf_params *params)
{
	cast(adm)->release(*params);
}

int mos_sched_admission_change(mos_sched_admission *adm,
			       const mos_sched_edf_params *old_params,
			       const mos_sched_edf_params *new_params)
{
	return mos::to_errno(cast(adm)->change(*old_params, *new_params));
}

int mos_sched_admission_set_cap(mos_sched_admission *adm, uint32_t percent)
{
	return mos::to_errno(cast(adm)->set_cap_percent(percent));
}

uint32_t mos_sched_admission_cap(mos_sched_admission *adm)
{
	return cast(adm)->cap_percent();
}

int mos_sched_admission_set_nr_cpus(mos_sched_admission *adm, uint32_t nr_cpus)
{
	return mos::to_errno(cast(adm)->set_nr_cpus(nr_cpus));
}

uint64_t mos_sched_admission_total_bw(mos_sched_admission *adm)
{
	return uint64_t(cast(adm)->total().raw());
}

bool mos_sched_test_invariant_failure(void)
{
	constexpr bool test_fault_warn = true;

	return MOS_WARN_ON(test_fault_warn);
}

} // extern "C"
