// SPDX-License-Identifier: GPL-2.0-only
//
// Shared KUnit/host cases (see numa_ktest.h), at 2 and 8 nodes; the
// 128-node machine is the host simulator's (tests/machine_sim_test.cpp).
// Policies and requests are over 1 KiB: they live on the heap here, as
// they will in the shim, never on a kernel stack.

#include <multios/numa.h>
#include <mos/ktest.h>

#include "numa_ktest.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace {

/* A string literal with its length: no strlen() in a module. */
struct Str {
	const char *s;
	size_t len;
};
#define S(x) Str{x, sizeof(x) - 1}

bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* A zeroed T on the heap for the length of a case; null if out of memory. */
template <class T>
struct Heap {
	T *p = static_cast<T *>(mos_alloc(sizeof(T), MOS_GFP_KERNEL | MOS_GFP_ZERO));
	~Heap() { mos_free(p); }
	T *operator->() { return p; }
};

/* Fills with a pattern no parser writes, to see that an error wrote nothing. */
template <class T>
void scribble(T *obj)
{
	__builtin_memset(obj, 0xa5, sizeof(*obj));
}

template <class T>
bool scribbled(const T *obj)
{
	const unsigned char *b = reinterpret_cast<const unsigned char *>(obj);
	for (size_t i = 0; i < sizeof(*obj); i++) {
		if (b[i] != 0xa5)
			return false;
	}
	return true;
}

mos_numa_nodemask mask_of(const char *list, size_t len)
{
	mos_numa_nodemask m = {};
	(void)mos_numa_nodemask_parse(list, len, MOS_NUMA_MAX_NODES, &m);
	return m;
}

/* An n-node machine whose SLIT is 10 local and 20 remote. */
template <uint32_t N>
struct FlatMachine {
	uint64_t pages[N] = {};
	uint32_t samples[N] = {};
	uint8_t distance[N * N];

	FlatMachine()
	{
		for (uint32_t i = 0; i < N * N; i++)
			distance[i] = i / N == i % N ? 10 : 20;
	}

	mos_numa_placement_input input(uint32_t task_node) const
	{
		return {N, task_node, pages, samples, distance};
	}
};

mos_numa_decision decide(struct mos_test *t, const mos_numa_placement_input &in,
			 const mos_numa_placement_knobs &k, mos_numa_range_state *st,
			 mos_numa_placement_stats *stats = nullptr)
{
	mos_numa_decision d;
	scribble(&d);
	MOS_KT_EXPECT_EQ(t, mos_numa_decide(&in, &k, st, &d, stats), 0);
	return d;
}

} // namespace

extern "C" void mos_kt_numa_nodemask_round_trip(struct mos_test *t)
{
	static const struct {
		Str in;
		uint32_t nr_nodes;
		const char *out;
	} cases[] = {
		{S("0-3,5,7"), 8, "0-3,5,7"},	{S("7,5,0-3"), 8, "0-3,5,7"},
		{S("1,1,1-2,2"), 8, "1-2"},	{S("3-3"), 8, "3"},
		{S("0-7\n"), 8, "0-7"},		{S("0"), 1, "0"},
		{S("0-127"), 128, "0-127"},	{S("000,01"), 2, "0-1"},
		{S("1023,0"), 1024, "0,1023"},	{S("64-65,127"), 128, "64-65,127"},
	};
	char buf[32];

	for (const auto &c : cases) {
		mos_numa_nodemask m;
		MOS_KT_ASSERT_EQ(t, mos_numa_nodemask_parse(c.in.s, c.in.len, c.nr_nodes, &m), 0);
		MOS_KT_ASSERT_GT(t, mos_numa_nodemask_format(&m, c.nr_nodes, buf, sizeof(buf)), 0);
		MOS_KT_EXPECT_TRUE(t, same(buf, c.out));
	}
	mos_numa_nodemask m = mask_of("0-3,5,7", 7);
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_format(&m, 8, buf, 7), -MOS_E2BIG);
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_format(&m, 8, buf, 8), 7);
	/* Nodes at or above nr_nodes are not shown. */
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_format(&m, 4, buf, sizeof(buf)), 3);
}

extern "C" void mos_kt_numa_nodemask_strict(struct mos_test *t)
{
	static const Str bad[] = {
		S(""),	   S("\n"),    S(","),	     S("0,"),	  S(",0"),    S("0,,1"),
		S("3-1"),  S("+1"),    S("-1"),	     S("0x1"),	  S(" 0"),    S("0 "),
		S("0-"),   S("2-1"),   S("8"),     S("0-8"),     S("1\n\n"),  S("1 2"),   S("1\t"),
		S("1:2"),  S("0-3:2"), S("1-2-3"),   S("4294967296"), S("99999999999999999999"),
		S("1\0"),  S("a"),     S("\n1"),
	};
	mos_numa_nodemask m;

	for (const Str &b : bad) {
		scribble(&m);
		MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_parse(b.s, b.len, 8, &m), -MOS_EINVAL);
		MOS_KT_EXPECT_TRUE(t, scribbled(&m));
	}
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_parse("0", 1, 0, &m), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_parse("0", 1, MOS_NUMA_MAX_NODES + 1, &m),
			 -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, mos_numa_nodemask_parse("1024", 4, MOS_NUMA_MAX_NODES, &m),
			 -MOS_EINVAL);
	MOS_KT_EXPECT_TRUE(t, scribbled(&m));
}

extern "C" void mos_kt_numa_policy_round_trip(struct mos_test *t)
{
	static const struct {
		Str in;
		const char *out;
	} cases[] = {
		{S("bind 0-3"), "bind 0-3"},
		{S("preferred 2,2"), "preferred 2"},
		{S("interleave 0-3"), "interleave 0-3"},
		{S("interleave 0:3,1:1"), "interleave 0:3,1:1"},
		{S("interleave 2:1,0-1:2"), "interleave 0-1:2,2:1"},
		{S("interleave 0:1,1:1"), "interleave 0-1:1"},
		{S("local -"), "local"},
		{S("auto"), "auto"},
		{S("default\n"), "default"},
	};
	Heap<mos_numa_policy> p;
	char buf[64];

	MOS_KT_ASSERT_TRUE(t, p.p);
	for (const auto &c : cases) {
		MOS_KT_ASSERT_EQ(t, mos_numa_policy_parse(c.in.s, c.in.len, 8, p.p), 0);
		MOS_KT_ASSERT_GT(t, mos_numa_policy_format(p.p, 8, buf, sizeof(buf)), 0);
		MOS_KT_EXPECT_TRUE(t, same(buf, c.out));
	}
	/* The weights the shim interleaves by: 1 each for a plain list. */
	MOS_KT_ASSERT_EQ(t, mos_numa_policy_parse("interleave 1,3", 14, 8, p.p), 0);
	MOS_KT_EXPECT_EQ(t, p->mode, (uint32_t)MOS_NUMA_INTERLEAVE);
	MOS_KT_EXPECT_FALSE(t, p->weighted);
	MOS_KT_EXPECT_EQ(t, p->weights[0] + p->weights[1] * 10 + p->weights[3] * 100, 110);
	MOS_KT_ASSERT_EQ(t, mos_numa_policy_parse("interleave 5:255,0:7", 20, 8, p.p), 0);
	MOS_KT_EXPECT_TRUE(t, p->weighted);
	MOS_KT_EXPECT_EQ(t, p->weights[5], 255);
	MOS_KT_EXPECT_EQ(t, p->weights[0], 7);
	MOS_KT_EXPECT_EQ(t, p->weights[1], 0);
	MOS_KT_EXPECT_TRUE(t, mos_numa_node_isset(&p->nodes, 5));
	MOS_KT_EXPECT_FALSE(t, mos_numa_node_isset(&p->nodes, 1));
}

extern "C" void mos_kt_numa_policy_refused(struct mos_test *t)
{
	static const Str bad[] = {
		S(""),		       S("bind"),	       S("bind -"),
		S("preferred 1,2"),    S("preferred 1-2"),     S("local 1"),
		S("auto 0"),	       S("bind 0:1"),	       S("interleave 0:1,1"),
		S("interleave 0:0"),   S("interleave 0:256"),  S("interleave 1:1,1:1"),
		S("interleave 0-1:2,1:3"), S("auto - x"),      S("Bind 0"),
		S("bind 0 1"),	       S("interleave -"),      S("bind 8"),
		S("none"),	       S("interleave 0:"),     S("interleave :1"),
	};
	Heap<mos_numa_policy> p;

	MOS_KT_ASSERT_TRUE(t, p.p);
	for (const Str &b : bad) {
		scribble(p.p);
		MOS_KT_EXPECT_EQ(t, mos_numa_policy_parse(b.s, b.len, 8, p.p), -MOS_EINVAL);
		MOS_KT_EXPECT_TRUE(t, scribbled(p.p));
	}
}

namespace {

/* 8 nodes: 0-5 online, 4 without memory, 6-7 offline. */
struct TestMachine {
	mos_numa_nodemask online = mask_of("0-5", 3);
	mos_numa_nodemask memory = mask_of("0-3,5", 5);
	mos_numa_machine machine = {8, 4096, &online, &memory};
};

} // namespace

extern "C" void mos_kt_numa_request_parsed(struct mos_test *t)
{
	TestMachine m;
	Heap<mos_numa_request> r;
	char buf[64];

	MOS_KT_ASSERT_TRUE(t, r.p);
	Str line = S("1234 bind 0-3 0x7f0000000000-0x7f0000200000 move\n");
	MOS_KT_ASSERT_EQ(t, mos_numa_request_parse(line.s, line.len, &m.machine, r.p), 0);
	MOS_KT_EXPECT_EQ(t, r->pid, 1234);
	MOS_KT_EXPECT_EQ(t, r->flags, MOS_NUMA_REQUEST_RANGE | MOS_NUMA_REQUEST_MOVE);
	MOS_KT_EXPECT_EQ(t, r->start, 0x7f0000000000ull);
	MOS_KT_EXPECT_EQ(t, r->end, 0x7f0000200000ull);
	MOS_KT_ASSERT_GT(t, mos_numa_policy_format(&r->policy, 8, buf, sizeof(buf)), 0);
	MOS_KT_EXPECT_TRUE(t, same(buf, "bind 0-3"));

	static const struct {
		Str line;
		int32_t pid;
		uint32_t flags;
		const char *policy;
	} cases[] = {
		{S("2147483647 interleave 0:3,1:1"), 2147483647, 0, "interleave 0:3,1:1"},
		{S("42 local"), 42, 0, "local"},
		{S("42  local\t-  move"), 42, MOS_NUMA_REQUEST_MOVE, "local"},
		{S("7 preferred 5 0x1000-0x3000"), 7, MOS_NUMA_REQUEST_RANGE, "preferred 5"},
		{S("9 default 0x0-0x1000 move"), 9, MOS_NUMA_REQUEST_RANGE | MOS_NUMA_REQUEST_MOVE,
		 "default"},
	};
	for (const auto &c : cases) {
		MOS_KT_ASSERT_EQ(t, mos_numa_request_parse(c.line.s, c.line.len, &m.machine, r.p), 0);
		MOS_KT_EXPECT_EQ(t, r->pid, c.pid);
		MOS_KT_EXPECT_EQ(t, r->flags, c.flags);
		MOS_KT_ASSERT_GT(t, mos_numa_policy_format(&r->policy, 8, buf, sizeof(buf)), 0);
		MOS_KT_EXPECT_TRUE(t, same(buf, c.policy));
	}
}

extern "C" void mos_kt_numa_request_refused_untouched(struct mos_test *t)
{
	static const struct {
		Str line;
		int err;
	} cases[] = {
		{S("0 bind 0"), -MOS_EINVAL},	{S("-1 bind 0"), -MOS_EINVAL},
		{S("+1 bind 0"), -MOS_EINVAL},	{S("2147483648 bind 0"), -MOS_EINVAL},
		{S("1 bind"), -MOS_EINVAL},	{S("1 bind -"), -MOS_EINVAL},
		{S("1 local 0"), -MOS_EINVAL},	{S("1 preferred 0-1"), -MOS_EINVAL},
		{S("1 bind 0 0x1000-0x1000"), -MOS_EINVAL},
		{S("1 bind 0 0x1001-0x2000"), -MOS_EINVAL},
		{S("1 bind 0 0x2000-0x1000"), -MOS_EINVAL},
		{S("1 bind 0 0x1000-"), -MOS_EINVAL},
		/* 17 digits: wrapped, they would be a fine 0x1000-0x2000. */
		{S("1 bind 0 0x10000000000001000-0x10000000000002000"), -MOS_EINVAL},
		{S("1 bind 0 move move"), -MOS_EINVAL},
		{S("1 bind 0 move 0x1000-0x2000"), -MOS_EINVAL},
		{S("1 bind 0 1000-2000"), -MOS_EINVAL},
		{S("1 bind 0 extra"), -MOS_EINVAL},	{S("1 bind 8"), -MOS_EINVAL},
		{S("1 bind 0\n\n"), -MOS_EINVAL},	{S(" 1 bind 0"), -MOS_EINVAL},
		{S("1 Bind 0"), -MOS_EINVAL},		{S("1 interleave 0:1,0:2"), -MOS_EINVAL},
		{S(""), -MOS_EINVAL},			{S("1"), -MOS_EINVAL},
		{S("1 bind 6"), -MOS_ENODEV},		{S("1 preferred 7"), -MOS_ENODEV},
		{S("1 bind 4,6"), -MOS_ENODEV},		{S("1 bind 4"), -MOS_EINVAL},
		{S("1 interleave 3:1,4:2"), -MOS_EINVAL},
	};
	TestMachine m;
	Heap<mos_numa_request> r;

	MOS_KT_ASSERT_TRUE(t, r.p);
	for (const auto &c : cases) {
		scribble(r.p);
		MOS_KT_EXPECT_EQ(t, mos_numa_request_parse(c.line.s, c.line.len, &m.machine, r.p),
				 c.err);
		MOS_KT_EXPECT_TRUE(t, scribbled(r.p));
	}
	/* A machine the shim got wrong is refused, not trusted. */
	m.machine.page_size = 4097;
	MOS_KT_EXPECT_EQ(t, mos_numa_request_parse("1 local", 7, &m.machine, r.p), -MOS_EINVAL);
	MOS_KT_EXPECT_TRUE(t, scribbled(r.p));
}

extern "C" void mos_kt_numa_budget_rate_and_burst(struct mos_test *t)
{
	constexpr uint64_t sec = 1000000000ull;
	mos_numa_budget b;
	mos_numa_budget_stats stats;

	mos_numa_budget_init(&b, 1000, 0, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 0, 5000), 1000u);	/* starts full */
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 0, 1), 0u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, sec / 2, 1000), 500u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, sec / 2 + 999999, 1), 0u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, sec / 2 + 1000000, 5), 1u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 100 * sec, 5000), 1000u);	/* one second's worth */
	mos_numa_budget_get_stats(&b, &stats);
	MOS_KT_EXPECT_EQ(t, stats.granted, 2501u);
	MOS_KT_EXPECT_EQ(t, stats.refused, 11007u - 2501u);

	/* A smaller burst, and a burst over the rate clamped to it. */
	mos_numa_budget_init(&b, 1000, 100, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 10 * sec, 5000), 100u);
	mos_numa_budget_init(&b, 1000, 5000, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 10 * sec, 5000), 1000u);

	/* Rate 0 is off; turning it on starts from nothing earned. */
	mos_numa_budget_init(&b, 0, 0, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 10 * sec, 1), 0u);
	mos_numa_budget_set_rate(&b, 1000, 0, 10 * sec);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 10 * sec, 1), 0u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 10 * sec + sec / 100, 100), 10u);
	/* Lowering the rate cuts what was earned to the new burst. */
	mos_numa_budget_set_rate(&b, 10, 0, 12 * sec);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 12 * sec, 100), 10u);
}

extern "C" void mos_kt_numa_budget_clock_oddities(struct mos_test *t)
{
	constexpr uint64_t sec = 1000000000ull, t0 = 1000000000000000000ull;
	mos_numa_budget b;

	mos_numa_budget_init(&b, 1000, 0, t0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, t0, 1000), 1000u);
	/* Back in time: no time passed... */
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, t0 - sec, 1000), 0u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 0, 1000), 0u);
	/* ...and the refill counts from the latest time seen, not the earlier one. */
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, t0 + sec / 2, 1000), 500u);
	/* A gap near 2^64 ns fills the bucket once, without wrapping. */
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, UINT64_MAX, 5000), 1000u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, UINT64_MAX, 1), 0u);

	/*
	 * 2^54 ns (208 days idle) at 1024 pages/s is 2^64 page-ns: a refill
	 * that multiplied before capping would wrap to exactly nothing.
	 */
	mos_numa_budget_init(&b, 1024, 0, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 0, 5000), 1024u);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 1ull << 54, 5000), 1024u);

	/* The largest rate, over a long gap: its burst, exactly. */
	mos_numa_budget_init(&b, UINT32_MAX, 0, 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, 0, UINT64_MAX), (uint64_t)UINT32_MAX);
	MOS_KT_EXPECT_EQ(t, mos_numa_budget_take(&b, UINT64_MAX / 2, UINT64_MAX),
			 (uint64_t)UINT32_MAX);
}

extern "C" void mos_kt_numa_decide_memory_follows_task(struct mos_test *t)
{
	FlatMachine<2> m;
	mos_numa_placement_knobs k;
	mos_numa_range_state st;
	mos_numa_placement_stats stats = {};

	mos_numa_placement_knobs_default(&k);
	mos_numa_range_state_init(&st);
	m.pages[1] = 1000;
	m.samples[0] = 5;
	mos_numa_decision d = decide(t, m.input(0), k, &st, &stats);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_TOO_FEW_SAMPLES);

	m.samples[0] = 100;
	d = decide(t, m.input(0), k, &st, &stats);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK);
	MOS_KT_EXPECT_EQ(t, d.node, 0u);
	MOS_KT_EXPECT_EQ(t, d.pages, 1000u);
	/* Not carried out yet: the range settles rather than asking again. */
	d = decide(t, m.input(0), k, &st, &stats);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_HYSTERESIS);
	/* 95% local is under the 10% remote threshold; at 4% it is not. */
	m.pages[0] = 950;
	m.pages[1] = 50;
	d = decide(t, m.input(0), k, &st, &stats);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_BELOW_THRESHOLD);
	k.migration_threshold = 40;
	mos_numa_range_state_init(&st);
	d = decide(t, m.input(0), k, &st, &stats);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
	MOS_KT_EXPECT_EQ(t, d.pages, 50u);
	MOS_KT_EXPECT_EQ(t, st.moves, 1u);
	MOS_KT_EXPECT_EQ(t, stats.decisions[MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK], 2u);
	MOS_KT_EXPECT_EQ(t, stats.pages_to_move, 1050u);

	/* Bad input is refused, and changes neither state nor statistics. */
	mos_numa_placement_input in = m.input(2);
	uint32_t since = st.intervals_since_move;
	MOS_KT_EXPECT_EQ(t, mos_numa_decide(&in, &k, &st, &d, &stats), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, st.intervals_since_move, since);
	MOS_KT_EXPECT_EQ(t, st.moves, 1u);
	k.migration_threshold = 1001;
	in = m.input(0);
	MOS_KT_EXPECT_EQ(t, mos_numa_decide(&in, &k, &st, &d, &stats), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, stats.decisions[MOS_NUMA_WHY_MEMORY_FOLLOWS_TASK], 2u);
}

extern "C" void mos_kt_numa_decide_task_follows_memory(struct mos_test *t)
{
	FlatMachine<8> m;
	mos_numa_placement_knobs k;
	mos_numa_range_state st;

	mos_numa_placement_knobs_default(&k);
	mos_numa_range_state_init(&st);
	/* A million pages, 90% on node 5; the task on node 0 makes the accesses. */
	m.pages[5] = 900000;
	m.pages[0] = 100000;
	m.samples[0] = 100;
	mos_numa_decision d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_TASK);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_TASK_FOLLOWS_MEMORY);
	MOS_KT_EXPECT_EQ(t, d.node, 5u);

	/* Spread over three far nodes, no majority to move to: too costly either way. */
	m.pages[0] = 100000;
	m.pages[5] = 300000;
	m.pages[6] = 300000;
	m.pages[7] = 300000;
	mos_numa_range_state_init(&st);
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_TOO_COSTLY);

	/* A small footprint far away moves to the task instead. */
	m.pages[0] = 10;
	m.pages[5] = m.pages[6] = m.pages[7] = 300;
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
	MOS_KT_EXPECT_EQ(t, d.pages, 900u);
}

extern "C" void mos_kt_numa_decide_shared_interleaves(struct mos_test *t)
{
	FlatMachine<8> m;
	mos_numa_placement_knobs k;
	mos_numa_range_state st;
	char buf[32];

	mos_numa_placement_knobs_default(&k);
	mos_numa_range_state_init(&st);
	m.pages[1] = 1000;
	m.samples[1] = 40;
	m.samples[3] = 40;
	m.samples[5] = 20;
	m.samples[6] = 9;	/* under a quarter of the busiest: not in the set */
	mos_numa_decision d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_INTERLEAVE);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_SHARED);
	MOS_KT_ASSERT_GT(t, mos_numa_nodemask_format(&d.nodes, 8, buf, sizeof(buf)), 0);
	MOS_KT_EXPECT_TRUE(t, same(buf, "1,3,5"));
	for (int i = 0; i < 10; i++) {
		d = decide(t, m.input(0), k, &st);
		MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_ALREADY_SHARED);
	}
	MOS_KT_EXPECT_EQ(t, st.moves, 1u);

	/*
	 * The sharing moves to nodes 2 and 4, outside the interleave: it is
	 * not "already shared" any more, and interleaves over them.
	 */
	m.samples[1] = m.samples[3] = m.samples[5] = m.samples[6] = 0;
	m.samples[2] = 50;
	m.samples[4] = 50;
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_INTERLEAVE);
	MOS_KT_ASSERT_GT(t, mos_numa_nodemask_format(&d.nodes, 8, buf, sizeof(buf)), 0);
	MOS_KT_EXPECT_TRUE(t, same(buf, "2,4"));
	/* The same sharing next interval: already shared, not again. */
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_ALREADY_SHARED);
	MOS_KT_EXPECT_EQ(t, st.moves, 2u);

	m.samples[2] = m.samples[4] = 0;
	m.samples[3] = 40;

	/* 60/40 with the pages at the 60: a majority node, already in place. */
	mos_numa_range_state_init(&st);
	m.samples[1] = 60;
	m.samples[5] = m.samples[6] = 0;
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_IN_PLACE);
}

extern "C" void mos_kt_numa_decide_ping_pong_pins(struct mos_test *t)
{
	FlatMachine<2> m;
	mos_numa_placement_knobs k;
	mos_numa_range_state st;

	mos_numa_placement_knobs_default(&k);
	k.settle_intervals = 1;
	k.pingpong_window = 4;
	k.pin_intervals = 4;
	mos_numa_range_state_init(&st);
	/* The accesses come from node 0, then node 1, then 0, ... each time it moved. */
	m.pages[1] = 1000;
	m.samples[0] = 100;
	mos_numa_decision d = decide(t, m.input(0), k, &st);
	MOS_KT_ASSERT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
	m.pages[0] = 1000;
	m.pages[1] = 0;
	m.samples[0] = 0;
	m.samples[1] = 100;
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_HYSTERESIS);
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_PING_PONG);
	MOS_KT_EXPECT_EQ(t, st.ping_pongs, 1u);
	for (uint32_t i = 0; i < 4; i++) {
		d = decide(t, m.input(0), k, &st);
		MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_PINNED);
	}
	/* Past the window, following the accesses is a new move, not a ping-pong. */
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.action, (uint32_t)MOS_NUMA_ACT_MOVE_MEMORY);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_MEMORY_FOLLOWS_ACCESSES);
	MOS_KT_EXPECT_EQ(t, d.node, 1u);
	/* A second ping-pong pins twice as long. */
	m.pages[0] = 0;
	m.pages[1] = 1000;
	m.samples[0] = 100;
	m.samples[1] = 0;
	d = decide(t, m.input(0), k, &st);
	d = decide(t, m.input(0), k, &st);
	MOS_KT_EXPECT_EQ(t, d.reason, (uint32_t)MOS_NUMA_WHY_PING_PONG);
	MOS_KT_EXPECT_EQ(t, st.pin_left, 8u);
	MOS_KT_EXPECT_EQ(t, st.moves, 2u);
}

extern "C" void mos_kt_numa_stats_line(struct mos_test *t)
{
	mos_numa_placement_stats stats = {};
	char buf[512];

	stats.decisions[MOS_NUMA_WHY_TOO_FEW_SAMPLES] = 3;
	stats.decisions[MOS_NUMA_WHY_TASK_FOLLOWS_MEMORY] = 2;
	stats.pages_to_move = 77;
	int n = mos_numa_placement_stats_format(&stats, buf, sizeof(buf));
	MOS_KT_ASSERT_GT(t, n, 0);
	MOS_KT_EXPECT_EQ(t, __builtin_memcmp(buf, "too_few_samples=3 no_pages=0 ", 29), 0);
	static const char tail[] = "task_follows_memory=2 pages_to_move=77\n";
	MOS_KT_ASSERT_GT(t, n, (int)sizeof(tail));
	MOS_KT_EXPECT_EQ(t, __builtin_memcmp(buf + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1),
			 0);
	MOS_KT_EXPECT_EQ(t, mos_numa_placement_stats_format(&stats, buf, 40), -MOS_E2BIG);
	for (uint32_t r = 0; r < MOS_NUMA_WHY_NR; r++)
		MOS_KT_EXPECT_TRUE(t, mos_numa_reason_name(r) != nullptr);
	MOS_KT_EXPECT_TRUE(t, mos_numa_reason_name(MOS_NUMA_WHY_NR) == nullptr);
	MOS_KT_EXPECT_TRUE(t, same(mos_numa_action_name(MOS_NUMA_ACT_MOVE_TASK), "move_task"));
	MOS_KT_EXPECT_TRUE(t, same(mos_numa_mode_name(MOS_NUMA_INTERLEAVE), "interleave"));
}
