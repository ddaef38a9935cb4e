// SPDX-License-Identifier: GPL-2.0-only
//
// Building the scheduling-domain tree: sizes from 1 to 1024 CPUs, holes
// in the numbering, SMT and none, 1 to 128 nodes with realistic distance
// matrices, asymmetric nodes, domain_size splits, bad input, allocation
// failure at every step, the dump, and hot-plug rebuilds. Every tree is
// checked against the descriptors it came from (check_tree()).
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "domain_tree.h"
#include "machine.h"

namespace {

using namespace mos_sched_sim;
using mos::sched::DomainTree;

const DomainTree &tree(const mos_sched_domains *sd)
{
	return *reinterpret_cast<const DomainTree *>(sd);
}

struct Deleter {
	void operator()(mos_sched_domains *sd) const { mos_sched_domains_destroy(sd); }
};
using TreePtr = std::unique_ptr<mos_sched_domains, Deleter>;

// The key a descriptor gives a CPU at a level bit: the level's own group
// id together with every coarser one (groups nest by construction).
std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t> hw_key(const mos_cpu_desc &d,
								    uint32_t bit)
{
	uint32_t k[5] = {d.node, d.first[MOS_TOPO_PACKAGE], d.first[MOS_TOPO_LLC],
			 d.first[MOS_TOPO_CLUSTER], d.first[MOS_TOPO_SMT]};
	uint32_t depth = bit == MOS_SD_LVL_NODE ? 1 : bit == MOS_SD_LVL_PACKAGE ? 2 :
			 bit == MOS_SD_LVL_LLC ? 3 : bit == MOS_SD_LVL_CLUSTER ? 4 : 5;
	for (uint32_t i = depth; i < 5; i++)
		k[i] = 0;
	return {k[0], k[1], k[2], k[3], k[4]};
}

// Every structural rule of the tree, against the machine it came from.
void check_tree(const Machine &m, const mos_sched_domains *sd, uint32_t ds)
{
	const DomainTree &t = tree(sd);
	const uint32_t n = uint32_t(m.cpus.size());
	ASSERT_EQ(t.nr_cpus(), n);
	ASSERT_LE(t.nr_groups(), n - 1);
	std::map<uint32_t, const mos_cpu_desc *> desc;
	for (const auto &d : m.cpus)
		desc[d.cpu] = &d;

	// Leaves: each CPU exactly once, in topology order.
	std::set<uint32_t> seen;
	for (uint32_t pos = 0; pos < n; pos++) {
		uint32_t cpu = t.cpu_at(pos);
		ASSERT_TRUE(desc.count(cpu));
		ASSERT_TRUE(seen.insert(cpu).second);
		ASSERT_EQ(t.leaf(cpu), pos);
		ASSERT_EQ(t.cpu_node(cpu), desc[cpu]->node);
	}
	// Groups: 2..domain_size children tiling the span in order.
	for (uint32_t g = n; g < n + t.nr_groups(); g++) {
		const DomainTree::Node &node = t.node(g);
		ASSERT_GE(node.nr_children, 2u) << "group " << g;
		ASSERT_LE(node.nr_children, ds) << "group " << g;
		uint32_t pos = node.begin;
		for (uint32_t k = 0; k < node.nr_children; k++) {
			const DomainTree::Node &c = t.node(t.child(node, k));
			ASSERT_EQ(c.parent, g);
			ASSERT_EQ(c.begin, pos);
			ASSERT_LT(c.height, node.height);
			pos = c.end;
		}
		ASSERT_EQ(pos, node.end);
		// A group standing for a hardware level is exactly that group.
		for (uint32_t bit : {MOS_SD_LVL_SMT, MOS_SD_LVL_CLUSTER, MOS_SD_LVL_LLC,
				     MOS_SD_LVL_PACKAGE, MOS_SD_LVL_NODE}) {
			if (!(node.levels & bit))
				continue;
			auto key = hw_key(*desc[t.cpu_at(node.begin)], bit);
			for (const auto &d : m.cpus) {
				bool inside = t.contains(g, t.leaf(d.cpu));
				ASSERT_EQ(hw_key(d, bit) == key, inside)
					<< "group " << g << " level " << bit << " cpu " << d.cpu;
			}
		}
	}
	const DomainTree::Node &root = t.node(t.root());
	ASSERT_EQ(root.parent, DomainTree::kNone);
	ASSERT_EQ(root.end - root.begin, n);
	// Every CPU's chain has each hardware level exactly once.
	for (const auto &d : m.cpus) {
		for (uint32_t bit : {MOS_SD_LVL_SMT, MOS_SD_LVL_LLC, MOS_SD_LVL_PACKAGE,
				     MOS_SD_LVL_NODE}) {
			int found = 0;
			for (uint32_t i = t.leaf(d.cpu); i != DomainTree::kNone; i = t.node(i).parent)
				found += !!(t.node(i).levels & bit);
			ASSERT_EQ(found, 1) << "cpu " << d.cpu << " level " << bit;
		}
		int levels = mos_sched_domains_nr_levels(sd, d.cpu);
		ASSERT_EQ(levels, n == 1 ? 0 : int(t.nr_levels(d.cpu)));
		uint32_t last = 1;
		for (int l = 0; l < levels; l++) {
			mos_sd_domain_info info;
			ASSERT_EQ(mos_sched_domains_domain_info(sd, d.cpu, l, &info), 0);
			ASSERT_GT(info.nr_cpus, last);
			last = info.nr_cpus;
		}
		ASSERT_EQ(last, n);
	}
	// The dump: a header and one line per group.
	std::string buf(1 << 22, '\0');
	int len = mos_sched_domains_show(sd, buf.data(), buf.size());
	ASSERT_GT(len, 0);
	buf.resize(size_t(len));
	size_t lines = 0;
	for (char c : buf)
		lines += c == '\n';
	ASSERT_EQ(lines, t.nr_groups() + 1);
}

uint32_t numa_groups_on_chain(const DomainTree &t, uint32_t cpu)
{
	uint32_t k = 0;
	for (uint32_t i = t.leaf(cpu); i != DomainTree::kNone; i = t.node(i).parent)
		k += !!(t.node(i).levels & MOS_SD_LVL_NUMA);
	return k;
}

class SchedDomainsSizes : public ::testing::TestWithParam<std::tuple<uint32_t, uint32_t>> {};

TEST_P(SchedDomainsSizes, BuildsAValidTree)
{
	auto [cpus, nodes] = GetParam();
	for (uint32_t smt : {1u, 2u}) {
		Machine m = standard_machine(cpus, nodes, smt);
		TreePtr sd(m.build());
		check_tree(m, sd.get(), MOS_SD_DOMAIN_SIZE_DEFAULT);
		if (HasFatalFailure())
			return;
	}
}

INSTANTIATE_TEST_SUITE_P(
	SchedDomains, SchedDomainsSizes,
	::testing::Values(std::make_tuple(1u, 1u), std::make_tuple(2u, 1u), std::make_tuple(3u, 1u),
			  std::make_tuple(7u, 1u), std::make_tuple(7u, 2u), std::make_tuple(16u, 1u),
			  std::make_tuple(16u, 2u), std::make_tuple(64u, 1u), std::make_tuple(64u, 8u),
			  std::make_tuple(256u, 8u), std::make_tuple(256u, 32u),
			  std::make_tuple(1024u, 1u), std::make_tuple(1024u, 8u),
			  std::make_tuple(1024u, 32u), std::make_tuple(1024u, 128u),
			  std::make_tuple(128u, 128u), std::make_tuple(3u, 2u)));

TEST(SchedDomains, OneCpuIsTheWholeTree)
{
	Machine m = standard_machine(1, 1);
	TreePtr sd(m.build());
	EXPECT_EQ(mos_sched_domains_nr_groups(sd.get()), 0u);
	EXPECT_EQ(mos_sched_domains_height(sd.get()), 0u);
	EXPECT_EQ(mos_sched_domains_nr_levels(sd.get(), 0), 0);
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	mos_sd_task task{};
	task.load = 1024;
	EXPECT_EQ(mos_sched_domains_select_cpu(sd.get(), &task, 0, -1, &p, 0), 0);
	mos_sd_imbalance imb;
	EXPECT_EQ(mos_sched_domains_find_busiest(sd.get(), 0, 0, &p, &imb), -MOS_EINVAL);
}

TEST(SchedDomains, SmtSiblingsShareTheLowestGroup)
{
	Machine m = standard_machine(16, 1, 2);	// 8 cores, CPU c and c + 8 siblings
	TreePtr sd(m.build());
	const DomainTree &t = tree(sd.get());
	mos_sd_domain_info info;
	ASSERT_EQ(mos_sched_domains_domain_info(sd.get(), 3, 0, &info), 0);
	EXPECT_EQ(info.levels, MOS_SD_LVL_SMT);
	EXPECT_EQ(info.nr_cpus, 2u);
	EXPECT_TRUE(mos_sched_domains_share(sd.get(), 3, 11, MOS_SD_LVL_SMT));
	EXPECT_FALSE(mos_sched_domains_share(sd.get(), 3, 4, MOS_SD_LVL_SMT));
	EXPECT_TRUE(mos_sched_domains_share(sd.get(), 3, 4, MOS_SD_LVL_LLC));
	// One LLC = package = node = machine: the root stands for all four.
	EXPECT_EQ(t.node(t.root()).levels & (MOS_SD_LVL_LLC | MOS_SD_LVL_PACKAGE | MOS_SD_LVL_NODE),
		  MOS_SD_LVL_LLC | MOS_SD_LVL_PACKAGE | MOS_SD_LVL_NODE);
	EXPECT_EQ(mos_sched_domains_height(sd.get()), 2u);

	// Without SMT each CPU is its own SMT group: no SMT level at all,
	// just the two 8-CPU LLCs under the root.
	Machine flat = standard_machine(16, 1, 1);
	TreePtr sd1(flat.build());
	EXPECT_EQ(mos_sched_domains_height(sd1.get()), 2u);
	EXPECT_TRUE(tree(sd1.get()).node(tree(sd1.get()).leaf(5)).levels & MOS_SD_LVL_SMT);
	check_tree(flat, sd1.get(), 16);
}

TEST(SchedDomains, HolesInCpuNumbering)
{
	// Every other CPU offline, and a few more at random places.
	Machine m = standard_machine(64, 2, 2);
	std::vector<uint32_t> off;
	for (uint32_t c = 1; c < 64; c += 2)
		off.push_back(c);
	off.push_back(0);
	off.push_back(62);
	Machine holes = m.without(off);
	TreePtr sd(holes.build());
	check_tree(holes, sd.get(), 16);
	EXPECT_FALSE(mos_sched_domains_has_cpu(sd.get(), 0));
	EXPECT_FALSE(mos_sched_domains_has_cpu(sd.get(), 63));
	EXPECT_FALSE(mos_sched_domains_has_cpu(sd.get(), 1000));
	EXPECT_TRUE(mos_sched_domains_has_cpu(sd.get(), 2));
	mos_sd_cpu_stats st{1024, 1, 1024, 0, 0};
	EXPECT_EQ(mos_sched_domains_update_cpu(sd.get(), 1, &st, 0), -MOS_EINVAL);
	EXPECT_EQ(mos_sched_domains_nr_levels(sd.get(), 1), -MOS_EINVAL);

	// Sparse ids far apart (a 4096-id machine with 5 CPUs online).
	Machine sparse = standard_machine(5, 1, 1);
	uint32_t ids[5] = {7, 100, 4095, 2048, 3};
	for (int i = 0; i < 5; i++)
		sparse.cpus[i].cpu = ids[i];
	TreePtr sd2(sparse.build());
	check_tree(sparse, sd2.get(), 16);
}

TEST(SchedDomains, NumaLevelsFollowDistances)
{
	struct Case {
		uint32_t nodes;
		uint32_t numa_groups;	// NUMA groups on each CPU's chain
	} cases[] = {{1, 0}, {2, 1}, {8, 3}, {32, 3}, {128, 4}};
	for (const Case &c : cases) {
		Machine m = standard_machine(c.nodes * 8, c.nodes, 2);
		TreePtr sd(m.build());
		check_tree(m, sd.get(), 16);
		const DomainTree &t = tree(sd.get());
		for (uint32_t cpu : {0u, uint32_t(m.cpus.size() / 2 - 1)})
			EXPECT_EQ(numa_groups_on_chain(t, cpu), c.numa_groups) << c.nodes << " nodes";
		// Nodes within 12 of each other share the lowest NUMA group.
		if (c.nodes >= 8) {
			uint32_t g = t.group_with(0, MOS_SD_LVL_NUMA);
			std::set<uint32_t> nodes;
			for (uint32_t pos = t.node(g).begin; pos < t.node(g).end; pos++)
				nodes.insert(t.cpu_node(t.cpu_at(pos)));
			for (uint32_t x = 0; x < c.nodes; x++)
				EXPECT_EQ(nodes.count(x) == 1, m.dist(0, x) <= 12) << x;
		}
	}
}

TEST(SchedDomains, AsymmetricNodes)
{
	MachineSpec spec;
	spec.cpus_per_node = {12, 2, 0, 1, 7};	// node 2 has memory only
	spec.smt = 1;
	spec.cores_per_llc = 4;
	Machine m = make_machine(spec);
	m.distance = hier_distance(5, {2}, {16, 28});
	TreePtr sd(m.build());
	check_tree(m, sd.get(), 16);
	const DomainTree &t = tree(sd.get());
	EXPECT_EQ(t.node_group(2), DomainTree::kNone);
	EXPECT_NE(t.node_group(3), DomainTree::kNone);
	// Node 3's single CPU is its own node group.
	uint32_t cpu3 = 14;
	EXPECT_EQ(t.cpu_node(cpu3), 3u);
	EXPECT_TRUE(t.node(t.leaf(cpu3)).levels & MOS_SD_LVL_NODE);

	// A package split across two nodes (sub-NUMA clustering) is cut at
	// the node boundary.
	Machine snc = standard_machine(16, 2, 1);
	for (auto &d : snc.cpus)
		d.first[MOS_TOPO_PACKAGE] = 0;
	snc.distance = hier_distance(2, {}, {12});
	TreePtr sd2(snc.build());
	check_tree(snc, sd2.get(), 16);
}

TEST(SchedDomains, DomainSizeSplitsWideLevels)
{
	MachineSpec spec;
	spec.cpus_per_node = {64};
	spec.cores_per_llc = 0;	// one 64-CPU LLC
	Machine m = make_machine(spec);
	for (uint32_t ds : {2u, 3u, 4u, 8u, 16u, 64u, 256u}) {
		TreePtr sd(m.build(ds));
		check_tree(m, sd.get(), ds);
		mos_sd_domain_info info;
		ASSERT_EQ(mos_sched_domains_domain_info(sd.get(), 0, 0, &info), 0);
		EXPECT_LE(info.nr_cpus, ds);
		EXPECT_EQ(info.levels, ds >= 64 ? MOS_SD_LVL_LLC | MOS_SD_LVL_PACKAGE |
						  MOS_SD_LVL_NODE | MOS_SD_LVL_CLUSTER
						: MOS_SD_LVL_SPLIT);
	}
	// 20 children with domain_size 16: two balanced halves, not 16 + 4.
	spec.cpus_per_node = {20};
	Machine m20 = make_machine(spec);
	TreePtr sd(m20.build(16));
	mos_sd_domain_info info;
	ASSERT_EQ(mos_sched_domains_domain_info(sd.get(), 0, 0, &info), 0);
	EXPECT_EQ(info.nr_cpus, 10u);
	// 1024 CPUs in one flat LLC: leaves of 16, fan-out never above 16.
	spec.cpus_per_node = {1024};
	Machine big = make_machine(spec);
	TreePtr sdb(big.build(16));
	check_tree(big, sdb.get(), 16);
	EXPECT_EQ(mos_sched_domains_height(sdb.get()), 3u);
	// Knob limits.
	mos_sd_build_params p;
	mos_sd_build_params_default(&p);
	EXPECT_EQ(mos_sd_build_params_check(&p), 0);
	p.domain_size = 1;
	EXPECT_EQ(mos_sd_build_params_check(&p), -MOS_EINVAL);
	p.domain_size = MOS_SD_DOMAIN_SIZE_MAX + 1;
	EXPECT_EQ(mos_sd_build_params_check(&p), -MOS_EINVAL);
}

int try_build(const Machine &m, uint32_t ds = 16)
{
	mos_sd_build_params p;
	mos_sd_build_params_default(&p);
	p.domain_size = ds;
	mos_sched_domains *sd = nullptr;
	int err = mos_sched_domains_build(m.cpus.data(), uint32_t(m.cpus.size()),
					  m.distance.data(), m.nr_nodes, &p, MOS_GFP_KERNEL, &sd);
	mos_sched_domains_destroy(sd);
	EXPECT_EQ(err == 0, sd != nullptr);
	return err;
}

TEST(SchedDomains, BadInputIsRefused)
{
	Machine m = standard_machine(16, 2, 2);
	EXPECT_EQ(try_build(m), 0);
	Machine dup = m;
	dup.cpus[3].cpu = dup.cpus[4].cpu;
	EXPECT_EQ(try_build(dup), -MOS_EINVAL);
	Machine bad_node = m;
	bad_node.cpus[0].node = 2;
	EXPECT_EQ(try_build(bad_node), -MOS_EINVAL);
	Machine bad_diag = m;
	bad_diag.distance[3] = 20;
	EXPECT_EQ(try_build(bad_diag), -MOS_EINVAL);
	Machine short_dist = m;
	short_dist.distance[1] = 5;
	EXPECT_EQ(try_build(short_dist), -MOS_EINVAL);
	Machine huge_id = m;
	huge_id.cpus[0].cpu = MOS_SD_MAX_CPUS;
	EXPECT_EQ(try_build(huge_id), -MOS_EINVAL);
	EXPECT_EQ(try_build(m, 1), -MOS_EINVAL);
	Machine none = m;
	none.cpus.clear();
	EXPECT_EQ(try_build(none), -MOS_EINVAL);
	mos_sched_domains *sd = nullptr;
	EXPECT_EQ(mos_sched_domains_build(m.cpus.data(), 16, m.distance.data(), 2, nullptr,
					  MOS_GFP_KERNEL, &sd),
		  -MOS_EINVAL);
	// Asymmetric distances are accepted (the larger of the two counts).
	Machine asym = standard_machine(32, 4, 2);
	asym.distance[0 * 4 + 1] = 14;
	EXPECT_EQ(try_build(asym), 0);
}

TEST(SchedDomains, AllocationFailureAtEveryStep)
{
	Machine m = standard_machine(64, 8, 2);
	int steps = 0;
	for (long fail_at = 0;; fail_at++, steps++) {
		mos_alloc_fail_after(fail_at);
		int err = try_build(m);
		mos_alloc_fail_after(-1);
		if (err == 0)
			break;
		ASSERT_EQ(err, -MOS_ENOMEM) << "step " << fail_at;
		ASSERT_LT(fail_at, 1000);
	}
	EXPECT_GT(steps, 5);
}

TEST(SchedDomains, RandomDistancesNeverBreakTheTree)
{
	std::srand(5);
	for (uint32_t nodes : {3u, 5u, 16u, 40u}) {
		Machine m = standard_machine(nodes * 4, nodes, 2);
		for (uint32_t a = 0; a < nodes; a++)
			for (uint32_t b = a + 1; b < nodes; b++)
				m.distance[a * nodes + b] = m.distance[b * nodes + a] =
					11 + uint32_t(std::rand() % 60);
		int err = try_build(m);
		if (err == -MOS_E2BIG)
			continue;	// more distinct levels than the tree holds
		ASSERT_EQ(err, 0) << nodes;
		TreePtr sd(m.build());
		check_tree(m, sd.get(), 16);
	}
}

TEST(SchedDomains, ShowFitsOrSaysSo)
{
	Machine m = standard_machine(16, 2, 2);
	TreePtr sd(m.build());
	char buf[4096];
	int len = mos_sched_domains_show(sd.get(), buf, sizeof(buf));
	ASSERT_GT(len, 0);
	std::string s(buf, size_t(len));
	EXPECT_NE(s.find("domains: 16 cpus, 2 nodes"), std::string::npos) << s;
	EXPECT_NE(s.find("numa1 cpus 0-15"), std::string::npos) << s;
	EXPECT_NE(s.find("  cluster+llc+package+node cpus 0-3,8-11 weight 8 children 4"), std::string::npos) << s;
	EXPECT_NE(s.find("    smt cpus 0,8 weight 2"), std::string::npos) << s;
	char small[40];
	EXPECT_EQ(mos_sched_domains_show(sd.get(), small, sizeof(small)), -MOS_E2BIG);
	EXPECT_EQ(std::strlen(small), sizeof(small) - 1);
}

// Hot-plug: the tree for the CPUs left, statistics carried over.
TEST(SchedDomains, HotplugRebuildRehomesCpus)
{
	Machine m = standard_machine(32, 2, 2);	// 8 cores per LLC: one LLC per node
	TreePtr old(m.build());
	for (const auto &d : m.cpus) {
		mos_sd_cpu_stats st{1024ull * (d.cpu % 3), d.cpu % 3, 1024, 0, 0};
		ASSERT_EQ(mos_sched_domains_update_cpu(old.get(), d.cpu, &st, 10), 0);
	}
	// Node 1 goes away entirely (CPUs 8-15 and 24-31).
	std::vector<uint32_t> off;
	for (const auto &d : m.cpus)
		if (d.node == 1)
			off.push_back(d.cpu);
	Machine left = m.without(off);
	TreePtr now(left.build());
	check_tree(left, now.get(), 16);
	mos_sched_domains_copy_stats(now.get(), old.get(), 20);
	mos_sd_group_stats root;
	int top = mos_sched_domains_nr_levels(now.get(), 0) - 1;
	ASSERT_EQ(mos_sched_domains_group_stats(now.get(), 0, top, &root), 0);
	uint64_t want = 0;
	for (const auto &d : left.cpus)
		want += 1024ull * (d.cpu % 3);
	EXPECT_EQ(root.load, want);
	EXPECT_EQ(root.nr_cpus, 16u);
	// A task whose memory is on the now CPU-less node still gets a CPU.
	mos_sd_policy p;
	mos_sd_policy_default(&p);
	p.algo = MOS_SD_ALGO_NUMA;
	mos_sd_task task{};
	task.load = 1024;
	task.nr_mem = 1;
	task.mem[0] = {1, 1024};
	int cpu = mos_sched_domains_select_cpu(now.get(), &task, 9, -1, &p, 30);
	ASSERT_GE(cpu, 0);
	EXPECT_TRUE(mos_sched_domains_has_cpu(now.get(), uint32_t(cpu)));
	// And back: the same shape as before.
	TreePtr again(m.build());
	mos_sched_domains_copy_stats(again.get(), now.get(), 40);
	EXPECT_EQ(mos_sched_domains_nr_groups(again.get()), mos_sched_domains_nr_groups(old.get()));
	mos_sd_group_stats cpu9;
	ASSERT_EQ(mos_sched_domains_group_stats(again.get(), 9, -1, &cpu9), 0);
	EXPECT_EQ(cpu9.load, 0u);	// was offline: starts empty
	EXPECT_EQ(cpu9.capacity, 1024u);
}

}  // namespace
