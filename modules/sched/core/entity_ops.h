// SPDX-License-Identifier: GPL-2.0-only
//
// Operations on an entity that is off every queue: construction into the
// shim's storage and class changes.
#pragma once

#include <mos/result.h>

#include "entity.h"

namespace mos::sched {

// A fair nice-0 entity, never queued, built into the storage.
Entity *construct(mos_sched_entity *storage);
// -EINVAL: bad nice / parameters; -EBUSY: still on a queue.
Result<void> set_fair(Entity &se, int32_t nice);
Result<void> set_edf(Entity &se, const mos_sched_edf_params &p);
// Any time; a queued entity's run-queue lock held.
Result<void> set_nice(Entity &se, int32_t nice, uint64_t now);
void entity_stats(const Entity &se, mos_sched_entity_stats &out);

} // namespace mos::sched
