#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# CPU hot-plug under load for multios_sched, run as root in the x86_64
# test guest (8 CPUs, 2 nodes in make check):
#
#   selftests/sched/multios_hotplug_test.sh MODULE_DIR TOOL [CYCLES]
#
# With every task in the class (switch_all), long-lived CPU hogs on a quarter of
# the CPUs, EDF periodic tasks and Debian's stress-ng fork/switch
# stressors running, CYCLES times (200) take a random CPU offline and
# bring it back. Then: every hog is alive and still runs in the class, the EDF
# tasks finished all their jobs' loop, stress-ng completed, the class was
# never disabled, every CPU is online and in the domain tree, and every
# CPU ran tasks of the class. The guest runner fails the boot on any
# splat. Output is TAP.
set -u
mods=$1 tool=$2 cycles=${3:-200}
knobs=/sys/kernel/multios/sched
stats=/proc/multios/sched
ncpu=$(nproc)
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
hogs="" load=""

# A random number in 1..$1 (CPU 0 stays: x86 cannot always unplug it).
random_upto() {
	r=$(od -An -N2 -tu2 /dev/urandom)
	echo $((r % $1 + 1))
}

# The load runs in the class (SCHED_OTHER under switch_all); this script
# runs as SCHED_FIFO (see below), so chrt -o 0 puts each load task back.
start_load() {
	for _ in $(seq $((ncpu / 4))); do
		chrt -o 0 "$tool" hog 900 &
		hogs="$hogs $!"
	done
	# Two EDF tasks of 10 % (5 ms per 50 ms, 2 ms of work) for as long
	# as the cycles are expected to take, and stress-ng as long again.
	chrt -o 0 "$tool" periodic multios 2 5000 50000 2000 "$secs" >/tmp/hotplug-edf.out 2>&1 &
	load="$!"
	chrt -o 0 stress-ng --fork 2 --switch 2 --timeout "${secs}s" --metrics-brief \
		>/tmp/hotplug-stress.out 2>&1 &
	load="$load $!"
}

# One cycle: a random CPU out and back. A write may fail: under TCG a
# vCPU thread on a busy host sometimes does not answer the bring-up in
# time (EIO from the x86 boot code, with or without this class). Such
# failures are counted and reported; a CPU that never comes back, a lost
# task or a splat fails the test.
cycle() {
	cpu=/sys/devices/system/cpu/cpu$(random_upto $((ncpu - 1)))/online
	echo 0 >"$cpu" 2>/dev/null || write_errors=$((write_errors + 1))
	for _ in 1 2 3 4 5; do
		echo 1 >"$cpu" 2>/dev/null && return 0
		write_errors=$((write_errors + 1))
		sleep 1
	done
	return 1
}

cycles() {
	i=0 t0=$(date +%s) write_errors=0
	while [ $i -lt "$cycles" ]; do
		cycle || { echo "cycle $i: $cpu stays offline"; cpus_restore; return 1; }
		i=$((i + 1))
	done
	echo "# $cycles cycles in $(($(date +%s) - t0)) s; $write_errors failed writes, retried"
	grep -q '^state: enabled' $stats || { head -n 2 $stats; return 1; }
}

# The class never moves se.vruntime (CFS's field); a hog it runs gains
# sum_exec_runtime with se.vruntime unchanged (see multios_sched_test.sh).
hogs_in_class() {
	for pid in $hogs; do
		kill -0 "$pid" 2>/dev/null || { echo "hog $pid is gone"; return 1; }
		echo "$pid $(sched_fields "$pid")"
	done >/tmp/hotplug-hogs.before
	sleep 2
	while read -r pid v e; do
		# shellcheck disable=SC2046 # two fields
		set -- $(sched_fields "$pid")
		[ "$1" = "$v" ] || { echo "hog $pid ran in CFS: se.vruntime $v -> $1"; return 1; }
		[ "$2" != "$e" ] || { echo "hog $pid did not run in 2 s"; return 1; }
	done </tmp/hotplug-hogs.before
	echo "# $((ncpu / 4)) hogs alive and in the class"
}

load_finished() {
	rc=0
	for pid in $load; do
		wait "$pid" || rc=1
	done
	sed 's/^/# /' /tmp/hotplug-edf.out
	tail -n 4 /tmp/hotplug-stress.out | sed 's/^/# /'
	grep -q 'setattr_failed 0' /tmp/hotplug-edf.out || rc=1
	grep -q 'jobs [1-9]' /tmp/hotplug-edf.out || rc=1
	grep -q 'successful run completed' /tmp/hotplug-stress.out || rc=1
	return $rc
}

every_cpu_back() {
	for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat "$f")" = 1 ] || { echo "$f is $(cat "$f")"; return 1; }
	done
	head -n 1 /proc/multios/sched_domains | grep -q "^domains: $ncpu cpus, " ||
		{ head -n 1 /proc/multios/sched_domains; return 1; }
	# Column 5: switches. Every CPU ran tasks of the class.
	awk '$1 ~ /^[0-9]+$/ && $5 == 0 { print "CPU " $1 " never switched"; bad = 1 }
	     END { exit bad }' $stats
}

echo "TAP version 13"
cd /tmp || exit 1	# stress-ng writes its temporary files in the current directory
# The driver (this shell, and the date, od and echo it runs) is real-time,
# out of the class, as an administrator's shell on a loaded machine would
# be: in the class it waited its turn among the load, and in an 8-vCPU
# TCG guest on 2 host CPUs one cycle then took a minute.
chrt -f -p 10 $$ >/dev/null || exit 1
# About 0.4 s per cycle in an 8-vCPU TCG guest; the load outlasts them.
secs=$((cycles / 2 + 20))
lsmod | grep -q '^multios_core' || insmod "$mods/modules/core/multios_core.ko"
ok "insmod multios_sched, switch_all=1" \
	sh -c "insmod $mods/modules/sched/multios_sched.ko && echo 1 >$knobs/switch_all"
start_load
ok "$cycles offline/online cycles of random CPUs under load" cycles
ok "every hog survived and is still in the class" hogs_in_class
# shellcheck disable=SC2086 # a list of PIDs
kill $hogs 2>/dev/null
ok "EDF tasks and stress-ng finished" load_finished
ok "every CPU online, in the domain tree, and used" every_cpu_back
wait
ok "switch_all=0, rmmod multios_sched" \
	sh -c "echo 0 >$knobs/switch_all && rmmod multios_sched"
tap_end
