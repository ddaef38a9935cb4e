#!/usr/bin/env python3
"""The benchmark report tools (tools/bench-*-report.py) on crafted inputs:
a failed round (nan) or a line the console cut or spliced is named and
not counted, every table says which statistic it shows and how many
rounds each side counted, rows whose sides differ are marked "!", and the
host report shows the median of Google Benchmark's repetitions. No guest,
no kernel: each case runs a tool on a few lines of text."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOP = os.path.dirname(TOOLS)
SCHED = os.path.join(TOOLS, "bench-sched-report.py")
SWAP = os.path.join(TOOLS, "bench-swap-report.py")
HOST = os.path.join(TOOLS, "bench-swap-host-report.py")


class ToolCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="test_bench_reports.")
        self.addCleanup(shutil.rmtree, self.dir)

    def run_tool(self, tool, text, json_out=True):
        """(exit status, stdout, stderr, the JSON written or None)."""
        src = os.path.join(self.dir, "in")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(self.dir, "out.json")
        args = [sys.executable, tool, src] + ([out] if json_out else [])
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
        doc = None
        if json_out and os.path.exists(out):
            with open(out) as f:
                doc = json.load(f)
        return p.returncode, p.stdout, p.stderr, doc

    def row(self, stdout, first):
        """The table line that starts with the words `first`."""
        rows = [line for line in stdout.splitlines() if line.split()[:len(first)] == first]
        self.assertEqual(len(rows), 1, f"one row {first} in:\n{stdout}")
        return rows[0]


# --- bench-sched-report.py: selftests/sched/bench-sched.sh's lines -------

def sched_lines():
    """Three alternations, two EDF rounds, one balancers boot of two rounds."""
    values = {"pipe_usecs_per_op": ([116.4, 117.0, 120.0], [101.2, 99.3, 100.0]),
              "messaging_sec": ([22.0, 6.45, 5.5], [3.46, 5.12, 4.0]),
              "hackbench_sec": ([14.44, 58.9, 7.0], [9.51, 14.34, 10.0])}
    lines = ["# numa_balancing: 0"]
    for i in range(3):
        for cls, side in (("cfs", 0), ("multios", 1)):
            for name, v in values.items():
                lines.append(f"BENCH {name} {cls} {v[side][i]}")
    lines.append("BENCH edf_cpus 2")
    for misses in (1, 2):
        for policy in ("multios", "deadline"):
            m = misses if policy == "deadline" else 0
            lines.append(f"BENCH edf_u50 {policy} jobs 799 misses {m} max_late_us "
                         f"{1000 * m} setattr_failed 0 migrations 0 shared 0 "
                         f"shared_misses 0")
    lines.append("BENCH bal_nodes 2 cpus 2")
    for msg in (2.28, 2.30):
        lines += [f"BENCH bal_messaging_sec cfs {msg}",
                  "BENCH bal_numa cfs samples 48000 remote 24000 migrations 5 "
                  "seconds 2.256 failed 0",
                  f"BENCH bal_messaging_sec load {msg - 0.02:.2f}",
                  "BENCH bal_numa load samples 48000 remote 23000 migrations 1800 "
                  "seconds 2.272 failed 0",
                  "BENCH bal_cost load moves 10 calls 6000 ns 19614000"]
    return lines


def replace(lines, old, new):
    """lines with the first line that starts with `old` replaced (or dropped)."""
    i = next(i for i, line in enumerate(lines) if line.startswith(old))
    return lines[:i] + ([new] if new is not None else []) + lines[i + 1:]


class SchedReportTest(ToolCase):
    def sched(self, lines):
        return self.run_tool(SCHED, "\n".join(lines) + "\n")

    def test_clean_run_counts_rounds_and_names_its_statistic(self):
        rc, out, err, doc = self.sched(sched_lines())
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        self.assertIn("median of the rounds counted per class", out)
        self.assertIn("sums over the rounds counted", out)
        self.assertIn("messaging s and numa s are medians of the rounds counted", out)
        self.assertNotIn("!", out)
        self.assertTrue(self.row(out, ["messaging_sec"]).endswith(" 3/3"))
        w = doc["workloads"]["messaging_sec"]
        self.assertEqual(w["median_cfs"], 6.45)
        self.assertEqual(w["rounds"], {"cfs": 3, "multios": 3})
        self.assertEqual(w["lost"], {"cfs": 0, "multios": 0})
        self.assertEqual(doc["edf"]["edf_u50"]["deadline"]["misses"], 3)
        self.assertEqual(doc["edf"]["edf_u50"]["deadline"]["rounds"], 2)
        pol = doc["balancers"][0]["policies"]
        self.assertEqual(pol["load"]["rounds"], {"messaging": 2, "numa": 2})
        self.assertEqual(pol["load"]["calls"], 12000)

    def test_nan_round_is_rejected_loudly(self):
        # bench-sched.sh prints nan when perf printed no time.
        rc, out, err, doc = self.sched(replace(sched_lines(), "BENCH messaging_sec cfs 6.45",
                                               "BENCH messaging_sec cfs nan"))
        self.assertEqual(rc, 1)
        self.assertIn("messaging_sec cfs: failed (nan), not counted", err)
        row = self.row(out, ["messaging_sec"])
        self.assertIn(" 2/3  !", row)
        self.assertIn("cfs: 1 lost", row)
        self.assertIn("sides differ", row)
        w = doc["workloads"]["messaging_sec"]
        self.assertEqual(w["cfs"], [22.0, 5.5])
        self.assertEqual(w["median_cfs"], 13.75)  # of the two left, and marked so
        self.assertEqual(w["rounds"]["cfs"], 2)
        self.assertEqual(w["lost"]["cfs"], 1)
        self.assertTrue(w["marked"])
        self.assertNotIn("NaN", json.dumps(doc))

    def test_console_spliced_line_is_not_counted(self):
        lines = replace(sched_lines(), "BENCH hackbench_sec multios 14.34",
                        "BENCH hackbench_sec multios 14.3[  170.123] rcu: INFO: "
                        "rcu_preempt self-detected stall on CPU")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("hackbench_sec multios: cut or spliced with console output", err)
        self.assertIn(" 3/2  ! multios: 1 lost; sides differ", self.row(out, ["hackbench_sec"]))
        self.assertEqual(doc["workloads"]["hackbench_sec"]["multios"], [9.51, 10.0])

    def test_spliced_value_with_extra_words_is_not_counted(self):
        # The number parses, but the line is not the script's: lost.
        lines = replace(sched_lines(), "BENCH pipe_usecs_per_op cfs 117.0",
                        "BENCH pipe_usecs_per_op cfs 117.0 [  3.1] hrtimer: interrupt took")
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn(" 2/3  !", self.row(out, ["pipe_usecs_per_op"]))

    def test_line_after_console_output_is_counted_as_lost(self):
        lines = replace(sched_lines(), "BENCH pipe_usecs_per_op cfs 117.0",
                        "[  170.1] rcu: INFO: rcu_preempt BENCH pipe_usecs_per_op cfs 117.0")
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("spliced after console output", err)
        self.assertIn("cfs: 1 lost", self.row(out, ["pipe_usecs_per_op"]))

    def test_sides_with_different_round_counts_are_marked(self):
        # A boot that ended early: no line lost, one side short.
        lines = replace(sched_lines(), "BENCH pipe_usecs_per_op multios 100.0", None)
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("3/2  ! sides differ", self.row(out, ["pipe_usecs_per_op"]))
        self.assertIn("1 row(s) marked", err)
        self.assertEqual(doc["workloads"]["pipe_usecs_per_op"]["rounds"],
                         {"cfs": 3, "multios": 2})

    def test_missing_edf_line_is_marked(self):
        lines = replace(sched_lines(), "BENCH edf_u50 deadline jobs 799 misses 2", None)
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("policies differ", self.row(out, ["edf_u50", "deadline"]))
        self.assertIn("policies differ", self.row(out, ["edf_u50", "multios"]))
        self.assertEqual(doc["edf"]["edf_u50"]["deadline"]["rounds"], 1)

    def test_cut_edf_line_loses_its_round_not_its_misses_silently(self):
        lines = replace(sched_lines(), "BENCH edf_u50 deadline jobs 799 misses 2",
                        "BENCH edf_u50 deadline jobs 799 misses 2 max_late_us 20[  99.1] rcu")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("edf_u50 deadline: cut or spliced", err)
        row = self.row(out, ["edf_u50", "deadline"])
        self.assertIn("! 1 lost; policies differ", row)
        self.assertEqual(row.split()[2], "1")  # rounds
        self.assertEqual(doc["edf"]["edf_u50"]["deadline"]["lost"], 1)

    def test_failed_edf_tool_is_not_a_round_of_zero_jobs(self):
        lines = replace(sched_lines(), "BENCH edf_u50 multios jobs", "BENCH edf_u50 multios EPERM")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("edf_u50 multios: failed (EPERM)", err)
        self.assertEqual(doc["edf"]["edf_u50"]["multios"]["rounds"], 1)
        self.assertEqual(doc["edf"]["edf_u50"]["multios"]["jobs"], 799)
        lines = replace(sched_lines(), "BENCH edf_u50 multios jobs", "BENCH edf_u50 multios")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("edf_u50 multios: no number", err)

    def test_balancer_nan_and_empty_numa_line(self):
        lines = replace(sched_lines(), "BENCH bal_messaging_sec load 2.26",
                        "BENCH bal_messaging_sec load nan")
        lines = replace(lines, "BENCH bal_numa cfs", "BENCH bal_numa cfs")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("bal_messaging_sec load: failed (nan)", err)
        row = self.row(out, ["load"])
        self.assertIn(" 1/2 ", row)
        self.assertIn("! 1 lost; rounds differ from CFS's", row)
        cfs = self.row(out, ["cfs"])
        self.assertEqual(cfs.split()[1], "2/1")
        self.assertIn("! 1 lost", cfs)
        self.assertIn("bal_numa cfs: no number", err)
        self.assertTrue(doc["balancers"][0]["policies"]["load"]["marked"])


# --- bench-swap-report.py: selftests/swap/swap_bench.c's lines -----------

def swap_line(ds, dev, rep, mem_used=100 << 20, out_s=2.0, **kw):
    r = {"device": dev, "dataset": ds, "rep": rep, "bytes": 128 << 20,
         "mem_used": mem_used, "compr_bytes": mem_used, "huge_pages": 0,
         "out_s": out_s, "in_s": 1.0, "cpu_out_s": 1.5, "cpu_in_s": 1.5,
         "resident_pages": 0, "copies": 0, "bad_pages": 0}
    r.update(kw)
    return "BENCH " + json.dumps(r)


def swap_lines(reps=3):
    return [swap_line(ds, dev, rep, out_s=2.0 + rep / 10)
            for rep in range(1, reps + 1) for ds in ("dup0", "dup15", "dup40", "files")
            for dev in ("zram0", "multios_swap0")]


class SwapReportTest(ToolCase):
    def swap(self, lines):
        return self.run_tool(SWAP, "\n".join(lines) + "\n")

    def test_clean_run_says_medians_of_how_many(self):
        rc, out, err, doc = self.swap(swap_lines())
        self.assertEqual(rc, 0, out + err)
        self.assertIn("3 repetition(s); figures are medians of the repetitions counted", out)
        self.assertEqual(self.row(out, ["dup15", "multios_swap0"]).split()[2], "3")
        self.assertEqual(len(doc), 4)
        self.assertEqual(doc[0]["multios_swap"]["repetitions"], 3)

    def test_nan_in_a_line_is_rejected(self):
        lines = swap_lines()
        lines[3] = lines[3].replace('"out_s": 2.1', '"out_s": nan')
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("malformed line", out)
        lines[3] = lines[3].replace('"out_s": nan', '"out_s": NaN')
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("malformed line", out)

    def test_spliced_line_is_rejected(self):
        lines = swap_lines()
        lines[5] = lines[5][:60] + "[  12.3] rcu: INFO"
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("malformed line", out)

    def test_fewer_repetitions_are_marked(self):
        lines = [x for x in swap_lines() if not ('"dup15"' in x and '"rep": 3' in x)]
        rc, out, _, doc = self.swap(lines)
        self.assertEqual(rc, 1)
        row = self.row(out, ["dup15", "multios_swap0"])
        self.assertEqual(row.split()[2], "2")
        self.assertIn("! 2 of 3 repetitions", row)
        self.assertEqual(doc[1]["zram"]["repetitions"], 2)

    def test_one_side_missing_a_repetition(self):
        lines = [x for x in swap_lines()
                 if not ('"dup40"' in x and '"rep": 2' in x and "multios_swap0" in x)]
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("dup40: missing run", out)

    def test_unreadable_mm_stat_is_not_zero_memory(self):
        lines = swap_lines()
        lines[1] = swap_line("dup0", "multios_swap0", 1, mem_used=None)
        rc, out, _, doc = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("dup0/multios_swap0/rep 1: no mm_stat, memory figures n/a", out)
        row = self.row(out, ["dup0", "multios_swap0"])
        self.assertEqual(row.split()[4:6], ["n/a", "n/a"])
        self.assertIsNone(doc[0]["multios_swap"]["mem_used"])
        self.assertIsNone(doc[0]["vs_zram"]["mem_used"])

    def test_swap_bench_prints_null_when_mm_stat_is_unreadable(self):
        # swap_bench.c and the report agree: without mm_stat the program
        # fails and prints null, and the report reads it as n/a.
        gcc = shutil.which("gcc")
        if not gcc:
            self.skipTest("no gcc")
        exe = os.path.join(self.dir, "swap_bench")
        subprocess.run([gcc, "-O1", "-Wall", "-Werror", "-o", exe,
                        os.path.join(TOP, "selftests/swap/swap_bench.c")], check=True)
        p = subprocess.run([exe, "-d", "dup0", "-m", "1", "-s", self.dir, "-n", "multios_swap0"],
                           capture_output=True, text=True, timeout=60)
        bench = [x for x in p.stdout.splitlines() if x.startswith("BENCH ")]
        if not bench:
            self.skipTest(f"swap_bench could not run here: {p.stderr.strip()}")
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{self.dir}/mm_stat: cannot read", p.stderr)
        r = json.loads(bench[0][6:])
        self.assertIsNone(r["mem_used"])
        lines = [swap_line("dup0", "zram0", 1), bench[0]]
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("no mm_stat", out)


# --- bench-swap-host-report.py: Google Benchmark's JSON ------------------

COUNTERS = {
    "dedup/insert/1024": ("ns/op", "index_B/page", "heap_B/page"),
    "dedup/lookup_hit/1024": ("ns/op", "index_B/page", "heap_B/page"),
    "dedup/lookup_miss/1024": ("ns/op",),
    "page/hash": ("ns/page", "MB/s"),
    "store/lz4/dup0": ("ns/page", "MB/s", "ratio", "huge%", "dedup%", "same%", "pages"),
    "load/lz4/dup0": ("ns/page", "MB/s", "ratio", "huge%", "dedup%", "same%", "pages"),
}


def gb_entry(name, counters, rep=None, reps=1, aggregate=None):
    e = {"name": name if aggregate is None else f"{name}_{aggregate}", "run_name": name,
         "run_type": "iteration" if aggregate is None else "aggregate",
         "repetitions": reps, "threads": 1, "iterations": 10, "real_time": 1.0,
         "cpu_time": 1.0, "time_unit": "ns"}
    if aggregate is None:
        e["repetition_index"] = rep
    else:
        e.update(aggregate_name=aggregate, aggregate_unit="time")
    for key in counters:
        e[key] = counters[key]
    return e


def gb_values(i):
    """Repetition i's counters: insert 900, 500, 300 ns (median 500, mean
    567, last 300), everything else alike."""
    insert = (900e-9, 500e-9, 300e-9)[i % 3]
    base = {"ns/op": 400e-9, "index_B/page": 34.0, "heap_B/page": 82.0,
            "ns/page": 2000e-9, "MB/s": 2000.0, "ratio": 1.33, "huge%": 0.0,
            "dedup%": 0.0, "same%": 0.0, "pages": 8192.0}
    return {name: dict({k: base[k] for k in keys},
                       **({"ns/op": insert} if name == "dedup/insert/1024" else {}))
            for name, keys in COUNTERS.items()}


def gb_doc(reps=3, runs=True, aggregates=True, reps_of=None):
    context = {"date": "2026-11-26T22:08:00+00:00", "num_cpus": 2, "mhz_per_cpu": 2600,
               "load_avg": [0.5, 0.4, 0.3], "library_build_type": "debug"}
    benchmarks = []
    for name in COUNTERS:
        n = (reps_of or {}).get(name, reps)
        vals = [gb_values(i)[name] for i in range(n)]
        if runs:
            benchmarks += [gb_entry(name, v, rep=i, reps=n) for i, v in enumerate(vals)]
        if aggregates and n > 1:
            for agg, f in (("mean", lambda xs: sum(xs) / len(xs)),
                           ("median", lambda xs: sorted(xs)[len(xs) // 2]),
                           ("stddev", lambda xs: 0.0), ("cv", lambda xs: 0.0)):
                benchmarks.append(gb_entry(name, {k: f([v[k] for v in vals]) for k in vals[0]},
                                           reps=n, aggregate=agg))
    return {"context": context, "benchmarks": benchmarks}


class HostReportTest(ToolCase):
    def host(self, doc):
        rc, out, err, _ = self.run_tool(HOST, json.dumps(doc), json_out=False)
        return rc, out, err

    def insert_ns(self, out):
        return float(self.row(out, ["1024"]).split()[1])

    def test_median_aggregate_of_repetitions(self):
        rc, out, err = self.host(gb_doc())
        self.assertEqual(rc, 0, out + err)
        self.assertIn("each figure: the median of 3 repetitions "
                      "(Google Benchmark's _median aggregate)", out)
        self.assertEqual(self.insert_ns(out), 500.0)  # not 300 (the last), not 567 (the mean)
        self.assertIn("framework's own build", out)

    def test_median_computed_without_aggregates(self):
        rc, out, err = self.host(gb_doc(aggregates=False))
        self.assertEqual(rc, 0, out + err)
        self.assertIn("each figure: the median of 3 repetitions (computed here)", out)
        self.assertEqual(self.insert_ns(out), 500.0)

    def test_median_computed_of_even_count(self):
        rc, out, err = self.host(gb_doc(reps=4, aggregates=False))
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.insert_ns(out), 700.0)  # 900 500 300 900: (500 + 900) / 2

    def test_aggregates_only(self):
        # --benchmark_report_aggregates_only=true: no runs in the JSON.
        rc, out, err = self.host(gb_doc(runs=False))
        self.assertEqual(rc, 0, out + err)
        self.assertIn("the median of 3 repetitions", out)
        self.assertEqual(self.insert_ns(out), 500.0)

    def test_one_run_says_so(self):
        rc, out, err = self.host(gb_doc(reps=1))
        self.assertEqual(rc, 0, out + err)
        self.assertIn("each figure: one run (no --benchmark_repetitions", out)
        self.assertEqual(self.insert_ns(out), 900.0)

    def test_fewer_repetitions_are_marked(self):
        rc, out, _ = self.host(gb_doc(reps_of={"store/lz4/dup0": 2}))
        self.assertEqual(rc, 1)
        self.assertIn("the median of its repetitions, 2 to 3", out)
        self.assertIn("! 2 of 3", self.row(out, ["lz4", "dup0"]))
        self.assertNotIn("!", self.row(out, ["1024"]))

    def test_nan_counter_is_an_error(self):
        doc = gb_doc(aggregates=False)
        text = json.dumps(doc).replace('"MB/s": 2000.0', '"MB/s": NaN', 1)
        rc, out, _, _ = self.run_tool(HOST, text, json_out=False)
        self.assertEqual(rc, 1)
        self.assertIn("ERROR page/hash: MB/s is nan", out)

    def test_error_occurred(self):
        doc = gb_doc(reps=1)
        doc["benchmarks"][0].update(error_occurred=True, error_message="wrong entry")
        rc, out, _ = self.host(doc)
        self.assertEqual(rc, 1)
        self.assertIn("ERROR dedup/insert/1024: wrong entry", out)


if __name__ == "__main__":
    unittest.main()
