#!/usr/bin/env python3
"""Turn ctest's JUnit XML into tally lines: PASS|FAIL|SKIP <prefix>/<test>."""
import sys
import xml.etree.ElementTree as ET


def main():
    path, prefix = sys.argv[1], sys.argv[2]
    cases = ET.parse(path).getroot().iter("testcase")
    count = 0
    for case in cases:
        count += 1
        name = case.get("name", "?").replace(" ", "_")
        status = case.get("status", "")
        if case.find("failure") is not None or case.find("error") is not None or status == "fail":
            verdict = "FAIL"
        elif case.find("skipped") is not None or status in ("notrun", "disabled"):
            verdict = "SKIP"
        else:
            verdict = "PASS"
        print(f"{verdict} {prefix}/{name}")
    if count == 0:
        print(f"FAIL {prefix} (no test cases in {path})")
        sys.exit(1)


if __name__ == "__main__":
    main()
