// SPDX-License-Identifier: GPL-2.0-only
//
// The one-CPU discrete-event simulator (see simulator.h). Each loop step
// schedules if asked to, finds the next instant anything happens, lets
// the current task run until then, and delivers what happens at it.

#include "simulator.h"

#include <algorithm>
#include <deque>

namespace mos_sched_sim {

struct Simulator::Task {
	mos_sched_entity se{};
	bool edf = false;
	EdfSpec spec{};
	uint64_t next_release = 0;
	std::deque<Job> jobs;	// EDF: released, not yet done, oldest first
	bool queued = false;
	uint64_t waiting_since = 0;	// queued and not current since then
	TaskResult result;
};

Simulator::Simulator(uint64_t tick_ns, uint32_t slice_us, uint32_t edf_cap_percent)
	: rq_(mos_sched_rq_create(0, MOS_GFP_KERNEL)),
	  adm_(mos_sched_admission_create(1, MOS_GFP_KERNEL)), tick_ns_(tick_ns),
	  next_tick_(tick_ns)
{
	if (mos_sched_rq_set_slice_us(rq_, slice_us) ||
	    mos_sched_admission_set_cap(adm_, edf_cap_percent))
		error_ = "bad simulator configuration";
}

Simulator::~Simulator()
{
	if (curr_)
		mos_sched_rq_put_prev(rq_, &curr_->se, now_);
	for (auto &task : tasks_) {
		if (task->queued)
			mos_sched_rq_dequeue(rq_, &task->se, 0, now_);
		if (task->edf)
			mos_sched_admission_release(adm_, &task->spec.params);
	}
	mos_sched_rq_destroy(rq_);
	mos_sched_admission_destroy(adm_);
}

int Simulator::add_fair(int32_t nice)
{
	auto task = std::make_unique<Task>();
	int err = mos_sched_entity_init_fair(&task->se, nice);
	if (err)
		return err;
	mos_sched_rq_enqueue(rq_, &task->se, MOS_SCHED_ENQ_NEW, now_);
	task->queued = true;
	task->waiting_since = now_;
	need_resched_ |= mos_sched_rq_wakeup_preempt(rq_, &task->se, now_);
	tasks_.push_back(std::move(task));
	return int(tasks_.size() - 1);
}

int Simulator::add_edf(const EdfSpec &spec)
{
	auto task = std::make_unique<Task>();
	int err = mos_sched_admission_admit(adm_, &spec.params);
	if (err)
		return err;
	err = mos_sched_entity_init_edf(&task->se, &spec.params);
	if (err) {
		mos_sched_admission_release(adm_, &spec.params);
		return err;
	}
	task->edf = true;
	task->spec = spec;
	task->next_release = now_ + spec.offset_ns;
	tasks_.push_back(std::move(task));
	return int(tasks_.size() - 1);
}

int Simulator::set_nice(int task, int32_t nice)
{
	int err = mos_sched_entity_set_nice(&tasks_.at(size_t(task))->se, nice, now_);

	need_resched_ = true;
	check("set_nice");
	return err;
}

uint64_t Simulator::next_event_time(uint64_t end) const
{
	uint64_t t = std::min({end, next_tick_, mos_sched_rq_next_event(rq_)});

	for (auto &task : tasks_) {
		if (task->edf)
			t = std::min(t, task->next_release);
	}
	if (curr_ && curr_->edf && !curr_->jobs.empty())
		t = std::min(t, now_ + curr_->jobs.front().work_left);
	return std::max(t, now_);
}

void Simulator::advance(uint64_t to)
{
	uint64_t ran = to - now_;

	if (!curr_) {
		idle_ns_ += ran;
	} else {
		curr_->result.cpu_ns += ran;
		if (curr_->edf && !curr_->jobs.empty())
			curr_->jobs.front().work_left -= ran;
	}
	now_ = to;
}

void Simulator::complete_job(Task &task)
{
	Job job = task.jobs.front();
	task.jobs.pop_front();
	task.result.jobs_done++;
	if (now_ > job.deadline) {
		task.result.jobs_late++;
		task.result.max_lateness_ns =
			std::max(task.result.max_lateness_ns, now_ - job.deadline);
	}
	if (task.jobs.empty()) {
		mos_sched_rq_dequeue(rq_, &task.se, MOS_SCHED_DEQ_SLEEP, now_);
		task.queued = false;
		need_resched_ = true;
	}
}

void Simulator::release_jobs()
{
	for (auto &task : tasks_) {
		if (!task->edf || task->next_release > now_)
			continue;
		const auto &p = task->spec.params;
		task->jobs.push_back({now_ + p.deadline_ns, task->spec.work_ns});
		task->next_release += p.period_ns;
		if (task->queued)
			continue;
		mos_sched_rq_enqueue(rq_, &task->se, MOS_SCHED_ENQ_WAKEUP, now_);
		task->queued = true;
		task->waiting_since = now_;
		need_resched_ |= mos_sched_rq_wakeup_preempt(rq_, &task->se, now_);
	}
}

void Simulator::handle_events()
{
	events_++;
	if (curr_ && curr_->edf && !curr_->jobs.empty() && curr_->jobs.front().work_left == 0)
		complete_job(*curr_);
	release_jobs();
	// The shim's hrtimer and the scheduler tick both end in tick().
	if (mos_sched_rq_next_event(rq_) <= now_)
		need_resched_ |= mos_sched_rq_tick(rq_, now_);
	if (now_ >= next_tick_) {
		need_resched_ |= mos_sched_rq_tick(rq_, now_);
		next_tick_ += tick_ns_;
	}
	check("event");
}

void Simulator::schedule()
{
	if (curr_) {
		mos_sched_rq_put_prev(rq_, &curr_->se, now_);
		curr_->waiting_since = now_;
	}
	curr_ = nullptr;
	mos_sched_entity *se = mos_sched_rq_pick_next(rq_, now_);
	for (auto &task : tasks_) {
		if (&task->se == se)
			curr_ = task.get();
	}
	if (curr_)
		curr_->result.max_wait_ns = std::max(curr_->result.max_wait_ns,
						     now_ - curr_->waiting_since);
	if (se && !curr_)
		error_ = "picked an entity the simulator does not know";
	need_resched_ = false;
	check("schedule");
}

void Simulator::check(const char *where)
{
	if (!error_.empty())
		return;
	if (const char *why = mos_sched_rq_check(rq_))
		error_ = std::string(where) + ": " + why;
	uint64_t min_vruntime = rq_stats().min_vruntime;
	if (int64_t(min_vruntime - last_min_vruntime_) < 0)
		error_ = std::string(where) + ": min_vruntime went backwards";
	last_min_vruntime_ = min_vruntime;
}

void Simulator::run_until(uint64_t end_ns)
{
	unsigned int stalled = 0;

	while (now_ < end_ns && error_.empty()) {
		if (need_resched_)
			schedule();
		uint64_t next = next_event_time(end_ns);
		// Time must move: a core that keeps asking for "now" would
		// hang a kernel in its hrtimer the same way.
		stalled = next == now_ ? stalled + 1 : 0;
		if (stalled > 100)
			error_ = "no progress: events keep falling due at the same instant";
		advance(next);
		handle_events();
	}
}

TaskResult Simulator::result(int i) const
{
	const Task &task = *tasks_.at(size_t(i));
	TaskResult r = task.result;
	// A task still waiting counts its wait so far.
	if (task.queued && &task != curr_)
		r.max_wait_ns = std::max(r.max_wait_ns, now_ - task.waiting_since);
	// Jobs still pending past their deadline are late too.
	for (const Job &job : task.jobs) {
		if (now_ > job.deadline) {
			r.jobs_late++;
			r.max_lateness_ns = std::max(r.max_lateness_ns, now_ - job.deadline);
		}
	}
	mos_sched_entity_get_stats(&task.se, &r.core);
	return r;
}

mos_sched_rq_stats Simulator::rq_stats() const
{
	mos_sched_rq_stats s;
	mos_sched_rq_get_stats(rq_, &s);
	return s;
}

} // namespace mos_sched_sim
