#!/usr/bin/env python3
"""tools/junit-results.py: every case becomes a tally line; a binary named
with --expect that has no case, an empty report and a test whose program
is gone fail instead of passing by absence."""
import os
import subprocess
import sys
import tempfile
import unittest

JUNIT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "junit-results.py")


def case(name, status="run", inner=""):
    return (f'<testcase name="{name}" classname="{name}" time="0.1" status="{status}">'
            f'{inner}<system-out></system-out></testcase>\n')


def report(*cases):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name="(empty)" tests="{len(cases)}">\n{"".join(cases)}</testsuite>\n')


# What ctest writes for a build of two gtest binaries and one script.
FULL = report(
    case("support_tests.AllocTest.NullOnFailure"),
    case("support_tests.LockTest.Guard"),
    case("support_tests_tsan.LockTest.Guard"),
    case("sched_tests.EdfQueue.Order"),
    case("support_freestanding"),
)
EXPECT = ["support_tests", "support_tests_tsan", "sched_tests", "support_freestanding"]


def run(xml, *args):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ctest.xml")
        with open(path, "w") as f:
            f.write(xml)
        proc = subprocess.run([sys.executable, JUNIT, path, "host", *args],
                              capture_output=True, text=True)
    return proc.returncode, proc.stdout.splitlines()


class ExpectTest(unittest.TestCase):
    def test_all_present_passes(self):
        rc, out = run(FULL, "--expect", *EXPECT)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out, [
            "PASS host/support_tests.AllocTest.NullOnFailure",
            "PASS host/support_tests.LockTest.Guard",
            "PASS host/support_tests_tsan.LockTest.Guard",
            "PASS host/sched_tests.EdfQueue.Order",
            "PASS host/support_freestanding",
        ])

    def test_missing_binary_fails(self):
        xml = FULL.replace("sched_tests.EdfQueue.Order", "swap_tests.Slots.Alloc")
        rc, out = run(xml, "--expect", *EXPECT)
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL host/sched_tests (no test cases: did it build?)", out)
        self.assertEqual([line for line in out if line.startswith("FAIL")],
                         ["FAIL host/sched_tests (no test cases: did it build?)"])

    def test_prefix_is_a_whole_name(self):
        # support_tests_tsan's cases are not support_tests'.
        xml = report(case("support_tests_tsan.LockTest.Guard"), case("support_freestanding_x"))
        rc, out = run(xml, "--expect", "support_tests", "support_freestanding")
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL host/support_tests (no test cases: did it build?)", out)
        self.assertIn("FAIL host/support_freestanding (no test cases: did it build?)", out)

    def test_missing_script_fails(self):
        xml = FULL.replace(case("support_freestanding"), "")
        rc, out = run(xml, "--expect", *EXPECT)
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL host/support_freestanding (no test cases: did it build?)", out)

    def test_zero_cases_fails(self):
        rc, out = run(report())
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(out), 1)
        self.assertTrue(out[0].startswith("FAIL host (no test cases in "), out)
        rc, out = run(report(), "--expect", "support_tests")
        self.assertNotEqual(rc, 0)
        self.assertIn("FAIL host/support_tests (no test cases: did it build?)", out)

    def test_unreadable_report_fails(self):
        rc, out = run("<testsuite><testcase")
        self.assertNotEqual(rc, 0)
        self.assertTrue(out[0].startswith("FAIL host (cannot read "), out)


class VerdictTest(unittest.TestCase):
    def verdicts(self, *cases):
        rc, out = run(report(*cases))
        return rc, [line.split()[0] for line in out]

    def test_failures_and_skips(self):
        rc, got = self.verdicts(
            case("a.pass"),
            case("a.fail", "fail", '<failure message=""/>'),
            case("a.gtest_skip", "notrun", '<skipped message="SKIP_REGULAR_EXPRESSION_MATCHED"/>'),
            case("a.skip_code", "notrun", '<skipped message="SKIP_RETURN_CODE=77"/>'),
            case("a.disabled", "disabled"),
            case("a.test name", "run"),
        )
        # Failed cases are tally lines; the exit status is about coverage.
        self.assertEqual(rc, 0)
        self.assertEqual(got, ["PASS", "FAIL", "SKIP", "SKIP", "SKIP", "PASS"])

    def test_space_in_name(self):
        rc, out = run(report(case("a test")))
        self.assertEqual(out, ["PASS host/a_test"])

    def test_program_gone_is_a_failure(self):
        # ctest reports a test whose executable is missing as "notrun" with
        # a <skipped>: counting that as a skip would pass a binary that
        # no longer builds.
        rc, got = self.verdicts(
            case("sched_bench_smoke", "notrun", '<skipped message="Unable to find executable"/>'),
            case("needs_file", "notrun", '<skipped message="Required Files Missing"/>'),
        )
        self.assertEqual(got, ["FAIL", "FAIL"])


if __name__ == "__main__":
    unittest.main()
