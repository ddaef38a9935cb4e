// SPDX-License-Identifier: GPL-2.0-only
//
// The learned balancer: its fixed-point model (prediction, NLMS update,
// saturation, no divergence under adversarial feedback), the fallback to
// load while the model is untrusted, a case that fails if the model
// ignored its feedback, and bad input. Deterministic (fixed seeds), no
// timing.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "learned_model.h"
#include "machine.h"

namespace {

using mos::sched::LearnedModel;
using namespace mos_sched_sim;

constexpr int32_t kOne = LearnedModel::kOne;
constexpr uint32_t kF = LearnedModel::kFeatures;
constexpr uint64_t kNow = 100000000;

struct Deleter {
	void operator()(mos_sched_domains *sd) const { mos_sched_domains_destroy(sd); }
};
using TreePtr = std::unique_ptr<mos_sched_domains, Deleter>;

mos_sd_model_stats stats_of(const LearnedModel &m)
{
	mos_sd_model_stats s{};
	m.stats(s);
	return s;
}

TEST(SchedLearnedModel, LearnsALinearTarget)
{
	auto m = std::make_unique<LearnedModel>();
	int32_t f[kF] = {kOne};
	EXPECT_EQ(m->predict(f), 0);	// untrained: every move is worth 0
	EXPECT_FALSE(m->trusted());
	// target = 0.5 - 0.25 * f[4] (say, distance hurts), f[4] in 0..2.
	std::mt19937 rng(1);
	for (int i = 0; i < 2000; i++) {
		f[4] = int32_t(rng() % (2 * kOne));
		m->learn(f, kOne / 2 - f[4] / 4);
	}
	f[4] = 0;
	EXPECT_NEAR(m->predict(f), kOne / 2, kOne / 50);
	f[4] = 2 * kOne;
	EXPECT_NEAR(m->predict(f), 0, kOne / 50);
	mos_sd_model_stats s = stats_of(*m);
	EXPECT_EQ(s.updates, 2000u);
	EXPECT_TRUE(s.trusted);
	EXPECT_LT(s.mean_abs_error * 10, s.mean_abs_target);
}

TEST(SchedLearnedModel, SaturatesAndNeverDiverges)
{
	auto m = std::make_unique<LearnedModel>();
	std::mt19937 rng(7);
	int32_t f[kF];
	for (int i = 0; i < 200000; i++) {
		f[0] = kOne;
		for (uint32_t k = 1; k < kF; k++) {
			int32_t r = int32_t(rng() % 3) - 1;	// -max, 0, +max
			f[k] = r * LearnedModel::kMaxFeature;
		}
		// The adversary: the opposite of the prediction, as hard as it can.
		int32_t target = m->predict(f) > 0 ? INT32_MIN + 1 : INT32_MAX;
		m->learn(f, target);
		int32_t p = m->predict(f);
		ASSERT_LE(p, LearnedModel::kMaxTarget);
		ASSERT_GE(p, -LearnedModel::kMaxTarget);
	}
	mos_sd_model_stats s = stats_of(*m);
	for (uint32_t k = 0; k < kF; k++) {
		EXPECT_LE(s.weight[k], LearnedModel::kMaxWeight);
		EXPECT_GE(s.weight[k], -LearnedModel::kMaxWeight);
	}
	// Feedback that contradicts itself is not predictable: not trusted.
	EXPECT_FALSE(s.trusted);
	// And it still learns afterwards (no stuck state): a constant target.
	int32_t g[kF] = {kOne};
	for (int i = 0; i < 3000; i++)
		m->learn(g, kOne);
	EXPECT_NEAR(m->predict(g), kOne, kOne / 50);
}

TEST(SchedLearnedModel, FixedPointHelpersSaturate)
{
	EXPECT_EQ(LearnedModel::clamp(int64_t(1) << 40, kOne), kOne);
	EXPECT_EQ(LearnedModel::clamp(-(int64_t(1) << 40), kOne), -kOne);
	EXPECT_EQ(LearnedModel::ratio(1, 2, 8 * kOne), kOne / 2);
	EXPECT_EQ(LearnedModel::ratio(1000, 1, 8 * kOne), 8 * kOne);
	EXPECT_EQ(LearnedModel::ratio(5, 0, kOne), 0);
}

// Two nodes of 4 CPUs at SLIT 21: node 0 is CPUs 0-3, node 1 4-7.
class SchedLearnedTwoNodes : public ::testing::Test {
protected:
	SchedLearnedTwoNodes()
	{
		m_ = standard_machine(8, 2, 1);
		m_.distance = hier_distance(2, {}, {21});
		sd_.reset(m_.build(16, 0));
		for (uint32_t cpu = 0; cpu < 8; cpu++)
			set(cpu, 1);
		set(0, 3);	// the busy one
		set(1, 2);
		set(4, 2);
		mos_sd_policy_default(&load_);
		learned_ = load_;
		learned_.algo = MOS_SD_ALGO_LEARNED;
		for (uint32_t i = 0; i < 3; i++) {
			tasks_[i] = mos_sd_task{};
			tasks_[i].load = 1024;
			tasks_[i].preferred_node = -1;
			tasks_[i].nr_mem = 1;
			tasks_[i].mem[0] = {0, 1024};	// all at home on node 0
		}
	}
	void set(uint32_t cpu, uint32_t nr)
	{
		mos_sd_cpu_stats st{1024ull * nr, nr, 1024, 0, 0};
		ASSERT_EQ(mos_sched_domains_update_cpu(sd_.get(), cpu, &st, kNow), 0);
	}
	int pick(uint32_t dst, const mos_sd_policy &p)
	{
		return mos_sched_domains_pick_task(sd_.get(), tasks_, 3, 0, dst, 4096, &p, kNow);
	}
	// n outcomes of moving tasks_[0] from CPU 0 to dst, each worth gain
	// of a window (progress on dst - progress on src).
	void teach(uint32_t dst, int64_t gain_pct, int n)
	{
		mos_sd_move mv;
		ASSERT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, dst, &learned_,
							  kNow, &mv), 0);
		mos_sd_outcome o{};
		o.window_ns = 1000;
		o.progress_src_ns = uint64_t(50);
		o.progress_dst_ns = uint64_t(50 + gain_pct);
		for (int i = 0; i < n; i++)
			ASSERT_EQ(mos_sched_domains_learn(sd_.get(), &mv, &o), 0);
	}
	mos_sd_model_stats model()
	{
		mos_sd_model_stats s{};
		EXPECT_EQ(mos_sched_domains_model_stats(sd_.get(), &s), 0);
		return s;
	}

	Machine m_;
	TreePtr sd_;
	mos_sd_policy load_, learned_;
	mos_sd_task tasks_[3];
};

TEST_F(SchedLearnedTwoNodes, UntrainedLearnedIsLoad)
{
	EXPECT_FALSE(model().trusted);
	for (uint32_t dst : {1u, 2u, 4u, 5u}) {
		EXPECT_GE(pick(dst, load_), 0);
		EXPECT_EQ(pick(dst, learned_), pick(dst, load_)) << dst;
		mos_sd_imbalance a{}, b{};
		int levels = mos_sched_domains_nr_levels(sd_.get(), dst);
		for (int l = 0; l < levels; l++) {
			ASSERT_EQ(mos_sched_domains_find_busiest(sd_.get(), dst, uint32_t(l), &load_, &a),
				  mos_sched_domains_find_busiest(sd_.get(), dst, uint32_t(l), &learned_, &b));
			EXPECT_EQ(a.src_cpu, b.src_cpu);
			EXPECT_EQ(a.load, b.load);
		}
		EXPECT_EQ(mos_sched_domains_select_cpu(sd_.get(), &tasks_[0], 0, -1, &learned_, kNow),
			  mos_sched_domains_select_cpu(sd_.get(), &tasks_[0], 0, -1, &load_, kNow));
	}
	// A few outcomes are not enough to trust it (kMinUpdates).
	teach(5, -40, int(LearnedModel::kMinUpdates) - 1);
	EXPECT_FALSE(model().trusted);
	EXPECT_EQ(pick(5, learned_), pick(5, load_));
}

// The case that fails if the model ignored its feedback: after outcomes
// saying cross-node moves hurt and moves inside the node pay, learned
// refuses the cross-node pull load makes, and still makes the local one.
TEST_F(SchedLearnedTwoNodes, FeedbackThatCrossNodeMovesHurtStopsThem)
{
	for (int round = 0; round < 40; round++) {
		teach(5, -40, 4);	// to node 1: the task ran 40 % of a window less
		teach(2, +30, 4);	// inside node 0: 30 % more
	}
	mos_sd_model_stats s = model();
	EXPECT_TRUE(s.trusted);
	EXPECT_EQ(s.updates, 320u);
	EXPECT_GE(pick(5, load_), 0);			// load pulls across nodes
	EXPECT_EQ(pick(5, learned_), -MOS_EAGAIN);	// learned no longer does
	EXPECT_GE(pick(2, learned_), 0);		// but still inside the node
	// Taught the opposite, it follows.
	for (int round = 0; round < 80; round++) {
		teach(5, +30, 4);
		teach(2, +30, 4);
	}
	EXPECT_GE(pick(5, learned_), 0);
}

// A trusted model that predicts a loss for every candidate would never
// move one again, and so never learn that it was wrong: one refusal in
// kExploreEvery makes the least bad move anyway (and only those).
TEST_F(SchedLearnedTwoNodes, ARefusingModelStillExploresNowAndThen)
{
	for (int round = 0; round < 40; round++)
		teach(5, -40, 4);
	ASSERT_TRUE(model().trusted);
	EXPECT_EQ(model().explored, 0u);
	const uint32_t every = LearnedModel::kExploreEvery;
	uint32_t made = 0;
	for (uint32_t i = 1; i <= 3 * every; i++) {
		int got = pick(5, learned_);
		if (got >= 0) {
			made++;
			EXPECT_EQ(i % every, 0u) << "pull " << i;
			EXPECT_EQ(got, 0);	// equal candidates: the first
		} else {
			EXPECT_EQ(got, -MOS_EAGAIN);
		}
	}
	EXPECT_EQ(made, 3u);
	EXPECT_EQ(model().explored, 3u);
	// A pull the model wants is not counted as exploring.
	for (int round = 0; round < 80; round++)
		teach(5, +30, 4);
	for (uint32_t i = 0; i < 2 * every; i++)
		EXPECT_GE(pick(5, learned_), 0);
	EXPECT_EQ(model().explored, 3u);
}

TEST_F(SchedLearnedTwoNodes, PingPongCountsAgainstAMove)
{
	mos_sd_move mv;
	ASSERT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 2, &learned_, kNow, &mv),
		  0);
	mos_sd_outcome o{1000, 600, 500, MOS_SD_OUTCOME_PULLED_BACK, 0};	// +0.1 - 0.5
	for (int i = 0; i < 200; i++)
		ASSERT_EQ(mos_sched_domains_learn(sd_.get(), &mv, &o), 0);
	EXPECT_TRUE(model().trusted);
	EXPECT_EQ(pick(2, learned_), -MOS_EAGAIN);
	EXPECT_GE(pick(2, load_), 0);
}

TEST_F(SchedLearnedTwoNodes, FeaturesDescribeTheMove)
{
	mos_sd_move mv;
	ASSERT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 5, &learned_, kNow, &mv),
		  0);
	EXPECT_EQ(mv.src_cpu, 0);
	EXPECT_EQ(mv.dst_cpu, 5);
	EXPECT_EQ(mv.feature[0], kOne);			// bias
	EXPECT_EQ(mv.feature[1], 2 * kOne);		// 3 tasks vs 1
	EXPECT_EQ(mv.feature[2], 0);			// dst busy
	EXPECT_EQ(mv.feature[4], kOne * 11 / 10);	// SLIT 21
	EXPECT_EQ(mv.feature[5], 0);			// no shared LLC
	EXPECT_LT(mv.feature[7], 0);			// away from its memory
	EXPECT_EQ(mv.feature[8], kOne);			// nice 0
	EXPECT_LT(mv.feature[9], 0);			// slower there
	EXPECT_LT(mv.feature[10], mv.feature[1]);
	// A waking task is added to src's numbers.
	mos_sd_task w = tasks_[0];
	w.flags = MOS_SD_TASK_WAKING;
	mos_sd_move mw;
	ASSERT_EQ(mos_sched_domains_move_features(sd_.get(), &w, 0, 5, &learned_, kNow, &mw), 0);
	EXPECT_EQ(mw.feature[1], 3 * kOne);
}

TEST_F(SchedLearnedTwoNodes, BadInputIsRefusedAndChangesNothing)
{
	mos_sd_move mv;
	ASSERT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 5, &learned_, kNow, &mv),
		  0);
	mos_sd_outcome good{1000, 100, 200, 0, 0};
	mos_sd_policy bad = learned_;
	bad.algo = MOS_SD_NR_ALGOS;
	mos_sd_move out;
	EXPECT_EQ(mos_sched_domains_move_features(sd_.get(), nullptr, 0, 5, &learned_, kNow, &out),
		  -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 5, &bad, kNow, &out),
		  -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 99, &learned_, kNow,
						  &out), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_move_features(sd_.get(), &tasks_[0], 0, 5, &learned_, kNow,
						  nullptr), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_learn(sd_.get(), nullptr, &good), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_learn(sd_.get(), &mv, nullptr), -MOS_EINVAL);
	for (int c = 0; c < 5; c++) {
		mos_sd_outcome o = good;
		if (c == 0) o.window_ns = 0;
		if (c == 1) o.progress_dst_ns = 1001;
		if (c == 2) o.progress_src_ns = 1001;
		if (c == 3) o.flags = 1u << 5;
		if (c == 4) o.reserved = 1;
		EXPECT_EQ(mos_sched_domains_learn(sd_.get(), &mv, &o), -MOS_EINVAL) << c;
	}
	for (int c = 0; c < 5; c++) {
		mos_sd_move m = mv;
		if (c == 0) m.feature[3] = LearnedModel::kMaxFeature + 1;
		if (c == 1) m.feature[7] = -LearnedModel::kMaxFeature - 1;
		if (c == 2) m.src_cpu = -1;
		if (c == 3) m.dst_cpu = 8;
		if (c == 4) m.reserved = 1;
		EXPECT_EQ(mos_sched_domains_learn(sd_.get(), &m, &good), -MOS_EINVAL) << c;
	}
	EXPECT_EQ(mos_sched_domains_model_stats(sd_.get(), nullptr), -MOS_EINVAL);
	mos_sd_model_stats s = model();
	EXPECT_EQ(s.updates, 0u);
	for (uint32_t k = 0; k < kF; k++)
		EXPECT_EQ(s.weight[k], 0);
	// An outcome over a huge window is scaled, not overflowed.
	mos_sd_outcome big{~0ull, ~0ull, 0, 0, 0};
	EXPECT_EQ(mos_sched_domains_learn(sd_.get(), &mv, &big), 0);
	EXPECT_EQ(model().updates, 1u);
}

TEST_F(SchedLearnedTwoNodes, ARebuildKeepsWhatWasLearned)
{
	teach(5, -40, 200);
	TreePtr next(m_.build(2, 0));
	mos_sched_domains_copy_stats(next.get(), sd_.get(), kNow);
	mos_sd_model_stats a = model(), b{};
	ASSERT_EQ(mos_sched_domains_model_stats(next.get(), &b), 0);
	EXPECT_EQ(a.updates, b.updates);
	for (uint32_t k = 0; k < kF; k++)
		EXPECT_EQ(a.weight[k], b.weight[k]);
	EXPECT_EQ(a.trusted, b.trusted);
}

}  // namespace
