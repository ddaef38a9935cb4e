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
of its own and an entry of the JSON's "balancers" list; its lines end in
"boot ID", so a boot whose bal_nodes line was lost or cut still gets a
table of its own, marked.

Every table says which statistic it shows and how many rounds each side
counted. A round is lost when the benchmark printed no number for it
("nan", a tool's error, nothing) or when the serial console cut its line
or spliced it with a kernel message: it is not counted, it is named on
stderr, and its row is marked "!", as is a row whose sides counted
different numbers of rounds (a median of three against a median of two).
The tables are printed anyway; the exit status is then 1.

Each boot says first what it is to print: "BENCH plan rounds N workloads
A,B,.. edf_rounds N edf_sets S,.." (bench-sched.sh), and "BENCH bal_nodes
N cpus N rounds N policies P,.. boot ID" (bench-balancers.sh). A row with
fewer rounds than planned (a boot cut short, a round that never ran) is
marked, as is every row of a part whose plan line is missing or cut. A
line with BENCH anywhere in it that is not a whole line of the scripts is
a lost line, never skipped.
"""
import json
import math
import re
import statistics
import sys

PROG = "bench-sched-report"
# What a benchmark, a class, a policy or an algorithm is called: a line
# whose names do not look like this was cut or spliced there.
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# A balancers boot's identity (the start of its boot_id), on every line.
BOOT = re.compile(r"^[A-Za-z0-9_-]+$")
# The numbers an EDF line must carry (mos_sched_tool periodic); older
# outputs lack shared and migrations, so those are not required.
EDF_KEYS = ("jobs", "misses", "max_late_us")


def no_nan(v):
    """v with every NaN as None: JSON has no NaN."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict):
        return {k: no_nan(x) for k, x in v.items()}
    if isinstance(v, list):
        return [no_nan(x) for x in v]
    return v


def number(s):
    """s as a finite float, or None ("nan", "inf", an error, a splice)."""
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def why_lost(values):
    """Why a line's numbers (the fields after its label) count for nothing."""
    if not values:
        return "no number"
    if len(values) == 1 and values[0].lower() in ("nan", "-nan"):
        return "failed (nan)"
    if len(values) == 1 and re.fullmatch(r"E[A-Z0-9]+", values[0]):
        return f"failed ({values[0]})"
    return "cut or spliced with console output"


def med(v):
    return statistics.median(v) if v else float("nan")


def split_boot(f):
    """(f without a trailing "boot ID", ID or None)."""
    if len(f) >= 2 and f[-2] == "boot" and BOOT.match(f[-1]):
        return f[:-2], f[-1]
    return f, None


def key_values(words, ints=(), lists=()):
    """words "k v k v ..." as a dict: the keys `ints` as numbers of 1 or
    more, `lists` as lists of names, all of them present; ValueError if
    the words are not that (a cut or spliced line)."""
    kv = dict(zip(words[0::2], words[1::2]))
    if len(words) % 2 or len(kv) != len(words) // 2:
        raise ValueError
    out = {}
    for k in ints:
        if not kv[k].isdigit() or int(kv[k]) < 1:
            raise ValueError
        out[k] = int(kv[k])
    for k in lists:
        out[k] = kv[k].split(",")
        if not all(NAME.match(x) for x in out[k]):
            raise ValueError
    return out


def plan_notes(counts, planned):
    """What a row's round counts lack against the plan (None: no plan)."""
    if planned is None:
        return ["no plan"]
    notes = []
    if min(counts) < planned:
        notes.append(f"fewer than the {planned} rounds planned")
    if max(counts) > planned:
        notes.append(f"more than the {planned} rounds planned")
    return notes


class Report:
    """What went wrong, for stderr and the exit status."""

    def __init__(self):
        self.problems = []
        self.lines_lost = 0
        self.marked = 0

    def lost(self, lineno, what, reason, line):
        self.lines_lost += 1
        self.problems.append(f"line {lineno}: {what}: {reason}, not counted: "
                             f"{line.strip()[:100]}")


class Balancers:
    """The BENCH bal_* lines: per label (cfs or a balance_algorithm)."""

    def __init__(self, report, boot=None, separator="none"):
        self.by = {}
        self.topology = ""
        self.models = []
        self.report_to = report
        # The boot's ID and its bal_nodes line: "ok", "cut" (cut or spliced),
        # or "none" (the table started without one).
        self.boot = boot
        self.separator = separator
        self.plan = None
        self.lines = 0

    def label(self, name):
        return self.by.setdefault(name, {"messaging": [], "numa_seconds": [],
                                         "samples": 0, "remote": 0, "migrations": 0,
                                         "failed": 0, "moves": 0, "calls": 0,
                                         "ns": 0, "cost_rounds": 0, "lost": 0})

    # The keys each counted line must have, all of them, or it is lost.
    KEYS = {"bal_numa": ("samples", "remote", "migrations", "seconds", "failed"),
            "bal_cost": ("moves", "calls", "ns")}

    def add(self, f, lineno, line):
        # A line the console spliced with a kernel message is lost
        # whole (parsed completely before anything is added).
        if f[1] == "bal_nodes":
            try:
                if not (len(f) >= 5 and f[2].isdigit() and f[3] == "cpus" and f[4].isdigit()):
                    raise ValueError
                # Older outputs end here: no plan (marked in report()).
                plan = key_values(f[5:], ("rounds",), ("policies",)) if len(f) > 5 else None
            except (ValueError, KeyError):
                self.separator = "cut"
                self.report_to.lost(lineno, "bal_nodes", "cut or spliced", line)
                return
            self.topology = f"{int(f[2])} nodes, {int(f[4])} CPUs"
            self.plan = plan
            return
        self.lines += 1
        if f[1] == "bal_model":
            self.models.append(" ".join(f[2:]))
            return
        if f[1] not in ("bal_messaging_sec",) + tuple(self.KEYS):
            self.report_to.lost(lineno, f[1], "unknown line", line)
            return
        if not NAME.match(f[2]):
            self.report_to.lost(lineno, f[1], "cut or spliced (no policy)", line)
            return
        if f[1] == "bal_messaging_sec":
            v = number(f[3]) if len(f) == 4 else None
            if v is None:
                self.label(f[2])["lost"] += 1
                self.report_to.lost(lineno, f"{f[1]} {f[2]}", why_lost(f[3:]), line)
            else:
                self.label(f[2])["messaging"].append(v)
            return
        rest = f[3:]
        kv = dict(zip(rest[0::2], rest[1::2]))
        try:
            if len(rest) % 2 or len(kv) != len(rest) // 2:
                raise ValueError
            values = {k: number(kv[k]) if k == "seconds" else int(kv[k])
                      for k in self.KEYS[f[1]]}
            if values.get("seconds", 0) is None:
                raise ValueError
        except (ValueError, KeyError):
            self.label(f[2])["lost"] += 1
            self.report_to.lost(lineno, f"{f[1]} {f[2]}", why_lost(rest), line)
            return
        r = self.label(f[2])
        if f[1] == "bal_cost":
            r["cost_rounds"] += 1
        for k, v in values.items():
            if k == "seconds":
                r["numa_seconds"].append(v)
            else:
                r[k] += v

    def problems(self):
        """What is wrong with the table as a whole (its boot's first line)."""
        if self.separator == "none":
            return ["no bal_nodes line: this boot's first line was lost, its plan is "
                    "unknown (without boot IDs its rounds would merge into another table)"]
        if self.separator == "cut":
            return ["its bal_nodes line was cut or spliced: its plan is unknown"]
        if self.plan is None:
            return ["its bal_nodes line has no plan (rounds, policies): rounds planned unknown"]
        return []

    def report(self):
        if self.plan:
            for name in self.plan["policies"]:
                self.label(name)
        cfs = self.by.get("cfs", self.label("cfs"))
        cfs_msg, cfs_numa = med(cfs["messaging"]), med(cfs["numa_seconds"])
        planned = self.plan["rounds"] if self.plan else None
        what = ", ".join(x for x in (self.topology or "?",
                                     f"boot {self.boot}" if self.boot else "",
                                     f"{planned} rounds planned" if planned else "") if x)
        print(f"\nBalancers against CFS ({what}): messaging s and numa s "
              f"are medians of the rounds counted (rounds: messaging/numa), remote %, "
              f"moves/1k and balance calls sums over them; ratio = policy / CFS")
        problems = self.problems()
        for p in problems:
            print(f"  ! {p}")
        self.report_to.marked += len(problems)
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
            n_msg, n_numa = len(r["messaging"]), len(r["numa_seconds"])
            rounds = f"{n_msg}/{n_numa}"
            notes = []
            if r["lost"]:
                notes.append(f"{r['lost']} lost")
            if (n_msg, n_numa) != (len(cfs["messaging"]), len(cfs["numa_seconds"])):
                notes.append("rounds differ from CFS's")
            if name != "cfs" and r["cost_rounds"] != n_numa:
                notes.append(f"cost of {r['cost_rounds']} rounds")
            if r["failed"]:
                notes.append(f"{r['failed']} NUMA workers failed")
            if self.plan and name not in self.plan["policies"]:
                notes.append("not in the plan")
            notes += plan_notes((n_msg, n_numa), planned)
            mark = "  ! " + "; ".join(notes) if notes else ""
            self.report_to.marked += bool(notes)
            print(f"{name:8} {rounds:>6} {msg:11.3f} "
                  f"{msg / cfs_msg if cfs_msg else float('nan'):6.3f} "
                  f"{numa:7.3f} {numa / cfs_numa if cfs_numa else float('nan'):6.3f} "
                  f"{remote:8.1f} {moves:8.1f} {calls:>13} "
                  f"{'-' if name == 'cfs' else f'{per_call:.0f}':>8}{mark}")
            out[name] = dict(r, median_messaging=msg, median_numa_seconds=numa,
                             remote_pct=remote, cpu_changes_per_1k=moves,
                             rounds={"messaging": n_msg, "numa": n_numa},
                             planned=planned, marked=bool(notes))
        for m in self.models:
            print(f"learned model {m}")
        if any(r["failed"] for r in self.by.values()):
            print("warning: some NUMA workers failed (a bind, a fork, or a worker killed)")
        return {"topology": self.topology, "policies": out, "learned_models": self.models,
                "statistic": "median of the rounds counted (messaging, numa seconds); "
                             "sums over them (remote, moves, calls, ns)",
                "boot": self.boot, "plan": self.plan, "problems": problems,
                "marked": bool(problems) or any(r["marked"] for r in out.values())}


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    rep = Report()
    runs, edf, edf_cpus = {}, {}, None
    plan, plans = None, 0
    bals = []

    def bal_table(boot, separator=None):
        """The table a balancers line of boot `boot` (None: the line has no
        boot ID) goes to; a bal_nodes line (separator "ok" or "cut") starts one.
        Table.lines counts its lines other than bal_nodes."""
        cur = bals[-1] if bals else None
        if separator:
            bals.append(Balancers(rep, boot, separator))
        elif cur is not None and boot is not None and cur.boot is None and cur.lines == 0:
            cur.boot = boot  # after a bal_nodes line cut before its boot ID
        elif cur is None or (boot is not None and cur.boot != boot):
            # A boot whose bal_nodes line is lost: a table of its own, marked.
            bals.append(Balancers(rep, boot, "none"))
        return bals[-1]

    def spliced(lineno, g, line):
        """g: the words from a BENCH that console output came before (on
        the same line): its own start may be intact, but nothing says so.
        Lost, and counted against its row when its names can be read."""
        what = "a BENCH line"
        if len(g) >= 2 and g[0] == "BENCH" and g[1] == "bal_nodes":
            what = "bal_nodes"  # a boot starts here, without its plan
            bal_table(split_boot(g)[1], "cut")
        elif len(g) >= 3 and g[0] == "BENCH" and NAME.match(g[1]) and NAME.match(g[2]):
            what = f"{g[1]} {g[2]}"
            if g[1].startswith("bal_"):
                t = bal_table(split_boot(g)[1])
                t.lines += 1
                if g[1] in ("bal_messaging_sec", "bal_numa"):
                    t.label(g[2])["lost"] += 1
            elif g[1].startswith("edf_"):
                t = edf.setdefault(g[1], {}).setdefault(g[2], {"rounds": 0, "lost": 0})
                t["lost"] += 1
            elif g[1] != "plan":
                runs.setdefault(g[1], {}).setdefault(g[2], {"values": [], "lost": 0})
                runs[g[1]][g[2]]["lost"] += 1
        rep.lost(lineno, what, "spliced after console output", line)

    for lineno, line in enumerate(open(sys.argv[1], errors="replace"), 1):
        # Every BENCH in the line, also one glued to console output
        # ("...doneBENCH x"), or a second one where a newline was lost.
        starts = [m.start() for m in re.finditer("BENCH", line)]
        if not starts:
            continue
        f = line.split()
        for at in starts if f[0] != "BENCH" else starts[1:]:
            spliced(lineno, line[at:].split(), line)
        if f[0] != "BENCH":
            continue
        if len(f) < 2 or not NAME.match(f[1]):
            rep.lost(lineno, "a BENCH line", "cut or spliced", line)
            continue
        if f[1] == "plan":
            plans += 1
            if plans > 1:
                rep.lost(lineno, "plan", "a second plan line (two boots' output?)", line)
                continue
            try:
                plan = key_values(f[2:], ("rounds", "edf_rounds"), ("workloads", "edf_sets"))
            except (ValueError, KeyError):
                rep.lost(lineno, "plan", "cut or spliced", line)
            continue
        if f[1].startswith("bal_"):
            f, boot = split_boot(f)
            if len(f) < 3:
                rep.lost(lineno, f[1], "cut or spliced", line)
                continue
            t = bal_table(boot, "ok" if f[1] == "bal_nodes" else None)
            if boot is None and t.boot is not None:
                # This boot's lines all end in its ID: this one was cut.
                if NAME.match(f[2]) and f[1] in ("bal_messaging_sec", "bal_numa"):
                    t.label(f[2])["lost"] += 1
                rep.lost(lineno, f"{f[1]} {f[2]}", "cut (no boot ID)", line)
                continue
            t.add(f, lineno, line)
            continue
        if f[1] == "edf_cpus":
            if len(f) == 3 and f[2].isdigit():
                edf_cpus = int(f[2])
            else:
                rep.lost(lineno, "edf_cpus", "cut or spliced", line)
            continue
        if len(f) < 3 or not NAME.match(f[2]):
            rep.lost(lineno, f[1], "cut or spliced (no class or policy)", line)
            continue
        if f[1].startswith("edf_"):
            # Rounds of one set add up; lateness is the worst of them.
            total = edf.setdefault(f[1], {}).setdefault(f[2], {"rounds": 0, "lost": 0})
            rest = f[3:]
            kv = dict(zip(rest[0::2], rest[1::2]))
            try:
                if len(rest) % 2 or len(kv) != len(rest) // 2:
                    raise ValueError
                r = {k: int(v) for k, v in kv.items()}
                if not all(k in r for k in EDF_KEYS):
                    raise ValueError
            except ValueError:
                total["lost"] += 1
                rep.lost(lineno, f"{f[1]} {f[2]}", why_lost(rest), line)
                continue
            if r.get("setattr_failed", 0):
                # Admission refused some tasks: the set that ran is not
                # the set asked for, and fewer tasks miss less.
                total["lost"] += 1
                rep.lost(lineno, f"{f[1]} {f[2]}",
                         f"setattr failed for {r['setattr_failed']} task(s)", line)
                continue
            total["rounds"] += 1
            for k, v in r.items():
                total[k] = max(total.get(k, 0), v) if k.startswith("max_") else total.get(k, 0) + v
            continue
        side = runs.setdefault(f[1], {}).setdefault(f[2], {"values": [], "lost": 0})
        v = number(f[3]) if len(f) == 4 else None
        if v is None:
            side["lost"] += 1
            rep.lost(lineno, f"{f[1]} {f[2]}", why_lost(f[3:]), line)
        else:
            side["values"].append(v)

    if plan is None:
        rep.problems.append("no usable \"BENCH plan\" line (bench-sched.sh prints it first): "
                            "the rounds planned are unknown, every workload and EDF row "
                            "is marked")
        planned = edf_planned = None
    else:
        planned, edf_planned = plan["rounds"], plan["edf_rounds"]
        # A workload or a set that printed nothing at all still has a row.
        for name in plan["workloads"]:
            runs.setdefault(name, {})
        for name in plan["edf_sets"]:
            for policy in ("multios", "deadline"):
                edf.setdefault(name, {}).setdefault(policy, {"rounds": 0, "lost": 0})

    result = {"workloads": {}, "edf": edf, "edf_cpus": edf_cpus, "plan": plan,
              "statistic": {"workloads": "median of the rounds counted per class",
                            "edf": "sums over the rounds counted (max_late_us: the worst)"}}
    print(f"Workloads: median of the rounds counted per class (rounds: CFS/multios, "
          f"{planned or '?'} planned); ratio = multios / CFS, lower is better")
    print(f"{'workload':24} {'CFS':>10} {'multios':>10} {'ratio':>7} {'rounds':>7}")
    empty = {"values": [], "lost": 0}
    for name, by_class in sorted(runs.items()):
        c, m = by_class.get("cfs", empty), by_class.get("multios", empty)
        cfs, mos = med(c["values"]), med(m["values"])
        ratio = mos / cfs if cfs else float("nan")
        n = {"cfs": len(c["values"]), "multios": len(m["values"])}
        notes = [f"{cls}: {s['lost']} lost" for cls, s in (("cfs", c), ("multios", m))
                 if s["lost"]]
        if n["cfs"] != n["multios"]:
            notes.append("sides differ")
        notes += [f"unknown class {cls}" for cls in by_class if cls not in ("cfs", "multios")]
        if plan and name not in plan["workloads"]:
            notes.append("not in the plan")
        notes += plan_notes(n.values(), planned)
        rep.marked += bool(notes)
        result["workloads"][name] = {"cfs": c["values"], "multios": m["values"],
                                     "median_cfs": cfs, "median_multios": mos,
                                     "ratio": ratio, "rounds": n,
                                     "lost": {"cfs": c["lost"], "multios": m["lost"]},
                                     "planned": planned, "marked": bool(notes)}
        rounds = f"{n['cfs']}/{n['multios']}"
        print(f"{name:24} {cfs:10.3f} {mos:10.3f} {ratio:7.3f} {rounds:>7}"
              + ("  ! " + "; ".join(notes) if notes else ""))
    print(f"\nEDF sets on {edf_cpus or '?'} online CPUs: sums over the rounds counted "
          f"({edf_planned or '?'} planned; max late: the worst round)")
    # shared: jobs that started while another job of the set ran on their
    # CPU (two reservations on one CPU); misses outside those are delays
    # of a task alone on its CPU.
    print(f"{'EDF set':10} {'policy':10} {'rounds':>6} {'jobs':>8} {'misses':>8} "
          f"{'max late us':>12} {'shared':>8} {'migrations':>10}")
    for name, by_policy in sorted(edf.items()):
        counts = {r["rounds"] for r in by_policy.values()}
        for policy, r in sorted(by_policy.items()):
            notes = [f"{r['lost']} lost"] if r.get("lost") else []
            if len(counts) > 1 or len(by_policy) < 2:
                notes.append("policies differ" if len(by_policy) > 1 else "no other policy")
            if plan and name not in plan["edf_sets"]:
                notes.append("not in the plan")
            notes += plan_notes((r["rounds"],), edf_planned)
            rep.marked += bool(notes)
            r["planned"] = edf_planned
            r["marked"] = bool(notes)
            print(f"{name:10} {policy:10} {r.get('rounds', 0):6} {r.get('jobs', 0):8} "
                  f"{r.get('misses', 0):8} {r.get('max_late_us', 0):12} "
                  f"{r.get('shared', 0):8} {r.get('migrations', 0):10}"
                  + ("  ! " + "; ".join(notes) if notes else ""))
    result["balancers"] = [b.report() for b in bals]
    json.dump(no_nan(result), open(sys.argv[2], "w"), indent=2)
    for p in rep.problems:
        print(f"{PROG}: {p}", file=sys.stderr)
    if rep.problems or rep.marked:
        print(f"{PROG}: {rep.lines_lost} line(s) not counted, {rep.marked} row(s) "
              f"marked '!' (a table's own mark counts as one): their figures are over "
              f"fewer rounds than planned or ran, or their sides counted different "
              f"numbers of rounds, or what was planned is unknown", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
