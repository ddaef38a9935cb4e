// SPDX-License-Identifier: GPL-2.0-only
//
// Building a DomainTree from topology descriptors and node distances.
//
// 1. Nodes are grouped by increasing distance, like the kernel's
//    sched_init_numa(), but into a hierarchy of disjoint clusters
//    (complete linkage: a cluster at threshold t holds nodes all within t
//    of each other), because a tree needs nested groups where the kernel
//    uses overlapping per-CPU masks.
// 2. Every CPU gets a key per level, coarsest first: NUMA clusters, node,
//    package, LLC, cluster, SMT, CPU id. A group at a level is a run of
//    CPUs equal in that key AND every coarser one, so groups nest even
//    when the hardware does not (a package split across nodes, sub-NUMA
//    clustering, is cut at the node boundary).
// 3. CPUs are sorted by their keys (topology order), and the tree is made
//    top-down, breadth-first: a group's children are the runs at the
//    first level that splits it, so a level equal to the one below is
//    never a group of its own, only a bit in the group's `levels`.
// 4. A group with more than domain_size children gets SPLIT groups in
//    between, balanced and contiguous, so fan-out stays bounded.
#include "domain_tree.h"

#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::sched {

namespace {

// Key depths below the NUMA ones, coarsest first.
enum HwDepth : uint32_t { kNode, kPackage, kLlc, kCluster, kSmt, kCpu, kNrHw };

constexpr uint32_t kHwLevelBit[kNrHw] = {
	MOS_SD_LVL_NODE, MOS_SD_LVL_PACKAGE, MOS_SD_LVL_LLC,
	MOS_SD_LVL_CLUSTER, MOS_SD_LVL_SMT, 0,
};

// mos_cpu_desc::first[] index of each hardware depth.
constexpr uint32_t kFirstIndex[kNrHw] = {
	0, MOS_TOPO_PACKAGE, MOS_TOPO_LLC, MOS_TOPO_CLUSTER, MOS_TOPO_SMT, 0,
};

template <class T>
struct TempArray {
	T *data = nullptr;
	size_t n = 0;
	~TempArray() { free_array(data, n); }
	Result<void> alloc(Gfp gfp, size_t count)
	{
		data = MOS_TRY(alloc_array<T>(gfp, count));
		n = count;
		return {};
	}
	T &operator[](size_t i) { return data[i]; }
};

} // namespace

class TreeBuilder {
public:
	TreeBuilder(const mos_cpu_desc *cpus, uint32_t nr_cpus, const uint32_t *distance,
		    uint32_t nr_nodes, const mos_sd_build_params &params, Gfp gfp)
		: cpus_(cpus), n_(nr_cpus), dist_(distance), nr_nodes_(nr_nodes),
		  params_(params), gfp_(gfp)
	{
	}

	Result<DomainTree *> run();

private:
	Result<void> check_input();
	Result<void> cluster_nodes();
	bool is_cluster(uint32_t a) const;
	uint32_t next_threshold(uint32_t threshold) const;
	uint32_t merge_round(uint32_t threshold);
	Result<void> make_keys();
	void sort_cpus();
	Result<void> make_tree(DomainTree &t);
	void make_group_children(DomainTree &t, uint32_t g, uint32_t split_depth);
	uint32_t add_child(DomainTree &t, uint32_t parent, uint32_t begin, uint32_t end,
			   uint32_t depth, bool split);
	Result<void> finish(DomainTree &t);

	uint32_t key(uint32_t pos, uint32_t depth) const { return keys_.data[perm_.data[pos] * depth_ + depth]; }
	bool less(uint32_t a, uint32_t b) const;
	uint32_t first_split(uint32_t begin, uint32_t end, uint32_t from) const;
	uint32_t level_bits(uint32_t from, uint32_t to) const;
	uint32_t sym_distance(uint32_t a, uint32_t b) const
	{
		uint32_t x = dist_[a * nr_nodes_ + b], y = dist_[b * nr_nodes_ + a];
		return x > y ? x : y;
	}

	const mos_cpu_desc *cpus_;
	uint32_t n_;
	const uint32_t *dist_;
	uint32_t nr_nodes_;
	mos_sd_build_params params_;
	Gfp gfp_;

	uint32_t nr_cpu_ids_ = 0;
	uint32_t nr_numa_ = 0;		// NUMA key depths
	uint32_t depth_ = 0;		// keys per CPU
	TempArray<uint8_t> node_used_;	// node has CPUs
	TempArray<uint32_t> cluster_;	// node -> its cluster's lowest node
	TempArray<uint32_t> cd_;	// [rep][node]: largest distance from rep's members
	TempArray<uint32_t> numa_key_;	// [numa depth][node]
	TempArray<uint32_t> keys_;	// [input index][depth]
	TempArray<uint32_t> perm_;	// position -> input index
	TempArray<uint32_t> create_;	// group index -> depth it was made at
	uint32_t nr_made_ = 0;		// nodes made so far (CPUs included)
	uint32_t child_cursor_ = 0;
};

Result<void> TreeBuilder::check_input()
{
	if (!cpus_ || !dist_ || n_ == 0 || n_ > MOS_SD_MAX_CPUS || nr_nodes_ == 0 ||
	    nr_nodes_ > MOS_TOPO_MAX_NODES)
		return Error(-MOS_EINVAL);
	if (mos_sd_build_params_check(&params_))
		return Error(-MOS_EINVAL);
	for (uint32_t a = 0; a < nr_nodes_; a++) {
		for (uint32_t b = 0; b < nr_nodes_; b++) {
			uint32_t d = dist_[a * nr_nodes_ + b];
			if (a == b ? d != MOS_TOPO_LOCAL_DISTANCE : d < MOS_TOPO_LOCAL_DISTANCE)
				return Error(-MOS_EINVAL);
		}
	}
	MOS_TRY(node_used_.alloc(gfp_, nr_nodes_));
	for (uint32_t i = 0; i < n_; i++) {
		const mos_cpu_desc &c = cpus_[i];
		if (c.cpu >= MOS_SD_MAX_CPUS || c.node >= nr_nodes_)
			return Error(-MOS_EINVAL);
		node_used_[c.node] = 1;
		if (c.cpu + 1 > nr_cpu_ids_)
			nr_cpu_ids_ = c.cpu + 1;
	}
	// Duplicate CPU ids: a bitmap over the ids.
	TempArray<uint8_t> seen;
	MOS_TRY(seen.alloc(gfp_, nr_cpu_ids_));
	for (uint32_t i = 0; i < n_; i++) {
		if (seen[cpus_[i].cpu]++)
			return Error(-MOS_EINVAL);
	}
	return {};
}

bool TreeBuilder::is_cluster(uint32_t a) const
{
	return node_used_.data[a] && cluster_.data[a] == a;
}

// The smallest distance between two clusters above `threshold`, or ~0u.
uint32_t TreeBuilder::next_threshold(uint32_t threshold) const
{
	uint32_t next = ~0u;
	for (uint32_t a = 0; a < nr_nodes_; a++) {
		if (!is_cluster(a))
			continue;
		for (uint32_t b = a + 1; b < nr_nodes_; b++) {
			uint32_t d = cd_.data[size_t(a) * nr_nodes_ + b];
			if (is_cluster(b) && d > threshold && d < next)
				next = d;
		}
	}
	return next;
}

// One round: merges clusters whose nodes are all within threshold of
// each other (greedy, lowest representative first); returns the merges.
uint32_t TreeBuilder::merge_round(uint32_t threshold)
{
	uint32_t merges = 0;
	for (uint32_t a = 0; a < nr_nodes_; a++) {
		if (!is_cluster(a))
			continue;
		for (uint32_t b = a + 1; b < nr_nodes_; b++) {
			if (!is_cluster(b) || cd_[size_t(a) * nr_nodes_ + b] > threshold)
				continue;
			// b joins a: a's distances become the larger of the two.
			for (uint32_t x = 0; x < nr_nodes_; x++) {
				if (cluster_[x] == b)
					cluster_[x] = a;
				uint32_t &ax = cd_[size_t(a) * nr_nodes_ + x];
				uint32_t bx = cd_[size_t(b) * nr_nodes_ + x];
				if (bx > ax)
					ax = bx;
				cd_[size_t(x) * nr_nodes_ + a] = ax;
			}
			merges++;
		}
	}
	return merges;
}

// Complete-linkage clustering of the nodes with CPUs, one round per
// distinct distance, keeping only rounds that change the partition.
Result<void> TreeBuilder::cluster_nodes()
{
	TempArray<uint32_t> rounds;	// [round][node]
	MOS_TRY(cluster_.alloc(gfp_, nr_nodes_));
	MOS_TRY(cd_.alloc(gfp_, size_t(nr_nodes_) * nr_nodes_));
	uint32_t nr_clusters = 0;
	for (uint32_t a = 0; a < nr_nodes_; a++) {
		cluster_[a] = a;
		nr_clusters += node_used_[a];
		for (uint32_t b = 0; b < nr_nodes_; b++)
			cd_[size_t(a) * nr_nodes_ + b] = sym_distance(a, b);
	}
	// Every round merges at least one pair.
	uint32_t max_rounds = nr_clusters > 1 ? nr_clusters - 1 : 1;
	MOS_TRY(rounds.alloc(gfp_, size_t(max_rounds) * nr_nodes_));
	uint32_t nr_rounds = 0, threshold = MOS_TOPO_LOCAL_DISTANCE;

	while (nr_clusters > 1) {
		threshold = next_threshold(threshold);
		if (MOS_WARN_ON(threshold == ~0u))
			break;	// cannot happen: clusters left are > threshold apart
		uint32_t merges = merge_round(threshold);
		if (merges == 0)
			continue;
		nr_clusters -= merges;
		for (uint32_t x = 0; x < nr_nodes_; x++)
			rounds[size_t(nr_rounds) * nr_nodes_ + x] = cluster_[x];
		nr_rounds++;
	}
	if (nr_rounds + kNrHw > DomainTree::kMaxHeight)
		return Error(-MOS_E2BIG);
	// Keys are coarsest first: the last round is depth 0.
	nr_numa_ = nr_rounds;
	if (nr_rounds) {
		MOS_TRY(numa_key_.alloc(gfp_, size_t(nr_rounds) * nr_nodes_));
		for (uint32_t r = 0; r < nr_rounds; r++)
			for (uint32_t x = 0; x < nr_nodes_; x++)
				numa_key_[size_t(nr_rounds - 1 - r) * nr_nodes_ + x] =
					rounds[size_t(r) * nr_nodes_ + x];
	}
	return {};
}

Result<void> TreeBuilder::make_keys()
{
	depth_ = nr_numa_ + kNrHw;
	MOS_TRY(keys_.alloc(gfp_, size_t(n_) * depth_));
	for (uint32_t i = 0; i < n_; i++) {
		const mos_cpu_desc &c = cpus_[i];
		uint32_t *k = &keys_[size_t(i) * depth_];
		for (uint32_t d = 0; d < nr_numa_; d++)
			k[d] = numa_key_[size_t(d) * nr_nodes_ + c.node];
		k[nr_numa_ + kNode] = c.node;
		for (uint32_t h = kPackage; h <= kSmt; h++)
			k[nr_numa_ + h] = c.first[kFirstIndex[h]];
		k[nr_numa_ + kCpu] = c.cpu;
	}
	return {};
}

bool TreeBuilder::less(uint32_t a, uint32_t b) const
{
	const uint32_t *ka = &keys_.data[size_t(a) * depth_];
	const uint32_t *kb = &keys_.data[size_t(b) * depth_];
	for (uint32_t d = 0; d < depth_; d++) {
		if (ka[d] != kb[d])
			return ka[d] < kb[d];
	}
	return false;
}

// Heapsort of perm_ by key: O(n log n), no recursion, no allocation.
void TreeBuilder::sort_cpus()
{
	uint32_t *p = perm_.data;
	auto sift = [&](uint32_t root, uint32_t len) {
		for (;;) {
			uint32_t c = 2 * root + 1;
			if (c >= len)
				return;
			if (c + 1 < len && less(p[c], p[c + 1]))
				c++;
			if (!less(p[root], p[c]))
				return;
			uint32_t t = p[root];
			p[root] = p[c];
			p[c] = t;
			root = c;
		}
	};
	for (uint32_t i = 0; i < n_; i++)
		p[i] = i;
	for (uint32_t i = n_ / 2; i-- > 0;)
		sift(i, n_);
	for (uint32_t end = n_; end-- > 1;) {
		uint32_t t = p[0];
		p[0] = p[end];
		p[end] = t;
		sift(0, end);
	}
}

// The first depth >= from at which the CPUs of [begin, end) differ.
uint32_t TreeBuilder::first_split(uint32_t begin, uint32_t end, uint32_t from) const
{
	for (uint32_t d = from; d < depth_; d++) {
		for (uint32_t pos = begin + 1; pos < end; pos++) {
			if (key(pos, d) != key(begin, d))
				return d;
		}
	}
	return depth_;	// one CPU
}

uint32_t TreeBuilder::level_bits(uint32_t from, uint32_t to) const
{
	uint32_t bits = 0;
	for (uint32_t d = from; d < to && d < depth_; d++)
		bits |= d < nr_numa_ ? MOS_SD_LVL_NUMA : kHwLevelBit[d - nr_numa_];
	return bits;
}

// A child of parent spanning [begin, end), made at depth: a CPU if it
// spans one, else a new group for the breadth-first walk.
uint32_t TreeBuilder::add_child(DomainTree &t, uint32_t parent, uint32_t begin,
				uint32_t end, uint32_t depth, bool split)
{
	uint32_t idx;
	if (end - begin == 1 && !split) {
		idx = begin;
		t.nodes_[idx].levels = level_bits(depth, depth_);
	} else {
		idx = nr_made_++;
		DomainTree::Node &g = t.nodes_[idx];
		g.begin = begin;
		g.end = end;
		g.levels = split ? MOS_SD_LVL_SPLIT : 0;
		create_[idx - n_] = depth;
	}
	t.nodes_[idx].parent = parent;
	t.children_[child_cursor_++] = idx;
	return idx;
}

// g's children: the runs at its split depth, in SPLIT groups of at most
// domain_size when there are more runs than that.
void TreeBuilder::make_group_children(DomainTree &t, uint32_t g, uint32_t s)
{
	DomainTree::Node &node = t.nodes_[g];
	uint32_t ds = params_.domain_size;
	uint32_t nr_runs = 0;
	for (uint32_t pos = node.begin; pos < node.end; pos++)
		nr_runs += pos == node.begin || key(pos, s) != key(pos - 1, s);

	// Parts per level: the smallest power of ds that covers the runs.
	uint32_t cap = 1, parts = nr_runs;
	if (nr_runs > ds) {
		cap = ds;
		while (uint64_t(cap) * ds < nr_runs)
			cap *= ds;
		parts = (nr_runs + cap - 1) / cap;
	}
	node.first_child = child_cursor_;
	node.nr_children = parts;
	uint32_t pos = node.begin;
	for (uint32_t part = 0; part < parts; part++) {
		uint32_t runs = uint32_t(uint64_t(part + 1) * nr_runs / parts) -
				uint32_t(uint64_t(part) * nr_runs / parts);
		uint32_t begin = pos;
		for (uint32_t r = 0; r < runs; r++) {
			pos++;
			while (pos < node.end && key(pos, s) == key(pos - 1, s))
				pos++;
		}
		add_child(t, g, begin, pos, s, parts != nr_runs && runs > 1);
	}
}

Result<void> TreeBuilder::make_tree(DomainTree &t)
{
	uint32_t total = 2 * n_ - 1;
	MOS_TRY_ASSIGN(t.nodes_, alloc_array<DomainTree::Node>(gfp_, total));
	if (n_ > 1) {
		MOS_TRY_ASSIGN(t.children_, alloc_array<uint32_t>(gfp_, total - 1));
		MOS_TRY(create_.alloc(gfp_, n_ - 1));
	}
	for (uint32_t pos = 0; pos < n_; pos++) {
		DomainTree::Node &leaf = t.nodes_[pos];
		leaf.parent = DomainTree::kNone;
		leaf.begin = pos;
		leaf.end = pos + 1;
		leaf.node = cpus_[perm_[pos]].node;
	}
	if (n_ == 1) {
		t.nodes_[0].levels = level_bits(0, depth_);
		t.root_ = 0;
		nr_made_ = 1;
		return {};
	}
	nr_made_ = n_;
	t.root_ = nr_made_++;
	DomainTree::Node &root = t.nodes_[t.root_];
	root.parent = DomainTree::kNone;
	root.begin = 0;
	root.end = n_;
	create_[0] = 0;
	// Breadth first: nodes_ itself is the queue.
	for (uint32_t g = n_; g < nr_made_; g++) {
		DomainTree::Node &node = t.nodes_[g];
		uint32_t made_at = create_[g - n_];
		uint32_t s = first_split(node.begin, node.end, made_at);
		node.levels |= (node.levels & MOS_SD_LVL_SPLIT) ? 0 : level_bits(made_at, s);
		make_group_children(t, g, s);
	}
	return {};
}

Result<void> TreeBuilder::finish(DomainTree &t)
{
	t.nr_nodes_total_ = nr_made_;
	// Parents precede children: heights come out of a reverse walk.
	for (uint32_t i = nr_made_; i-- > n_;) {
		DomainTree::Node &g = t.nodes_[i];
		g.node = t.nodes_[g.begin].node;
		for (uint32_t k = 0; k < g.nr_children; k++) {
			uint32_t h = t.nodes_[t.child(g, k)].height + 1;
			if (h > g.height)
				g.height = h;
		}
		if (g.levels & MOS_SD_LVL_NUMA)
			g.numa_level = nr_numa_ - create_[i - n_];
	}
	t.height_ = t.nodes_[t.root_].height;
	if (t.height_ > DomainTree::kMaxHeight)
		return Error(-MOS_E2BIG);

	t.nr_cpu_ids_ = nr_cpu_ids_;
	t.nr_numa_nodes_ = nr_nodes_;
	MOS_TRY_ASSIGN(t.order_, alloc_array<uint32_t>(gfp_, n_));
	MOS_TRY_ASSIGN(t.pos_of_, alloc_array<uint32_t>(gfp_, nr_cpu_ids_));
	MOS_TRY_ASSIGN(t.distance_, alloc_array<uint32_t>(gfp_, size_t(nr_nodes_) * nr_nodes_));
	MOS_TRY_ASSIGN(t.node_group_, alloc_array<uint32_t>(gfp_, nr_nodes_));
	for (uint32_t c = 0; c < nr_cpu_ids_; c++)
		t.pos_of_[c] = DomainTree::kNone;
	for (uint32_t pos = 0; pos < n_; pos++) {
		t.order_[pos] = cpus_[perm_[pos]].cpu;
		t.pos_of_[t.order_[pos]] = pos;
	}
	for (uint32_t i = 0; i < nr_nodes_ * nr_nodes_; i++)
		t.distance_[i] = dist_[i];
	for (uint32_t x = 0; x < nr_nodes_; x++)
		t.node_group_[x] = DomainTree::kNone;
	for (uint32_t pos = 0; pos < n_; pos++) {
		uint32_t x = t.nodes_[pos].node;
		if (t.node_group_[x] == DomainTree::kNone)
			t.node_group_[x] = t.group_with(t.order_[pos], MOS_SD_LVL_NODE);
	}

	MOS_TRY_ASSIGN(t.cpu_stats_, alloc_array<DomainTree::CpuStats>(gfp_, n_));
	if (nr_made_ > n_) {
		MOS_TRY_ASSIGN(t.group_stats_,
			       alloc_array<DomainTree::GroupStats>(gfp_, nr_made_ - n_));
	}
	for (uint32_t pos = 0; pos < n_; pos++)
		t.cpu_stats_[pos].capacity.store_relaxed(MOS_SD_CAPACITY_SCALE);
	for (uint32_t i = nr_made_; i-- > n_;)
		t.refresh(i, 0);
	return {};
}

Result<DomainTree *> TreeBuilder::run()
{
	MOS_TRY(check_input());
	MOS_TRY(cluster_nodes());
	MOS_TRY(make_keys());
	MOS_TRY(perm_.alloc(gfp_, n_));
	sort_cpus();

	MOS_TRY_ASSIGN(OwnedPtr<DomainTree> tree, make_owned<DomainTree>(gfp_));
	tree->nr_cpus_ = n_;
	tree->domain_size_ = params_.domain_size;
	tree->stats_interval_ns_ = params_.stats_interval_ns;
	MOS_TRY(make_tree(*tree));
	MOS_TRY(finish(*tree));
	return tree.leak();
}

Result<DomainTree *> DomainTree::build(const mos_cpu_desc *cpus, uint32_t nr_cpus,
				       const uint32_t *distance, uint32_t nr_nodes,
				       const mos_sd_build_params &params, Gfp gfp)
{
	TreeBuilder builder(cpus, nr_cpus, distance, nr_nodes, params, gfp);
	return builder.run();
}

DomainTree::~DomainTree()
{
	// Arrays of trivial types: the counts only need to be within bounds.
	uint32_t groups = nr_nodes_total_ > nr_cpus_ ? nr_nodes_total_ - nr_cpus_ : 0;
	free_array(nodes_, nr_nodes_total_);
	free_array(children_, nr_nodes_total_ ? nr_nodes_total_ - 1 : 0);
	free_array(order_, nr_cpus_);
	free_array(pos_of_, nr_cpu_ids_);
	free_array(distance_, size_t(nr_numa_nodes_) * nr_numa_nodes_);
	free_array(node_group_, nr_numa_nodes_);
	free_array(cpu_stats_, nr_cpus_);
	free_array(group_stats_, groups);
}

void DomainTree::destroy()
{
	free_object(this);
}

} // namespace mos::sched
