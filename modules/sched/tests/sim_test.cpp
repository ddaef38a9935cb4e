// SPDX-License-Identifier: GPL-2.0-only
//
// Scheduling behaviour over seconds of simulated time on one CPU, with
// the core driven through its C ABI by sim/simulator.cpp: fair shares by
// nice, EDF deadlines under fair load, CBS isolation of an overrunning
// task, and the fair class's floor next to EDF at the cap.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "simulator.h"

namespace {

using namespace mos_sched_sim;

double share(const Simulator &sim, int task)
{
	return double(sim.result(task).cpu_ns) / double(sim.now());
}

// A reservation of `runtime` per `period`, implicit deadline, each job
// asking for `work` (runtime itself unless given).
EdfSpec periodic(uint64_t runtime, uint64_t period, uint64_t work = 0, uint64_t offset = 0)
{
	return {{runtime, period, period}, work ? work : runtime, offset};
}

// (a) Three hogs at nice -5, 0, 5 for 10 s: CPU in proportion to weight.
TEST(SchedSim, FairShareFollowsNiceWeights)
{
	Simulator sim;
	const int32_t nices[3] = {-5, 0, 5};
	int id[3];
	double total_weight = 0;
	for (int i = 0; i < 3; i++) {
		id[i] = sim.add_fair(nices[i]);
		total_weight += mos_sched_nice_to_weight(nices[i]);
	}
	sim.run_until(10 * kSec);
	ASSERT_EQ(sim.error(), "");
	EXPECT_EQ(sim.idle_ns(), 0u);
	std::printf("[sim] 10 s: %llu events, %llu switches\n",
		    (unsigned long long)sim.events(),
		    (unsigned long long)sim.rq_stats().nr_switches);
	for (int i = 0; i < 3; i++) {
		double want = mos_sched_nice_to_weight(nices[i]) / total_weight;
		double got = share(sim, id[i]);
		std::printf("[sim] nice %3d: share %.4f, weight ratio %.4f\n", nices[i], got, want);
		// Within 1% of the ideal share, relative.
		EXPECT_NEAR(got, want, want * 0.01) << "nice " << nices[i];
	}
}

// (a2) A nice 19 task next to three nice -20 hogs, with the kernel's
// 4 ms tick (HZ=250). By weight alone it is owed 1/17750 of the CPU: with
// vruntime charged for a whole tick it would then wait ~70 s between
// runs, long past the kernel's watchdog. The fair queue ends its slice on
// time and bounds its lead (FairQueue::kMaxWaitNs), so it waits no more
// than that bound plus one round of the hogs, and still gets far less
// CPU than a nice 0 task would.
TEST(SchedSim, LightTaskAmongHeavyHogsWaitsBoundedTime)
{
	Simulator sim(4 * kMs);
	int hog[3];
	for (int &h : hog)
		h = sim.add_fair(-20);
	int light = sim.add_fair(19);
	sim.run_until(30 * kSec);
	ASSERT_EQ(sim.error(), "");
	TaskResult r = sim.result(light);
	std::printf("[sim] nice 19 among 3 nice -20 hogs: share %.5f, max wait %llu ms, %llu runs\n",
		    share(sim, light), (unsigned long long)(r.max_wait_ns / kMs),
		    (unsigned long long)r.core.nr_picks);
	const uint64_t round = 3 * MOS_SCHED_SLICE_US_DEFAULT * kUs;
	EXPECT_LE(r.max_wait_ns, 500 * kMs + round);
	EXPECT_GE(r.core.nr_picks, 30u);
	EXPECT_LT(share(sim, light), 0.01);
	for (int h : hog)
		EXPECT_NEAR(share(sim, h), share(sim, hog[0]), 0.01);
}

// The lead bound_lead() allows is sized by the load when it was charged;
// hogs reniced to -20 afterwards cover it 87 times more slowly (seconds,
// as stress-ng --nice showed in the guest, tripping the watchdog). The
// waiting list bounds the wait whatever happens after: renice at several
// points of the light task's cycle, the wait stays within the bound.
TEST(SchedSim, WaitStaysBoundedWhenOthersGetHeavier)
{
	const uint64_t round = 3 * MOS_SCHED_SLICE_US_DEFAULT * kUs;
	uint64_t worst = 0;
	for (uint64_t at = kSec; at < kSec + 200 * kMs; at += 10 * kMs) {
		Simulator sim(4 * kMs);
		int hog[3];
		for (int &h : hog)
			h = sim.add_fair(0);
		int light = sim.add_fair(19);
		sim.run_until(at);
		for (int h : hog)
			ASSERT_EQ(sim.set_nice(h, -20), 0);
		sim.run_until(at + 20 * kSec);
		ASSERT_EQ(sim.error(), "");
		worst = std::max(worst, sim.result(light).max_wait_ns);
		EXPECT_GE(sim.result(light).core.nr_picks, 20u);
	}
	std::printf("[sim] nice 19 among hogs reniced from 0 to -20: max wait %llu ms\n",
		    (unsigned long long)(worst / kMs));
	EXPECT_LE(worst, MOS_SCHED_FAIR_MAX_WAIT_NS + round + 4 * kMs);
}

// Runs an EDF task set with fair hogs and expects no late job at all.
void expect_no_misses(const std::vector<EdfSpec> &set, uint64_t duration)
{
	Simulator sim;
	std::vector<int> edf;
	for (const EdfSpec &spec : set) {
		int id = sim.add_edf(spec);
		ASSERT_GE(id, 0) << "admission refused a set under the cap";
		edf.push_back(id);
	}
	int hog0 = sim.add_fair(0), hog1 = sim.add_fair(-20);
	sim.run_until(duration);
	ASSERT_EQ(sim.error(), "");
	uint64_t jobs = 0;
	for (int id : edf) {
		TaskResult r = sim.result(id);
		jobs += r.jobs_done;
		EXPECT_EQ(r.jobs_late, 0u) << "task " << id << " late by up to "
					   << r.max_lateness_ns << " ns";
		EXPECT_EQ(r.core.edf_misses, 0u);
		EXPECT_EQ(r.core.edf_throttles, 0u);
	}
	EXPECT_EQ(sim.rq_stats().edf_misses, 0u);
	EXPECT_GT(jobs, 0u);
	// The hogs soak up the rest, and did run.
	EXPECT_GT(sim.result(hog0).cpu_ns, 0u);
	EXPECT_GT(sim.result(hog1).cpu_ns, 0u);
	EXPECT_EQ(sim.idle_ns(), 0u);
}

// (b) Hand-made set at 85% with deadlines of 10..50 ms.
TEST(SchedSim, EdfMeetsEveryDeadlineAt85PercentUnderHogs)
{
	expect_no_misses({periodic(2 * kMs, 10 * kMs), periodic(3 * kMs, 20 * kMs),
			  periodic(10 * kMs, 25 * kMs), periodic(5 * kMs, 50 * kMs)},
			 10 * kSec);
}

// (b) Random sets at 50..90%, implicit deadlines, periods of 5..100 ms.
TEST(SchedSim, EdfMeetsEveryDeadlineOnRandomSetsUpTo90Percent)
{
	const uint64_t periods_ms[] = {5, 10, 20, 25, 40, 50, 100};
	std::mt19937_64 rng(20240601);
	for (int round = 0; round < 20; round++) {
		int n = 2 + int(rng() % 5);
		double target = 0.5 + 0.4 * double(rng() % 1001) / 1000.0;
		std::vector<double> weights(static_cast<size_t>(n));
		double sum = 0;
		for (double &w : weights)
			sum += (w = 1.0 + double(rng() % 100));
		std::vector<EdfSpec> set;
		for (double w : weights) {
			uint64_t period = periods_ms[rng() % 7] * kMs;
			uint64_t runtime = uint64_t(double(period) * target * w / sum);
			set.push_back(periodic(std::max<uint64_t>(runtime, 2 * kUs), period));
		}
		SCOPED_TRACE("round " + std::to_string(round) + ", utilization " +
			     std::to_string(target));
		expect_no_misses(set, 2 * kSec);
	}
}

// (c) A task asks for 5 ms per 10 ms with 2 ms reserved: throttled every
// period, held to its 20%, and nobody else is late.
TEST(SchedSim, OverrunningEdfIsThrottledAndOthersMeetDeadlines)
{
	Simulator sim;
	int hog = sim.add_edf(periodic(2 * kMs, 10 * kMs, 5 * kMs));
	int b = sim.add_edf(periodic(3 * kMs, 15 * kMs));
	int c = sim.add_edf(periodic(10 * kMs, 40 * kMs));
	int d = sim.add_edf(periodic(1 * kMs, 5 * kMs, 0, 1 * kMs));
	ASSERT_GE(std::min({hog, b, c, d}), 0);
	int fair = sim.add_fair(0);
	sim.run_until(10 * kSec);
	ASSERT_EQ(sim.error(), "");

	TaskResult over = sim.result(hog);
	std::printf("[sim] overrunning task: share %.4f, throttles %llu, late jobs %llu\n",
		    share(sim, hog), (unsigned long long)over.core.edf_throttles,
		    (unsigned long long)over.jobs_late);
	EXPECT_GE(over.core.edf_throttles, 999u);	// every period but the last
	EXPECT_NEAR(share(sim, hog), 0.20, 0.002);
	for (int id : {b, c, d}) {
		EXPECT_EQ(sim.result(id).jobs_late, 0u) << "task " << id;
		EXPECT_EQ(sim.result(id).core.edf_misses, 0u) << "task " << id;
	}
	// Overrunning is not missing: it got all it reserved.
	EXPECT_EQ(over.core.edf_misses, 0u);
	EXPECT_EQ(sim.rq_stats().edf_misses, 0u);
	// 20 + 20 + 25 + 20 = 85% reserved: the fair task gets the rest.
	std::printf("[sim] fair task next to 85%% EDF: share %.4f\n", share(sim, fair));
	EXPECT_NEAR(share(sim, fair), 0.15, 0.002);
}

// (d) EDF admitted up to the 95% cap, every task overrunning (wanting the
// whole CPU): the fair class still gets its 5%, split by weight.
TEST(SchedSim, FairProgressesNextToEdfAtTheCap)
{
	Simulator sim;
	std::vector<int> edf;
	edf.push_back(sim.add_edf(periodic(30 * kMs, 100 * kMs, 100 * kMs)));
	edf.push_back(sim.add_edf(periodic(8 * kMs, 20 * kMs, 20 * kMs)));
	edf.push_back(sim.add_edf(periodic(5 * kMs, 20 * kMs, 20 * kMs)));
	for (int id : edf)
		ASSERT_GE(id, 0);
	// 95% admitted: even 1% more is refused.
	EXPECT_EQ(sim.add_edf(periodic(100 * kUs, 10 * kMs)), -MOS_EBUSY);
	int nice0 = sim.add_fair(0), nice5 = sim.add_fair(5);
	sim.run_until(10 * kSec);
	ASSERT_EQ(sim.error(), "");

	double fair = share(sim, nice0) + share(sim, nice5);
	std::printf("[sim] fair class next to 95%% EDF hogs: %.4f (nice 0 %.4f, nice 5 %.4f)\n",
		    fair, share(sim, nice0), share(sim, nice5));
	EXPECT_GE(fair, 0.05 - 0.001);
	EXPECT_LE(fair, 0.05 + 0.001);
	EXPECT_NEAR(share(sim, nice0) / share(sim, nice5), 1024.0 / 335.0, 0.1);
	EXPECT_EQ(sim.idle_ns(), 0u);
	// Every EDF task got its reservation, to within one job.
	EXPECT_NEAR(share(sim, edf[0]), 0.30, 0.004);
	EXPECT_NEAR(share(sim, edf[1]), 0.40, 0.004);
	EXPECT_NEAR(share(sim, edf[2]), 0.25, 0.004);
}

} // namespace
