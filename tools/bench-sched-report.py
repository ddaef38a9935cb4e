#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the BENCH lines of selftests/sched/bench-sched.sh into a table and JSON.

  tools/bench-sched-report.py GUEST_OUTPUT JSON_OUT
Workloads: the median of the runs per class and the ratio multios/CFS
(lower is better for all three). EDF sets, summed over rounds: jobs, misses,
maximum lateness, jobs that shared a CPU with another job of the set, and
migrations, for the class and for SCHED_DEADLINE.
"""
import json
import statistics
import sys


def main():
    runs, edf, edf_cpus = {}, {}, None
    for line in open(sys.argv[1], errors="replace"):
        f = line.split()
        # A line the console spliced with a kernel message is skipped.
        if f[:2] == ["BENCH", "edf_cpus"] and len(f) == 3 and f[2].isdigit():
            edf_cpus = int(f[2])
            continue
        if len(f) < 4 or f[0] != "BENCH":
            continue
        if f[1].startswith("edf_"):
            kv = dict(zip(f[3::2], f[4::2]))
            try:
                r = {k: int(v) for k, v in kv.items()}
            except ValueError:
                continue
            # Rounds of one set add up; lateness is the worst of them.
            total = edf.setdefault(f[1], {}).setdefault(f[2], {"rounds": 0})
            total["rounds"] += 1
            for k, v in r.items():
                total[k] = max(total.get(k, 0), v) if k.startswith("max_") else total.get(k, 0) + v
        else:
            try:
                runs.setdefault(f[1], {}).setdefault(f[2], []).append(float(f[3]))
            except ValueError:
                pass
    result = {"workloads": {}, "edf": edf, "edf_cpus": edf_cpus}
    print(f"{'workload':24} {'CFS':>10} {'multios':>10} {'ratio':>7}")
    for name, by_class in sorted(runs.items()):
        cfs = statistics.median(by_class.get("cfs", [float("nan")]))
        mos = statistics.median(by_class.get("multios", [float("nan")]))
        ratio = mos / cfs if cfs else float("nan")
        result["workloads"][name] = {"cfs": by_class.get("cfs", []),
                                     "multios": by_class.get("multios", []),
                                     "median_cfs": cfs, "median_multios": mos,
                                     "ratio": ratio}
        print(f"{name:24} {cfs:10.3f} {mos:10.3f} {ratio:7.3f}")
    print(f"\nEDF sets on {edf_cpus or '?'} online CPUs")
    # shared: jobs that started while another job of the set ran on their
    # CPU (two reservations on one CPU); misses outside those are delays
    # of a task alone on its CPU.
    print(f"{'EDF set':10} {'policy':10} {'rounds':>6} {'jobs':>8} {'misses':>8} "
          f"{'max late us':>12} {'shared':>8} {'migrations':>10}")
    for name, by_policy in sorted(edf.items()):
        for policy, r in sorted(by_policy.items()):
            print(f"{name:10} {policy:10} {r.get('rounds', 0):6} {r.get('jobs', 0):8} "
                  f"{r.get('misses', 0):8} {r.get('max_late_us', 0):12} "
                  f"{r.get('shared', 0):8} {r.get('migrations', 0):10}")
    json.dump(result, open(sys.argv[2], "w"), indent=2)


if __name__ == "__main__":
    main()
