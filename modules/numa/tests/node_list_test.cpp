// SPDX-License-Identifier: GPL-2.0-only
//
// Node lists and policies as text through the C ABI, against a plain
// std:: reference: random sets at 2, 8, 128 and 1024 nodes round-trip,
// and nodes at or past nr_nodes are refused at each size.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <multios/numa.h>

namespace {

/* The kernel's "%*pbl" output, the obvious way. */
std::string reference_list(const std::vector<bool> &set)
{
	std::string out;
	for (size_t i = 0; i < set.size();) {
		if (!set[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < set.size() && set[j + 1])
			j++;
		if (!out.empty())
			out += ",";
		out += std::to_string(i);
		if (j > i)
			out += "-" + std::to_string(j);
		i = j + 1;
	}
	return out;
}

int parse(const std::string &s, uint32_t nr_nodes, mos_numa_nodemask *m)
{
	return mos_numa_nodemask_parse(s.data(), s.size(), nr_nodes, m);
}

TEST(NumaNodeList, RandomSetsRoundTrip)
{
	std::mt19937 rng(42);
	std::vector<char> buf(8192);

	for (uint32_t nr : {2u, 8u, 128u, 1024u}) {
		for (int round = 0; round < 200; round++) {
			/* Densities from sparse to full, so runs of every length occur. */
			std::bernoulli_distribution member((round % 10 + 1) / 10.0);
			std::vector<bool> set(nr);
			bool any = false;
			for (uint32_t n = 0; n < nr; n++)
				any |= set[n] = member(rng);
			if (!any)
				continue;
			std::string text = reference_list(set);
			mos_numa_nodemask m;
			ASSERT_EQ(parse(text, nr, &m), 0) << text;
			for (uint32_t n = 0; n < MOS_NUMA_MAX_NODES; n++)
				ASSERT_EQ(mos_numa_node_isset(&m, n), n < nr && set[n]) << text << " node " << n;
			int len = mos_numa_nodemask_format(&m, nr, buf.data(), buf.size());
			ASSERT_EQ(len, int(text.size()));
			EXPECT_EQ(std::string(buf.data()), text);
		}
	}
}

TEST(NumaNodeList, EveryNodePastTheMachineRefused)
{
	for (uint32_t nr : {2u, 8u, 128u}) {
		mos_numa_nodemask m;
		EXPECT_EQ(parse(std::to_string(nr - 1), nr, &m), 0);
		EXPECT_EQ(parse("0-" + std::to_string(nr - 1) + "\n", nr, &m), 0);
		for (uint32_t bad = nr; bad < nr + 3; bad++) {
			EXPECT_EQ(parse(std::to_string(bad), nr, &m), -MOS_EINVAL) << nr;
			EXPECT_EQ(parse("0-" + std::to_string(bad), nr, &m), -MOS_EINVAL) << nr;
			EXPECT_EQ(parse("0," + std::to_string(bad), nr, &m), -MOS_EINVAL) << nr;
		}
	}
}

TEST(NumaNodeList, WeightedInterleaveAt128Nodes)
{
	/* Node n weighs n % 5 + 1: runs of one node each, the longest text. */
	std::string text = "interleave ";
	for (uint32_t n = 0; n < 128; n++)
		text += (n ? "," : "") + std::to_string(n) + ":" + std::to_string(n % 5 + 1);
	auto policy = std::make_unique<mos_numa_policy>();
	ASSERT_EQ(mos_numa_policy_parse(text.data(), text.size(), 128, policy.get()), 0);
	for (uint32_t n = 0; n < 128; n++)
		ASSERT_EQ(policy->weights[n], n % 5 + 1);
	std::vector<char> buf(text.size() + 1);
	EXPECT_EQ(mos_numa_policy_format(policy.get(), 128, buf.data(), buf.size()),
		  int(text.size()));
	EXPECT_EQ(std::string(buf.data()), text);
	EXPECT_EQ(mos_numa_policy_format(policy.get(), 128, buf.data(), buf.size() - 1),
		  -MOS_E2BIG);
}

} // namespace
