#!/usr/bin/env python3
"""Turn ctest's JUnit XML into tally lines: PASS|FAIL|SKIP <prefix>/<test>.

    tools/junit-results.py CTEST.xml PREFIX [--expect NAME ...]

Each --expect NAME is a test binary (its cases are named NAME.Suite.Case:
CMakeLists.txt gives every GoogleTest binary that TEST_PREFIX) or an
exact test name (an add_test script). Each must have at least one case in
the XML, else "FAIL <prefix>/NAME (no test cases: did it build?)": a
binary that is no longer built or registered is otherwise just absent,
and absence passes. Exits non-zero on a missing NAME or no case at all
(failed cases are tally lines; the tally decides on those).

A case ctest did not run is a SKIP only if it ran and asked to be skipped
(SKIP_RETURN_CODE, or GTEST_SKIP through SKIP_REGULAR_EXPRESSION) or was
disabled; "Unable to find executable" and the like are failures.
"""
import argparse
import sys
import xml.etree.ElementTree as ET


def verdict(case):
    status = case.get("status", "")
    if case.find("failure") is not None or case.find("error") is not None or status == "fail":
        return "FAIL"
    if status == "disabled":
        return "SKIP"
    skipped = case.find("skipped")
    if status == "notrun" or skipped is not None:
        message = skipped.get("message", "") if skipped is not None else ""
        return "SKIP" if message.startswith("SKIP_") else "FAIL"
    return "PASS"


def covers(expected, name):
    """Is the ctest test NAME one of EXPECTED's (the binary or the test)?"""
    return name == expected or name.startswith(expected + ".")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("xml")
    p.add_argument("prefix")
    p.add_argument("--expect", nargs="*", default=[], metavar="NAME")
    args = p.parse_args()
    try:
        cases = list(ET.parse(args.xml).getroot().iter("testcase"))
    except (OSError, ET.ParseError) as e:
        print(f"FAIL {args.prefix} (cannot read {args.xml}: {e})")
        sys.exit(1)
    names = []
    for case in cases:
        name = case.get("name", "?").replace(" ", "_")
        names.append(name)
        print(f"{verdict(case)} {args.prefix}/{name}")
    ok = True
    if not cases:
        print(f"FAIL {args.prefix} (no test cases in {args.xml})")
        ok = False
    for expected in args.expect:
        if not any(covers(expected, name) for name in names):
            print(f"FAIL {args.prefix}/{expected} (no test cases: did it build?)")
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
