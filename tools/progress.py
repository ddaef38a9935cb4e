#!/usr/bin/env python3
"""Show a progress line for a long, chatty build while logging all of it.

    some-build 2>&1 | tools/progress.py LABEL LOGFILE

Every build step Kbuild prints (one line per file) is counted; a status
line is printed every 15 seconds so a build is never silent, and the
full output goes to LOGFILE for when something fails.
"""
import sys
import time

INTERVAL = 15


def main():
    label, logfile = sys.argv[1], sys.argv[2]
    start = last = time.monotonic()
    steps = 0
    with open(logfile, "w") as log:
        for line in sys.stdin:
            log.write(line)
            if line.startswith("  ") and not line.startswith("   "):
                steps += 1
            now = time.monotonic()
            if now - last >= INTERVAL:
                last = now
                print(f"  [{label}] {steps} steps, {int(now - start)}s", flush=True)
    print(f"  [{label}] done: {steps} steps in {int(time.monotonic() - start)}s "
          f"(log: {logfile})", flush=True)


if __name__ == "__main__":
    main()
