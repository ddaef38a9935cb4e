// SPDX-License-Identifier: GPL-2.0-only
//
// The learned balancer's fixed-point model; see learned_model.h.
#include "learned_model.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

int32_t abs32(int32_t v)
{
	return v < 0 ? -v : v;	// never INT32_MIN: every value here is clamped
}

// avg += (sample - avg) / 2^kAvgShift, on a relaxed atomic (racy: see .h).
void running_mean(Atomic<int32_t> &avg, int32_t sample)
{
	int32_t a = avg.load_relaxed();
	avg.store_relaxed(a + ((sample - a) >> LearnedModel::kAvgShift));
}

} // namespace

int32_t LearnedModel::predict(const int32_t *f) const
{
	int64_t sum = 0;	// |w| <= 2^20, |f| <= 2^19: each term < 2^39
	for (uint32_t i = 0; i < kFeatures; i++)
		sum += int64_t(w_[i].load_relaxed()) * f[i];
	return clamp(sum >> 16, kMaxTarget);
}

void LearnedModel::learn(const int32_t *f, int32_t target)
{
	target = clamp(target, kMaxTarget);
	int32_t err = target - predict(f);	// within +-2 kMaxTarget
	int64_t norm = kEps;			// eps + |f|^2, Q16
	for (uint32_t i = 0; i < kFeatures; i++)
		norm += (int64_t(f[i]) * f[i]) >> 16;
	int64_t step = (int64_t(kRate) * err) >> 16;	// mu * err, Q16
	for (uint32_t i = 0; i < kFeatures; i++) {
		int64_t dw = step * f[i] / norm;	// < 2^21 * 2^19
		w_[i].store_relaxed(clamp(w_[i].load_relaxed() + dw, kMaxWeight));
	}
	running_mean(mean_abs_error_, abs32(err));
	running_mean(mean_abs_target_, abs32(target));
	updates_.inc();
}

bool LearnedModel::trusted() const
{
	int64_t mae = mean_abs_error_.load_relaxed();
	int64_t mat = mean_abs_target_.load_relaxed();
	return updates_.load_relaxed() >= kMinUpdates && mae * 8 < mat * 7;
}

bool LearnedModel::explore() const
{
	// The kExploreEvery-th refusal, 2 kExploreEvery-th, ...: the first
	// refusals of a newly trusted model are kept.
	if ((explore_.refusals.fetch_add_relaxed(1) + 1) % kExploreEvery != 0)
		return false;
	explore_.explored.inc();
	return true;
}

void LearnedModel::copy_from(const LearnedModel &other)
{
	for (uint32_t i = 0; i < kFeatures; i++)
		w_[i].store_relaxed(other.w_[i].load_relaxed());
	mean_abs_error_.store_relaxed(other.mean_abs_error_.load_relaxed());
	mean_abs_target_.store_relaxed(other.mean_abs_target_.load_relaxed());
	updates_.store_relaxed(other.updates_.load_relaxed());
	explore_.refusals.store_relaxed(other.explore_.refusals.load_relaxed());
	explore_.explored.store_relaxed(other.explore_.explored.load_relaxed());
}

void LearnedModel::stats(mos_sd_model_stats &out) const
{
	out.updates = updates_.load_relaxed();
	for (uint32_t i = 0; i < kFeatures; i++)
		out.weight[i] = w_[i].load_relaxed();
	out.mean_abs_error = mean_abs_error_.load_relaxed();
	out.mean_abs_target = mean_abs_target_.load_relaxed();
	out.trusted = trusted();
	out.explored = explore_.explored.load_relaxed();
}

} // namespace mos::sched
