// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for the C++ topology model:
 *   multios_topology       synthetic machines (C++ bodies in
 *                          core/topology_ktest.cpp, shared with the host);
 *   multios_topology_live  the machine the test runs on, probed afresh for
 *                          each case and checked against what the kernel
 *                          itself says.
 *
 * KUnit runs a module's suites while the module is still COMING, before
 * its init function, so the live cases probe their own model rather than
 * use the one multios_core_init() builds.
 */
#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/topology.h>

#include "../shim/core.h"
#include "ktest_bridge.h"
#include "topology_ktest.h"

MOS_KT_TOPOLOGY_CASES(MULTIOS_KTEST_CASE)

static int live_init(struct kunit *test)
{
	struct mos_topology *topo = multios_topology_probe();

	if (IS_ERR(topo))
		return PTR_ERR(topo);
	test->priv = topo;
	return 0;
}

static void live_exit(struct kunit *test)
{
	mos_topology_destroy(test->priv);
}

/* Every online CPU is modelled on the node the kernel puts it on. */
static void live_cpus_and_nodes_test(struct kunit *test)
{
	const struct mos_topology *topo = test->priv;
	unsigned int cpu;

	cpus_read_lock();
	KUNIT_EXPECT_EQ(test, mos_topology_nr_cpus(topo), num_online_cpus());
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, mos_topology_cpu_node(topo, cpu), cpu_to_node(cpu));
	cpus_read_unlock();
	KUNIT_EXPECT_EQ(test, mos_topology_nr_nodes(topo), num_online_nodes());
}

/* The distance matrix is the kernel's node_distance(). */
static void live_distances_test(struct kunit *test)
{
	const struct mos_topology *topo = test->priv;
	unsigned int from, to;

	for_each_online_node(from) {
		for_each_online_node(to)
			KUNIT_EXPECT_EQ(test, mos_topology_distance(topo, from, to),
					node_distance(from, to));
	}
}

/*
 * Each CPU's SMT and package groups are led by the first online CPU of the
 * kernel's own sibling and core masks: the groups hold exactly those CPUs.
 */
static void live_groups_test(struct kunit *test)
{
	const struct mos_topology *topo = test->priv;
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, mos_topology_group_of(topo, cpu, MOS_TOPO_SMT),
				cpumask_first_and(topology_sibling_cpumask(cpu), cpu_online_mask));
		KUNIT_EXPECT_EQ(test, mos_topology_group_of(topo, cpu, MOS_TOPO_PACKAGE),
				cpumask_first_and(topology_core_cpumask(cpu), cpu_online_mask));
	}
	cpus_read_unlock();
}

#define KUNIT_ENTRY(name) KUNIT_CASE(name##_test),
static struct kunit_case topology_cases[] = {
	MOS_KT_TOPOLOGY_CASES(KUNIT_ENTRY)
	{}
};

static struct kunit_suite topology_suite = {
	.name = "multios_topology",
	.test_cases = topology_cases,
};

static struct kunit_case live_cases[] = {
	KUNIT_CASE(live_cpus_and_nodes_test),
	KUNIT_CASE(live_distances_test),
	KUNIT_CASE(live_groups_test),
	{}
};

static struct kunit_suite live_suite = {
	.name = "multios_topology_live",
	.init = live_init,
	.exit = live_exit,
	.test_cases = live_cases,
};

kunit_test_suites(&topology_suite, &live_suite);
