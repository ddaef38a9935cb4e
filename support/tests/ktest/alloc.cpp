// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failure at every step of a multi-allocation init: each one
 * must return -ENOMEM and undo what it built (the host runner also checks
 * that no block is left allocated; in the kernel, kmemleak does).
 */
#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/ktest.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

namespace {

constinit mos::Atomic<int> live_parts;

struct Part {
	Part() { live_parts.inc(); }
	~Part() { live_parts.dec(); }
	int id = 7;
};

/* Three allocations, so three ways to fail part-way. */
struct Assembly {
	mos::OwnedPtr<Part> a, b;
	mos::OwnedArray<Part> spares;

	static mos::Result<mos::OwnedPtr<Assembly>> create(mos::Gfp gfp)
	{
		MOS_TRY_ASSIGN(auto self, mos::make_owned<Assembly>(gfp));
		MOS_TRY_ASSIGN(self->a, mos::make_owned<Part>(gfp));
		MOS_TRY_ASSIGN(self->b, mos::make_owned<Part>(gfp));
		MOS_TRY_ASSIGN(self->spares, mos::OwnedArray<Part>::create(gfp, 3));
		return self;
	}
};

constexpr int allocations_per_assembly = 4;

} // namespace

extern "C" void mos_kt_alloc_failure_unwinds(struct mos_test *t)
{
	for (int n = 0; n < allocations_per_assembly; n++) {
		mos_alloc_fail_after(n);
		auto r = Assembly::create(mos::Gfp::Kernel);
		mos_alloc_fail_after(-1);
		MOS_KT_EXPECT_ERR(t, r, -MOS_ENOMEM);
		MOS_KT_EXPECT_EQ(t, live_parts.load_relaxed(), 0);
	}

	mos_alloc_fail_after(allocations_per_assembly);
	auto r = Assembly::create(mos::Gfp::Kernel);
	mos_alloc_fail_after(-1);
	MOS_KT_ASSERT_OK(t, r);
	MOS_KT_EXPECT_EQ(t, live_parts.load_relaxed(), 5);
	MOS_KT_EXPECT_EQ(t, r.value()->spares[2].id, 7);
	r.value().reset();
	MOS_KT_EXPECT_EQ(t, live_parts.load_relaxed(), 0);

	MOS_KT_EXPECT_ERR(t, mos::alloc_array<Part>(mos::Gfp::Kernel, ~size_t(0) / 2),
			  -MOS_EOVERFLOW);
}
