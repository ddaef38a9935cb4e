// SPDX-License-Identifier: GPL-2.0-only
//
// The shared test fixture (see ktest_rq.h).

#include "ktest_rq.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched::kt {

TestRq::~TestRq()
{
	if (curr_)
		put(0);
	// Empty the queue so destroy() does not refuse.
	for (uint32_t i = 0; se_ && rq_ && i < nr_; i++) {
		if (mos_sched_entity_queued(&se_[i]))
			mos_sched_rq_dequeue(rq_, &se_[i], 0, 0);
	}
	mos_sched_rq_destroy(rq_);
	free_array(se_, nr_);
}

int TestRq::pick(uint64_t now)
{
	put(now);
	curr_ = mos_sched_rq_pick_next(rq_, now);
	return curr_ ? int(curr_ - se_) : -1;
}

int TestRq::peek(uint64_t now)
{
	mos_sched_entity *se = mos_sched_rq_peek(rq_, now);
	return se ? int(se - se_) : -1;
}

void TestRq::set_next(uint32_t i, uint64_t now)
{
	put(now);
	mos_sched_rq_set_next(rq_, &se_[i], now);
	curr_ = &se_[i];
}

void TestRq::put(uint64_t now)
{
	if (curr_)
		mos_sched_rq_put_prev(rq_, curr_, now);
	curr_ = nullptr;
}

mos_sched_entity_stats TestRq::stats(uint32_t i)
{
	mos_sched_entity_stats s;
	mos_sched_entity_get_stats(&se_[i], &s);
	return s;
}

mos_sched_rq_stats TestRq::rq_stats()
{
	mos_sched_rq_stats s;
	mos_sched_rq_get_stats(rq_, &s);
	return s;
}

} // namespace mos::sched::kt
