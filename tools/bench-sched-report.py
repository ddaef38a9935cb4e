#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the BENCH lines of selftests/sched/bench-sched.sh into a table and JSON.

  tools/bench-sched-report.py GUEST_OUTPUT JSON_OUT
Workloads: the median of the runs per class and the ratio multios/CFS
(lower is better for all three). EDF sets, summed over rounds: jobs, misses,
maximum lateness, jobs that shared a CPU with another job of the set, and
migrations, for the class and for SCHED_DEADLINE. Balancers (the second
boot, bench-balancers.sh), per balance_algorithm and CFS: messaging and the
NUMA workload's run time (medians, ratio to CFS), the fraction of NUMA
passes that ran away from their memory's node, CPU changes per 1000
passes, and the balancing calls and their cost, summed over the rounds.
Each balancers boot (its "BENCH bal_nodes" line starts one) gets a table
of its own and an entry of the JSON's "balancers" list.
"""
import json
import math
import statistics
import sys


def no_nan(v):
    """v with every NaN as None: JSON has no NaN."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {k: no_nan(x) for k, x in v.items()}
    if isinstance(v, list):
        return [no_nan(x) for x in v]
    return v


class Balancers:
    """The BENCH bal_* lines: per label (cfs or a balance_algorithm)."""

    def __init__(self):
        self.by = {}
        self.topology = ""
        self.models = []

    def label(self, name):
        return self.by.setdefault(name, {"messaging": [], "numa_seconds": [],
                                         "samples": 0, "remote": 0, "migrations": 0,
                                         "failed": 0, "moves": 0, "calls": 0,
                                         "ns": 0})

    # The keys each counted line must have, all of them, or it is skipped.
    KEYS = {"bal_numa": ("samples", "remote", "migrations", "seconds", "failed"),
            "bal_cost": ("moves", "calls", "ns")}

    def add(self, f):
        # A line the console spliced with a kernel message is skipped
        # whole (parsed completely before anything is added).
        try:
            if f[1] == "bal_nodes":
                self.topology = f"{int(f[2])} nodes, {int(f[4])} CPUs"
            elif f[1] == "bal_model":
                self.models.append(" ".join(f[2:]))
            elif f[1] == "bal_messaging_sec" and len(f) == 4:
                self.label(f[2])["messaging"].append(float(f[3]))
            elif f[1] in self.KEYS:
                kv = dict(zip(f[3::2], f[4::2]))
                values = {k: float(kv[k]) if k == "seconds" else int(kv[k])
                          for k in self.KEYS[f[1]]}
                r = self.label(f[2])
                for k, v in values.items():
                    if k == "seconds":
                        r["numa_seconds"].append(v)
                    else:
                        r[k] += v
        except (ValueError, KeyError, IndexError):
            pass

    def report(self):
        if not self.by:
            return {}
        med = lambda v: statistics.median(v) if v else float("nan")
        cfs = self.by.get("cfs", self.label("cfs"))
        cfs_msg, cfs_numa = med(cfs["messaging"]), med(cfs["numa_seconds"])
        print(f"\nBalancers against CFS ({self.topology or '?'}; medians of the rounds)")
        print(f"{'policy':8} {'rounds':>6} {'messaging s':>11} {'ratio':>6} {'numa s':>7} "
              f"{'ratio':>6} {'remote %':>8} {'moves/1k':>8} {'balance calls':>13} "
              f"{'ns/call':>8}")
        out = {}
        order = ["cfs", "load", "numa", "cache", "learned"]
        for name in sorted(self.by, key=lambda n: (order.index(n) if n in order else 9, n)):
            r = self.by[name]
            msg, numa = med(r["messaging"]), med(r["numa_seconds"])
            remote = 100.0 * r["remote"] / r["samples"] if r["samples"] else float("nan")
            moves = 1000.0 * r["migrations"] / r["samples"] if r["samples"] else float("nan")
            per_call = r["ns"] / r["calls"] if r["calls"] else float("nan")
            calls = "-" if name == "cfs" else str(r["calls"])
            rounds = f"{len(r['messaging'])}/{len(r['numa_seconds'])}"
            print(f"{name:8} {rounds:>6} {msg:11.3f} "
                  f"{msg / cfs_msg if cfs_msg else float('nan'):6.3f} "
                  f"{numa:7.3f} {numa / cfs_numa if cfs_numa else float('nan'):6.3f} "
                  f"{remote:8.1f} {moves:8.1f} {calls:>13} "
                  f"{'-' if name == 'cfs' else f'{per_call:.0f}':>8}")
            out[name] = dict(r, median_messaging=msg, median_numa_seconds=numa,
                             remote_pct=remote, cpu_changes_per_1k=moves)
        for m in self.models:
            print(f"learned model {m}")
        if any(r["failed"] for r in self.by.values()):
            print("warning: some NUMA workers failed (a bind, a fork, or a worker killed)")
        return {"topology": self.topology, "policies": out, "learned_models": self.models}


def main():
    runs, edf, edf_cpus = {}, {}, None
    bals = []
    for line in open(sys.argv[1], errors="replace"):
        f = line.split()
        if len(f) >= 3 and f[0] == "BENCH" and f[1].startswith("bal_"):
            if f[1] == "bal_nodes" or not bals:
                bals.append(Balancers())
            bals[-1].add(f)
            continue
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
    result["balancers"] = [b.report() for b in bals]
    json.dump(no_nan(result), open(sys.argv[2], "w"), indent=2)


if __name__ == "__main__":
    main()
