#!/usr/bin/env python3
"""tools/kselftest-results.py: each way a run can look fine and is not.

Run by ctest (tools_kselftest_results). Every case feeds the reader the
runner output of a run and checks the tally lines and the exit status.
"""
import os
import subprocess
import sys
import tempfile
import unittest

TOOL = os.path.join(os.path.dirname(__file__), "..", "kselftest-results.py")


def program(test, body, verdict="ok 1", directive=""):
    """A runner block: header, the program's lines "# "-prefixed, result."""
    lines = [f"# selftests: multios: {test}"]
    lines += ["# " + line for line in body.strip("\n").split("\n")] if body else []
    lines.append(f"{verdict} selftests: multios: {test}{directive}")
    return "\n".join(lines)


CORE_OK = """TAP version 13
1..2
ok 1 insmod multios_core
# one of its comments
ok 2 kmemleak finds no leaks # SKIP kmemleak is off
# 1 passed, 0 failed, 1 skipped"""


def run(text, *expect):
    with tempfile.NamedTemporaryFile("w", suffix=".out", delete=False) as f:
        f.write(text + "\n")
    results = f.name + ".tally"
    try:
        p = subprocess.run([sys.executable, TOOL, f.name, "--label", "st",
                            "--results", results, "--expect", *expect],
                           capture_output=True, text=True)
        with open(results) as r:
            tally = r.read().splitlines()
    finally:
        os.unlink(f.name)
        if os.path.exists(results):
            os.unlink(results)
    return p.returncode, tally


def runner(*blocks):
    return "\n".join(["TAP version 13", f"1..{len(blocks)}", *blocks])


class KselftestResults(unittest.TestCase):
    def test_a_clean_run_passes_and_keeps_skips_apart(self):
        rc, tally = run(runner(program("multios_core_test.sh", CORE_OK)), "multios_core_test.sh")
        self.assertEqual(rc, 0, tally)
        self.assertEqual(tally, ["PASS st/multios_core/insmod_multios_core",
                                 "SKIP st/multios_core/kmemleak_finds_no_leaks"])

    def test_a_program_that_died_part_way_fails_on_its_plan(self):
        died = "TAP version 13\n1..14\nok 1 insmod multios_core\nok 2 version is x.y.z"
        rc, tally = run(runner(program("multios_core_test.sh", died, "not ok 1", " # exit=2")))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/multios_core/plan (planned 14 cases, 2 reported)", tally)

    def test_a_plan_that_is_missing_fails_even_with_exit_0(self):
        rc, tally = run(runner(program("multios_core_test.sh", "ok 1 insmod multios_core")))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/multios_core/plan (0 plans printed)", tally)

    def test_a_program_with_no_output_fails(self):
        rc, tally = run(runner(program("multios_core_test.sh", "")))
        self.assertEqual(rc, 1)
        self.assertTrue(any(t.startswith("FAIL st/multios_core/plan") for t in tally), tally)

    def test_a_timeout_after_passing_cases_fails(self):
        body = "TAP version 13\n1..1\nok 1 insmod multios_core"
        rc, tally = run(runner(program("multios_core_test.sh", body, "#\nnot ok 1",
                                       " # TIMEOUT 2400 seconds")))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/multios_core (TIMEOUT 2400 seconds, no case failed)", tally)

    def test_a_failed_case_fails_once(self):
        body = "TAP version 13\n1..2\nok 1 a\nnot ok 2 b\n# why"
        rc, tally = run(runner(program("multios_core_test.sh", body, "not ok 1", " # exit=1")))
        self.assertEqual(rc, 1)
        self.assertEqual(tally, ["PASS st/multios_core/a", "FAIL st/multios_core/b"])

    def test_cases_out_of_order_fail(self):
        body = "TAP version 13\n1..2\nok 1 a\nok 1 b"
        rc, tally = run(runner(program("multios_core_test.sh", body)))
        self.assertEqual(rc, 1)
        self.assertTrue(any("numbering" in t for t in tally), tally)

    def test_a_skipped_program_is_one_skip(self):
        body = "TAP version 13\n1..0 # SKIP kernel without the class"
        rc, tally = run(runner(program("multios_class_test.sh", body, "ok 1", " # SKIP")))
        self.assertEqual(rc, 0, tally)
        self.assertEqual(tally, ["SKIP st/multios_class (skipped: kernel without the class)"])

    def test_an_expected_program_skipped_as_a_whole_fails(self):
        # make check's boots must run what they expect: a lost module or a
        # renamed class symbol would otherwise skip every test, green.
        body = "TAP version 13\n1..0 # SKIP no multios_sched.ko under /x"
        rc, tally = run(runner(program("multios_sched_test.sh", body, "ok 1", " # SKIP")),
                        "multios_sched_test.sh")
        self.assertEqual(rc, 1)
        self.assertEqual(tally, ["FAIL st/multios_sched (expected to run, skipped: "
                                 "no multios_sched.ko under /x)"])

    def test_an_expected_program_skipping_with_exit_0_fails_too(self):
        body = "TAP version 13\n1..0 # SKIP not here"
        rc, tally = run(runner(program("multios_sched_test.sh", body)), "multios_sched_test.sh")
        self.assertEqual(rc, 1)
        self.assertEqual(tally, ["FAIL st/multios_sched (expected to run, skipped: not here)"])

    def test_an_empty_plan_without_skip_fails(self):
        rc, tally = run(runner(program("multios_stress_test.sh", "TAP version 13\n1..0")))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/multios_stress/plan (1..0: no cases, and no SKIP)", tally)

    def test_not_ok_with_skip_is_a_failure(self):
        body = "TAP version 13\n1..1\nnot ok 1 a # SKIP but it failed"
        rc, tally = run(runner(program("multios_core_test.sh", body, "not ok 1", " # exit=1")))
        self.assertEqual(rc, 1)
        self.assertEqual(tally, ["FAIL st/multios_core/a"])

    def test_an_expected_program_that_never_ran_fails(self):
        rc, tally = run(runner(program("multios_core_test.sh", CORE_OK)),
                        "multios_core_test.sh", "multios_swap_test.sh")
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/multios_swap (did not run)", tally)

    def test_a_runner_cut_short_fails_on_its_plan(self):
        text = "TAP version 13\n1..2\n" + program("multios_core_test.sh", CORE_OK)
        rc, tally = run(text)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL st/runner (planned 2 programs, 1 results)", tally)

    def test_no_runner_output_at_all_fails(self):
        rc, tally = run("guest: ended without an exit status")
        self.assertEqual(rc, 1)
        self.assertEqual(tally, ["FAIL st/runner (no plan: did run_kselftest.sh run?)"])


if __name__ == "__main__":
    unittest.main()
