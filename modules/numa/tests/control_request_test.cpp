// SPDX-License-Identifier: GPL-2.0-only
//
// Control requests under random damage: whatever a writer puts in the
// control file, the parser answers 0 or a negative errno, never reads
// past the line (ASan), and writes nothing on error.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>

#include <multios/numa.h>

namespace {

struct Machine {
	mos_numa_nodemask online{}, memory{};
	mos_numa_machine m{128, 4096, &online, &memory};

	Machine()
	{
		EXPECT_EQ(mos_numa_nodemask_parse("0-119", 5, 128, &online), 0);
		EXPECT_EQ(mos_numa_nodemask_parse("0-99,110-119", 12, 128, &memory), 0);
	}
};

TEST(NumaControlRequest, RandomDamageAnswersCleanly)
{
	static const char *const lines[] = {
		"1234 bind 0-3,64-99 0x7f0000000000-0x7f0000200000 move\n",
		"1 interleave 0:3,1-2:1,110:255",
		"42 local - move",
		"7 preferred 119 0x1000-0x3000",
		"2147483647 auto",
	};
	const char alphabet[] = "0123456789-,:x \n\tabmovelocalbind";
	Machine m;
	auto out = std::make_unique<mos_numa_request>();
	auto blank = std::make_unique<mos_numa_request>();
	std::mt19937 rng(7);
	int accepted = 0, refused = 0;

	for (const char *line : lines) {
		ASSERT_EQ(mos_numa_request_parse(line, strlen(line), &m.m, out.get()), 0) << line;
		for (int round = 0; round < 3000; round++) {
			std::string s = line;
			for (int edits = rng() % 3 + 1; edits; edits--) {
				size_t at = rng() % (s.size() + 1);
				char c = alphabet[rng() % (sizeof(alphabet) - 1)];
				switch (rng() % 3) {
				case 0: s.insert(at, 1, c); break;
				case 1: if (at < s.size()) s.erase(at, 1); break;
				default: if (at < s.size()) s[at] = c; break;
				}
			}
			/* An exact-size heap copy: ASan sees any read past the line. */
			auto text = std::make_unique<char[]>(s.size() + 1);
			memcpy(text.get(), s.data(), s.size());
			memset(out.get(), 0x5a, sizeof(*out));
			memset(blank.get(), 0x5a, sizeof(*blank));
			int r = mos_numa_request_parse(text.get(), s.size(), &m.m, out.get());
			if (r == 0) {
				accepted++;
				EXPECT_GT(out->pid, 0) << s;
				if (out->flags & MOS_NUMA_REQUEST_RANGE) {
					EXPECT_LT(out->start, out->end) << s;
				}
			} else {
				refused++;
				ASSERT_TRUE(r == -MOS_EINVAL || r == -MOS_ENODEV) << s << ": " << r;
				ASSERT_EQ(memcmp(out.get(), blank.get(), sizeof(*out)), 0) << s;
			}
		}
	}
	/* The damage must exercise both answers, or this test proves little. */
	EXPECT_GT(accepted, 500);
	EXPECT_GT(refused, 5000);
}

TEST(NumaControlRequest, NodesCheckedAgainstTheMachineNow)
{
	Machine m;
	auto out = std::make_unique<mos_numa_request>();
	auto parse = [&](const std::string &s) {
		return mos_numa_request_parse(s.data(), s.size(), &m.m, out.get());
	};

	EXPECT_EQ(parse("5 bind 99"), 0);
	EXPECT_EQ(parse("5 bind 100"), -MOS_EINVAL);	/* online, no memory */
	EXPECT_EQ(parse("5 interleave 0-127"), -MOS_ENODEV);
	EXPECT_EQ(parse("5 bind 128"), -MOS_EINVAL);	/* past nr_nodes: syntax */
	/* Node 100 gains memory (hot-add): the same line is now accepted. */
	mos_numa_node_set(&m.memory, 100);
	EXPECT_EQ(parse("5 bind 100"), 0);
	/* local and auto name no node: nothing to check. */
	EXPECT_EQ(parse("5 local"), 0);
}

} // namespace
