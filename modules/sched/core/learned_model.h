// SPDX-License-Identifier: GPL-2.0-only
//
// LearnedModel: the online model of the `learned` balancer.
//
// A linear predictor of a migration's benefit from MOS_SD_LEARNED_FEATURES
// features (include/multios/sched_domains.h), in Q16.16 fixed point: the
// kernel has no FPU to spare. It learns by normalised LMS (NLMS) from the
// outcomes the caller reports after each migration:
//
//   err = target - w.f;   w += mu * err * f / (eps + |f|^2)
//
// With mu = 1/4 (< 2) NLMS cannot diverge, whatever the feedback; the
// bias feature is always 1.0, so |f|^2 >= 1 and one step moves a weight
// by at most mu * |err| / 2. Targets, errors and weights are saturated on
// top of that, so adversarial feedback can push weights to +-kMaxWeight
// but never overflow anything.
//
// Trust: the model is used only after kMinUpdates outcomes and while its
// running mean absolute error (measured before each update, so on data
// it had not seen) is below 7/8 of the running mean |target|, i.e. it
// predicts clearly better than "every move is worth 0". Otherwise the
// balancer makes `load`'s choices, and keeps feeding the model.
//
// Exploration: a trusted model learns only from the pulls it makes, so
// one that has come to predict a loss for every move would never make one
// again and never learn otherwise (seen in the 8-node benchmark: trusted
// after messaging, it refused every pull of the NUMA workload and its
// update count stood still). So one in kExploreEvery pulls it would refuse
// is made anyway, with the least bad candidate, and its outcome is learned
// like any other. A refused pull is one the balancer already found an
// imbalance for (load would have made it), so exploring costs at most
// one load-style move in kExploreEvery.
//
// LOCK-FREE BY DESIGN: it lives in the DomainTree and is shared by every
// CPU. Each weight is its own relaxed atomic; two CPUs learning at once
// may each read the old weights, and one of the two updates of a weight
// is lost. That costs one sample's worth of learning, never a torn or
// out-of-range weight, and readers may see a mix of old and new weights,
// which is a prediction between the two.
#pragma once

#include <mos/atomic.h>
#include <mos/cache.h>
#include <multios/sched_domains.h>

namespace mos::sched {

class LearnedModel {
public:
	static constexpr uint32_t kFeatures = MOS_SD_LEARNED_FEATURES;
	static constexpr int32_t kOne = MOS_SD_Q16_ONE;
	static constexpr int32_t kMaxFeature = MOS_SD_LEARNED_FEATURE_MAX;
	static constexpr int32_t kMaxWeight = 16 * kOne;
	static constexpr int32_t kMaxTarget = 4 * kOne;	// predictions too
	static constexpr int32_t kRate = kOne / 4;	// NLMS mu
	static constexpr int32_t kEps = kOne / 16;
	static constexpr uint64_t kMinUpdates = 64;
	static constexpr uint32_t kAvgShift = 5;	// running means over ~32 samples
	static constexpr uint32_t kExploreEvery = 8;	// refused pulls per explored one

	// Saturating Q16.16 helpers.
	static int32_t clamp(int64_t v, int32_t limit)
	{
		return v > limit ? limit : v < -limit ? -limit : int32_t(v);
	}
	static int32_t ratio(int64_t num, int64_t den, int32_t limit)	// num/den in Q16
	{
		return den ? clamp(num * kOne / den, limit) : 0;
	}

	// Predicted benefit of a move with features f (Q16.16).
	int32_t predict(const int32_t *f) const;
	// One NLMS step towards target; f must be within +-kMaxFeature.
	void learn(const int32_t *f, int32_t target);
	// Are predictions good enough to act on?
	bool trusted() const;
	// A pull the model would refuse: make it anyway (true) this time?
	// Counts the refusals; true for one in kExploreEvery.
	bool explore() const;
	void copy_from(const LearnedModel &other);
	void stats(mos_sd_model_stats &out) const;

private:
	Atomic<int32_t> w_[kFeatures];
	Atomic<int32_t> mean_abs_error_;
	Atomic<int32_t> mean_abs_target_;
	Atomic<uint64_t> updates_;
	// Bookkeeping of explore(), not model state: mutable so that the
	// const pick path can count (atomic increments, nothing is lost). A
	// line of its own: every refused pull writes it, while predict() and
	// trusted() read the weights and means on every placement.
	struct MOS_CACHELINE_ALIGNED ExploreCounts {
		Atomic<uint64_t> refusals;
		Atomic<uint64_t> explored;
	};
	mutable ExploreCounts explore_;
};

} // namespace mos::sched
