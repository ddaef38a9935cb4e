#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The class on a large guest (make scale-sched: 64 vCPUs on 8 nodes, and
# 255 vCPUs on 128 nodes), run as root in the x86_64 guest:
#
#   selftests/sched/multios_scale_test.sh MODULE_DIR TOOL [SECONDS [cfs]]
#
# With "cfs" the same load runs without the module, under CFS alone: the
# control that tells the emulator's stalls (soft lockups, RCU stalls of a
# 255-vCPU TCG guest on 2 host CPUs) from the class's.
#
# With every task in the class (switch_all): CPU hogs on a quarter of the
# CPUs for SECONDS (20), Debian's stress-ng fork and context-switch
# stressors, and hackbench. Then: every hog and stress-ng finished and said so, the
# class stayed enabled, the domain tree holds every CPU, and every CPU ran
# tasks of the class (its context-switch count in /proc/multios/sched
# grew). The guest runner fails the boot on any splat. Output is TAP.
set -u
mods=$1 tool=$2 secs=${3:-20} mode=${4:-class}
knobs=/sys/kernel/multios/sched
stats=/proc/multios/sched
ncpu=$(nproc)
cd /tmp || exit 1	# stress-ng wants a writable working directory
# shellcheck source=selftests/multios/lib.sh
. "$(dirname "$0")/../multios/lib.sh"

load() {
	insmod "$mods/modules/core/multios_core.ko" &&
		insmod "$mods/modules/sched/multios_sched.ko" &&
		echo 1 >$knobs/switch_all &&
		grep -q '^state: enabled' $stats
}

# Column 5 of the per-CPU lines: context switches of the class there
# (under cfs: the CPU's user + nice + system time in /proc/stat, which
# grows only if it ran something; the kernels have no SCHEDSTATS).
switches() {
	if [ "$mode" = cfs ]; then
		awk '$1 ~ /^cpu[0-9]+$/ { print substr($1, 4), $2 + $3 + $4 }' /proc/stat
	else
		awk '$1 ~ /^[0-9]+$/ { print $1, $5 }' $stats
	fi
}

# What the class reported every 2 s, the last two kept: if the watchdog
# disables it, the queues as the module saw them just before.
sample() {
	while :; do
		cat $stats >/tmp/scale-sample.new 2>/dev/null
		mv -f /tmp/scale-sample.last /tmp/scale-sample.prev 2>/dev/null
		mv -f /tmp/scale-sample.new /tmp/scale-sample.last
		sleep 2
	done
}

# Every hog must run to its end and exit 0; a task lost by the class
# would never finish (the runner's time-out) or be killed. A TCG vCPU of
# a 64-vCPU guest gets 1/32 of a host CPU at best, so the load is
# light: hogs on a quarter of the CPUs, small stressors.
run_load() {
	switches >/tmp/scale.before
	if [ "$mode" != cfs ]; then
		sample &
		sampler=$!
	fi
	t0=$(date +%s)
	pids=""
	for _ in $(seq $((ncpu / 4))); do
		"$tool" hog "$secs" &
		pids="$pids $!"
	done
	stress-ng --fork 2 --switch 2 --timeout "${secs}s" --metrics-brief \
		>/tmp/scale-stress.out 2>&1 &
	stress=$!
	hackbench -g 2 -l 50 >/tmp/scale-hackbench.out 2>&1 || {
		cat /tmp/scale-hackbench.out; return 1
	}
	bad=0
	for pid in $pids; do
		wait "$pid" || bad=$((bad + 1))
	done
	wait $stress || { cat /tmp/scale-stress.out; bad=$((bad + 1)); }
	[ "$mode" = cfs ] || kill $sampler
	echo "# $((ncpu / 4)) hogs, stress-ng and hackbench in $(($(date +%s) - t0)) s;" \
		"$(grep -c . /tmp/scale.before) CPUs; $bad failed"
	grep '^Time' /tmp/scale-hackbench.out | sed 's/^/# hackbench /'
	[ "$bad" -eq 0 ]
}

stayed_enabled() {
	grep -q '^state: enabled' $stats && return 0
	head -n 2 $stats
	dmesg | grep 'multios: CPU [0-9]* runs'
	echo "the class's queues before it was disabled:"
	cat /tmp/scale-sample.prev /tmp/scale-sample.last
	return 1
}

every_cpu_ran() {
	switches >/tmp/scale.after
	idle=$(join /tmp/scale.before /tmp/scale.after | awk '$3 <= $2 { print $1 }')
	[ -z "$idle" ] || { echo "no class task ran on CPU $idle" | tr '\n' ' '; return 1; }
	[ "$(grep -c . /tmp/scale.after)" -eq "$ncpu" ]
}

tree_holds_every_cpu() {
	header=$(head -n 1 /proc/multios/sched_domains)
	echo "# $header"
	case $header in "domains: $ncpu cpus, "*) ;; *) return 1 ;; esac
}

unload() {
	echo 0 >$knobs/switch_all && rmmod multios_sched && rmmod multios_core
}

if [ "$mode" = cfs ]; then tap_plan 2; else tap_plan 6; fi
echo "# $ncpu CPUs, $(cat /sys/devices/system/node/online) nodes online"
if [ "$mode" = cfs ]; then
	ok "hogs, stress-ng and hackbench under CFS (no module): every task finished" run_load
	ok "every CPU ran tasks (/proc/stat)" every_cpu_ran
	tap_end
	exit
fi
ok "insmod, switch_all: state enabled" load
ok "hogs, stress-ng and hackbench in the class: every task finished" run_load
ok "the class stayed enabled" stayed_enabled
ok "every CPU ran tasks of the class" every_cpu_ran
ok "the domain tree holds every CPU" tree_holds_every_cpu
ok "switch_all off, rmmod" unload
tap_end
