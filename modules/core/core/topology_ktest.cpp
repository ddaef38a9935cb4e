// SPDX-License-Identifier: GPL-2.0-only
//
// Topology model tests on synthetic machines. Freestanding: they run in
// the kernel under KUnit and on the host under GoogleTest.

#include <mos/ktest.h>

#include "topology.h"
#include "topology_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace {

using mos::Topology;

bool text_is(const char *got, const char *want)
{
	while (*got && *got == *want) {
		got++;
		want++;
	}
	return *got == *want;
}

// A machine of `nr` CPU ids; CPU c is present if bit c of present_mask is
// set, sits on node c / per_node, pairs with c^1 as SMT siblings when smt2,
// and each node is one package with one LLC.
struct Machine {
	uint32_t nr;
	uint32_t nodes;
	uint32_t per_node;
	uint64_t present_mask;
	bool smt2;
};

mos_cpu_desc describe(const Machine &m, uint32_t cpu)
{
	uint32_t node = cpu / m.per_node;
	uint32_t package = node * m.per_node;
	uint32_t smt = m.smt2 ? (cpu & ~1u) : cpu;

	// The first *present* CPU leads a group.
	while (!(m.present_mask >> package & 1))
		package++;
	if (!(m.present_mask >> smt & 1))
		smt = cpu;
	mos_cpu_desc d = {};
	d.cpu = cpu;
	d.node = node;
	d.first[MOS_TOPO_SMT] = smt;
	d.first[MOS_TOPO_CLUSTER] = smt;
	d.first[MOS_TOPO_LLC] = package;
	d.first[MOS_TOPO_PACKAGE] = package;
	return d;
}

// Builds the machine with a node distance of 10 locally and 20 + 10 * hops.
Topology *build(const Machine &m)
{
	Topology *topo = Topology::create(m.nr, m.nodes, MOS_GFP_KERNEL);

	if (!topo)
		return nullptr;
	for (uint32_t cpu = 0; cpu < m.nr; cpu++) {
		if ((m.present_mask >> cpu & 1) && topo->add_cpu(describe(m, cpu))) {
			topo->destroy();
			return nullptr;
		}
	}
	for (uint32_t a = 0; a < m.nodes; a++) {
		for (uint32_t b = 0; b < m.nodes; b++) {
			uint32_t hops = a > b ? a - b : b - a;

			topo->set_distance(a, b, a == b ? 10 : 10 + 10 * hops);
		}
	}
	return topo;
}

} // namespace

extern "C" void mos_kt_topology_two_nodes_smt2(struct mos_test *t)
{
	Topology *topo = build({ 8, 2, 4, 0xff, true });
	char buf[128];

	MOS_KT_ASSERT(t, topo != nullptr);
	MOS_KT_EXPECT_EQ(t, topo->finalize(), 0);
	MOS_KT_EXPECT_EQ(t, topo->nr_cpus(), 8u);
	MOS_KT_EXPECT_EQ(t, topo->nr_groups(MOS_TOPO_SMT), 4u);
	MOS_KT_EXPECT_EQ(t, topo->nr_groups(MOS_TOPO_PACKAGE), 2u);
	MOS_KT_EXPECT_EQ(t, topo->nr_groups(MOS_TOPO_NODE), 2u);
	MOS_KT_EXPECT_EQ(t, topo->group_of(5, MOS_TOPO_SMT), 4u);
	MOS_KT_EXPECT_EQ(t, topo->distance(0, 1), 20u);

	mos::TextBuffer smt(buf, sizeof(buf));
	topo->show_groups(smt, MOS_TOPO_SMT);
	MOS_KT_EXPECT(t, text_is(buf, "0-1 2-3 4-5 6-7\n"));
	mos::TextBuffer dist(buf, sizeof(buf));
	topo->show_node_distance(dist, 1);
	MOS_KT_EXPECT(t, text_is(buf, "20 10\n"));
	mos::TextBuffer node(buf, sizeof(buf));
	topo->show_node_cpus(node, 1);
	MOS_KT_EXPECT(t, text_is(buf, "4-7\n"));
	topo->destroy();
}

// CPUs 2, 3 and 6 absent (offline at probe, or never there).
extern "C" void mos_kt_topology_holes_in_cpu_ids(struct mos_test *t)
{
	Topology *topo = build({ 8, 2, 4, 0xb3, false });
	char buf[64];

	MOS_KT_ASSERT(t, topo != nullptr);
	MOS_KT_EXPECT_EQ(t, topo->finalize(), 0);
	MOS_KT_EXPECT_EQ(t, topo->nr_cpus(), 5u);
	mos::TextBuffer cpus(buf, sizeof(buf));
	topo->show_cpus(cpus);
	MOS_KT_EXPECT(t, text_is(buf, "0-1,4-5,7\n"));
	MOS_KT_EXPECT_EQ(t, topo->group_of(3, MOS_TOPO_SMT), Topology::kNone);
	MOS_KT_EXPECT_EQ(t, topo->cpu_node(7), 1u);
	topo->destroy();
}

// Three nodes of different sizes: 3 CPUs, 1 CPU, none (memory only).
extern "C" void mos_kt_topology_asymmetric_nodes(struct mos_test *t)
{
	Topology *topo = Topology::create(4, 3, MOS_GFP_KERNEL);
	const uint32_t node_of[4] = { 0, 0, 0, 1 };
	char buf[64];

	MOS_KT_ASSERT(t, topo != nullptr);
	for (uint32_t cpu = 0; cpu < 4; cpu++) {
		mos_cpu_desc d = {};
		d.cpu = cpu;
		d.node = node_of[cpu];
		for (uint32_t l = 0; l < MOS_TOPO_NODE; l++)
			d.first[l] = l == MOS_TOPO_SMT ? cpu : (cpu < 3 ? 0 : 3);
		MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), 0);
	}
	for (uint32_t a = 0; a < 2; a++) {
		for (uint32_t b = 0; b < 2; b++)
			topo->set_distance(a, b, a == b ? 10 : 21);
	}
	MOS_KT_EXPECT_EQ(t, topo->finalize(), 0);
	MOS_KT_EXPECT_EQ(t, topo->nr_groups(MOS_TOPO_NODE), 2u);
	mos::TextBuffer nodes(buf, sizeof(buf));
	topo->show_nodes(nodes);
	MOS_KT_EXPECT(t, text_is(buf, "0-1\n"));
	mos::TextBuffer groups(buf, sizeof(buf));
	topo->show_groups(groups, MOS_TOPO_NODE);
	MOS_KT_EXPECT(t, text_is(buf, "0-2 3\n"));
	topo->destroy();
}

// CPU 1 names CPU 0 as its SMT leader, but CPU 0 was never described.
extern "C" void mos_kt_topology_rejects_absent_leader(struct mos_test *t)
{
	Topology *topo = Topology::create(4, 1, MOS_GFP_KERNEL);

	MOS_KT_ASSERT(t, topo != nullptr);
	mos_cpu_desc d = {};
	d.cpu = 1;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), 0);	// every leader is CPU 0
	topo->set_distance(0, 0, 10);
	MOS_KT_EXPECT_EQ(t, topo->finalize(), -MOS_EINVAL);
	topo->destroy();
}

// SMT siblings 0 and 1 claim different packages.
extern "C" void mos_kt_topology_rejects_straddling_smt(struct mos_test *t)
{
	Topology *topo = Topology::create(2, 1, MOS_GFP_KERNEL);

	MOS_KT_ASSERT(t, topo != nullptr);
	mos_cpu_desc d0 = {}, d1 = {};
	d1.cpu = 1;
	d1.first[MOS_TOPO_PACKAGE] = 1;
	d1.first[MOS_TOPO_LLC] = 1;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d0), 0);
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d1), 0);
	topo->set_distance(0, 0, 10);
	MOS_KT_EXPECT_EQ(t, topo->finalize(), -MOS_EINVAL);
	topo->destroy();
}

extern "C" void mos_kt_topology_rejects_bad_distance(struct mos_test *t)
{
	Topology *topo = build({ 4, 2, 2, 0xf, false });

	MOS_KT_ASSERT(t, topo != nullptr);
	topo->set_distance(1, 0, 10);	// remote as close as local
	MOS_KT_EXPECT_EQ(t, topo->finalize(), -MOS_EINVAL);
	topo->destroy();

	topo = build({ 4, 2, 2, 0xf, false });
	MOS_KT_ASSERT(t, topo != nullptr);
	topo->set_distance(1, 1, 20);	// local must be LOCAL_DISTANCE
	MOS_KT_EXPECT_EQ(t, topo->finalize(), -MOS_EINVAL);
	topo->destroy();
}

extern "C" void mos_kt_topology_rejects_bad_input(struct mos_test *t)
{
	MOS_KT_EXPECT(t, Topology::create(0, 1, MOS_GFP_KERNEL) == nullptr);
	MOS_KT_EXPECT(t, Topology::create(4, 0, MOS_GFP_KERNEL) == nullptr);

	Topology *topo = Topology::create(4, 1, MOS_GFP_KERNEL);
	MOS_KT_ASSERT(t, topo != nullptr);
	mos_cpu_desc d = {};
	d.cpu = 4;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), -MOS_EINVAL);	// beyond nr_cpu_ids
	d.cpu = 1;
	d.node = 1;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), -MOS_EINVAL);	// no such node
	d.node = 0;
	d.first[MOS_TOPO_SMT] = 2;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), -MOS_EINVAL);	// leader after CPU
	d.first[MOS_TOPO_SMT] = 1;
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), 0);
	MOS_KT_EXPECT_EQ(t, topo->add_cpu(d), -MOS_EEXIST);
	MOS_KT_EXPECT_EQ(t, topo->set_distance(0, 0, 0), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, topo->set_distance(0, 0, 256), -MOS_EINVAL);
	mos_cache_desc c = {};
	MOS_KT_EXPECT_EQ(t, topo->add_cache(1, c), -MOS_EINVAL);	// level 0
	c.level = 1;
	c.type = MOS_CACHE_DATA;
	c.shared_first = 1;
	c.shared_count = 1;
	MOS_KT_EXPECT_EQ(t, topo->add_cache(1, c), 0);
	MOS_KT_EXPECT_EQ(t, topo->add_cache(0, c), -MOS_EINVAL);	// CPU 0 absent
	topo->destroy();
}

// A show() that does not fit says so rather than returning a cut list.
extern "C" void mos_kt_topology_show_reports_truncation(struct mos_test *t)
{
	Topology *topo = build({ 8, 2, 4, 0x55, false });
	char buf[6];

	MOS_KT_ASSERT(t, topo != nullptr);
	MOS_KT_EXPECT_EQ(t, topo->finalize(), 0);
	mos::TextBuffer out(buf, sizeof(buf));
	topo->show_cpus(out);	// "0,2,4,6\n" needs 9 bytes
	MOS_KT_EXPECT_EQ(t, out.result(), -MOS_E2BIG);
	MOS_KT_EXPECT_EQ(t, buf[sizeof(buf) - 1], '\0');
	topo->destroy();
}

// Each of create()'s allocations failing in turn: nullptr, nothing leaked
// (the host build runs under LeakSanitizer, the kernel under kmemleak).
extern "C" void mos_kt_topology_alloc_failure_unwinds(struct mos_test *t)
{
	for (long n = 0; n < 3; n++) {
		mos_alloc_fail_after(n);
		Topology *topo = Topology::create(16, 2, MOS_GFP_KERNEL);
		mos_alloc_fail_after(-1);
		MOS_KT_EXPECT(t, topo == nullptr);
		if (topo)
			topo->destroy();
	}
	Topology *topo = Topology::create(16, 2, MOS_GFP_KERNEL);
	MOS_KT_EXPECT(t, topo != nullptr);
	if (topo)
		topo->destroy();
}
