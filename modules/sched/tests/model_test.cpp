// SPDX-License-Identifier: GPL-2.0-only
//
// (e) Randomized model test: long random sequences of every run-queue
// operation over two queues, each step checked against a simple model of
// what must hold: the trees are valid and ordered (mos_sched_rq_check),
// the counts match the entities the model knows to be queued, min_vruntime
// never goes back, and every pick obeys the class rules (EDF before fair,
// earliest deadline first, smallest vruntime first).
#include <gtest/gtest.h>

#include <array>
#include <random>

#include <multios/sched.h>

namespace {

constexpr uint64_t kMs = 1000 * 1000;
constexpr int kEntities = 24;
constexpr int kQueues = 2;

class Model {
public:
	explicit Model(uint64_t seed) : rng_(seed)
	{
		for (auto &rq : rq_)
			rq = mos_sched_rq_create(0, MOS_GFP_KERNEL);
		for (int i = 0; i < kEntities; i++)
			init(i);
	}

	~Model()
	{
		for (int q = 0; q < kQueues; q++) {
			if (curr_[q] >= 0)
				mos_sched_rq_put_prev(rq_[q], &se_[curr_[q]], now_);
		}
		for (int i = 0; i < kEntities; i++) {
			if (where_[i] >= 0)
				mos_sched_rq_dequeue(rq_[where_[i]], &se_[i], 0, now_);
		}
		for (auto rq : rq_)
			mos_sched_rq_destroy(rq);
	}

	void step();
	void check();

private:
	uint64_t pick_time() { return now_ += rng_() % (3 * kMs); }
	int random_entity() { return int(rng_() % kEntities); }
	int current_on(int q) const { return curr_[q]; }
	void init(int i);
	void enqueue(int i, int q);
	void dequeue(int i);
	void pick(int q);
	void put(int q);
	void check_pick(int q, int picked);
	mos_sched_entity_stats stats(int i)
	{
		mos_sched_entity_stats s;
		mos_sched_entity_get_stats(&se_[i], &s);
		return s;
	}

	std::mt19937_64 rng_;
	std::array<mos_sched_rq *, kQueues> rq_{};
	std::array<mos_sched_entity, kEntities> se_{};
	std::array<int, kEntities> where_;	// queue index, or -1
	std::array<int, kQueues> curr_{-1, -1};
	std::array<uint64_t, kQueues> min_vruntime_{};
	std::array<bool, kQueues> yielded_{};
	uint64_t now_ = 0;
};

void Model::init(int i)
{
	where_[i] = -1;
	if (rng_() % 3 == 0) {
		uint64_t period = (5 + rng_() % 50) * kMs;
		mos_sched_edf_params p{period / (2 + rng_() % 8), period, period};
		ASSERT_EQ(mos_sched_entity_init_edf(&se_[i], &p), 0);
	} else {
		ASSERT_EQ(mos_sched_entity_init_fair(&se_[i], int32_t(rng_() % 40) - 20), 0);
	}
}

void Model::enqueue(int i, int q)
{
	uint32_t flags = rng_() % 2 ? MOS_SCHED_ENQ_WAKEUP : 0;
	mos_sched_rq_enqueue(rq_[q], &se_[i], flags, now_);
	where_[i] = q;
	(void)mos_sched_rq_wakeup_preempt(rq_[q], &se_[i], now_);
}

void Model::dequeue(int i)
{
	int q = where_[i];
	mos_sched_rq_dequeue(rq_[q], &se_[i], rng_() % 2 ? MOS_SCHED_DEQ_SLEEP : 0, now_);
	where_[i] = -1;
	if (curr_[q] == i)
		put(q);
}

void Model::put(int q)
{
	if (curr_[q] < 0)
		return;
	mos_sched_rq_put_prev(rq_[q], &se_[curr_[q]], now_);
	curr_[q] = -1;
}

void Model::pick(int q)
{
	put(q);
	// peek names the pick and changes nothing; the kernel's way to pick
	// (peek, then set_next) is the same as pick_next.
	mos_sched_rq_stats before, after;
	mos_sched_rq_get_stats(rq_[q], &before);
	mos_sched_entity *peeked = mos_sched_rq_peek(rq_[q], now_);
	mos_sched_rq_get_stats(rq_[q], &after);
	EXPECT_EQ(before.nr_edf, after.nr_edf);
	EXPECT_EQ(before.nr_edf_throttled, after.nr_edf_throttled);
	EXPECT_EQ(before.nr_switches, after.nr_switches);
	mos_sched_entity *se;
	if (rng_() % 2) {
		se = mos_sched_rq_pick_next(rq_[q], now_);
	} else {
		se = peeked;
		if (se)
			mos_sched_rq_set_next(rq_[q], se, now_);
	}
	EXPECT_EQ(se, peeked) << "pick_next differs from peek";
	int picked = se ? int(se - se_.data()) : -1;
	check_pick(q, picked);
	curr_[q] = picked;
	yielded_[q] = false;
}

// EDF first, earliest deadline; else the fair entity that waited
// MOS_SCHED_FAIR_MAX_WAIT_NS, the longest waiting; else smallest vruntime
// (bar a yield).
void Model::check_pick(int q, int picked)
{
	int edf_best = -1, fair_best = -1;
	for (int i = 0; i < kEntities; i++) {
		if (where_[i] != q || i == picked)
			continue;
		auto s = stats(i);
		if (s.policy == MOS_SCHED_POLICY_EDF && !s.edf_throttled)
			edf_best = i;
		if (s.policy == MOS_SCHED_POLICY_FAIR)
			fair_best = i;
	}
	if (picked < 0) {
		EXPECT_EQ(edf_best, -1);
		EXPECT_EQ(fair_best, -1);
		return;
	}
	ASSERT_EQ(where_[picked], q) << "picked an entity not queued here";
	auto p = stats(picked);
	auto overdue = [this](const mos_sched_entity_stats &s) {
		return s.policy == MOS_SCHED_POLICY_FAIR &&
		       now_ - s.wait_start >= MOS_SCHED_FAIR_MAX_WAIT_NS;
	};
	bool by_wait = overdue(p);
	for (int i = 0; i < kEntities; i++) {
		if (where_[i] != q || i == picked)
			continue;
		auto s = stats(i);
		if (p.policy == MOS_SCHED_POLICY_FAIR) {
			EXPECT_TRUE(s.policy == MOS_SCHED_POLICY_FAIR || s.edf_throttled)
				<< "fair picked over runnable EDF";
		}
		if (p.policy == MOS_SCHED_POLICY_EDF && s.policy == MOS_SCHED_POLICY_EDF &&
		    !s.edf_throttled) {
			EXPECT_LE(int64_t(p.edf_deadline - s.edf_deadline), 0);
		}
		if (by_wait && s.policy == MOS_SCHED_POLICY_FAIR) {
			EXPECT_LE(int64_t(p.wait_start - s.wait_start), 0)
				<< "an overdue pick that did not wait longest";
		} else if (p.policy == MOS_SCHED_POLICY_FAIR) {
			EXPECT_FALSE(overdue(s)) << "passed over an overdue entity";
		}
		if (p.policy == MOS_SCHED_POLICY_FAIR && s.policy == MOS_SCHED_POLICY_FAIR &&
		    !yielded_[q] && !by_wait) {
			EXPECT_LE(int64_t(p.vruntime - s.vruntime), 0);
		}
	}
}

void Model::step()
{
	int i = random_entity(), q = int(rng_() % kQueues);
	switch (rng_() % 10) {
	case 0:
	case 1:
		if (where_[i] < 0)
			enqueue(i, q);
		break;
	case 2:
		if (where_[i] >= 0)
			dequeue(i);
		break;
	case 3:
	case 4:
		pick_time();
		pick(q);
		break;
	case 5:
	case 6:
		if (mos_sched_rq_tick(rq_[q], pick_time()))
			pick(q);
		break;
	case 7:
		if (curr_[q] >= 0) {
			mos_sched_rq_yield(rq_[q], pick_time());
			yielded_[q] = true;
			pick(q);
		}
		break;
	case 8:
		EXPECT_EQ(mos_sched_entity_set_nice(&se_[i], int32_t(rng_() % 40) - 20, now_), 0);
		break;
	case 9:
		// Migrate a queued, not running entity; or re-class a sleeper.
		if (where_[i] >= 0 && curr_[where_[i]] != i) {
			mos_sched_rq_detach(rq_[where_[i]], &se_[i], now_);
			where_[i] = -1;
			mos_sched_rq_attach(rq_[1 - q], &se_[i], 0, now_);
			where_[i] = 1 - q;
		} else if (where_[i] < 0 && curr_[0] != i && curr_[1] != i) {
			init(i);
		}
		break;
	}
}

void Model::check()
{
	for (int q = 0; q < kQueues; q++) {
		const char *why = mos_sched_rq_check(rq_[q]);
		ASSERT_EQ(why, nullptr) << why;
		mos_sched_rq_stats s;
		mos_sched_rq_get_stats(rq_[q], &s);
		uint32_t fair = 0, edf = 0;
		for (int i = 0; i < kEntities; i++) {
			if (where_[i] != q)
				continue;
			EXPECT_TRUE(mos_sched_entity_queued(&se_[i]));
			(mos_sched_entity_policy(&se_[i]) == MOS_SCHED_POLICY_EDF ? edf : fair)++;
		}
		EXPECT_EQ(s.nr_fair, fair);
		EXPECT_EQ(s.nr_edf + s.nr_edf_throttled, edf);
		EXPECT_EQ(mos_sched_rq_nr_running(rq_[q]), s.nr_fair + s.nr_edf);
		EXPECT_GE(int64_t(s.min_vruntime - min_vruntime_[q]), 0) << "min_vruntime went back";
		min_vruntime_[q] = s.min_vruntime;
	}
	for (int i = 0; i < kEntities; i++) {
		if (where_[i] < 0) {
			EXPECT_FALSE(mos_sched_entity_queued(&se_[i]));
		}
	}
}

TEST(SchedModel, RandomOperationsKeepInvariants)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		SCOPED_TRACE("seed " + std::to_string(seed));
		Model model(seed);
		for (int n = 0; n < 5000 && !testing::Test::HasFailure(); n++) {
			model.step();
			model.check();
		}
	}
}

} // namespace
