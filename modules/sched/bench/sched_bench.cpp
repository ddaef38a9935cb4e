// SPDX-License-Identifier: GPL-2.0-only
//
// sched_bench: Google Benchmark of multios_sched's core at scale, on the
// host, over the same C ABI the kernel shim uses.
//
//   PickNext/T              pick_next + put_prev on one run queue of T tasks
//   SelectCpu/C/N/A         wake-up placement, C CPUs, N nodes, algorithm A
//   BalancePass/C/N/A       one CPU's balancing pass: find_busiest at every
//                           level of its chain (all intervals due)
//   PickTask/C/N/A          which of 8 tasks to pull, from a random CPU
//                           (A = 3, learned: with a trained, trusted model,
//                           as in SelectCpu)
//   UpdateCpu/C/N/I         a CPU's stats update, summaries due every I ns
//   Build/C/N               building the tree (hot-plug, knob change)
//
//   sched_bench --sim [--nice0]
//                           the multi-CPU simulator's quality table
//                           (16..1024 CPUs, 1..128 nodes, all four algorithms;
//                           --nice0: every task nice 0, so 1.00 is even)
//
// Loads are random but fixed (seeded): 90% of CPUs busy, 1-4 tasks each,
// so that placement has to search. No thresholds here: numbers go to
// Documentation/dev/sched-domains.rst with the machine's load.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include <multios/sched.h>

#include "machine.h"
#include "multi_sim.h"

namespace {

using namespace mos_sched_sim;

struct Loaded {
	Machine m;
	mos_sched_domains *sd;
	std::vector<uint32_t> ids;

	Loaded(uint32_t cpus, uint32_t nodes, uint64_t interval = 1000000)
		: m(standard_machine(cpus, nodes, 2)), sd(m.build(16, interval))
	{
		std::mt19937 rng(42);
		for (const auto &d : m.cpus) {
			ids.push_back(d.cpu);
			uint32_t nr = rng() % 10 == 0 ? 0 : 1 + rng() % 4;
			mos_sd_cpu_stats st{1024ull * nr, nr, 1024, 0, 0};
			mos_sched_domains_update_cpu(sd, d.cpu, &st, 0);
		}
		// Make every summary exact.
		mos_sched_domains_copy_stats(sd, sd, 1);
	}
	~Loaded() { mos_sched_domains_destroy(sd); }
};

mos_sd_policy policy_for(int64_t algo)
{
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	p.algo = uint32_t(algo);
	return p;
}

// learned acts on its model only once it is trusted: train it (a
// constant outcome is predictable) so the benchmarks time that path.
void train_if_learned(const Loaded &l, const mos_sd_policy &p)
{
	if (p.algo != MOS_SD_ALGO_LEARNED)
		return;
	mos_sd_task t{};
	t.load = 1024;
	t.preferred_node = -1;
	mos_sd_move mv;
	mos_sched_domains_move_features(l.sd, &t, l.ids[0], l.ids[1], &p, 0, &mv);
	mos_sd_outcome o{1000, 600, 500, 0, 0};
	for (int i = 0; i < 256; i++)
		mos_sched_domains_learn(l.sd, &mv, &o);
}

// A loaded machine of state's CPUs and nodes under algorithm range(2),
// learned's model trained, and a seeded generator for the tasks.
struct Scene {
	Loaded l;
	mos_sd_policy p;
	std::mt19937 rng;

	Scene(const benchmark::State &state, uint32_t seed)
		: l(uint32_t(state.range(0)), uint32_t(state.range(1))),
		  p(policy_for(state.range(2))), rng(seed)
	{
		train_if_learned(l, p);
	}
};

// A task with its memory on a random node that ran within the last ms.
mos_sd_task random_task(std::mt19937 &rng, int64_t nodes, uint64_t load)
{
	mos_sd_task t{};
	t.load = load;
	t.last_ran_ns = 1000000 - rng() % 1000000;
	t.preferred_node = -1;
	t.nr_mem = 1;
	t.mem[0] = {uint32_t(rng() % nodes), 1024};
	return t;
}

void PickNext(benchmark::State &state)
{
	uint32_t n = uint32_t(state.range(0));
	mos_sched_rq *rq = mos_sched_rq_create(0, MOS_GFP_KERNEL);
	std::vector<mos_sched_entity> se(n);
	uint64_t now = 1000000;
	for (uint32_t i = 0; i < n; i++) {
		mos_sched_entity_init_fair(&se[i], int32_t(i % 11) - 5);
		mos_sched_rq_enqueue(rq, &se[i], MOS_SCHED_ENQ_NEW, now);
	}
	for (auto _ : state) {
		mos_sched_entity *e = mos_sched_rq_pick_next(rq, now);
		now += 50000;
		mos_sched_rq_put_prev(rq, e, now);
		benchmark::DoNotOptimize(e);
	}
	for (uint32_t i = 0; i < n; i++)
		mos_sched_rq_dequeue(rq, &se[i], 0, now);
	mos_sched_rq_destroy(rq);
}

void SelectCpu(benchmark::State &state)
{
	Scene sc(state, 7);
	Loaded &l = sc.l;
	std::vector<mos_sd_task> tasks(256);
	std::vector<int32_t> prev(256);
	for (size_t i = 0; i < tasks.size(); i++) {
		tasks[i] = random_task(sc.rng, state.range(1), 1024);
		prev[i] = int32_t(l.ids[sc.rng() % l.ids.size()]);
	}
	size_t i = 0;
	for (auto _ : state) {
		int cpu = mos_sched_domains_select_cpu(l.sd, &tasks[i], prev[i], -1, &sc.p, 1000000);
		benchmark::DoNotOptimize(cpu);
		i = (i + 1) & 255;
	}
	state.counters["height"] = mos_sched_domains_height(l.sd);
}

void BalancePass(benchmark::State &state)
{
	Loaded l(uint32_t(state.range(0)), uint32_t(state.range(1)));
	mos_sd_policy p = policy_for(state.range(2));
	size_t i = 0;
	uint64_t levels = 0, passes = 0;
	for (auto _ : state) {
		uint32_t cpu = l.ids[i];
		int n = mos_sched_domains_nr_levels(l.sd, cpu);
		for (int level = 0; level < n; level++) {
			mos_sd_imbalance imb;
			int found = mos_sched_domains_find_busiest(l.sd, cpu, uint32_t(level), &p, &imb);
			benchmark::DoNotOptimize(found);
		}
		levels += uint64_t(n);
		passes++;
		i = (i + 97) % l.ids.size();
	}
	state.counters["height"] = mos_sched_domains_height(l.sd);
	state.counters["levels"] = passes ? double(levels) / double(passes) : 0;
}

void PickTask(benchmark::State &state)
{
	Scene sc(state, 11);
	Loaded &l = sc.l;
	std::vector<mos_sd_task> tasks(8);
	for (auto &t : tasks)
		t = random_task(sc.rng, state.range(1), 512 + sc.rng() % 2048);
	size_t i = 0;
	for (auto _ : state) {
		uint32_t src = l.ids[i], dst = l.ids[(i + 1) % l.ids.size()];
		int k = mos_sched_domains_pick_task(l.sd, tasks.data(), 8, src, dst, 4096, &sc.p,
						    1000000);
		benchmark::DoNotOptimize(k);
		i = (i + 97) % l.ids.size();
	}
}

void UpdateCpu(benchmark::State &state)
{
	Loaded l(uint32_t(state.range(0)), uint32_t(state.range(1)), uint64_t(state.range(2)));
	uint64_t now = 10;
	size_t i = 0;
	for (auto _ : state) {
		mos_sd_cpu_stats st{2048, 2, 1024, 0, 0};
		mos_sched_domains_update_cpu(l.sd, l.ids[i], &st, now);
		now += 1000;	// 1 us between updates of the whole machine
		i = (i + 1) % l.ids.size();
	}
}

void Build(benchmark::State &state)
{
	Machine m = standard_machine(uint32_t(state.range(0)), uint32_t(state.range(1)), 2);
	for (auto _ : state) {
		mos_sched_domains *sd = m.build();
		benchmark::DoNotOptimize(sd);
		mos_sched_domains_destroy(sd);
	}
}

const std::vector<std::pair<int64_t, int64_t>> kScales = {
	{16, 1}, {64, 1}, {64, 8}, {256, 8}, {256, 32}, {1024, 1}, {1024, 8}, {1024, 32}, {1024, 128},
};

void register_all()
{
	benchmark::RegisterBenchmark("PickNext", PickNext)->Arg(2)->Arg(16)->Arg(256);
	for (auto [c, n] : kScales) {
		for (int64_t a = 0; a < MOS_SD_NR_ALGOS; a++) {
			benchmark::RegisterBenchmark("SelectCpu", SelectCpu)->Args({c, n, a});
			benchmark::RegisterBenchmark("BalancePass", BalancePass)->Args({c, n, a});
			benchmark::RegisterBenchmark("PickTask", PickTask)->Args({c, n, a});
		}
		benchmark::RegisterBenchmark("UpdateCpu", UpdateCpu)->Args({c, n, 1000000});
		benchmark::RegisterBenchmark("Build", Build)->Args({c, n});
	}
}

int run_sim_table(bool nice0)
{
	std::printf("%-5s %-5s %-7s %-6s %s\n", "cpus", "nodes", "algo", "passes",
		    "result (tasks = 2 x cpus, packed start, cpus/4 wake-ups per pass)");
	const uint32_t cpus[] = {16, 64, 256, 1024}, nodes[] = {1, 8, 32, 128};
	for (uint32_t c : cpus) {
		for (uint32_t n : nodes) {
			if (n * 2 > c)
				continue;
			for (uint32_t a = 0; a < MOS_SD_NR_ALGOS; a++)
			for (uint32_t passes : {16u, 64u}) {
				MultiSimConfig cfg;
				cfg.nr_cpus = c;
				cfg.nr_nodes = n;
				cfg.nr_tasks = 2 * c;
				cfg.passes = passes;
				cfg.wakeups_per_pass = c / 4;
				cfg.nice_spread = !nice0;
				mos_sd_policy_default(&cfg.policy);
				cfg.policy.algo = a;
				MultiSimResult r = run_multi_sim(cfg);
				std::printf("%-5u %-5u %-7s %-6u %s%s\n", c, n, mos_sd_algo_name(a),
					    passes, r.summary().c_str(), r.error.empty() ? "" : " ERROR");
				std::fflush(stdout);
			}
		}
	}
	return 0;
}

}  // namespace

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (std::strcmp(argv[i], "--sim") == 0)
			return run_sim_table(i + 1 < argc && std::strcmp(argv[i + 1], "--nice0") == 0);
	}
	register_all();
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}
