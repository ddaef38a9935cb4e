#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the swap benchmark's guest output into a table and JSON.

    tools/bench-swap-report.py GUEST_OUTPUT JSON_OUT

GUEST_OUTPUT holds one "BENCH {...}" line per run (selftests/swap/
swap_bench.c), one run per dataset, device and repetition, after the
plan bench-swap.sh prints first: 'BENCH {"plan": {"repetitions": N,
"datasets": [...]}}'. For each
dataset, multios_swap0 is compared with zram0: memory used and its ratio,
swap-out and swap-in MB/s and their ratios, CPU seconds. With several
repetitions every figure is the median of the repetitions counted (the
reps column), and the ratios are followed by the lowest and highest ratio
of one repetition's pair of runs. Exits 1 if a run is missing, a line is
cut or carries a NaN, a run returned a wrong page, a dataset has fewer
repetitions than planned or than the others (marked "!"), the plan line
is missing (every row marked), a device's mm_stat could not be read
(swap_bench prints its memory figures as null: "n/a" here), or a memory
figure is negative (it shrank during the run) or absurd (over 2^62).
A line with BENCH anywhere in it is read from its BENCH on (console
output before it, or a second BENCH where a newline was lost), and is
counted only if all that follows is one whole JSON object: else it is a
lost line.
"""
import json
import math
import re
import statistics
import sys

DATASETS = ("dup0", "dup15", "dup40", "files")
DEVICES = ("zram0", "multios_swap0")
MB = 1 << 20
# No memory figure of one run comes near this: one that does is an
# unsigned difference that wrapped around (an older swap_bench).
ABSURD = 1 << 62


def no_constant(name):
    raise ValueError(f"{name} is not a number")


def derive(r):
    if not isinstance(r["dataset"], str) or not isinstance(r["device"], str):
        raise ValueError("no dataset or device")
    for key in ("bytes", "out_s", "in_s", "cpu_out_s", "cpu_in_s", "bad_pages"):
        if not isinstance(r[key], (int, float)) or not math.isfinite(r[key]):
            raise ValueError(f"{key} is {r[key]!r}")
    for key in ("mem_used", "compr_bytes", "huge_pages"):
        v = r[key] if key == "mem_used" else r.get(key)
        if v is None:
            continue
        if not isinstance(v, int) or isinstance(v, bool):
            raise ValueError(f"{key} is {v!r}")
        if v < 0:
            raise ValueError(f"{key} is {v}: it shrank during the run")
        if v > ABSURD:
            raise ValueError(f"{key} is {v}: absurd (over 2^62), an unsigned "
                             f"difference that wrapped")
    r["out_mbs"] = r["bytes"] / MB / max(r["out_s"], 1e-9)
    r["in_mbs"] = r["bytes"] / MB / max(r["in_s"], 1e-9)
    r["cpu_s"] = r["cpu_out_s"] + r["cpu_in_s"]
    return r


def median_run(runs):
    """One run made of the medians of every figure of `runs`."""
    m = {"device": runs[0]["device"], "dataset": runs[0]["dataset"],
         "bytes": runs[0]["bytes"], "repetitions": len(runs),
         "bad_pages": sum(r["bad_pages"] for r in runs)}
    for key in ("out_s", "in_s", "cpu_out_s", "cpu_in_s", "out_mbs", "in_mbs", "cpu_s"):
        m[key] = statistics.median(r[key] for r in runs)
    # No median of the runs that had an mm_stat, as if they were all.
    used = [r["mem_used"] for r in runs]
    m["mem_used"] = None if None in used else statistics.median(used)
    m["mem_used_range"] = None if None in used else [min(used), max(used)]
    return m


def ratios(zruns, mruns):
    """Per repetition multios/zram ratios (runs paired by repetition)."""
    z = {r.get("rep", 1): r for r in zruns}
    out = {"mem_used": [], "out": [], "in": [], "cpu": []}
    for m in mruns:
        zr = z.get(m.get("rep", 1))
        if not zr:
            continue
        out["mem_used"].append(None if None in (m["mem_used"], zr["mem_used"])
                               else m["mem_used"] / max(zr["mem_used"], 1))
        out["out"].append(m["out_mbs"] / max(zr["out_mbs"], 1e-9))
        out["in"].append(m["in_mbs"] / max(zr["in_mbs"], 1e-9))
        out["cpu"].append(m["cpu_s"] / max(zr["cpu_s"], 1e-9))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    runs, lost, plan, plans = {}, 0, None, 0
    for lineno, line in enumerate(open(sys.argv[1], errors="replace"), 1):
        # Each BENCH of the line up to the next one: a JSON object is whole
        # or does not parse, so console output before it takes nothing
        # from it. A line cut short or spliced with a kernel message on
        # the serial console is reported, and fails the report.
        starts = [m.start() for m in re.finditer("BENCH", line)]
        for at, end in zip(starts, starts[1:] + [len(line)]):
            piece = line[at:end].strip()
            try:
                if not piece.startswith("BENCH "):
                    raise ValueError("no BENCH word")
                obj = json.loads(piece[6:], parse_constant=no_constant)
                if isinstance(obj, dict) and "plan" in obj:
                    p = obj["plan"]
                    if (set(obj) != {"plan"} or not isinstance(p, dict)
                            or not isinstance(p.get("repetitions"), int)
                            or isinstance(p["repetitions"], bool) or p["repetitions"] < 1
                            or not isinstance(p.get("datasets"), list) or not p["datasets"]
                            or not all(isinstance(d, str) for d in p["datasets"])):
                        raise ValueError("not a plan")
                    plans += 1
                    if plans > 1:
                        raise ValueError("a second plan line (two boots' output?)")
                    plan = p
                    continue
                r = derive(obj)
            except (ValueError, KeyError, TypeError) as e:
                print(f"malformed line {lineno} ({e}): {piece[:80]}")
                lost += 1
                continue
            if at > 0 and line[:at].strip():
                print(f"line {lineno}: console output before BENCH, the run read from "
                      f"BENCH on: {line[:at].strip()[:40]}")
            runs.setdefault((r["dataset"], r["device"]), []).append(r)
    rows, ok, floors = [], not lost, []
    if plan is None:
        print('no plan line (BENCH {"plan": ...}, bench-swap.sh prints it first): the '
              "repetitions planned are unknown, every row is marked")
        ok = False
    planned = plan["repetitions"] if plan else None
    reps = max([len(v) for v in runs.values()] + [planned or 0])
    print(f"{reps} repetition(s); figures are medians of the repetitions counted "
          f"(reps; {planned or '?'} planned); ratio columns: median [lowest-highest of "
          f"one repetition's pair]")
    print(f"{'dataset':8} {'device':14} {'reps':>4} {'MiB':>5} {'used MiB':>9} {'ratio':>6} "
          f"{'out MB/s':>9} {'in MB/s':>8} {'CPU s':>6}  vs zram: used, out, in, CPU")
    datasets = plan["datasets"] if plan else DATASETS
    # Runs no row would show: reported, never dropped in silence.
    for ds, dev in sorted(runs):
        if ds not in datasets or dev not in DEVICES:
            print(f"{ds}/{dev}: {len(runs[ds, dev])} run(s) of a dataset or device "
                  f"not in the plan, not counted")
            ok = False
    for ds in datasets:
        zr, mr = runs.get((ds, DEVICES[0])), runs.get((ds, DEVICES[1]))
        if (not zr or not mr or sorted(r.get("rep", 1) for r in zr) !=
                sorted(r.get("rep", 1) for r in mr)):
            print(f"{ds}: missing run")
            ok = False
            continue
        ok = ok and all(r["bad_pages"] == 0 for r in zr + mr)
        z, m = median_run(zr), median_run(mr)
        per_rep = ratios(zr, mr)
        cmp = {k: None if None in v else statistics.median(v) for k, v in per_rep.items()}
        spread = {k: None if None in v else [min(v), max(v)] for k, v in per_rep.items()}
        for x in zr + mr:
            if x["mem_used"] is None:
                print(f"{ds}/{x['device']}/rep {x.get('rep', 1)}: no mm_stat, "
                      f"memory figures n/a")
                ok = False
        short = len(zr) < reps
        notes = [f"{len(zr)} of {reps} repetitions"] if short else []
        numbers = [r.get("rep", 1) for r in zr]
        if plan and (len(set(numbers)) != len(numbers)
                     or not all(isinstance(x, int) and 1 <= x <= planned for x in numbers)):
            notes.append("repetitions not in the plan")
        if not plan:
            notes.append("no plan")
        ok = ok and not notes
        for r in (z, m):
            r["ratio"] = None if r["mem_used"] is None else r["bytes"] / max(r["mem_used"], 1)
            tail = ""
            if r is m:
                tail = "  " + ", ".join(
                    ("n/a" if cmp[k] is None else
                     (f"{cmp[k]:.4f}" if k == "mem_used" else f"{cmp[k]:.3f}") +
                     (f" [{spread[k][0]:.2f}-{spread[k][1]:.2f}]" if reps > 1 else ""))
                    for k in ("mem_used", "out", "in", "cpu"))
            used = "n/a" if r["mem_used"] is None else f"{r['mem_used'] / MB:.1f}"
            ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}"
            print(f"{ds:8} {r['device']:14} {r['repetitions']:4} {r['bytes'] / MB:5.0f} "
                  f"{used:>9} {ratio:>6} {r['out_mbs']:9.1f} {r['in_mbs']:8.1f} "
                  f"{r['cpu_s']:6.2f}{tail}"
                  + ("  ! " + "; ".join(notes) if notes and r is m else ""))
        # Exactly N % of a synthetic set's pages are copies: one minus
        # that share is about the best memory ratio dedup can reach.
        if mr[0].get("copies") is not None and ds != "files":
            share = statistics.median(r["copies"] for r in mr) / (m["bytes"] / 4096)
            floors.append(f"{ds} {100 * share:.2f} % (floor {1 - share:.4f})")
        rows.append({"dataset": ds, "zram": z, "multios_swap": m, "vs_zram": cmp,
                     "vs_zram_range": spread, "runs": {"zram": zr, "multios_swap": mr},
                     "planned_repetitions": planned, "marked": bool(notes)})
    if floors:
        print("pages that are copies of earlier ones: " + ", ".join(floors))
    # swap_bench pushes pages out until none is resident (a few rounds);
    # a page left in RAM is a page one device did not have to store.
    left = [f"{r['dataset']}/{r['device']}/rep {r.get('rep', 1)}: {r['resident_pages']}"
            for v in runs.values() for r in v if r.get("resident_pages")]
    if left:
        print("pages left resident after MADV_PAGEOUT (memory figures not comparable): "
              + ", ".join(left))
    with open(sys.argv[2], "w") as f:
        json.dump(rows, f, indent=2)
    print(f"JSON: {sys.argv[2]}")
    if not ok:
        print(f"bench-swap-report: {lost} line(s) not counted; a run missing, short of "
              f"the plan, without a plan, with a wrong page or without its memory "
              f"figures: the table is not one of whole runs", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
