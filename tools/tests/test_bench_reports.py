#!/usr/bin/env python3
"""The benchmark report tools (tools/bench-*-report.py) on crafted inputs:
a failed round (nan) or a line the console cut or spliced is named and
not counted, every table says which statistic it shows and how many
rounds each side counted, rows whose sides differ or that have fewer
rounds than the guest script planned are marked "!", a line with BENCH
anywhere in it is never skipped, a lost boot separator marks its table,
and the host report shows the median of Google Benchmark's repetitions.
The guest scripts print their plan first, and bench-sched.sh's round()
turns a class it could not switch to into lost rounds (run here with
stub insmod, rmmod, lsmod, perf and hackbench; nothing is loaded).
swap_bench.c is built as the Makefile builds it, and must build and run.
No guest, no kernel: each case runs a tool on a few lines of text."""
import json
import os
import re
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
SCRIPTS = {"sched": os.path.join(TOP, "selftests/sched/bench-sched.sh"),
           "balancers": os.path.join(TOP, "selftests/sched/bench-balancers.sh"),
           "swap": os.path.join(TOP, "selftests/swap/bench-swap.sh")}
# The guest runs the scripts under dash: so do these tests, where it is.
SH = shutil.which("dash") or "sh"


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

SCHED_PLAN = ("BENCH plan rounds 3 workloads pipe_usecs_per_op,messaging_sec,hackbench_sec "
              "edf_rounds 2 edf_sets edf_u50")


def bal_lines(boot="5f3a9c01", nodes=2, plan=True):
    """One balancers boot of two rounds, as bench-balancers.sh prints it."""
    tail = f" boot {boot}" if boot else ""
    lines = [f"BENCH bal_nodes {nodes} cpus {nodes}"
             + (" rounds 2 policies cfs,load" if plan else "") + tail]
    for msg in (2.28, 2.30):
        lines += [f"BENCH bal_messaging_sec cfs {msg}{tail}",
                  "BENCH bal_numa cfs samples 48000 remote 24000 migrations 5 "
                  f"seconds 2.256 failed 0{tail}",
                  f"BENCH bal_messaging_sec load {msg - 0.02:.2f}{tail}",
                  "BENCH bal_numa load samples 48000 remote 23000 migrations 1800 "
                  f"seconds 2.272 failed 0{tail}",
                  f"BENCH bal_cost load moves 10 calls 6000 ns 19614000{tail}"]
    return lines


def sched_lines():
    """The plan, three alternations, two EDF rounds, one balancers boot of
    two rounds."""
    values = {"pipe_usecs_per_op": ([116.4, 117.0, 120.0], [101.2, 99.3, 100.0]),
              "messaging_sec": ([22.0, 6.45, 5.5], [3.46, 5.12, 4.0]),
              "hackbench_sec": ([14.44, 58.9, 7.0], [9.51, 14.34, 10.0])}
    lines = [SCHED_PLAN, "# numa_balancing: 0"]
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
    return lines + bal_lines()


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

    def test_an_edf_set_with_a_refused_task_is_a_lost_round(self):
        # The tool prints its counts even when admission refused a task:
        # fewer tasks miss less, so such a set must not count.
        lines = [line.replace("setattr_failed 0", "setattr_failed 1", 1)
                 if line.startswith("BENCH edf_u50 multios") else line
                 for line in sched_lines()]
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("edf_u50 multios: setattr failed for 1 task(s)", err)
        self.assertEqual(doc["edf"]["edf_u50"]["multios"]["rounds"], 0)

    def test_failed_numa_workers_mark_their_row(self):
        lines = replace(sched_lines(), "BENCH bal_numa load samples",
                        "BENCH bal_numa load samples 48000 remote 23000 migrations 1800 "
                        "seconds 2.272 failed 2 boot 5f3a9c01")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("2 NUMA workers failed", self.row(out, ["load"]))

    def test_balancer_nan_and_empty_numa_line(self):
        lines = replace(sched_lines(), "BENCH bal_messaging_sec load 2.26",
                        "BENCH bal_messaging_sec load nan boot 5f3a9c01")
        lines = replace(lines, "BENCH bal_numa cfs", "BENCH bal_numa cfs boot 5f3a9c01")
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


    # -- B2: the plan: rounds that never ran are rounds lost ----------------

    def test_boot_cut_short_is_fewer_rounds_than_planned(self):
        # The guest timed out after round 2 of 3: both sides 2/2, no line lost.
        lines = [x for x in sched_lines() if not re.match(
            r"BENCH \w+ (cfs|multios) (120\.0|100\.0|5\.5|4\.0|7\.0|10\.0)$", x)]
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1, out + err)
        for name in ("pipe_usecs_per_op", "messaging_sec", "hackbench_sec"):
            row = self.row(out, [name])
            self.assertIn(" 2/2  ! fewer than the 3 rounds planned", row)
            self.assertEqual(doc["workloads"][name]["planned"], 3)
            self.assertTrue(doc["workloads"][name]["marked"])
        self.assertIn("3 row(s) marked", err)

    def test_workload_and_edf_set_that_never_ran_have_rows(self):
        lines = [SCHED_PLAN.replace("hackbench_sec", "hackbench_sec,numa_sec")
                 .replace("edf_u50", "edf_u50,edf_u90")] + sched_lines()[1:]
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("0/0  ! fewer than the 3 rounds planned", self.row(out, ["numa_sec"]))
        for policy in ("multios", "deadline"):
            row = self.row(out, ["edf_u90", policy])
            self.assertEqual(row.split()[2], "0")
            self.assertIn("fewer than the 2 rounds planned", row)
        self.assertEqual(doc["edf"]["edf_u90"]["deadline"]["rounds"], 0)
        self.assertNotIn("!", self.row(out, ["edf_u50", "deadline"]))

    def test_edf_round_lost_for_both_policies_is_marked(self):
        # The boot ended after EDF round 1 of 2: both policies 1, alike.
        lines = replace(sched_lines(), "BENCH edf_u50 multios jobs 799 misses 0", None)
        lines = replace(lines, "BENCH edf_u50 multios jobs 799 misses 0", None)
        lines.insert(lines.index("BENCH edf_cpus 2") + 1,
                     "BENCH edf_u50 multios jobs 799 misses 0 max_late_us 0")
        lines = replace(lines, "BENCH edf_u50 deadline jobs 799 misses 2", None)
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1, out + err)
        for policy in ("multios", "deadline"):
            row = self.row(out, ["edf_u50", policy])
            self.assertEqual(row.split()[2], "1")
            self.assertIn("! fewer than the 2 rounds planned", row)
            self.assertNotIn("policies differ", row)

    def test_missing_plan_line_is_reported_and_marked(self):
        rc, out, err, doc = self.sched(sched_lines()[1:])
        self.assertEqual(rc, 1)
        self.assertIn('no usable "BENCH plan" line', err)
        self.assertIn("3/3  ! no plan", self.row(out, ["messaging_sec"]))
        self.assertIn("! no plan", self.row(out, ["edf_u50", "multios"]))
        self.assertIsNone(doc["plan"])
        self.assertIsNone(doc["workloads"]["messaging_sec"]["planned"])

    def test_cut_plan_line_is_lost(self):
        lines = replace(sched_lines(), "BENCH plan", "BENCH plan rounds 3 workloads pipe_us")
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("plan: cut or spliced, not counted", err)
        self.assertIn("! no plan", self.row(out, ["messaging_sec"]))

    def test_plan_of_a_second_boot_is_reported(self):
        rc, out, err, _ = self.sched(sched_lines() + [SCHED_PLAN])
        self.assertEqual(rc, 1)
        self.assertIn("a second plan line", err)

    def test_balancers_boot_cut_short_is_fewer_rounds_than_planned(self):
        lines = sched_lines()[:-5]  # the balancers' second round never ran
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1, out + err)
        for policy in ("cfs", "load"):
            row = self.row(out, [policy])
            self.assertEqual(row.split()[1], "1/1")
            self.assertIn("! fewer than the 2 rounds planned", row)
        self.assertEqual(doc["balancers"][0]["plan"], {"rounds": 2, "policies": ["cfs", "load"]})
        self.assertTrue(doc["balancers"][0]["marked"])

    def test_balancers_policy_that_never_ran_has_a_row(self):
        lines = replace(sched_lines(), "BENCH bal_nodes",
                        "BENCH bal_nodes 2 cpus 2 rounds 2 policies cfs,load,numa boot 5f3a9c01")
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("0/0", self.row(out, ["numa"]))
        self.assertIn("fewer than the 2 rounds planned", self.row(out, ["numa"]))

    def test_balancers_boot_without_plan_is_marked(self):
        # An older bench-balancers.sh: bal_nodes without the plan.
        lines = sched_lines()[:-11] + bal_lines(plan=False)
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("! its bal_nodes line has no plan", out)
        self.assertIn("! no plan", self.row(out, ["load"]))
        self.assertIsNone(doc["balancers"][0]["plan"])
        self.assertTrue(doc["balancers"][0]["marked"])

    # -- B3: a lost or spliced boot separator ------------------------------

    def two_boots(self):
        return sched_lines() + bal_lines(boot="77e0c4d2", nodes=8)

    def test_two_balancers_boots_two_clean_tables(self):
        rc, out, err, doc = self.sched(self.two_boots())
        self.assertEqual(rc, 0, out + err)
        self.assertEqual([b["topology"] for b in doc["balancers"]],
                         ["2 nodes, 2 CPUs", "8 nodes, 8 CPUs"])
        self.assertEqual([b["boot"] for b in doc["balancers"]], ["5f3a9c01", "77e0c4d2"])

    def test_lost_boot_separator_marks_a_table_of_its_own(self):
        lines = replace(self.two_boots(), "BENCH bal_nodes 8 cpus 8", None)
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertEqual(len(doc["balancers"]), 2)
        first, second = doc["balancers"]
        self.assertFalse(first["marked"])
        self.assertEqual(first["policies"]["load"]["rounds"], {"messaging": 2, "numa": 2})
        self.assertTrue(second["marked"])
        self.assertIn("no bal_nodes line", second["problems"][0])
        self.assertEqual(second["boot"], "77e0c4d2")
        self.assertIn("! no bal_nodes line", out)

    def test_spliced_boot_separator_marks_its_table(self):
        lines = replace(self.two_boots(), "BENCH bal_nodes 8 cpus 8",
                        "[   3.2] random: crng init doneBENCH bal_nodes 8 cpus 8 rounds 2 "
                        "policies cfs,load boot 77e0c4d2")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("bal_nodes: spliced after console output", err)
        self.assertEqual(len(doc["balancers"]), 2)
        self.assertFalse(doc["balancers"][0]["marked"])
        self.assertIn("cut or spliced", doc["balancers"][1]["problems"][0])
        self.assertEqual(doc["balancers"][1]["policies"]["load"]["rounds"],
                         {"messaging": 2, "numa": 2})

    def test_cut_boot_separator_marks_its_table(self):
        lines = replace(self.two_boots(), "BENCH bal_nodes 8 cpus 8",
                        "BENCH bal_nodes 8 cpus 8 rounds 2 poli[  3.3] virtio_net")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("bal_nodes: cut or spliced", err)
        self.assertEqual(len(doc["balancers"]), 2)
        self.assertTrue(doc["balancers"][1]["marked"])
        self.assertEqual(doc["balancers"][1]["boot"], "77e0c4d2")

    def test_lost_separator_without_boot_ids_shows_as_more_rounds_than_planned(self):
        # Lines without boot IDs merge, but the plan says 2 rounds, not 4.
        lines = (sched_lines()[:-11] + bal_lines(boot=None)
                 + bal_lines(boot=None, nodes=8)[1:])
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        row = self.row(out, ["load"])
        self.assertEqual(row.split()[1], "4/4")
        self.assertIn("more than the 2 rounds planned", row)

    def test_line_without_boot_id_in_a_boot_that_has_them_is_lost(self):
        lines = replace(sched_lines(), "BENCH bal_messaging_sec load 2.28",
                        "BENCH bal_messaging_sec load 2.28")
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("bal_messaging_sec load: cut (no boot ID)", err)
        self.assertIn("1 lost", self.row(out, ["load"]))

    # -- B4: no line with BENCH in it is skipped ---------------------------

    def test_bench_glued_to_console_output_is_lost_not_skipped(self):
        lines = replace(sched_lines(), "BENCH messaging_sec cfs 5.5",
                        "[  170.1] random: crng init doneBENCH messaging_sec cfs 5.5")
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("messaging_sec cfs: spliced after console output", err)
        self.assertIn("cfs: 1 lost", self.row(out, ["messaging_sec"]))
        self.assertEqual(doc["workloads"]["messaging_sec"]["lost"]["cfs"], 1)

    def test_two_bench_lines_on_one_line_are_both_lost(self):
        lines = replace(sched_lines(), "BENCH pipe_usecs_per_op cfs 117.0",
                        "BENCH pipe_usecs_per_op cfs 117.0BENCH messaging_sec cfs 6.45")
        lines = replace(lines, "BENCH messaging_sec cfs 6.45", None)
        rc, out, err, doc = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("cfs: 1 lost", self.row(out, ["pipe_usecs_per_op"]))
        self.assertIn("cfs: 1 lost", self.row(out, ["messaging_sec"]))
        self.assertIn("2 line(s) not counted", err)

    def test_bench_glued_at_its_own_start_is_lost(self):
        lines = sched_lines() + ["BENCHmessaging_sec cfs 5.5"]
        rc, out, err, _ = self.sched(lines)
        self.assertEqual(rc, 1)
        self.assertIn("a BENCH line: spliced after console output", err)


# --- the guest scripts: their plan, and B1's lost round ------------------

def script_prefix(script, until):
    """The script's lines up to the first that contains `until`, with its
    continuation lines: what runs before it prints that line."""
    with open(script) as f:
        lines = f.read().splitlines()
    i = next((i for i, line in enumerate(lines) if until in line and not line.startswith("#")),
             None)
    if i is None:
        raise AssertionError(f"{script}: no line with {until!r}")
    while lines[i].endswith("\\"):
        i += 1
    return "\n".join(lines[:i + 1]) + "\n"


def shell_function(script, name):
    """The text of the function NAME() of a script, or None."""
    with open(script) as f:
        m = re.search(rf"^{name}\(\) \{{.*?^\}}$", f.read(), re.S | re.M)
    return m.group(0) if m else None


class GuestScriptTest(ToolCase):
    def sh(self, text, *args, env=None):
        src = os.path.join(self.dir, "t.sh")
        with open(src, "w") as f:
            f.write(text)
        return subprocess.run([SH, src] + list(args), capture_output=True, text=True,
                              timeout=60, env=env, cwd=self.dir)

    def test_each_script_prints_its_plan_first(self):
        # What each script runs before its plan line prints that line only.
        p = self.sh(script_prefix(SCRIPTS["sched"], "BENCH plan"), "/m", "/tool")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "BENCH plan rounds 3 workloads pipe_usecs_per_op,"
                         "messaging_sec,hackbench_sec edf_rounds 3 edf_sets "
                         "edf_u50,edf_u70,edf_u90\n")
        p = self.sh(script_prefix(SCRIPTS["balancers"], "bench bal_nodes"), "/m", "/tool")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"^BENCH bal_nodes \d+ cpus \d+ rounds 2 policies "
                         r"cfs,load,numa,cache,learned boot [A-Za-z0-9_-]+\n$")
        p = self.sh(script_prefix(SCRIPTS["swap"], 'BENCH {\\"plan'), "/m", "/b", "128", "lz4",
                    "3")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("BENCH "), p.stdout)
        self.assertEqual(json.loads(p.stdout[6:]), {"plan": {
            "repetitions": 3, "datasets": ["dup0", "dup15", "dup40", "files"]}})
        p = self.sh(script_prefix(SCRIPTS["swap"], 'BENCH {\\"plan'), "/m", "/b", "128", "lz4",
                    "x")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")

    def balancers_loop_orders(self):
        with open(SCRIPTS["balancers"]) as f:
            text = f.read()
        m = re.search(r'^order_1="([^"]*)" order_2="([^"]*)" rounds=(\d+)$', text, re.M)
        self.assertIsNotNone(m, "bench-balancers.sh: no order_1, order_2, rounds")
        self.assertEqual(int(m.group(3)), 2)
        self.assertEqual(sorted(m.group(1).split()), sorted(m.group(2).split()))
        self.assertIn('for order in "$order_1" "$order_2"; do', text)

    def test_balancers_plan_matches_its_loop(self):
        self.balancers_loop_orders()

    def stubs(self, insmod=0, loaded=False, rmmod=0):
        """PATH with insmod, rmmod, lsmod, perf and hackbench that touch
        nothing: the functions under test run on this host."""
        d = os.path.join(self.dir, "bin")
        os.makedirs(d, exist_ok=True)
        stubs = {
            "insmod": f"exit {insmod}",
            "rmmod": f"exit {rmmod}",
            "lsmod": "echo 'Module Size Used by'" + (
                "; echo 'multios_sched 1000 0'" if loaded else ""),
            "perf": 'case $3 in pipe) echo "   12.500 usecs/op" ;; '
                    'messaging) echo "     Total time: 3.000 [sec]" ;; esac',
            "hackbench": 'echo "Time: 4.000"',
        }
        for name, body in stubs.items():
            path = os.path.join(d, name)
            with open(path, "w") as f:
                f.write(f"#!/bin/sh\n{body}\n")
            os.chmod(path, 0o755)
        return dict(os.environ, PATH=f"{d}:/usr/bin:/bin")

    def rounds(self, env, knobs, classes=("cfs", "multios")):
        """bench-sched.sh's round() for each class, with its own class(),
        workload() and workload list; (its output, stderr, status)."""
        funcs = [shell_function(SCRIPTS["sched"], n) for n in ("class", "workload", "round")]
        self.assertNotIn(None, funcs, "bench-sched.sh: no class(), workload() or round()")
        with open(SCRIPTS["sched"]) as f:
            names = re.search(r'^workload_names="([^"]*)"$', f.read(), re.M)
        self.assertIsNotNone(names, "bench-sched.sh: no workload_names")
        text = "\n".join(["set -u", f"mods={self.dir}/mods knobs={knobs} status=0",
                          f'workload_names="{names.group(1)}"'] + funcs
                         + [f"round {c}" for c in classes] + ['echo "status $status"'])
        p = self.sh(text, env=env)
        return p.stdout, p.stderr, p.stdout.splitlines()[-1]

    def test_round_in_the_class_when_the_switch_works(self):
        knobs = os.path.join(self.dir, "knobs")
        os.makedirs(knobs)
        out, err, status = self.rounds(self.stubs(), knobs)
        self.assertEqual(status, "status 0", out + err)
        self.assertIn("BENCH pipe_usecs_per_op multios 12.500", out)
        self.assertIn("BENCH messaging_sec cfs 3.000", out)
        self.assertIn("BENCH hackbench_sec multios 4.000", out)
        with open(os.path.join(knobs, "switch_all")) as f:
            self.assertEqual(f.read(), "1\n")

    def test_failed_insmod_loses_the_round_not_labels_cfs_as_multios(self):
        # B1: insmod fails; the workloads must not run under CFS as multios.
        out, err, status = self.rounds(self.stubs(insmod=1), os.path.join(self.dir, "knobs"))
        self.assertEqual(status, "status 1")
        self.assertIn("cannot switch to multios", err)
        bench = [x for x in out.splitlines() if x.startswith("BENCH ")]
        self.assertEqual([x for x in bench if " multios " in x],
                         ["BENCH pipe_usecs_per_op multios ESWITCH",
                          "BENCH messaging_sec multios ESWITCH",
                          "BENCH hackbench_sec multios ESWITCH"])
        self.assertIn("BENCH pipe_usecs_per_op cfs 12.500", bench)
        # ... which the report counts as lost rounds of the class.
        lines = [SCHED_PLAN.replace("rounds 3", "rounds 1")] + bench
        rc, rout, rerr, doc = self.run_tool(SCHED, "\n".join(lines) + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("messaging_sec multios: failed (ESWITCH), not counted", rerr)
        self.assertIn("1/0  ! multios: 1 lost", self.row(rout, ["messaging_sec"]))

    def test_switch_all_that_cannot_be_written_loses_the_round(self):
        # The module loaded but its knob is not there (or refused the 1).
        out, err, status = self.rounds(self.stubs(), os.path.join(self.dir, "no-knobs"),
                                       classes=("multios",))
        self.assertEqual(status, "status 1")
        self.assertNotRegex(out, r"BENCH \w+ multios [0-9]")
        self.assertIn("BENCH messaging_sec multios ESWITCH", out)

    def test_failed_rmmod_loses_the_cfs_round(self):
        out, err, status = self.rounds(self.stubs(loaded=True, rmmod=1),
                                       os.path.join(self.dir, "knobs"), classes=("cfs",))
        self.assertEqual(status, "status 1")
        self.assertIn("cannot switch to cfs", err)
        self.assertNotRegex(out, r"BENCH \w+ cfs [0-9]")
        self.assertIn("BENCH hackbench_sec cfs ESWITCH", out)

    def test_scripts_pass_sh_n(self):
        for script in SCRIPTS.values():
            p = subprocess.run([SH, "-n", script], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, f"{script}: {p.stderr}")


# --- bench-swap-report.py: selftests/swap/swap_bench.c's lines -----------

def swap_line(ds, dev, rep, mem_used=100 << 20, out_s=2.0, **kw):
    r = {"device": dev, "dataset": ds, "rep": rep, "bytes": 128 << 20,
         "mem_used": mem_used, "compr_bytes": mem_used, "huge_pages": 0,
         "out_s": out_s, "in_s": 1.0, "cpu_out_s": 1.5, "cpu_in_s": 1.5,
         "resident_pages": 0, "copies": 0, "bad_pages": 0}
    r.update(kw)
    return "BENCH " + json.dumps(r)


SWAP_DATASETS = ("dup0", "dup15", "dup40", "files")


def swap_plan(reps=3, datasets=SWAP_DATASETS):
    return "BENCH " + json.dumps({"plan": {"repetitions": reps, "datasets": list(datasets)}})


def swap_lines(reps=3):
    """The plan, then each repetition's runs: lines[1 + 8 * (rep - 1) +
    2 * dataset + device]."""
    return [swap_plan(reps)] + [swap_line(ds, dev, rep, out_s=2.0 + rep / 10)
                                for rep in range(1, reps + 1) for ds in SWAP_DATASETS
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
        lines[2] = swap_line("dup0", "multios_swap0", 1, mem_used=None)
        rc, out, _, doc = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("dup0/multios_swap0/rep 1: no mm_stat, memory figures n/a", out)
        row = self.row(out, ["dup0", "multios_swap0"])
        self.assertEqual(row.split()[4:6], ["n/a", "n/a"])
        self.assertIsNone(doc[0]["multios_swap"]["mem_used"])
        self.assertIsNone(doc[0]["vs_zram"]["mem_used"])

    # -- B2: the plan --------------------------------------------------------

    def test_repetition_lost_whole_is_fewer_than_planned(self):
        # The guest timed out after repetition 2 of 3: every dataset 2/2.
        lines = [x for x in swap_lines() if '"rep": 3' not in x]
        rc, out, err, doc = self.swap(lines)
        self.assertEqual(rc, 1, out + err)
        for ds in SWAP_DATASETS:
            self.assertIn("! 2 of 3 repetitions", self.row(out, [ds, "multios_swap0"]))
        self.assertEqual(doc[0]["planned_repetitions"], 3)
        self.assertTrue(doc[0]["marked"])
        self.assertIn("bench-swap-report:", err)

    def test_dataset_never_run_is_a_missing_run(self):
        lines = [swap_plan(3, SWAP_DATASETS + ("dup90",))] + swap_lines()[1:]
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("dup90: missing run", out)

    def test_missing_plan_line_is_reported_and_marked(self):
        rc, out, err, doc = self.swap(swap_lines()[1:])
        self.assertEqual(rc, 1)
        self.assertIn("no plan line", out)
        self.assertIn("! no plan", self.row(out, ["dup0", "multios_swap0"]))
        self.assertIsNone(doc[0]["planned_repetitions"])
        self.assertIn("bench-swap-report:", err)

    def test_cut_or_second_plan_line_is_rejected(self):
        lines = swap_lines()
        lines[0] = lines[0][:30]
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("malformed line 1", out)
        self.assertIn("no plan line", out)
        rc, out, _, _ = self.swap(swap_lines() + [swap_plan()])
        self.assertEqual(rc, 1)
        self.assertIn("a second plan line", out)

    def test_runs_outside_the_plan_are_reported(self):
        lines = [swap_plan(3, SWAP_DATASETS[:3])] + swap_lines()[1:]
        rc, out, err, doc = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("files/zram0: 3 run(s) of a dataset or device not in the plan", out)
        self.assertEqual(len(doc), 3)
        rc, out, _, _ = self.swap(swap_lines() + [swap_line("dup0", "zram1", 1)])
        self.assertEqual(rc, 1)
        self.assertIn("dup0/zram1: 1 run(s)", out)

    def test_repetition_outside_the_plan_is_marked(self):
        lines = swap_lines()
        lines[1] = lines[1].replace('"rep": 1', '"rep": 4')
        lines[2] = lines[2].replace('"rep": 1', '"rep": 4')
        rc, out, _, _ = self.swap(lines)
        self.assertEqual(rc, 1)
        self.assertIn("repetitions not in the plan", self.row(out, ["dup0", "multios_swap0"]))

    # -- B4: no line with BENCH in it is dropped ----------------------------

    def test_console_output_before_bench_is_read_from_bench_on(self):
        lines = swap_lines()
        lines[4] = "[   12.3] zram0: detected capacity change from 0 to 4194304" + lines[4]
        lines[6] = "some text " + lines[6]
        rc, out, err, doc = self.swap(lines)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("console output before BENCH", out)
        self.assertEqual(doc[1]["multios_swap"]["repetitions"], 3)

    def test_two_runs_on_one_line_are_both_read(self):
        lines = swap_lines()
        lines[3:5] = [lines[3] + lines[4]]
        rc, out, err, doc = self.swap(lines)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(doc[1]["zram"]["repetitions"], 3)

    def test_bench_that_is_not_a_whole_run_is_a_lost_line(self):
        for bad in ("BENCH", "BENCHX {}", "[ 1.0] x BENCH {\"device\": \"zram0\", \"data",
                    swap_line("dup0", "zram0", 1) + " [  12.3] rcu: INFO"):
            rc, out, err, _ = self.swap(swap_lines() + [bad])
            self.assertEqual(rc, 1, bad)
            self.assertIn("malformed line 26", out)
            self.assertIn("1 line(s) not counted", err)

    # -- B6: a memory figure that shrank or wrapped --------------------------

    def test_negative_or_absurd_memory_is_rejected(self):
        for key, v in (("mem_used", -4096), ("mem_used", (1 << 64) - 4096),
                       ("mem_used", True), ("compr_bytes", -1), ("huge_pages", 1 << 63)):
            lines = swap_lines()
            lines[2] = swap_line("dup0", "multios_swap0", 1, **{key: v})
            rc, out, _, doc = self.swap(lines)
            self.assertEqual(rc, 1, (key, v))
            self.assertIn(f"malformed line 3 ({key} is", out)
            self.assertIn("dup0: missing run", out)  # a run, not a figure, lost
            self.assertEqual(doc[0]["dataset"], "dup15")
            if key == "mem_used" and v == -4096:
                self.assertIn("it shrank during the run", out)

    def compile_swap_bench(self, *extra, src=None):
        """swap_bench.c built as the Makefile builds it (static, -Werror),
        from a directory of its own: a build that fails is a failure."""
        gcc = shutil.which("gcc")
        self.assertTrue(gcc, "no gcc (a dependency the project lists)")
        exe = os.path.join(self.dir, "swap_bench")
        p = subprocess.run([gcc, "-static", "-O2", "-Wall", "-Werror", *extra, "-o", exe,
                            src or os.path.join(TOP, "selftests/swap/swap_bench.c")],
                           capture_output=True, text=True, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        return exe

    def test_swap_bench_prints_a_shrunk_figure_negative(self):
        # The difference of two unsigned figures: never the wrap-around.
        harness = os.path.join(self.dir, "harness.c")
        with open(harness, "w") as f:
            f.write("#define main swap_bench_main\n"
                    f'#include "{os.path.join(TOP, "selftests/swap/swap_bench.c")}"\n'
                    "#undef main\n"
                    "int main(void)\n{\n"
                    "\tstruct mm_stat a = { 0, 10, 5000, 1 }, b = { 0, 20, 8096, 2 };\n"
                    "\tchar buf[24];\n\n"
                    '\tprintf("%s\\n", grown(buf, sizeof(buf), 1, 4096, 8192));\n'
                    '\tprintf("%s\\n", grown(buf, sizeof(buf), 1, 8192, 4096));\n'
                    '\tprintf("%s\\n", grown(buf, sizeof(buf), 1, 0, 18446744073709551615ULL));\n'
                    '\tprintf("%s\\n", grown(buf, sizeof(buf), 0, 1, 0));\n'
                    '\tprintf("%d %d\\n", shrank("dev", &a, &b), shrank("dev", &b, &a));\n'
                    "\treturn 0;\n}\n")
        exe = self.compile_swap_bench("-Wno-unused-function", src=harness)
        p = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.stdout.splitlines(),
                         ["-4096", "4096", "-18446744073709551615", "null", "0 1"])
        self.assertIn("dev/mm_stat shrank during the run (used 8096 -> 5000", p.stderr)

    def test_swap_bench_prints_null_when_mm_stat_is_unreadable(self):
        # swap_bench.c and the report agree: without mm_stat the program
        # fails and prints null, and the report reads it as n/a.
        exe = self.compile_swap_bench()
        p = subprocess.run([exe, "-d", "dup0", "-m", "1", "-s", self.dir, "-n", "multios_swap0"],
                           capture_output=True, text=True, timeout=60)
        bench = [x for x in p.stdout.splitlines() if x.startswith("BENCH ")]
        self.assertTrue(bench, f"swap_bench printed no run: {p.stderr.strip()}")
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{self.dir}/mm_stat: cannot read", p.stderr)
        r = json.loads(bench[0][6:])
        self.assertIsNone(r["mem_used"])
        lines = [swap_plan(1, ["dup0"]), swap_line("dup0", "zram0", 1), bench[0]]
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

    def test_fewer_repetitions_than_planned_are_marked(self):
        # Every benchmark lost its last repetition: all alike, all short of
        # the 3 that each entry says were planned.
        doc = gb_doc(aggregates=False)
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["repetition_index"] != 2]
        rc, out, _ = self.host(doc)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"! {len(COUNTERS)} benchmark(s) ran fewer repetitions than planned", out)
        self.assertIn("! 2 of 3", self.row(out, ["lz4", "dup0"]))
        self.assertIn("! 2 of 3, 2 of 3, 2 of 3", self.row(out, ["1024"]))

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
