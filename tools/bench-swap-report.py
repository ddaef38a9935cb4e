#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the swap benchmark's guest output into a table and JSON.

    tools/bench-swap-report.py GUEST_OUTPUT JSON_OUT

GUEST_OUTPUT holds one "BENCH {...}" line per run (selftests/swap/
swap_bench.c). For each dataset, multios_swap0 is compared with zram0:
memory used and its ratio, swap-out and swap-in MB/s and their ratios,
CPU seconds. Exits 1 if a run is missing or returned a wrong page.
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    runs = {}
    for line in open(sys.argv[1], errors="replace"):
        if line.startswith("BENCH "):
            r = json.loads(line[6:])
            runs[(r["dataset"], r["device"])] = r
    rows, ok = [], True
    mb = 1 << 20
    print(f"{'dataset':8} {'device':14} {'MiB':>5} {'used MiB':>9} {'ratio':>6} "
          f"{'out MB/s':>9} {'in MB/s':>8} {'CPU s':>6}  vs zram: used  out   in")
    for ds in ("dup0", "dup15", "dup40", "files"):
        z = runs.get((ds, "zram0"))
        m = runs.get((ds, "multios_swap0"))
        if not z or not m:
            print(f"{ds}: missing run")
            ok = False
            continue
        for r in (z, m):
            r["out_mbs"] = r["bytes"] / mb / max(r["out_s"], 1e-9)
            r["in_mbs"] = r["bytes"] / mb / max(r["in_s"], 1e-9)
            r["ratio"] = r["bytes"] / max(r["mem_used"], 1)
            ok = ok and r["bad_pages"] == 0
        cmp = {
            "mem_used": m["mem_used"] / max(z["mem_used"], 1),
            "out": m["out_mbs"] / z["out_mbs"],
            "in": m["in_mbs"] / z["in_mbs"],
        }
        for r in (z, m):
            tail = (f"  {cmp['mem_used']:10.2f} {cmp['out']:5.2f} {cmp['in']:5.2f}"
                    if r is m else "")
            print(f"{ds:8} {r['device']:14} {r['bytes'] / mb:5.0f} {r['mem_used'] / mb:9.1f} "
                  f"{r['ratio']:6.2f} {r['out_mbs']:9.1f} {r['in_mbs']:8.1f} "
                  f"{r['cpu_out_s'] + r['cpu_in_s']:6.2f}{tail}")
        rows.append({"dataset": ds, "zram": z, "multios_swap": m, "vs_zram": cmp})
    with open(sys.argv[2], "w") as f:
        json.dump(rows, f, indent=2)
    print(f"JSON: {sys.argv[2]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
