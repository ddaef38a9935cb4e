/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NodeSet: a fixed bitmap of MOS_NUMA_MAX_NODES nodes, the kernel's
 * nodemask_t. It is the C ABI's struct mos_numa_nodemask and nothing
 * more (one member, standard layout, like Rust-for-Linux's
 * #[repr(transparent)] wrappers), so the shim's masks are viewed in
 * place with NodeSet::of() instead of copied: a copy is 128 bytes of
 * kernel stack each time.
 */
#ifndef MOS_NUMA_NODE_SET_H
#define MOS_NUMA_NODE_SET_H

#include <stdint.h>

#include <multios/numa.h>

namespace mos::numa {

class NodeSet {
public:
	static constexpr uint32_t max_nodes = MOS_NUMA_MAX_NODES;
	static constexpr uint32_t words = max_nodes / 64;

	NodeSet() : raw_{} {}

	static NodeSet &of(mos_numa_nodemask &mask)
	{
		return reinterpret_cast<NodeSet &>(mask);
	}
	static const NodeSet &of(const mos_numa_nodemask &mask)
	{
		return reinterpret_cast<const NodeSet &>(mask);
	}

	bool test(uint32_t node) const { return mos_numa_node_isset(&raw_, node); }
	void set(uint32_t node) { mos_numa_node_set(&raw_, node); }

	/* first..last inclusive, both below max_nodes. */
	void set_range(uint32_t first, uint32_t last)
	{
		for (uint32_t n = first; n <= last && n < max_nodes; n++)
			set(n);
	}

	void clear_all() { *this = NodeSet(); }

	bool empty() const
	{
		for (uint64_t w : raw_.bits) {
			if (w)
				return false;
		}
		return true;
	}

	uint32_t count() const
	{
		uint32_t n = 0;
		for (uint64_t w : raw_.bits)
			n += weight64(w);
		return n;
	}

	/* The first node of the set at or after `from`, or max_nodes. */
	uint32_t next(uint32_t from) const
	{
		for (uint32_t w = from / 64; w < words; w++) {
			uint64_t bits = raw_.bits[w];
			if (w == from / 64)
				bits &= ~0ull << (from % 64);
			if (bits)
				return w * 64 + uint32_t(__builtin_ctzll(bits));
		}
		return max_nodes;
	}

	/* The first node of the set that is not in `other`, or max_nodes. */
	uint32_t first_not_in(const NodeSet &other) const
	{
		for (uint32_t w = 0; w < words; w++) {
			uint64_t bits = raw_.bits[w] & ~other.raw_.bits[w];
			if (bits)
				return w * 64 + uint32_t(__builtin_ctzll(bits));
		}
		return max_nodes;
	}

	/* Bit n % 64 for every node n of the set: a summary for equality tests. */
	uint64_t fold64() const
	{
		uint64_t fold = 0;
		for (uint64_t w : raw_.bits)
			fold |= w;
		return fold;
	}

	const mos_numa_nodemask &raw() const { return raw_; }

private:
	/*
	 * The kernel's hweight64(), written out: __builtin_popcountll()
	 * becomes a call to libgcc's __popcountdi2 on a target without a
	 * popcount instruction, and modules do not link libgcc.
	 */
	static uint32_t weight64(uint64_t w)
	{
		w -= (w >> 1) & 0x5555555555555555ull;
		w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
		w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
		return uint32_t((w * 0x0101010101010101ull) >> 56);
	}

	mos_numa_nodemask raw_;
};

static_assert(sizeof(NodeSet) == sizeof(mos_numa_nodemask) && __is_standard_layout(NodeSet),
	      "NodeSet::of() views a mos_numa_nodemask in place");

} // namespace mos::numa

#endif /* MOS_NUMA_NODE_SET_H */
