#!/usr/bin/env python3
"""Read KUnit's KTAP results out of a guest console log.

    kunit/ktap.py CONSOLE.log [--expect SUITE ...] [--results FILE --label L]

KUnit prints each suite as KTAP while a module loads: a suite line
"ok N name" with its cases indented beneath ("    ok N case"). Console
lines carry printk timestamps and may interleave with other messages;
those are stripped and ignored. Prints one line per case and a summary;
with --results, appends "PASS|FAIL|SKIP <label>/<suite>/<case>" lines for
the project's test tally. Exits non-zero if any case failed, any suite
named with --expect did not run, or no result was found at all.
"""
import argparse
import re
import sys

PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s?")
SUITE_START = re.compile(r"^\s*# Subtest: (\S+)")
PLAN = re.compile(r"^\s+1\.\.(\d+)\s*$")
RESULT = re.compile(r"^(\s*)(not ok|ok) \d+ (?:- )?(\S+)(.*)$")


WORST = {"PASS": 0, "SKIP": 1, "FAIL": 2}


def parse(lines):
    """Returns {suite: {case: status}}, suite-level statuses, runs per suite.

    A suite runs once per module load; a test that loads a module several
    times gets several runs. A case counts once, with its worst result.
    """
    cases, suites, runs, stack = {}, {}, {}, []

    def worsen(suite, status):
        suites[suite] = max(suites.get(suite, "PASS"), status, key=WORST.get)

    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\n"))
        m = SUITE_START.match(line)
        if m:
            stack.append({"name": m.group(1), "plan": None, "seen": 0})
            cases.setdefault(m.group(1), {})
            runs[m.group(1)] = runs.get(m.group(1), 0) + 1
            continue
        m = PLAN.match(line)
        if m and stack and stack[-1]["plan"] is None:
            stack[-1]["plan"] = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent, verdict, name, rest = m.groups()
        status = "SKIP" if "# SKIP" in rest else ("PASS" if verdict == "ok" else "FAIL")
        if indent and stack:
            suite = stack[-1]
            suite["seen"] += 1
            seen = cases[suite["name"]].get(name, "PASS")
            cases[suite["name"]][name] = max(seen, status, key=WORST.get)
        elif stack and name == stack[-1]["name"]:
            suite = stack.pop()
            worsen(suite["name"], status)
            # Cases the plan promised but that never reported (a crash).
            if suite["plan"] is not None and suite["seen"] < suite["plan"]:
                worsen(suite["name"], "FAIL")
    for suite in stack:	# started, never finished: the kernel died in it
        worsen(suite["name"], "FAIL")
    return cases, suites, runs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--expect", nargs="*", default=[])
    p.add_argument("--results")
    p.add_argument("--label", default="kunit")
    args = p.parse_args()
    try:
        with open(args.log, errors="replace") as f:
            cases, suites, runs = parse(f)
    except OSError as e:
        cases, suites, runs = {}, {}, {}
        print(f"  {args.label}: cannot read {args.log}: {e.strerror}")
    failed = 0
    out = []
    for suite in sorted(cases):
        for case, status in cases[suite].items():
            out.append(f"{status} {args.label}/{suite}/{case}")
            failed += status == "FAIL"
        if suites.get(suite) == "FAIL" and "FAIL" not in cases[suite].values():
            out.append(f"FAIL {args.label}/{suite}")
            failed += 1
    for suite in args.expect:
        if suite not in cases:
            out.append(f"FAIL {args.label}/{suite} (suite did not run)")
            failed += 1
    if not out:
        out.append(f"FAIL {args.label} (no KTAP results in {args.log})")
        failed += 1
    for line in out:
        print("  " + line)
    total = sum(len(c) for c in cases.values())
    load_runs = max(runs.values(), default=0)
    print(f"  {args.label}: {len(cases)} suites, {total} cases, {failed} failed"
          + (f" (suites ran {load_runs} times)" if load_runs > 1 else ""))
    if args.results:
        with open(args.results, "a") as f:
            f.write("\n".join(out) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
