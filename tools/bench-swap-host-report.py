#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise the swap core's host microbenchmarks (swap_bench's JSON).

    tools/bench-swap-host-report.py BENCH_JSON

BENCH_JSON is Google Benchmark's --benchmark_out of build/host-bench/
swap_bench (modules/swap/bench/). Prints the machine's load when it ran,
the dedup index table (ns per operation, memory per page) and the
store/load table (ns per page, MB/s, compression ratio per algorithm and
dataset). With --benchmark_repetitions=N every figure is the median of
the N repetitions (Google Benchmark's "_median" aggregate when the JSON
has it, else computed here), and the header says so; a benchmark with
fewer repetitions than the others, or than planned (the "repetitions"
Google Benchmark writes in each entry), is marked "!". Exits 1 if a
benchmark reported an error, a figure is not a number, or a row is marked.
"""
import json
import math
import statistics
import sys


def median(vals):
    """The median, or NaN if one of them is not a finite number."""
    if all(math.isfinite(v) for v in vals):
        return statistics.median(vals)
    return float("nan")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1]) as f:
            # Google Benchmark writes a NaN counter as NaN: a float here,
            # and an error where a figure uses it.
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"bench-swap-host-report: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    ctx = doc.get("context", {})
    load = ", ".join(f"{x:.2f}" for x in ctx.get("load_avg", []))
    print(f"host: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, "
          f"load average {load or '?'} (at the start), {ctx.get('date', '')}")
    if ctx.get("library_build_type") == "debug":
        print("(libbenchmark calls itself a DEBUG build: that is the framework's own "
              "build, not the code timed)")
    # Per benchmark: its repetitions and Google Benchmark's own median.
    reps, medians, planned, ok = {}, {}, {}, True
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        n = b.get("repetitions")
        if isinstance(n, int) and not isinstance(n, bool):
            planned[name] = max(planned.get(name, 0), n)
        if b.get("error_occurred"):
            print(f"ERROR {b['name']}: {b.get('error_message')}")
            ok = False
            continue
        kind = b.get("run_type", "iteration")
        if kind == "iteration":
            reps.setdefault(name, []).append(b)
        elif kind == "aggregate" and b.get("aggregate_name") == "median":
            medians[name] = b

    runs, counts, source = {}, {}, set()
    for name in sorted(set(reps) | set(medians)):
        if name in medians:
            # What Google Benchmark computed, over all of them (also when
            # --benchmark_report_aggregates_only left the runs out).
            runs[name] = medians[name]
            counts[name] = medians[name].get("repetitions", len(reps.get(name, [])))
            source.add("Google Benchmark's _median aggregate")
            continue
        rs = reps[name]
        counts[name] = len(rs)
        if len(rs) == 1:
            runs[name] = rs[0]
            continue
        m = {}
        for key in set.intersection(*(set(r) for r in rs)):
            vals = [r[key] for r in rs]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
                m[key] = median(vals)
            else:
                m[key] = vals[-1]
        runs[name] = m
        source.add("computed here")
    ns = sorted(set(counts.values()))
    if ns == [1]:
        print("each figure: one run (no --benchmark_repetitions; "
              "BENCH_HOST_ARGS=--benchmark_repetitions=N gives medians of N)")
    elif len(ns) == 1:
        print(f"each figure: the median of {ns[0]} repetitions ({', '.join(sorted(source))})")
    elif ns:
        print(f"each figure: the median of its repetitions, {ns[0]} to {ns[-1]} "
              f"({', '.join(sorted(source))}); rows marked ! have fewer than {ns[-1]}")
    most = ns[-1] if ns else 0
    want = {name: max(most, planned.get(name, 0)) for name in counts}
    short = {name for name, c in counts.items() if c < want[name]}
    if short:
        ok = False
    below_plan = sorted(name for name in short if counts[name] < planned.get(name, 0))
    if below_plan:
        print(f"! {len(below_plan)} benchmark(s) ran fewer repetitions than planned "
              f"(--benchmark_repetitions): {', '.join(below_plan)}")

    def mark(*names):
        return "  ! " + ", ".join(f"{counts[x]} of {want[x]}" for x in names if x in short) \
            if any(x in short for x in names) else ""

    def fig(b, key, scale=1.0):
        nonlocal ok
        if not b or key not in b:
            return float("nan")
        v = b[key]
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            print(f"ERROR {b.get('name', '?')}: {key} is {v!r}")
            ok = False
            return float("nan")
        return v * scale

    sizes = sorted({int(n.split("/")[2]) for n in runs if n.startswith("dedup/")})
    if sizes:
        print("\ndedup index (one thread; equal() is a handle compare)")
        print(f"{'pages':>10} {'insert ns':>10} {'hit ns':>8} {'miss ns':>8} "
              f"{'index B/page':>13} {'heap B/page':>12}")
        for size in sizes:
            names = [f"dedup/{op}/{size}" for op in ("insert", "lookup_hit", "lookup_miss")]
            ins, hit, miss = (runs.get(x) for x in names)
            mem = ins or hit or {}
            print(f"{size:>10} {fig(ins, 'ns/op', 1e9):>10.1f} {fig(hit, 'ns/op', 1e9):>8.1f} "
                  f"{fig(miss, 'ns/op', 1e9):>8.1f} {fig(mem, 'index_B/page'):>13.1f} "
                  f"{fig(mem, 'heap_B/page'):>12.1f}{mark(*names)}")

    for name in ("page/same_filled_zero", "page/hash"):
        if name in runs:
            print(f"{name}: {fig(runs[name], 'ns/page', 1e9):.0f} ns/page, "
                  f"{fig(runs[name], 'MB/s'):.0f} MB/s{mark(name)}")

    pairs = sorted({tuple(n.split("/")[1:]) for n in runs if n.startswith(("store/", "load/"))},
                   key=lambda p: (["lz4", "zstd", "deflate"].index(p[0])
                                  if p[0] in ("lz4", "zstd", "deflate") else 9, p[1]))
    if pairs:
        print("\nstore and load per page (one thread; objects in malloc, not zsmalloc)")
        print(f"{'algo':8} {'dataset':9} {'pages':>6} {'store ns':>9} {'MB/s':>7} "
              f"{'load ns':>8} {'MB/s':>7} {'ratio':>6} {'whole%':>7} {'dedup%':>7}")
        for algo, ds in pairs:
            names = [f"store/{algo}/{ds}", f"load/{algo}/{ds}"]
            st, ld = (runs.get(x) for x in names)
            info = st or ld
            print(f"{algo:8} {ds:9} {fig(info, 'pages'):6.0f} {fig(st, 'ns/page', 1e9):9.0f} "
                  f"{fig(st, 'MB/s'):7.0f} {fig(ld, 'ns/page', 1e9):8.0f} "
                  f"{fig(ld, 'MB/s'):7.0f} {fig(info, 'ratio'):6.2f} "
                  f"{fig(info, 'huge%'):7.1f} {fig(info, 'dedup%'):7.1f}{mark(*names)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
