// SPDX-License-Identifier: GPL-2.0-only
//
// Host microbenchmarks (Google Benchmark) of multios_swap's C++ core, the
// same code the kernel module runs (modules/swap/core/, through
// include/multios/swap.h), built optimised and without sanitizers:
//
//   page/*         same-filled check and the keyed hash of one page
//   dedup/*/N      the dedup index of a device of N pages: N inserts of
//                  distinct hashes, N lookups that hit, N that miss;
//                  ns/op, and the index's memory per page as the core
//                  reports it (index_B/page) and as the heap grew
//                  (heap_B/page). equal() is a trivial handle compare
//                  here, so this is the index alone.
//   store/ALGO/DS  the shim's write path (same-filled check, hash, dedup
//                  lookup, compress, object, dedup insert, slot), per page
//   load/ALGO/DS   the shim's read path (slot, decompress, checksum)
//
// host_store.h says how the host store differs from the kernel's (no
// zsmalloc: malloc; liblz4/libzstd/zlib for the kernel's compressors).
// Not a test: no timing is checked anywhere. But every benchmark checks
// what it measured (each lookup found what it should, each page read
// back is the page written) and the program exits 1 if one did not, so
// the ctest smoke run (--smoke) catches a broken benchmark.
//
//   swap_bench [--smoke] [--index-pages=N,N...] [--store-pages=N] [--benchmark_*...]
//
// Documentation/dev/swap-bench.rst has the results and how to run it.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "datasets.h"
#include "host_store.h"

using swap_bench::Algorithm;
using swap_bench::Dataset;
using swap_bench::HostStore;

namespace {

constexpr size_t page_size = MOS_SWAP_PAGE_SIZE_4K;	/* the bench measures 4 KiB pages */

struct Config {
	std::vector<uint64_t> index_pages{1ull << 20, 1ull << 24};
	size_t store_pages = 8192;
};

bool any_failed;

void fail(benchmark::State &state, const std::string &what)
{
	any_failed = true;
	state.SkipWithError(what.c_str());
}

/* Seconds per item, printed as ns; and a decimal MB/s rate. */
benchmark::Counter per_item(double items)
{
	return benchmark::Counter(items, benchmark::Counter::kIsIterationInvariantRate |
						 benchmark::Counter::kInvert);
}

benchmark::Counter mb_per_s(double pages)
{
	return benchmark::Counter(pages * page_size / 1e6,
				  benchmark::Counter::kIsIterationInvariantRate);
}

/* Bytes glibc has handed out (main arena plus mmapped blocks). */
size_t heap_in_use()
{
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
}

/* ---- page helpers ---- */

void page_same_filled_zero(benchmark::State &state)
{
	std::vector<uint8_t> page(page_size); /* all zero: the whole page is read */
	uint64_t pattern = 1;
	for (auto _ : state) {
		benchmark::DoNotOptimize(page.data());
		if (!mos_swap_page_same_filled(page.data(), page_size, &pattern) || pattern)
			return fail(state, "a zero page is not same-filled");
	}
	state.counters["ns/page"] = per_item(1);
	state.counters["MB/s"] = mb_per_s(1);
}

void page_hash(benchmark::State &state)
{
	Dataset ds = Dataset::make("random", 1);
	const uint64_t key = 0x6b65792d6d6f7321ull;
	uint64_t first = mos_swap_page_hash(ds.page(0), page_size, key);
	for (auto _ : state) {
		benchmark::DoNotOptimize(ds.page(0));
		if (mos_swap_page_hash(ds.page(0), page_size, key) != first)
			return fail(state, "the hash of one page changed");
	}
	state.counters["ns/page"] = per_item(1);
	state.counters["MB/s"] = mb_per_s(1);
}

/* ---- the dedup index ---- */

/* N distinct hashes in the index, N that are not, and a random lookup order. */
struct IndexKeys {
	std::vector<uint64_t> present, absent;
	std::vector<uint32_t> order;
};

const IndexKeys &keys_for(uint64_t n)
{
	static std::map<uint64_t, std::unique_ptr<IndexKeys>> cache;
	auto &k = cache[n];
	if (!k) {
		k = std::make_unique<IndexKeys>();
		std::mt19937_64 rng(n);
		k->present.resize(n);
		k->absent.resize(n);
		k->order.resize(n);
		for (uint64_t i = 0; i < n; i++) {
			k->present[i] = rng();
			k->absent[i] = rng();
			k->order[i] = uint32_t(i);
		}
		std::shuffle(k->order.begin(), k->order.end(), rng);
	}
	return *k;
}

/* equal(): the object behind hash present[i] has handle i + 1. */
bool handle_is(void *ctx, uint64_t handle, uint32_t)
{
	return handle == *static_cast<uint64_t *>(ctx);
}

constexpr uint32_t object_size = 1000;

/* A full index; entries[i] holds present[i]. */
struct FullIndex {
	mos_swap_dedup *dedup = nullptr;
	std::vector<mos_swap_dedup_entry *> entries;
	size_t heap_bytes = 0;

	/* An empty index for n pages (its buckets); false if it cannot be made. */
	bool create(uint64_t n)
	{
		entries.resize(n); /* the caller's, not the index's: before measuring */
		heap_bytes = heap_in_use();
		return mos_swap_dedup_create(n, page_size, &dedup) == 0;
	}

	/* Inserts every key; false if one did not add a new entry. */
	bool fill(const IndexKeys &keys)
	{
		bool ok = true;
		for (uint64_t i = 0; i < entries.size(); i++) {
			uint64_t handle = i + 1;
			ok &= mos_swap_dedup_insert(dedup, keys.present[i], handle, object_size,
						    handle_is, &handle, &entries[i]) == 0;
		}
		heap_bytes = heap_in_use() - heap_bytes;
		return ok;
	}

	/*
	 * Drops every reference: each entry must go away after exactly
	 * `refs` releases. False if one did not (a reference count error).
	 */
	bool release(uint32_t refs)
	{
		bool ok = true;
		for (mos_swap_dedup_entry *e : entries) {
			for (uint32_t r = 1; r < refs; r++)
				ok &= !mos_swap_dedup_release(dedup, e);
			ok &= mos_swap_dedup_release(dedup, e);
		}
		mos_swap_dedup_destroy(dedup);
		dedup = nullptr;
		entries.clear();
		return ok;
	}

	uint64_t index_bytes() const
	{
		mos_swap_dedup_stats s;
		mos_swap_dedup_get_stats(dedup, &s);
		return s.index_bytes;
	}
};

void memory_counters(benchmark::State &state, const FullIndex &index, uint64_t n)
{
	state.counters["index_B/page"] = double(index.index_bytes()) / double(n);
	state.counters["heap_B/page"] = double(index.heap_bytes) / double(n);
}

void dedup_insert(benchmark::State &state, uint64_t n)
{
	const IndexKeys &keys = keys_for(n);
	for (auto _ : state) {
		state.PauseTiming();
		FullIndex index;
		if (!index.create(n))
			return fail(state, "cannot create the index");
		state.ResumeTiming();
		bool ok = index.fill(keys);
		state.PauseTiming();
		memory_counters(state, index, n);
		ok &= index.release(1);
		state.ResumeTiming();
		if (!ok)
			return fail(state, "an insert did not add exactly one entry");
	}
	state.counters["ns/op"] = per_item(double(n));
}

void dedup_lookup(benchmark::State &state, uint64_t n, bool hit)
{
	const IndexKeys &keys = keys_for(n);
	const std::vector<uint64_t> &look = hit ? keys.present : keys.absent;
	FullIndex index;
	uint64_t wrong = 0;
	uint32_t rounds = 0;

	if (!index.create(n) || !index.fill(keys))
		return fail(state, "filling the index failed");
	memory_counters(state, index, n);
	for (auto _ : state) {
		for (uint32_t i : keys.order) {
			uint64_t handle = i + 1;
			mos_swap_dedup_entry *e =
				mos_swap_dedup_find_get(index.dedup, look[i], handle_is, &handle);
			wrong += e != (hit ? index.entries[i] : nullptr);
		}
		rounds++;
	}
	/* A hit takes a reference: each entry now has 1 + rounds (or 1). */
	if (!index.release(hit ? 1 + rounds : 1) || wrong)
		return fail(state, "lookups found the wrong entries or counted references wrong");
	state.counters["ns/op"] = per_item(double(n));
}

/* ---- the page store ---- */

const Dataset &dataset(const std::string &name, size_t pages)
{
	static std::map<std::string, Dataset> cache;
	auto it = cache.find(name);
	if (it == cache.end())
		it = cache.emplace(name, Dataset::make(name, pages)).first;
	return it->second;
}

void store_counters(benchmark::State &state, const HostStore &store, size_t pages)
{
	swap_bench::StoreStats st = store.stats();
	double p = double(pages);
	state.counters["ratio"] = p * page_size / double(std::max<uint64_t>(store.object_bytes(), 1));
	state.counters["huge%"] = 100.0 * double(st.huge_objects) / p;
	state.counters["dedup%"] = 100.0 * double(st.deduped_pages) / p;
	state.counters["same%"] = 100.0 * double(st.same_pages) / p;
	state.counters["pages"] = p;
}

void store_pages(benchmark::State &state, Algorithm algo, const std::string &name, size_t pages)
{
	const Dataset &ds = dataset(name, pages);
	size_t n = ds.pages();
	if (!n)
		return fail(state, "no pages for dataset " + name);
	HostStore store(n, algo, true);
	for (auto _ : state) {
		int errors = 0;
		for (size_t i = 0; i < n; i++)
			errors += store.write(i, ds.page(i)) != 0;
		state.PauseTiming();
		store_counters(state, store, n);
		for (size_t i = 0; i < n; i++)
			store.free(i);
		state.ResumeTiming();
		if (errors)
			return fail(state, "a write failed");
	}
	state.counters["ns/page"] = per_item(double(n));
	state.counters["MB/s"] = mb_per_s(double(n));
}

void load_pages(benchmark::State &state, Algorithm algo, const std::string &name, size_t pages)
{
	const Dataset &ds = dataset(name, pages);
	size_t n = ds.pages();
	if (!n)
		return fail(state, "no pages for dataset " + name);
	HostStore store(n, algo, true);
	std::vector<uint8_t> page(page_size);
	for (size_t i = 0; i < n; i++) {
		if (store.write(i, ds.page(i)) || store.read(i, page.data()) ||
		    memcmp(page.data(), ds.page(i), page_size))
			return fail(state, "page " + std::to_string(i) + " did not come back");
	}
	store_counters(state, store, n);
	for (auto _ : state) {
		int errors = 0;
		for (size_t i = 0; i < n; i++) {
			errors += store.read(i, page.data()) != 0;
			benchmark::DoNotOptimize(page.data());
			benchmark::ClobberMemory();
		}
		if (errors)
			return fail(state, "a read failed");
	}
	state.counters["ns/page"] = per_item(double(n));
	state.counters["MB/s"] = mb_per_s(double(n));
}

/* ---- registration ---- */

std::vector<uint64_t> parse_list(const char *s)
{
	std::vector<uint64_t> out;
	for (char *end; *s; s = *end ? end + 1 : end) {
		out.push_back(strtoull(s, &end, 0));
		if (end == s)
			return {};
	}
	return out;
}

/* Takes our own options out of argv; false on a bad one. */
bool parse_args(int *argc, char **argv, Config *cfg)
{
	int kept = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--smoke")) {
			cfg->index_pages = {4096};
			cfg->store_pages = 64;
		} else if (!strncmp(a, "--index-pages=", 14)) {
			cfg->index_pages = parse_list(a + 14);
			if (cfg->index_pages.empty())
				return false;
		} else if (!strncmp(a, "--store-pages=", 14)) {
			cfg->store_pages = strtoull(a + 14, nullptr, 0);
			if (!cfg->store_pages)
				return false;
		} else {
			argv[kept++] = argv[i];
		}
	}
	*argc = kept;
	return true;
}

void register_all(const Config &cfg)
{
	benchmark::RegisterBenchmark("page/same_filled_zero", page_same_filled_zero);
	benchmark::RegisterBenchmark("page/hash", page_hash);

	for (uint64_t n : cfg.index_pages) {
		std::string suffix = "/" + std::to_string(n);
		benchmark::RegisterBenchmark(("dedup/insert" + suffix).c_str(), dedup_insert, n)
			->Unit(benchmark::kMillisecond);
		benchmark::RegisterBenchmark(("dedup/lookup_hit" + suffix).c_str(), dedup_lookup, n,
					     true)
			->Unit(benchmark::kMillisecond);
		benchmark::RegisterBenchmark(("dedup/lookup_miss" + suffix).c_str(), dedup_lookup,
					     n, false)
			->Unit(benchmark::kMillisecond);
	}

	for (Algorithm algo : {Algorithm::Lz4, Algorithm::Zstd, Algorithm::Deflate}) {
		for (const std::string &ds : Dataset::names()) {
			std::string suffix = std::string("/") + swap_bench::algorithm_name(algo) + "/" + ds;
			benchmark::RegisterBenchmark(("store" + suffix).c_str(), store_pages, algo, ds,
						     cfg.store_pages)
				->Unit(benchmark::kMillisecond);
			benchmark::RegisterBenchmark(("load" + suffix).c_str(), load_pages, algo, ds,
						     cfg.store_pages)
				->Unit(benchmark::kMillisecond);
		}
	}
}

} // namespace

int main(int argc, char **argv)
{
	Config cfg;
	if (!parse_args(&argc, argv, &cfg)) {
		fprintf(stderr, "usage: %s [--smoke] [--index-pages=N,N...] [--store-pages=N] "
				"[--benchmark_*...]\n", argv[0]);
		return 2;
	}
	register_all(cfg);
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 2;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	if (any_failed)
		fprintf(stderr, "swap_bench: a benchmark failed its own checks (see above)\n");
	return any_failed ? 1 : 0;
}
