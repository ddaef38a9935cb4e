// SPDX-License-Identifier: GPL-2.0-only
//
// The machine-wide migration token bucket (migration_budget.h).

#include "migration_budget.h"

#include <mos/utility.h>

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::numa {

namespace {

uint64_t capacity_for(uint32_t pages_per_sec, uint32_t burst_pages)
{
	uint32_t burst = burst_pages && burst_pages < pages_per_sec ? burst_pages : pages_per_sec;
	return uint64_t(burst) * MigrationBudget::ns_per_sec;
}

} // namespace

MigrationBudget::MigrationBudget(uint32_t pages_per_sec, uint32_t burst_pages, uint64_t now_ns)
	: rate_(pages_per_sec), capacity_(capacity_for(pages_per_sec, burst_pages)),
	  credit_(capacity_), last_ns_(now_ns)
{
}

void MigrationBudget::refill(uint64_t now_ns)
{
	if (now_ns <= last_ns_)
		return;
	uint64_t elapsed = mos::min(now_ns - last_ns_, ns_per_sec);
	/* Both terms are at most 2^32 * 1e9 < 2^62: the sum cannot wrap. */
	credit_ = mos::min(credit_ + elapsed * rate_, capacity_);
	last_ns_ = now_ns;
}

void MigrationBudget::set_rate(uint32_t pages_per_sec, uint32_t burst_pages, uint64_t now_ns)
{
	refill(now_ns);
	rate_ = pages_per_sec;
	capacity_ = capacity_for(pages_per_sec, burst_pages);
	credit_ = mos::min(credit_, capacity_);
}

uint64_t MigrationBudget::take(uint64_t now_ns, uint64_t pages)
{
	refill(now_ns);
	uint64_t grant = mos::min(pages, credit_ / ns_per_sec);
	credit_ -= grant * ns_per_sec;
	granted_ += grant;
	refused_ += pages - grant;
	return grant;
}

} // namespace mos::numa
