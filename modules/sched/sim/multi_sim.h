// SPDX-License-Identifier: GPL-2.0-only
//
// A multi-CPU simulator of load balancing and wake-up placement: one
// multios run queue per CPU (include/multios/sched.h) and the domain
// tree with its balancers (include/multios/sched_domains.h), driven
// through their C ABIs as the kernel shim would. Host only.
//
// Tasks are CPU hogs of random weight (nice -5..5) whose memory lives on
// one node. They start packed on node 0's first CPUs (a fork storm) or
// scattered at random. Each pass every CPU balances its domains bottom-up
// (level L every 2^L passes: intervals scale with level), moving tasks
// the balancer picks until the reported imbalance is covered; then some
// tasks sleep and wake, placed by select_cpu. The result says how even
// the load got, how many tasks run away from their memory, and what each
// decision cost. Every migration's outcome (the task's useful run time
// one pass later on dst against what it would have had on src, and
// whether it was pulled back) is fed to the tree's learned model, whatever
// the algorithm; only `learned` acts on it.
#pragma once

#include <cstdint>
#include <string>

#include <multios/sched_domains.h>

namespace mos_sched_sim {

struct MultiSimConfig {
	uint32_t nr_cpus = 64;
	uint32_t nr_nodes = 8;
	uint32_t smt = 2;
	uint32_t nr_tasks = 128;
	uint32_t passes = 20;
	uint32_t wakeups_per_pass = 0;	// tasks that sleep and wake per pass
	uint32_t domain_size = MOS_SD_DOMAIN_SIZE_DEFAULT;
	bool start_packed = true;	// else random CPUs
	bool nice_spread = true;	// else every task nice 0
	mos_sd_policy policy{};		// filled with defaults if imbalance_pct == 0
	uint64_t seed = 1;
};

struct MultiSimResult {
	double imbalance_start = 0;	// max CPU load / mean CPU load
	double imbalance_end = 0;
	uint32_t idle_cpus_end = 0;
	uint32_t stacked_cpus_end = 0;	// CPUs with 2+ tasks while some CPU is idle
	double remote_tasks_end = 0;	// tasks off their memory node, at the end
	double remote_placements = 0;	// of wake-up placements
	double work_end = 0;		// useful run time per CPU (memory speed 10/distance)
	double worst_end = 0;		// least task progress over its fair share
	uint64_t model_updates = 0;	// outcomes the learned model took
	bool model_trusted = false;	// learned acts on its model at the end
	double model_error = 0;		// its mean |error| / mean |target|
	uint64_t migrations = 0;
	uint64_t wakeups = 0;
	uint64_t balance_calls = 0;
	double ns_per_find_busiest = 0;	// wall time, this host
	double ns_per_select = 0;
	uint32_t tree_height = 0;
	std::string error;		// empty while every run queue checked clean

	std::string summary() const;
};

MultiSimResult run_multi_sim(const MultiSimConfig &config);

}  // namespace mos_sched_sim
