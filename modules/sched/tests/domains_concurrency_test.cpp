// SPDX-License-Identifier: GPL-2.0-only
//
// The domain statistics under concurrency: CPUs updating their own
// numbers (each refreshing summaries on the way up) while others balance,
// place and dump the tree, as on a real machine; no lock anywhere. Built
// twice: in sched_tests (ASan+UBSan) and in sched_tests_tsan, where any
// data race is a failure. Afterwards, one exact round must give exact
// sums: a racing refresh may be stale, never corrupt. The writers also
// feed the learned model while readers use it: racing updates may be
// lost (learned_model.h), weights never leave their bounds.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "machine.h"

namespace {

using namespace mos_sched_sim;

// One random migration and outcome for the learned model.
void learn_once(mos_sched_domains *sd, const Machine &m, std::mt19937 &rng)
{
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	mos_sd_task t{};
	t.load = 1024;
	t.preferred_node = int32_t(rng() % 4);
	mos_sd_move mv;
	uint32_t src = m.cpus[rng() % m.cpus.size()].cpu, dst = m.cpus[rng() % m.cpus.size()].cpu;
	ASSERT_EQ(mos_sched_domains_move_features(sd, &t, src, dst, &p, 1, &mv), 0);
	mos_sd_outcome o{1000, rng() % 1001, rng() % 1001, uint32_t(rng() % 2), 0};
	ASSERT_EQ(mos_sched_domains_learn(sd, &mv, &o), 0);
}

void hammer(uint64_t interval_ns)
{
	Machine m = standard_machine(64, 4, 2);
	mos_sched_domains *sd = m.build(8, interval_ns);
	const int kWriters = 3, kReaders = 2, kRounds = 3000;
	std::atomic<uint64_t> clock{1};
	std::atomic<bool> stop{false};
	std::vector<std::thread> threads;

	for (int w = 0; w < kWriters; w++) {
		threads.emplace_back([&, w] {
			std::mt19937 rng(w);
			for (int i = 0; i < kRounds; i++) {
				uint32_t cpu = m.cpus[(rng() % (m.cpus.size() / kWriters)) * kWriters + w].cpu;
				mos_sd_cpu_stats st{rng() % 8192, uint32_t(rng() % 8), uint32_t(512 + rng() % 513),
						    uint32_t(rng() % 200), 0};
				ASSERT_EQ(mos_sched_domains_update_cpu(sd, cpu, &st, clock.fetch_add(1)), 0);
				learn_once(sd, m, rng);
			}
		});
	}
	for (int r = 0; r < kReaders; r++) {
		threads.emplace_back([&, r] {
			std::mt19937 rng(100 + r);
			mos_sd_policy p;
			mos_sd_policy_default(&p);
			std::string buf(1 << 16, '\0');
			while (!stop.load()) {
				uint32_t cpu = m.cpus[rng() % m.cpus.size()].cpu;
				p.algo = rng() % MOS_SD_NR_ALGOS;
				p.power_mode = rng() % MOS_SD_NR_POWER_MODES;
				int levels = mos_sched_domains_nr_levels(sd, cpu);
				mos_sd_imbalance imb;
				int found = mos_sched_domains_find_busiest(sd, cpu, rng() % levels, &p, &imb);
				ASSERT_GE(found, 0);
				if (found) {
					ASSERT_TRUE(mos_sched_domains_has_cpu(sd, uint32_t(imb.src_cpu)));
				}
				mos_sd_task t{};
				t.load = 1024;
				t.preferred_node = int32_t(rng() % 4);
				int c = mos_sched_domains_select_cpu(sd, &t, int32_t(cpu), -1, &p,
								     clock.load());
				ASSERT_TRUE(c >= 0 && mos_sched_domains_has_cpu(sd, uint32_t(c)));
				int k = mos_sched_domains_pick_task(sd, &t, 1, cpu, uint32_t(c), 4096, &p,
								    clock.load());
				ASSERT_TRUE(k == 0 || k == -MOS_EAGAIN) << k;
				ASSERT_GT(mos_sched_domains_show(sd, buf.data(), buf.size()), 0);
			}
		});
	}
	for (int w = 0; w < kWriters; w++)
		threads[size_t(w)].join();
	stop.store(true);
	for (size_t i = kWriters; i < threads.size(); i++)
		threads[i].join();

	// One exact round, later than everything before, bottom-up per CPU.
	uint64_t now = clock.load() + 100 * interval_ns * 64 + 1;
	uint64_t want = 0;
	for (const auto &d : m.cpus) {
		mos_sd_cpu_stats st{d.cpu, 1, 1024, 0, 0};
		want += d.cpu;
		ASSERT_EQ(mos_sched_domains_update_cpu(sd, d.cpu, &st, now), 0);
		now += interval_ns * 64 + 1;
	}
	mos_sd_group_stats root;
	int top = mos_sched_domains_nr_levels(sd, 0) - 1;
	ASSERT_EQ(mos_sched_domains_group_stats(sd, 0, top, &root), 0);
	EXPECT_EQ(root.load, want);
	EXPECT_EQ(root.nr_running, 64u);
	EXPECT_EQ(root.capacity, 64u * 1024);
	EXPECT_EQ(root.idle_cpus, 0u);
	// Each writer owned its CPUs, as each CPU's rq lock serializes its
	// updates: the waiting count, applied per crossing, is exact.
	EXPECT_EQ(mos_sched_domains_waiting_cpus(sd), 0u);
	mos_sd_model_stats ms;
	ASSERT_EQ(mos_sched_domains_model_stats(sd, &ms), 0);
	EXPECT_GT(ms.updates, 0u);
	EXPECT_LE(ms.updates, uint64_t(kWriters) * kRounds);
	for (int32_t w : ms.weight) {
		EXPECT_LE(w, 16 * MOS_SD_Q16_ONE);
		EXPECT_GE(w, -16 * MOS_SD_Q16_ONE);
	}
	mos_sched_domains_destroy(sd);
}

TEST(SchedDomainsConcurrency, ExactSummaries)
{
	hammer(0);
}

TEST(SchedDomainsConcurrency, IntervalSummaries)
{
	hammer(1000);
}

}  // namespace
