#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise the swap core's host microbenchmarks (swap_bench's JSON).

    tools/bench-swap-host-report.py BENCH_JSON

BENCH_JSON is Google Benchmark's --benchmark_out of build/host/swap_bench
(modules/swap/bench/). Prints the machine's load when it ran, the dedup
index table (ns per operation, memory per page) and the store/load table
(ns per page, MB/s, compression ratio per algorithm and dataset). Exits 1
if a benchmark reported an error.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    ctx = doc.get("context", {})
    load = ", ".join(f"{x:.2f}" for x in ctx.get("load_avg", []))
    print(f"host: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, "
          f"load average {load or '?'} (at the start), {ctx.get('date', '')}")
    runs, ok = {}, True
    for b in doc.get("benchmarks", []):
        if b.get("error_occurred"):
            print(f"ERROR {b['name']}: {b.get('error_message')}")
            ok = False
            continue
        if b.get("run_type", "iteration") == "iteration":
            runs[b["name"]] = b

    def ns(b, key):
        return b[key] * 1e9 if b and key in b else float("nan")

    sizes = sorted({int(n.split("/")[2]) for n in runs if n.startswith("dedup/")})
    if sizes:
        print("\ndedup index (one thread; equal() is a handle compare)")
        print(f"{'pages':>10} {'insert ns':>10} {'hit ns':>8} {'miss ns':>8} "
              f"{'index B/page':>13} {'heap B/page':>12}")
        for n in sizes:
            ins, hit, miss = (runs.get(f"dedup/{op}/{n}")
                              for op in ("insert", "lookup_hit", "lookup_miss"))
            mem = ins or hit or {}
            print(f"{n:>10} {ns(ins, 'ns/op'):>10.1f} {ns(hit, 'ns/op'):>8.1f} "
                  f"{ns(miss, 'ns/op'):>8.1f} {mem.get('index_B/page', float('nan')):>13.1f} "
                  f"{mem.get('heap_B/page', float('nan')):>12.1f}")

    for name in ("page/same_filled_zero", "page/hash"):
        if name in runs:
            print(f"{name}: {ns(runs[name], 'ns/page'):.0f} ns/page, "
                  f"{runs[name]['MB/s']:.0f} MB/s")

    pairs = sorted({tuple(n.split("/")[1:]) for n in runs if n.startswith(("store/", "load/"))},
                   key=lambda p: (["lz4", "zstd", "deflate"].index(p[0])
                                  if p[0] in ("lz4", "zstd", "deflate") else 9, p[1]))
    if pairs:
        print("\nstore and load per page (one thread; objects in malloc, not zsmalloc)")
        print(f"{'algo':8} {'dataset':9} {'pages':>6} {'store ns':>9} {'MB/s':>7} "
              f"{'load ns':>8} {'MB/s':>7} {'ratio':>6} {'whole%':>7} {'dedup%':>7}")
        for algo, ds in pairs:
            st, ld = runs.get(f"store/{algo}/{ds}"), runs.get(f"load/{algo}/{ds}")
            info = st or ld
            print(f"{algo:8} {ds:9} {info['pages']:6.0f} {ns(st, 'ns/page'):9.0f} "
                  f"{(st or {}).get('MB/s', float('nan')):7.0f} {ns(ld, 'ns/page'):8.0f} "
                  f"{(ld or {}).get('MB/s', float('nan')):7.0f} {info['ratio']:6.2f} "
                  f"{info['huge%']:7.1f} {info['dedup%']:7.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
