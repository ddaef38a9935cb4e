#!/usr/bin/env python3
"""The KTAP reader must see failures, missing suites and empty logs."""
import os
import subprocess
import sys
import tempfile
import unittest

KTAP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ktap.py")

PASSING = """\
[    1.000000] KTAP version 1
[    1.000001] 1..1
[    1.000002]     KTAP version 1
[    1.000003]     # Subtest: multios_support
[    1.000004]     1..2
[    1.000005]     ok 1 result_try_test
[    1.000006] random kernel message in between
[    1.000007]     ok 2 list_ops_test # SKIP not on this arch
[    1.000008] # multios_support: pass:1 fail:0 skip:1 total:2
[    1.000009] ok 1 multios_support
"""

FAILING = PASSING.replace("ok 1 result_try_test", "not ok 1 result_try_test").replace(
    "ok 1 multios_support", "not ok 1 multios_support")


def run(log, *extra):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(log)
    results = f.name + ".tally"
    proc = subprocess.run([sys.executable, KTAP, f.name, "--results", results, *extra],
                          capture_output=True, text=True)
    tally = open(results).read().split("\n") if os.path.exists(results) else []
    os.unlink(f.name)
    if os.path.exists(results):
        os.unlink(results)
    return proc.returncode, [t for t in tally if t]


class KtapTest(unittest.TestCase):
    def test_passing_suite(self):
        rc, tally = run(PASSING, "--label", "k", "--expect", "multios_support")
        self.assertEqual(rc, 0)
        self.assertIn("PASS k/multios_support/result_try_test", tally)
        self.assertIn("SKIP k/multios_support/list_ops_test", tally)

    def test_failing_case(self):
        rc, tally = run(FAILING, "--label", "k")
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL k/multios_support/result_try_test", tally)

    def test_missing_suite(self):
        rc, tally = run(PASSING, "--label", "k", "--expect", "multios_topology")
        self.assertNotEqual(rc, 0)
        self.assertTrue(any("multios_topology" in t and t.startswith("FAIL") for t in tally))

    def test_no_results_at_all(self):
        rc, tally = run("[    0.1] Linux version 6.1\n", "--label", "k")
        self.assertNotEqual(rc, 0)
        self.assertTrue(tally and tally[0].startswith("FAIL"))

    def test_unfinished_suite_fails(self):
        cut = PASSING.split("[    1.000006]")[0]	# the kernel died mid-suite
        rc, tally = run(cut, "--label", "k")
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL k/multios_support", tally)

    def test_cases_missing_from_the_plan_fail(self):
        short = PASSING.replace("[    1.000004]     1..2", "[    1.000004]     1..3")
        rc, tally = run(short, "--label", "k")
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL k/multios_support", tally)

    def test_repeated_load_counts_once_with_worst_result(self):
        rc, tally = run(PASSING + FAILING, "--label", "k")
        self.assertNotEqual(rc, 0)
        self.assertEqual(tally.count("FAIL k/multios_support/result_try_test"), 1)
        self.assertEqual(len([t for t in tally if "result_try_test" in t]), 1)


if __name__ == "__main__":
    unittest.main()
