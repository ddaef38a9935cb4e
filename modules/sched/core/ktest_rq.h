// SPDX-License-Identifier: GPL-2.0-only
//
// A run queue and a few entities for the shared test bodies, allocated
// (not on the stack: entities are 256 bytes, kernel stacks are small) and
// freed when the fixture goes. Only the C ABI is used.
#pragma once

#include <mos/alloc.h>
#include <mos/ktest.h>
#include <multios/sched.h>

namespace mos::sched::kt {

constexpr uint64_t kMs = 1000 * 1000;

class TestRq {
public:
	explicit TestRq(uint32_t nr_entities)
		: rq_(mos_sched_rq_create(0, MOS_GFP_KERNEL)), nr_(nr_entities),
		  se_(alloc_array<mos_sched_entity>(Gfp::Kernel, nr_entities).value_or(nullptr))
	{
	}
	~TestRq();
	TestRq(const TestRq &) = delete;
	TestRq &operator=(const TestRq &) = delete;

	bool ok() const { return rq_ && se_; }
	mos_sched_rq *rq() { return rq_; }
	mos_sched_entity *se(uint32_t i) { return &se_[i]; }
	// Picks at `now`; returns the index of the picked entity, or -1.
	int pick(uint64_t now);
	// put_prev of the current entity, if any.
	void put(uint64_t now);
	// The index mos_sched_rq_peek() names, or -1; changes nothing.
	int peek(uint64_t now);
	// Makes entity i current (mos_sched_rq_set_next), after a put().
	void set_next(uint32_t i, uint64_t now);
	mos_sched_entity_stats stats(uint32_t i);
	mos_sched_rq_stats rq_stats();

private:
	mos_sched_rq *rq_;
	uint32_t nr_;
	mos_sched_entity *se_;
	mos_sched_entity *curr_ = nullptr;
};

inline mos_sched_edf_params edf(uint64_t runtime, uint64_t deadline, uint64_t period)
{
	return {runtime, deadline, period};
}

} // namespace mos::sched::kt
