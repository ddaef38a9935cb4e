// SPDX-License-Identifier: GPL-2.0-only
#include "multi_sim.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include <multios/sched.h>

#include "machine.h"

namespace mos_sched_sim {

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kPassNs = 4000000;	// simulated time per pass

struct Task {
	mos_sched_entity se;
	uint32_t cpu;
	uint32_t weight;
	uint32_t mem_node;
	uint64_t last_ran;
	bool queued;
	// The last migration, until its outcome goes to the learned model.
	bool pending = false;
	uint32_t moved_pass = 0;
	mos_sd_move move{};
};

class MultiSim {
public:
	explicit MultiSim(const MultiSimConfig &c);
	~MultiSim();
	MultiSimResult run();

private:
	void update(uint32_t cpu);
	void place(uint32_t t, uint32_t cpu, uint32_t flags);
	void migrate(uint32_t t, uint32_t dst, uint32_t flags);
	void balance_cpu(uint32_t cpu, uint32_t pass);
	bool pull(const mos_sd_imbalance &imb);
	void wake_some();
	mos_sd_task hint(const Task &task) const;
	void measure(double &imbalance, uint32_t &idle, uint32_t &stacked, double &remote) const;
	void measure_work();
	// The learned model's feedback (every algorithm feeds it; only
	// learned acts on it).
	double speed(const Task &task, uint32_t cpu) const;
	double progress_ns(const Task &task, uint32_t cpu) const;
	void record_move(uint32_t t, uint32_t src, uint32_t dst, bool waking);
	void report_outcome(uint32_t t, bool pulled_back);
	void report_due();

	MultiSimConfig c_;
	Machine m_;
	mos_sched_domains *sd_ = nullptr;
	std::vector<mos_sched_rq *> rq_;	// by CPU id
	std::vector<uint64_t> load_;
	std::vector<std::vector<uint32_t>> on_cpu_;
	std::vector<std::unique_ptr<Task>> tasks_;
	std::vector<uint32_t> cpu_ids_;
	std::vector<uint32_t> node_of_;	// by CPU id
	std::mt19937_64 rng_;
	uint64_t now_ = 1000000;
	MultiSimResult r_;
	uint64_t find_ns_ = 0, select_ns_ = 0, selects_ = 0, remote_ = 0;
	uint32_t pass_ = 0;
};

MultiSim::MultiSim(const MultiSimConfig &c) : c_(c), rng_(c.seed)
{
	if (c_.policy.imbalance_pct == 0)
		mos_sd_policy_default(&c_.policy);
	m_ = standard_machine(c_.nr_cpus, c_.nr_nodes, c_.smt);
	sd_ = m_.build(c_.domain_size);
	uint32_t nr_ids = 0;
	for (const auto &d : m_.cpus) {
		cpu_ids_.push_back(d.cpu);
		nr_ids = std::max(nr_ids, d.cpu + 1);
	}
	std::sort(cpu_ids_.begin(), cpu_ids_.end());
	rq_.assign(nr_ids, nullptr);
	load_.assign(nr_ids, 0);
	on_cpu_.resize(nr_ids);
	node_of_.assign(nr_ids, 0);
	for (const auto &d : m_.cpus)
		node_of_[d.cpu] = d.node;
	for (uint32_t cpu : cpu_ids_)
		rq_[cpu] = mos_sched_rq_create(cpu, MOS_GFP_KERNEL);
	r_.tree_height = mos_sched_domains_height(sd_);
}

MultiSim::~MultiSim()
{
	for (auto &t : tasks_) {
		if (t->queued)
			mos_sched_rq_dequeue(rq_[t->cpu], &t->se, 0, now_);
	}
	for (mos_sched_rq *rq : rq_)
		if (rq)
			mos_sched_rq_destroy(rq);
	mos_sched_domains_destroy(sd_);
}

void MultiSim::update(uint32_t cpu)
{
	mos_sd_cpu_stats st{load_[cpu], mos_sched_rq_nr_running(rq_[cpu]),
			    MOS_SD_CAPACITY_SCALE, 0, 0};
	mos_sched_domains_update_cpu(sd_, cpu, &st, now_);
}

void MultiSim::place(uint32_t t, uint32_t cpu, uint32_t flags)
{
	Task &task = *tasks_[t];
	task.cpu = cpu;
	mos_sched_rq_enqueue(rq_[cpu], &task.se, flags, now_);
	task.queued = true;
	load_[cpu] += task.weight;
	on_cpu_[cpu].push_back(t);
	update(cpu);
}

void MultiSim::migrate(uint32_t t, uint32_t dst, uint32_t flags)
{
	Task &task = *tasks_[t];
	uint32_t src = task.cpu;
	record_move(t, src, dst, false);
	mos_sched_rq_detach(rq_[src], &task.se, now_);
	load_[src] -= task.weight;
	auto &list = on_cpu_[src];
	list.erase(std::find(list.begin(), list.end(), t));
	update(src);
	mos_sched_rq_attach(rq_[dst], &task.se, flags, now_);
	task.cpu = dst;
	load_[dst] += task.weight;
	on_cpu_[dst].push_back(t);
	update(dst);
	r_.migrations++;
}

mos_sd_task MultiSim::hint(const Task &task) const
{
	mos_sd_task h{};
	h.load = task.weight;
	h.last_ran_ns = task.last_ran;
	h.preferred_node = -1;
	h.nr_mem = 1;
	h.mem[0] = {task.mem_node, MOS_SD_CAPACITY_SCALE};
	return h;
}

// Moves tasks from src until the imbalance is covered, at most 8.
bool MultiSim::pull(const mos_sd_imbalance &imb)
{
	uint32_t src = uint32_t(imb.src_cpu), dst = uint32_t(imb.dst_cpu);
	uint64_t left = imb.load;
	bool moved = false;
	for (int n = 0; n < 8 && left > 0 && on_cpu_[src].size() > 1; n++) {
		std::vector<mos_sd_task> hints;
		for (uint32_t t : on_cpu_[src])
			hints.push_back(hint(*tasks_[t]));
		int k = mos_sched_domains_pick_task(sd_, hints.data(), uint32_t(hints.size()), src,
						    dst, left, &c_.policy, now_);
		if (k < 0)
			break;
		uint32_t t = on_cpu_[src][size_t(k)];
		left -= std::min<uint64_t>(left, tasks_[t]->weight);
		migrate(t, dst, 0);
		moved = true;
	}
	return moved;
}

void MultiSim::balance_cpu(uint32_t cpu, uint32_t pass)
{
	int levels = mos_sched_domains_nr_levels(sd_, cpu);
	for (int level = 0; level < levels; level++) {
		if (pass % (1u << std::min(level, 20)) != 0)
			continue;
		mos_sd_imbalance imb;
		auto t0 = Clock::now();
		int found = mos_sched_domains_find_busiest(sd_, cpu, uint32_t(level), &c_.policy, &imb);
		find_ns_ += uint64_t(std::chrono::nanoseconds(Clock::now() - t0).count());
		r_.balance_calls++;
		if (found == 1 && pull(imb))
			break;	// as the kernel: one successful pull per pass
	}
}

void MultiSim::wake_some()
{
	std::uniform_int_distribution<uint32_t> pick_task(0, uint32_t(tasks_.size()) - 1);
	std::uniform_int_distribution<size_t> pick_cpu(0, cpu_ids_.size() - 1);
	for (uint32_t i = 0; i < c_.wakeups_per_pass; i++) {
		uint32_t t = pick_task(rng_);
		Task &task = *tasks_[t];
		uint32_t prev = task.cpu;
		// Sleep.
		mos_sched_rq_dequeue(rq_[prev], &task.se, MOS_SCHED_DEQ_SLEEP, now_);
		task.queued = false;
		load_[prev] -= task.weight;
		auto &list = on_cpu_[prev];
		list.erase(std::find(list.begin(), list.end(), t));
		update(prev);
		task.last_ran = now_;
		now_ += 1000;
		// Wake, from a random waker.
		mos_sd_task h = hint(task);
		auto t0 = Clock::now();
		int cpu = mos_sched_domains_select_cpu(sd_, &h, int32_t(prev),
						       int32_t(cpu_ids_[pick_cpu(rng_)]), &c_.policy, now_);
		select_ns_ += uint64_t(std::chrono::nanoseconds(Clock::now() - t0).count());
		selects_++;
		if (cpu < 0) {
			r_.error = "select_cpu failed";
			cpu = int(prev);
		}
		remote_ += node_of_[uint32_t(cpu)] != task.mem_node;
		if (uint32_t(cpu) != prev)
			record_move(t, prev, uint32_t(cpu), true);
		if (uint32_t(cpu) == prev) {
			place(t, prev, MOS_SCHED_ENQ_WAKEUP);
		} else {
			mos_sched_rq_detach(rq_[prev], &task.se, now_);
			task.cpu = uint32_t(cpu);
			mos_sched_rq_attach(rq_[task.cpu], &task.se, MOS_SCHED_ENQ_WAKEUP, now_);
			task.queued = true;
			load_[task.cpu] += task.weight;
			on_cpu_[task.cpu].push_back(t);
			update(task.cpu);
		}
		r_.wakeups++;
	}
}

void MultiSim::measure(double &imbalance, uint32_t &idle, uint32_t &stacked, double &remote) const
{
	uint64_t total = 0, max = 0;
	idle = 0;
	stacked = 0;
	for (uint32_t cpu : cpu_ids_) {
		total += load_[cpu];
		max = std::max(max, load_[cpu]);
		idle += on_cpu_[cpu].empty();
	}
	for (uint32_t cpu : cpu_ids_)
		stacked += idle && on_cpu_[cpu].size() > 1;
	double mean = double(total) / double(cpu_ids_.size());
	imbalance = mean > 0 ? double(max) / mean : 0;
	uint32_t off = 0;
	for (const auto &t : tasks_)
		off += node_of_[t->cpu] != t->mem_node;
	remote = tasks_.empty() ? 0 : double(off) / double(tasks_.size());
}

// How fast a task runs on cpu for its memory: SLIT-like, 10 / distance.
double MultiSim::speed(const Task &task, uint32_t cpu) const
{
	return double(MOS_TOPO_LOCAL_DISTANCE) / double(m_.dist(node_of_[cpu], task.mem_node));
}

// Useful run time of task over a pass on cpu, now: its share of the CPU
// (counting it there if it is not) times its memory speed there.
double MultiSim::progress_ns(const Task &task, uint32_t cpu) const
{
	bool there = task.queued && task.cpu == cpu;
	double load = double(load_[cpu] + (there ? 0 : task.weight));
	return double(kPassNs) * double(task.weight) / load * speed(task, cpu);
}

void MultiSim::record_move(uint32_t t, uint32_t src, uint32_t dst, bool waking)
{
	Task &task = *tasks_[t];
	if (task.pending)	// moved again before its outcome was taken
		report_outcome(t, dst == uint32_t(task.move.src_cpu));
	mos_sd_task h = hint(task);
	if (waking)
		h.flags |= MOS_SD_TASK_WAKING;
	if (mos_sched_domains_move_features(sd_, &h, src, dst, &c_.policy, now_, &task.move) != 0) {
		r_.error = "move_features failed";
		return;
	}
	task.pending = true;
	task.moved_pass = pass_;
}

void MultiSim::report_outcome(uint32_t t, bool pulled_back)
{
	Task &task = *tasks_[t];
	task.pending = false;
	mos_sd_outcome o{};
	o.window_ns = kPassNs;
	o.progress_dst_ns = uint64_t(progress_ns(task, uint32_t(task.move.dst_cpu)));
	o.progress_src_ns = uint64_t(progress_ns(task, uint32_t(task.move.src_cpu)));
	o.flags = pulled_back ? MOS_SD_OUTCOME_PULLED_BACK : 0;
	if (mos_sched_domains_learn(sd_, &task.move, &o) != 0)
		r_.error = "learn failed";
}

// Outcomes of the moves of the previous pass: one pass of what followed.
void MultiSim::report_due()
{
	for (uint32_t t = 0; t < tasks_.size(); t++) {
		if (tasks_[t]->pending && tasks_[t]->moved_pass < pass_)
			report_outcome(t, false);
	}
}

// work: useful run time of all tasks per CPU (1.0: every CPU runs tasks
// next to their memory); worst: the least of each task's useful run time
// over its fair share of the machine (weight / total weight x CPUs).
void MultiSim::measure_work()
{
	double total_weight = 0, work = 0, worst = 1e9;
	for (const auto &t : tasks_)
		total_weight += t->weight;
	for (const auto &t : tasks_) {
		double p = progress_ns(*t, t->cpu) / double(kPassNs);
		double fair = std::min(1.0, double(t->weight) / total_weight * double(cpu_ids_.size()));
		work += p;
		worst = std::min(worst, p / fair);
	}
	r_.work_end = work / double(cpu_ids_.size());
	r_.worst_end = tasks_.empty() ? 0 : worst;
	mos_sd_model_stats ms;
	mos_sched_domains_model_stats(sd_, &ms);
	r_.model_updates = ms.updates;
	r_.model_trusted = ms.trusted;
	r_.model_error = ms.mean_abs_target ? double(ms.mean_abs_error) / ms.mean_abs_target : 0;
}

MultiSimResult MultiSim::run()
{
	std::uniform_int_distribution<int> nice(-5, 5);
	std::uniform_int_distribution<uint32_t> node(0, c_.nr_nodes - 1);
	std::uniform_int_distribution<size_t> any_cpu(0, cpu_ids_.size() - 1);
	std::uniform_int_distribution<uint64_t> ran_ago(0, 2000000);
	// Node 0's first CPUs, for a packed start: a quarter of its CPUs.
	std::vector<uint32_t> node0;
	for (const auto &d : m_.cpus)
		if (d.node == 0)
			node0.push_back(d.cpu);
	std::sort(node0.begin(), node0.end());
	node0.resize(std::max<size_t>(1, node0.size() / 4));

	for (uint32_t i = 0; i < c_.nr_tasks; i++) {
		auto task = std::make_unique<Task>();
		int32_t n = c_.nice_spread ? nice(rng_) : 0;
		mos_sched_entity_init_fair(&task->se, n);
		task->weight = mos_sched_nice_to_weight(n);
		task->mem_node = node(rng_);
		task->queued = false;
		tasks_.push_back(std::move(task));
		uint32_t cpu = c_.start_packed ? node0[i % node0.size()] : cpu_ids_[any_cpu(rng_)];
		place(i, cpu, MOS_SCHED_ENQ_NEW);
	}
	double remote;
	measure(r_.imbalance_start, r_.idle_cpus_end, r_.stacked_cpus_end, remote);

	std::vector<uint32_t> order = cpu_ids_;
	for (uint32_t pass = 0; pass < c_.passes; pass++) {
		pass_ = pass;
		report_due();
		now_ += kPassNs;
		for (auto &t : tasks_)
			t->last_ran = now_ - ran_ago(rng_);
		std::shuffle(order.begin(), order.end(), rng_);
		for (uint32_t cpu : order)
			balance_cpu(cpu, pass);
		wake_some();
	}
	measure(r_.imbalance_end, r_.idle_cpus_end, r_.stacked_cpus_end, r_.remote_tasks_end);
	measure_work();
	r_.remote_placements = selects_ ? double(remote_) / double(selects_) : 0;
	r_.ns_per_find_busiest = r_.balance_calls ? double(find_ns_) / double(r_.balance_calls) : 0;
	r_.ns_per_select = selects_ ? double(select_ns_) / double(selects_) : 0;
	for (uint32_t cpu : cpu_ids_) {
		if (const char *err = mos_sched_rq_check(rq_[cpu])) {
			r_.error = err;
			break;
		}
	}
	return r_;
}

}  // namespace

std::string MultiSimResult::summary() const
{
	char buf[512];
	std::snprintf(buf, sizeof(buf),
		      "imbalance %.2f -> %.2f, idle %u, stacked %u, remote tasks %.3f, "
		      "remote placements %.3f, migrations %llu, wakeups %llu, "
		      "work %.3f, worst %.3f, model %llu err %.2f%s, "
		      "find_busiest %.0f ns, select %.0f ns, height %u",
		      imbalance_start, imbalance_end, idle_cpus_end, stacked_cpus_end,
		      remote_tasks_end, remote_placements, (unsigned long long)migrations,
		      (unsigned long long)wakeups, work_end, worst_end,
		      (unsigned long long)model_updates, model_error, model_trusted ? " trusted" : "",
		      ns_per_find_busiest, ns_per_select, tree_height);
	return buf;
}

MultiSimResult run_multi_sim(const MultiSimConfig &config)
{
	MultiSim sim(config);
	return sim.run();
}

}  // namespace mos_sched_sim
