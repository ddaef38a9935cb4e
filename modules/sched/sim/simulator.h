// SPDX-License-Identifier: GPL-2.0-only
//
// A discrete-event simulator of one CPU running multios_sched's core
// through the same C ABI the kernel shim uses (include/multios/sched.h),
// on a virtual clock. Host only: it uses the standard library.
//
// Tasks are fair CPU hogs (always runnable) or periodic EDF tasks that
// release a job of `work_ns` every period; a job asking for more than
// its runtime models an overrunning task. The simulator delivers what the
// kernel would: a periodic tick, the hrtimer at mos_sched_rq_next_event(),
// wakeups with preemption checks, and blocking when a task's jobs are
// done. It measures, independently of the core's counters, each task's
// CPU time and every job's lateness, and checks the core's invariants
// after every event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <multios/sched.h>

namespace mos_sched_sim {

constexpr uint64_t kUs = 1000;
constexpr uint64_t kMs = 1000 * kUs;
constexpr uint64_t kSec = 1000 * kMs;

struct EdfSpec {
	mos_sched_edf_params params;
	uint64_t work_ns;	// CPU each job needs; > runtime overruns
	uint64_t offset_ns;	// first release
};

struct TaskResult {
	uint64_t cpu_ns = 0;
	uint64_t jobs_done = 0;
	uint64_t jobs_late = 0;		// finished (or still pending) after the deadline
	uint64_t max_lateness_ns = 0;
	uint64_t max_wait_ns = 0;	// longest runnable stretch without the CPU
	mos_sched_entity_stats core{};	// the core's own view, at the end
};

class Simulator {
public:
	explicit Simulator(uint64_t tick_ns = kMs, uint32_t slice_us = MOS_SCHED_SLICE_US_DEFAULT,
			   uint32_t edf_cap_percent = MOS_SCHED_EDF_CAP_DEFAULT);
	~Simulator();
	Simulator(const Simulator &) = delete;
	Simulator &operator=(const Simulator &) = delete;

	// Index of the new task.
	int add_fair(int32_t nice);
	// Index of the new task, or the admission error (-EBUSY, -EINVAL).
	int add_edf(const EdfSpec &spec);

	// Renices a fair task now (as setpriority() would); 0 or -EINVAL.
	int set_nice(int task, int32_t nice);

	// Runs until `end_ns` of virtual time.
	void run_until(uint64_t end_ns);

	TaskResult result(int task) const;
	mos_sched_rq_stats rq_stats() const;
	uint64_t now() const { return now_; }
	uint64_t idle_ns() const { return idle_ns_; }
	uint64_t events() const { return events_; }
	// Empty while every invariant held.
	const std::string &error() const { return error_; }

private:
	struct Job {
		uint64_t deadline;
		uint64_t work_left;
	};
	struct Task;

	uint64_t next_event_time(uint64_t end) const;
	void advance(uint64_t to);
	void handle_events();
	void release_jobs();
	void complete_job(Task &task);
	void schedule();
	void check(const char *where);

	mos_sched_rq *rq_;
	mos_sched_admission *adm_;
	std::vector<std::unique_ptr<Task>> tasks_;
	Task *curr_ = nullptr;
	uint64_t now_ = 0;
	uint64_t tick_ns_;
	uint64_t next_tick_;
	uint64_t idle_ns_ = 0;
	uint64_t events_ = 0;
	uint64_t last_min_vruntime_ = 0;
	bool need_resched_ = true;
	std::string error_;
};

} // namespace mos_sched_sim
