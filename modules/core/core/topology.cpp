// SPDX-License-Identifier: GPL-2.0-only
//
// Topology model: validation of what the kernel reported, and the text
// that /sys/kernel/multios/topology and /proc/multios/topology show.

#include "topology.h"

#include <mos/alloc.h>
#include <mos/log.h>
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos {

namespace {

constexpr uint32_t kMaxCpuIds = 1u << 16;
constexpr uint32_t kMaxDistance = 255;	// the kernel keeps distances in a u8

const char *const kLevelNames[MOS_TOPO_NR_LEVELS] = {
	"smt", "cluster", "llc", "package", "node",
};

// "L1d", "L1i", "L2": the names lscpu and the kernel's cacheinfo use.
const char *cache_type_suffix(uint32_t type)
{
	switch (type) {
	case MOS_CACHE_DATA:
		return "d";
	case MOS_CACHE_INST:
		return "i";
	default:
		return "";
	}
}

bool same_cache_kind(const mos_cache_desc &a, const mos_cache_desc &b)
{
	return a.level == b.level && a.type == b.type && a.size_kb == b.size_kb &&
	       a.line_size == b.line_size && a.ways == b.ways &&
	       a.shared_count == b.shared_count;
}

} // namespace

Topology *Topology::create(uint32_t nr_cpu_ids, uint32_t nr_nodes, mos_gfp_t gfp)
{
	if (nr_cpu_ids == 0 || nr_cpu_ids > kMaxCpuIds || nr_nodes == 0 ||
	    nr_nodes > MOS_TOPO_MAX_NODES)
		return nullptr;

	Topology *topo = alloc_object<Topology>(Gfp(gfp));
	if (!topo)
		return nullptr;
	auto cpus = alloc_array<CpuRecord>(Gfp(gfp), nr_cpu_ids);
	auto distance = alloc_array<uint32_t>(Gfp(gfp), size_t(nr_nodes) * nr_nodes);
	auto node_cpus = alloc_array<uint32_t>(Gfp(gfp), nr_nodes);
	auto next_in_group = alloc_array<uint32_t>(Gfp(gfp), size_t(MOS_TOPO_NR_LEVELS) * nr_cpu_ids);
	auto node_first = alloc_array<uint32_t>(Gfp(gfp), nr_nodes);
	topo->nr_cpu_ids_ = nr_cpu_ids;
	topo->nr_nodes_ = nr_nodes;
	topo->cpus_ = cpus.value_or(nullptr);
	topo->distance_ = distance.value_or(nullptr);
	topo->node_cpus_ = node_cpus.value_or(nullptr);
	topo->next_in_group_ = next_in_group.value_or(nullptr);
	topo->node_first_ = node_first.value_or(nullptr);
	if (!topo->cpus_ || !topo->distance_ || !topo->node_cpus_ || !topo->next_in_group_ ||
	    !topo->node_first_) {
		topo->destroy();
		return nullptr;
	}
	return topo;
}

void Topology::destroy()
{
	free_array(cpus_, nr_cpu_ids_);
	free_array(distance_, size_t(nr_nodes_) * nr_nodes_);
	free_array(node_cpus_, nr_nodes_);
	free_array(next_in_group_, size_t(MOS_TOPO_NR_LEVELS) * nr_cpu_ids_);
	free_array(node_first_, nr_nodes_);
	free_object(this);
}

int Topology::add_cpu(const mos_cpu_desc &desc)
{
	if (finalized_ || desc.cpu >= nr_cpu_ids_ || desc.node >= nr_nodes_)
		return -MOS_EINVAL;
	CpuRecord &rec = cpus_[desc.cpu];
	if (rec.present)
		return -MOS_EEXIST;
	for (uint32_t level = 0; level < MOS_TOPO_NODE; level++) {
		if (desc.first[level] >= nr_cpu_ids_ || desc.first[level] > desc.cpu)
			return -MOS_EINVAL;
		rec.first[level] = desc.first[level];
	}
	rec.node = desc.node;
	rec.present = true;
	node_cpus_[desc.node]++;
	nr_cpus_++;
	return 0;
}

int Topology::add_cache(uint32_t cpu, const mos_cache_desc &cache)
{
	if (finalized_ || cpu >= nr_cpu_ids_ || !cpus_[cpu].present)
		return -MOS_EINVAL;
	if (cache.level == 0 || cache.type < MOS_CACHE_DATA ||
	    cache.type > MOS_CACHE_UNIFIED || cache.shared_count == 0 ||
	    cache.shared_first > cpu)
		return -MOS_EINVAL;
	CpuRecord &rec = cpus_[cpu];
	if (rec.nr_caches == MOS_TOPO_MAX_CACHES)
		return -MOS_ENOSPC;
	rec.caches[rec.nr_caches++] = cache;
	return 0;
}

int Topology::set_distance(uint32_t from, uint32_t to, uint32_t distance)
{
	if (finalized_ || from >= nr_nodes_ || to >= nr_nodes_ || distance == 0 ||
	    distance > kMaxDistance)
		return -MOS_EINVAL;
	distance_[from * nr_nodes_ + to] = distance;
	return 0;
}

// A group is named by its first CPU, which must be present and lead its
// own group; an SMT group must not straddle any wider group.
int Topology::check_cpu(uint32_t cpu) const
{
	const CpuRecord &rec = cpus_[cpu];

	for (uint32_t level = 0; level < MOS_TOPO_NODE; level++) {
		uint32_t leader = rec.first[level];

		if (!cpus_[leader].present || cpus_[leader].first[level] != leader) {
			log::err("topology: cpu %u: %s group leader %u is not a leader",
				 cpu, kLevelNames[level], leader);
			return -MOS_EINVAL;
		}
	}
	const CpuRecord &smt = cpus_[rec.first[MOS_TOPO_SMT]];
	for (uint32_t level = MOS_TOPO_CLUSTER; level < MOS_TOPO_NODE; level++) {
		if (smt.first[level] != rec.first[level]) {
			log::err("topology: cpu %u: SMT siblings in different %s groups",
				 cpu, kLevelNames[level]);
			return -MOS_EINVAL;
		}
	}
	if (smt.node != rec.node) {
		log::err("topology: cpu %u: SMT siblings on different nodes", cpu);
		return -MOS_EINVAL;
	}
	return 0;
}

// Only nodes that have CPUs need distances: memory-only nodes are the
// NUMA engine's business and are checked there.
int Topology::check_distances() const
{
	for (uint32_t from = 0; from < nr_nodes_; from++) {
		if (!node_has_cpus(from))
			continue;
		for (uint32_t to = 0; to < nr_nodes_; to++) {
			if (!node_has_cpus(to))
				continue;
			uint32_t d = distance(from, to);
			bool ok = from == to ? d == MOS_TOPO_LOCAL_DISTANCE
					     : d > MOS_TOPO_LOCAL_DISTANCE;
			if (!ok) {
				log::err("topology: distance %u -> %u is %u", from, to, d);
				return -MOS_EINVAL;
			}
		}
	}
	return 0;
}

int Topology::finalize()
{
	if (finalized_)
		return -MOS_EBUSY;
	if (nr_cpus_ == 0) {
		log::err("topology: no CPUs described");
		return -MOS_EINVAL;
	}
	for (uint32_t cpu = 0; cpu < nr_cpu_ids_; cpu++) {
		if (!cpus_[cpu].present)
			continue;
		int err = check_cpu(cpu);
		if (err)
			return err;
	}
	int err = check_distances();
	if (err)
		return err;
	link_groups();
	collect_cache_kinds();
	finalized_ = true;
	return 0;
}

// Chains each group's CPUs in ascending order. Walking CPUs downwards, a
// group's leader (its first CPU) comes last, so until then its own slot
// can hold the chain's current head; a node's head lives in node_first_.
void Topology::link_groups()
{
	for (uint32_t i = 0; i < MOS_TOPO_NR_LEVELS * nr_cpu_ids_; i++)
		next_in_group_[i] = kNone;
	for (uint32_t node = 0; node < nr_nodes_; node++)
		node_first_[node] = kNone;
	for (uint32_t cpu = nr_cpu_ids_; cpu-- > 0;) {
		if (!cpus_[cpu].present)
			continue;
		for (uint32_t level = 0; level < MOS_TOPO_NODE; level++) {
			uint32_t *next = &next_in_group_[level * nr_cpu_ids_];
			uint32_t leader = cpus_[cpu].first[level];

			if (leader != cpu) {
				next[cpu] = next[leader];
				next[leader] = cpu;
			}
		}
		uint32_t node = cpus_[cpu].node;
		next_in_group_[MOS_TOPO_NODE * nr_cpu_ids_ + cpu] = node_first_[node];
		node_first_[node] = cpu;
	}
}

void Topology::collect_cache_kinds()
{
	for (uint32_t cpu = 0; cpu < nr_cpu_ids_; cpu++) {
		const CpuRecord &rec = cpus_[cpu];

		for (uint32_t i = 0; rec.present && i < rec.nr_caches; i++) {
			const mos_cache_desc &cache = rec.caches[i];
			uint32_t k = 0;

			while (k < nr_cache_kinds_ && !same_cache_kind(cache_kinds_[k].desc, cache))
				k++;
			if (k == nr_cache_kinds_) {
				if (k == kMaxCacheKinds) {
					more_cache_kinds_ = true;
					continue;
				}
				cache_kinds_[nr_cache_kinds_++] = { cache, 0 };
			}
			cache_kinds_[k].instances += cache.shared_first == cpu;
		}
	}
}

bool Topology::cpu_present(uint32_t cpu) const
{
	return cpu < nr_cpu_ids_ && cpus_[cpu].present;
}

uint32_t Topology::cpu_node(uint32_t cpu) const
{
	return cpu_present(cpu) ? cpus_[cpu].node : kNone;
}

uint32_t Topology::group_of(uint32_t cpu, mos_topo_level level) const
{
	if (!cpu_present(cpu) || level >= MOS_TOPO_NR_LEVELS)
		return kNone;
	if (level == MOS_TOPO_NODE)
		return cpus_[cpu].node;
	return cpus_[cpu].first[level];
}

uint32_t Topology::distance(uint32_t from, uint32_t to) const
{
	if (from >= nr_nodes_ || to >= nr_nodes_)
		return kNone;
	return distance_[from * nr_nodes_ + to];
}

// Counted as CPUs are added: the distance check and the show functions ask
// this for every pair of nodes, and a scan over 8192 CPUs each time took
// seconds without rescheduling.
bool Topology::node_has_cpus(uint32_t node) const
{
	return node < nr_nodes_ && node_cpus_[node] != 0;
}

uint32_t Topology::nr_groups(mos_topo_level level) const
{
	uint32_t count = 0;

	if (level == MOS_TOPO_NODE) {
		for (uint32_t node = 0; node < nr_nodes_; node++)
			count += node_has_cpus(node);
		return count;
	}
	for (uint32_t cpu = 0; cpu < nr_cpu_ids_; cpu++)
		count += group_of(cpu, level) == cpu;
	return count;
}

void Topology::show_cpus(TextBuffer &out) const
{
	out.append_list(nr_cpu_ids_, [&](uint32_t cpu) { return cpus_[cpu].present; });
	out.append("\n");
}

void Topology::show_nodes(TextBuffer &out) const
{
	out.append_list(nr_nodes_, [&](uint32_t node) { return node_has_cpus(node); });
	out.append("\n");
}

void Topology::show_chain(TextBuffer &out, mos_topo_level level, uint32_t first) const
{
	out.append_chain(first, [&](uint32_t cpu) { return next_in_group(level, cpu); });
}

void Topology::show_node_cpus(TextBuffer &out, uint32_t node) const
{
	if (!MOS_WARN_ON(!finalized_) && node < nr_nodes_)
		show_chain(out, MOS_TOPO_NODE, node_first_[node]);
	out.append("\n");
}

void Topology::show_node_distance(TextBuffer &out, uint32_t node) const
{
	bool first = true;

	for (uint32_t to = 0; to < nr_nodes_; to++) {
		if (!node_has_cpus(to))
			continue;
		out.append(first ? "%u" : " %u", distance(node, to));
		first = false;
	}
	out.append("\n");
}

// Groups separated by spaces, each as a CPU list: "0-1 2-3 4-5 6-7".
void Topology::show_groups(TextBuffer &out, mos_topo_level level) const
{
	bool first = true;
	bool by_node = level == MOS_TOPO_NODE;
	uint32_t nr_leaders = by_node ? nr_nodes_ : nr_cpu_ids_;

	if (MOS_WARN_ON(!finalized_))
		nr_leaders = 0;
	for (uint32_t leader = 0; leader < nr_leaders; leader++) {
		uint32_t head = by_node ? node_first_[leader] : leader;

		if (head == kNone || (!by_node && group_of(leader, level) != leader))
			continue;
		if (!first)
			out.append(" ");
		show_chain(out, level, head);
		first = false;
	}
	out.append("\n");
}

// One line per kind of cache: "L2 4096K 16-way 64B line, shared by 2 CPUs,
// 4 instances". What the kernel reports as 0 (unknown: QEMU's arm64 CPUs
// give no sizes) is left out rather than shown as "0K".
void Topology::show_caches(TextBuffer &out) const
{
	if (MOS_WARN_ON(!finalized_))
		return;
	for (uint32_t k = 0; k < nr_cache_kinds_; k++) {
		const mos_cache_desc &kind = cache_kinds_[k].desc;
		uint32_t instances = cache_kinds_[k].instances;

		out.append("L%u%s", kind.level, cache_type_suffix(kind.type));
		if (kind.size_kb)
			out.append(" %uK", kind.size_kb);
		if (kind.ways)
			out.append(" %u-way", kind.ways);
		if (kind.line_size)
			out.append(" %uB line", kind.line_size);
		out.append(", shared by %u CPU%s, %u instance%s\n", kind.shared_count,
			   kind.shared_count == 1 ? "" : "s", instances, instances == 1 ? "" : "s");
	}
	if (more_cache_kinds_)
		out.append("(more kinds of cache than %u)\n", kMaxCacheKinds);
}

// "8 CPUs, 2 nodes, 2 packages, 2 LLC domains, 8 cores"
void Topology::show_summary(TextBuffer &out) const
{
	const struct {
		uint32_t count;
		const char *what;
	} parts[] = {
		{ nr_cpus_, "CPU" },
		{ nr_groups(MOS_TOPO_NODE), "node" },
		{ nr_groups(MOS_TOPO_PACKAGE), "package" },
		{ nr_groups(MOS_TOPO_LLC), "LLC domain" },
		{ nr_groups(MOS_TOPO_SMT), "core" },
	};

	for (const auto &part : parts) {
		out.append("%s%u %s%s", &part == parts ? "" : ", ", part.count, part.what,
			   part.count == 1 ? "" : "s");
	}
	out.append("\n");
}

} // namespace mos

// ---- the C ABI (include/multios/topology.h) --------------------------------

using mos::TextBuffer;
using mos::Topology;

struct mos_topology {};	// opaque to C; really a mos::Topology

static Topology *cast(mos_topology *t)
{
	return reinterpret_cast<Topology *>(t);
}

static const Topology *cast(const mos_topology *t)
{
	return reinterpret_cast<const Topology *>(t);
}

template <typename Show>
static int show_into(char *buf, size_t size, Show show)
{
	TextBuffer out(buf, size);

	show(out);
	return out.result();
}

extern "C" {

mos_topology *mos_topology_create(uint32_t nr_cpu_ids, uint32_t nr_nodes, mos_gfp_t gfp)
{
	return reinterpret_cast<mos_topology *>(Topology::create(nr_cpu_ids, nr_nodes, gfp));
}

void mos_topology_destroy(mos_topology *topo)
{
	if (topo)
		cast(topo)->destroy();
}

int mos_topology_add_cpu(mos_topology *topo, const mos_cpu_desc *desc)
{
	return cast(topo)->add_cpu(*desc);
}

int mos_topology_add_cache(mos_topology *topo, uint32_t cpu, const mos_cache_desc *cache)
{
	return cast(topo)->add_cache(cpu, *cache);
}

int mos_topology_set_distance(mos_topology *topo, uint32_t from, uint32_t to,
			      uint32_t distance)
{
	return cast(topo)->set_distance(from, to, distance);
}

int mos_topology_finalize(mos_topology *topo)
{
	return cast(topo)->finalize();
}

uint32_t mos_topology_nr_cpus(const mos_topology *topo)
{
	return cast(topo)->nr_cpus();
}

uint32_t mos_topology_nr_nodes(const mos_topology *topo)
{
	return cast(topo)->nr_groups(MOS_TOPO_NODE);
}

uint32_t mos_topology_nr_groups(const mos_topology *topo, mos_topo_level level)
{
	return level < MOS_TOPO_NR_LEVELS ? cast(topo)->nr_groups(level) : 0;
}

int32_t mos_topology_cpu_node(const mos_topology *topo, uint32_t cpu)
{
	uint32_t node = cast(topo)->cpu_node(cpu);

	return node == Topology::kNone ? -MOS_EINVAL : static_cast<int32_t>(node);
}

int32_t mos_topology_group_of(const mos_topology *topo, uint32_t cpu, mos_topo_level level)
{
	uint32_t group = cast(topo)->group_of(cpu, level);

	return group == Topology::kNone ? -MOS_EINVAL : static_cast<int32_t>(group);
}

bool mos_topology_node_has_cpus(const mos_topology *topo, uint32_t node)
{
	return cast(topo)->node_has_cpus(node);
}

int32_t mos_topology_distance(const mos_topology *topo, uint32_t from, uint32_t to)
{
	uint32_t d = cast(topo)->distance(from, to);

	return d == Topology::kNone ? -MOS_EINVAL : static_cast<int32_t>(d);
}

int mos_topology_show_cpus(const mos_topology *topo, char *buf, size_t size)
{
	return show_into(buf, size, [&](TextBuffer &out) { cast(topo)->show_cpus(out); });
}

int mos_topology_show_nodes(const mos_topology *topo, char *buf, size_t size)
{
	return show_into(buf, size, [&](TextBuffer &out) { cast(topo)->show_nodes(out); });
}

int mos_topology_show_node_cpus(const mos_topology *topo, uint32_t node, char *buf,
				size_t size)
{
	if (node >= cast(topo)->nr_nodes())
		return -MOS_EINVAL;
	return show_into(buf, size,
			 [&](TextBuffer &out) { cast(topo)->show_node_cpus(out, node); });
}

int mos_topology_show_node_distance(const mos_topology *topo, uint32_t node, char *buf,
				    size_t size)
{
	if (node >= cast(topo)->nr_nodes())
		return -MOS_EINVAL;
	return show_into(buf, size,
			 [&](TextBuffer &out) { cast(topo)->show_node_distance(out, node); });
}

int mos_topology_show_groups(const mos_topology *topo, mos_topo_level level, char *buf,
			     size_t size)
{
	if (level >= MOS_TOPO_NR_LEVELS)
		return -MOS_EINVAL;
	return show_into(buf, size,
			 [&](TextBuffer &out) { cast(topo)->show_groups(out, level); });
}

int mos_topology_show_caches(const mos_topology *topo, char *buf, size_t size)
{
	return show_into(buf, size, [&](TextBuffer &out) { cast(topo)->show_caches(out); });
}

int mos_topology_show_summary(const mos_topology *topo, char *buf, size_t size)
{
	return show_into(buf, size, [&](TextBuffer &out) { cast(topo)->show_summary(out); });
}

const char *mos_topology_level_name(mos_topo_level level)
{
	return level < MOS_TOPO_NR_LEVELS ? mos::kLevelNames[level] : "?";
}

} // extern "C"
