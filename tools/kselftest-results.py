#!/usr/bin/env python3
"""Read the TAP of kselftest's runner (run_kselftest.sh) into tally lines.

    tools/kselftest-results.py OUTPUT --label L [--expect TEST ...] [--results FILE]

The runner prints a plan and one result per test program ("ok 3
selftests: multios: multios_sched_test.sh", "# SKIP" for exit 4, "#
TIMEOUT" or "# exit=N" after "not ok"); everything a program printed comes
before its result, each line prefixed with "# ", after a header line "#
selftests: COLLECTION: TEST". Our programs print TAP of their own in there:
a plan and one result per case.

One tally line per case, "PASS|FAIL|SKIP L/NAME/description" (NAME is the
program without "_test.sh"), and a FAIL for whatever makes the cases
untrustworthy: a program's cases that do not add up to its plan (it died
part-way, or printed none), results out of order, a program that failed
although none of its cases did (it timed out, or failed outside a case),
a runner plan that does not match its results, a "1..0" plan without a
SKIP, and a program named with --expect that never ran or was skipped as
a whole (make check's programs must run: a missing module or a kernel
without the class is a broken set-up there, not a skip). Another program
skipped as a whole ("1..0 # SKIP") is one SKIP line; "not ok # SKIP" is a
FAIL. Other lines (the console's kernel messages) are ignored.
Exits non-zero if anything failed.
"""
import argparse
import re
import sys

# A console line may carry a kernel message's timestamp prefix; results
# and plans are matched at the start of the line only.
PLAN = re.compile(r"^1\.\.(\d+)(?:\s*#\s*SKIP\s*(.*))?\s*$")
RESULT = re.compile(r"^(not ok|ok) (\d+)(?: -)? ?(.*?)(?:\s+#\s*(SKIP)\b\s*(.*))?$")
HEADER = re.compile(r"^# selftests: (\S+): (\S+)\s*$")
TOP_RESULT = re.compile(r"^(not ok|ok) (\d+) selftests: (\S+): (\S+)(?: # (.*))?$")


def short(test):
    """multios_core_test.sh -> multios_core."""
    for suffix in ("_test.sh", ".sh"):
        if test.endswith(suffix):
            return test[: -len(suffix)]
    return test


def case_name(desc):
    return re.sub(r"\s+", "_", desc.strip()) or "(no description)"


class Program:
    """One test program's block: its own TAP, and the runner's verdict."""

    def __init__(self, test):
        self.test = test
        self.plan = None
        self.plan_lines = 0
        self.skip_all = None
        self.cases = []		# (number, status, description)
        self.verdict = None	# runner's: ok / not ok, and its directive

    def feed(self, line):
        m = PLAN.match(line)
        if m:
            self.plan_lines += 1
            self.plan = int(m.group(1))
            if m.group(2) is not None:
                self.skip_all = m.group(2) or "no reason given"
            return
        m = RESULT.match(line)
        if not m:
            return
        verdict, number, desc, directive, reason = m.groups()
        if verdict != "ok":
            status = "FAIL"	# "not ok ... # SKIP" is no skip
        elif directive == "SKIP":
            status = "SKIP"
        else:
            status = "PASS"
        self.cases.append((int(number), status, desc))

    def records(self, label, must_run):
        """The tally lines of this program, cases first. A program that
        must run (make check's, expected by name) fails where another
        would be skipped as a whole."""
        name = f"{label}/{short(self.test)}"
        out = [(status, f"{name}/{case_name(desc)}") for _, status, desc in self.cases]
        verdict, directive = self.verdict or ("not ok", "no result from the runner")
        if verdict == "ok" and (directive == "SKIP" or self.skip_all is not None):
            why = self.skip_all or "exit 4"
            out.append(("FAIL", f"{name} (expected to run, skipped: {why})") if must_run
                       else ("SKIP", f"{name} (skipped: {why})"))
            return out
        if self.plan == 0 and self.plan_lines == 1 and self.skip_all is None:
            out.append(("FAIL", f"{name}/plan (1..0: no cases, and no SKIP)"))
        if self.plan_lines != 1:
            out.append(("FAIL", f"{name}/plan ({self.plan_lines} plans printed)"))
        elif self.plan != len(self.cases):
            out.append(("FAIL", f"{name}/plan (planned {self.plan} cases, {len(self.cases)} reported)"))
        numbers = [n for n, _, _ in self.cases]
        if numbers != list(range(1, len(numbers) + 1)):
            out.append(("FAIL", f"{name}/numbering (cases numbered {numbers[:8]}...)"))
        if verdict != "ok" and not any(s == "FAIL" for s, _ in out):
            out.append(("FAIL", f"{name} ({directive or 'failed'}, no case failed)"))
        return out


def parse(lines):
    """Returns (runner plan or None, runner results, [Program])."""
    plan, results, programs, current = None, 0, [], None
    for raw in lines:
        line = raw.rstrip("\n").replace("\r", "")
        m = HEADER.match(line)
        if m:
            current = Program(m.group(2))
            programs.append(current)
            continue
        m = TOP_RESULT.match(line)
        if m:
            results += 1
            verdict, _, _, test, directive = m.groups()
            directive = (directive or "").strip()
            if directive.startswith("SKIP"):
                directive = "SKIP"
            if current is None or current.test != test:
                current = Program(test)
                programs.append(current)
            current.verdict = (verdict, directive)
            current = None
            continue
        if current is not None:
            if line.startswith("# "):
                current.feed(line[2:])
            continue
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
    return plan, results, programs


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output")
    p.add_argument("--label", required=True)
    p.add_argument("--expect", nargs="*", default=[],
                   help="test programs that must have run (a skip of one fails)")
    p.add_argument("--results", help="append the tally lines to this file")
    args = p.parse_args()
    try:
        with open(args.output, errors="replace") as f:
            plan, results, programs = parse(f)
    except OSError as e:
        plan, results, programs = None, 0, []
        print(f"  {args.label}: cannot read {args.output}: {e.strerror}")
    out = []
    for prog in programs:
        out += prog.records(args.label, prog.test in args.expect)
    if plan is None:
        out.append(("FAIL", f"{args.label}/runner (no plan: did run_kselftest.sh run?)"))
    elif plan != results:
        out.append(("FAIL", f"{args.label}/runner (planned {plan} programs, {results} results)"))
    ran = {prog.test for prog in programs}
    for test in args.expect:
        if test not in ran:
            out.append(("FAIL", f"{args.label}/{short(test)} (did not run)"))
    failed = sum(status == "FAIL" for status, _ in out)
    for status, name in out:
        print(f"  {status} {name}")
    cases = sum(len(prog.cases) for prog in programs)
    print(f"  {args.label}: {len(programs)} programs, {cases} cases, {failed} failed")
    if args.results:
        with open(args.results, "a") as f:
            f.writelines(f"{status} {name}\n" for status, name in out)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
