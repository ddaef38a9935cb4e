// SPDX-License-Identifier: GPL-2.0-only
/*
 * The topology model on a machine larger than any guest we boot: 1024
 * CPUs on 128 nodes, each node one package with one 8-CPU LLC, two
 * 4-CPU clusters and SMT2 cores; remote distances from 20 up. Checks the
 * group counts and that the sysfs tables still fit in one page.
 */
#include <gtest/gtest.h>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"
#include "topology.h"

namespace {

using mos::TextBuffer;
using mos::Topology;

constexpr uint32_t kCpus = 1024;
constexpr uint32_t kNodes = 128;
constexpr uint32_t kCpusPerNode = kCpus / kNodes; /* = one package = one LLC */
constexpr uint32_t kCpusPerCluster = 4;
constexpr size_t kPageSize = 4096; /* what sysfs gives a show() */

/* 20 within a board of 8 nodes, then 2 more per board away (at most 50). */
uint32_t node_distance(uint32_t a, uint32_t b)
{
	if (a == b)
		return MOS_TOPO_LOCAL_DISTANCE;
	uint32_t ba = a / 8, bb = b / 8;
	return 20 + 2 * (ba > bb ? ba - bb : bb - ba);
}

mos_cpu_desc describe(uint32_t cpu)
{
	mos_cpu_desc d = {};
	d.cpu = cpu;
	d.node = cpu / kCpusPerNode;
	d.first[MOS_TOPO_SMT] = cpu & ~1u;
	d.first[MOS_TOPO_CLUSTER] = cpu - cpu % kCpusPerCluster;
	d.first[MOS_TOPO_LLC] = cpu - cpu % kCpusPerNode;
	d.first[MOS_TOPO_PACKAGE] = cpu - cpu % kCpusPerNode;
	return d;
}

/* The groups of `size` consecutive CPUs, written without the model. */
std::string expected_groups(uint32_t size)
{
	std::string s;
	char item[32];
	for (uint32_t first = 0; first < kCpus; first += size) {
		snprintf(item, sizeof(item), "%s%u-%u", first ? " " : "", first,
			 first + size - 1);
		s += item;
	}
	return s + "\n";
}

class LargeMachine : public testing::Test {
protected:
	void SetUp() override
	{
		live_ = mos_host_live_allocs();
		topo_ = Topology::create(kCpus, kNodes, MOS_GFP_KERNEL);
		ASSERT_NE(topo_, nullptr);
		for (uint32_t cpu = 0; cpu < kCpus; cpu++)
			ASSERT_EQ(topo_->add_cpu(describe(cpu)), 0) << "cpu " << cpu;
		for (uint32_t a = 0; a < kNodes; a++) {
			for (uint32_t b = 0; b < kNodes; b++)
				ASSERT_EQ(topo_->set_distance(a, b, node_distance(a, b)), 0);
		}
		ASSERT_EQ(topo_->finalize(), 0);
	}

	void TearDown() override
	{
		if (topo_)
			topo_->destroy();
		EXPECT_EQ(mos_host_live_allocs(), live_) << "the topology leaked";
	}

	/* show() into one page; the text, or a failure if it did not fit. */
	template <class Show>
	std::string page(Show show)
	{
		std::vector<char> buf(kPageSize, 'x');
		TextBuffer out(buf.data(), buf.size());
		show(out);
		EXPECT_GE(out.result(), 0) << "does not fit in a page";
		return std::string(buf.data(), out.length());
	}

	Topology *topo_ = nullptr;
	long live_ = 0;
};

TEST_F(LargeMachine, GroupsPerLevel)
{
	EXPECT_EQ(topo_->nr_cpus(), kCpus);
	EXPECT_EQ(topo_->nr_groups(MOS_TOPO_SMT), 512u);
	EXPECT_EQ(topo_->nr_groups(MOS_TOPO_CLUSTER), 256u);
	EXPECT_EQ(topo_->nr_groups(MOS_TOPO_LLC), 128u);
	EXPECT_EQ(topo_->nr_groups(MOS_TOPO_PACKAGE), 128u);
	EXPECT_EQ(topo_->nr_groups(MOS_TOPO_NODE), 128u);
	EXPECT_EQ(topo_->group_of(1023, MOS_TOPO_SMT), 1022u);
	EXPECT_EQ(topo_->group_of(1023, MOS_TOPO_CLUSTER), 1020u);
	EXPECT_EQ(topo_->group_of(1023, MOS_TOPO_LLC), 1016u);
	EXPECT_EQ(topo_->group_of(1023, MOS_TOPO_NODE), 127u);
	EXPECT_EQ(topo_->distance(0, 127), 20u + 2 * 15);
	EXPECT_EQ(page([&](TextBuffer &out) { topo_->show_summary(out); }),
		  "1024 CPUs, 128 nodes, 128 packages, 128 LLC domains, 512 cores\n");
}

/*
 * SMT is the longest table: 512 "a-b" pairs, 4010 bytes with spaces and
 * newline. It fits a 4 KiB page, but only just: 2048 CPUs would not.
 */
TEST_F(LargeMachine, ShowGroupsFitsAPage)
{
	const struct {
		mos_topo_level level;
		uint32_t size;
	} levels[] = {
		{ MOS_TOPO_SMT, 2 },
		{ MOS_TOPO_CLUSTER, kCpusPerCluster },
		{ MOS_TOPO_LLC, kCpusPerNode },
		{ MOS_TOPO_PACKAGE, kCpusPerNode },
		{ MOS_TOPO_NODE, kCpusPerNode },
	};
	for (const auto &l : levels) {
		SCOPED_TRACE(mos_topology_level_name(l.level));
		std::string want = expected_groups(l.size);
		std::string got = page([&](TextBuffer &out) { topo_->show_groups(out, l.level); });
		EXPECT_EQ(got.size(), want.size());
		EXPECT_EQ(got, want);
	}
	EXPECT_EQ(expected_groups(2).size(), 4010u);

	/* Through the C ABI, as the sysfs show() calls it. */
	std::vector<char> buf(kPageSize);
	auto *c_topo = reinterpret_cast<const mos_topology *>(topo_);
	EXPECT_EQ(mos_topology_show_groups(c_topo, MOS_TOPO_SMT, buf.data(), buf.size()),
		  4010);
	EXPECT_EQ(mos_topology_show_groups(c_topo, MOS_TOPO_SMT, buf.data(), 4010),
		  -MOS_E2BIG);
}

TEST_F(LargeMachine, NodeDistanceRowHasAnEntryPerNode)
{
	std::string row = page([&](TextBuffer &out) { topo_->show_node_distance(out, 127); });
	ASSERT_FALSE(row.empty());
	EXPECT_EQ(row.back(), '\n');
	std::istringstream in(row);
	std::vector<uint32_t> entries;
	for (uint32_t d; in >> d;)
		entries.push_back(d);
	ASSERT_EQ(entries.size(), kNodes);
	for (uint32_t to = 0; to < kNodes; to++)
		EXPECT_EQ(entries[to], node_distance(127, to)) << "to node " << to;
	EXPECT_EQ(entries.back(), MOS_TOPO_LOCAL_DISTANCE);
}

TEST_F(LargeMachine, NodeCpuLists)
{
	EXPECT_EQ(page([&](TextBuffer &out) { topo_->show_cpus(out); }), "0-1023\n");
	EXPECT_EQ(page([&](TextBuffer &out) { topo_->show_nodes(out); }), "0-127\n");
	EXPECT_EQ(page([&](TextBuffer &out) { topo_->show_node_cpus(out, 127); }),
		  "1016-1023\n");
}

} // namespace
