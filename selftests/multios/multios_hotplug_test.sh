#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# CPU hot-plug under load for multios_sched, run as root in the x86_64
# test guest (8 CPUs, 2 nodes in make check):
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_hotplug_test.sh [CYCLES]
#
# With every task in the class (switch_all), long-lived CPU hogs on a quarter of
# the CPUs, EDF periodic tasks and Debian's stress-ng fork/switch
# stressors running, CYCLES times (200) take a random CPU offline and
# bring it back, each step read back from sysfs. Then: every hog is alive and still runs in the class, the EDF
# tasks finished all their jobs' loop, stress-ng completed, the class was
# never disabled, every CPU is online and in the domain tree, and every
# CPU ran tasks of the class. The guest runner fails the boot on any
# splat. Output is TAP.
set -u
cycles=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/mos_sched_tool
knobs=/sys/kernel/multios/sched
stats=/proc/multios/sched
# Every CPU the kernel has online, whatever this shell's affinity.
ncpu=$(getconf _NPROCESSORS_ONLN)
# shellcheck source=selftests/multios/lib.sh
. "$here/lib.sh"
need_program "$tool"
need_sched
[ "$ncpu" -ge 2 ] || skip_all "one CPU online: none to take offline"
hogs="" load=""


# The load runs in the class (SCHED_OTHER under switch_all); this script
# runs as SCHED_FIFO (see below), so chrt -o 0 puts each load task back.
start_load() {
	for _ in $(seq $((ncpu / 4))); do
		chrt -o 0 "$tool" hog 36000 &
		hogs="$hogs $!"
	done
	# Two EDF tasks of 10 % (5 ms per 50 ms, 2 ms of work) and stress-ng,
	# until stop_load: through every cycle, however long they take (1 to
	# 3.5 s each in make check's guest), and no longer. Both end on SIGINT
	# with their report.
	chrt -o 0 "$tool" periodic multios 2 5000 50000 2000 36000 >/tmp/hotplug-edf.out 2>&1 &
	load="$!"
	chrt -o 0 stress-ng --fork 2 --switch 2 --timeout 36000s --metrics-brief \
		>/tmp/hotplug-stress.out 2>&1 &
	load="$load $!"
}

stop_load() {
	# shellcheck disable=SC2086 # a list of PIDs
	kill -INT $load 2>/dev/null
}

# One cycle: a random CPU out and back, each step read back from sysfs.
# A refused offline write is asked again through the tool, which names
# the errno: EBUSY is the class's EDF admission keeping a CPU that
# admitted bandwidth needs (legitimate, though this load of 2 x 10 %
# never needs it), and may refuse up to a twentieth of the cycles (with
# the refusals a retry accepted); any other refusal fails.
# A bring-up may fail too: under TCG a vCPU thread on a busy host
# sometimes does not answer in time (EIO from the x86 boot code, with or
# without this class). It is retried (through the tool, for the errno),
# up to a twentieth of the cycles in all; a CPU that never comes back, a
# lost task or a splat fails the test.
cycle() {	# cycle CPU
	cpu=/sys/devices/system/cpu/cpu$1
	if echo 0 >"$cpu/online" 2>/dev/null; then
		read -r state <"$cpu/online"
		[ "$state" = 0 ] || { echo "$cpu: offline accepted, but online reads $state"; return 1; }
		offlined=$((offlined + 1))
	else
		# dash's echo says "I/O error" whatever the errno; the tool names
		# it, writing again (admission refuses the same way twice).
		err=$("$tool" write "$cpu/online" 0)
		case $err in
		EBUSY) refused_busy=$((refused_busy + 1)) ;;
		"")	# accepted the second time: counted with EBUSY, said
			echo "# $cpu: offline refused once (errno unknown), then accepted"
			refused_busy=$((refused_busy + 1)) ;;
		*) echo "$cpu: offline refused with $err"; return 1 ;;
		esac
	fi
	echo 1 >"$cpu/online" 2>/dev/null || online_retry || return 1
	read -r state <"$cpu/online"
	[ "$state" = 1 ] || { echo "$cpu: online accepted, but online reads $state"; return 1; }
}

online_retry() {
	for _ in 1 2 3 4 5; do
		online_retries=$((online_retries + 1))
		sleep 1
		err=$("$tool" write "$cpu/online" 1) && return 0
		echo "# $cpu: online failed with ${err:-no errno}"
	done
	echo "$cpu stays offline"
	return 1
}

# The CPUs come from one read of /dev/urandom, so that a cycle runs no
# program unless a write fails: under this load an exec in the guest took
# most of a second (a cycle with two of them 3.5 s, with none 1.9 s).
cycles() {
	t0=$(date +%s) offlined=0 refused_busy=0 online_retries=0
	for r in $(od -An -N$((cycles * 2)) -tu2 /dev/urandom); do
		# 1..ncpu-1: CPU 0 stays (x86 cannot always unplug it).
		cycle $((r % (ncpu - 1) + 1)) || { cpus_restore; return 1; }
	done
	echo "# $cycles cycles in $(($(date +%s) - t0)) s: $offlined CPUs went offline," \
		"$refused_busy offline writes refused with EBUSY, $online_retries online writes retried"
	[ $((refused_busy * 20)) -le "$cycles" ] ||
		{ echo "more than a twentieth of the offline writes refused"; return 1; }
	[ $((online_retries * 20)) -le "$cycles" ] ||
		{ echo "more online writes retried than a twentieth of the cycles"; return 1; }
	# Under load to the last cycle: the EDF tasks and stress-ng still run.
	for pid in $load; do
		kill -0 "$pid" 2>/dev/null || { echo "the load (pid $pid) ended before the cycles did"; return 1; }
	done
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

tap_plan 6
cd /tmp || exit 1	# stress-ng writes its temporary files in the current directory
# The driver (this shell, and the date, od and echo it runs) is real-time,
# out of the class, as an administrator's shell on a loaded machine would
# be: in the class it waited its turn among the load, and in an 8-vCPU
# TCG guest on 2 host CPUs one cycle then took a minute.
chrt -f -p 10 $$ >/dev/null || exit 1
lsmod | grep -q '^multios_core' || insmod "$core_ko"
ok "insmod multios_sched, switch_all=1" \
	sh -c "insmod $sched_ko && echo 1 >$knobs/switch_all"
start_load
ok "$cycles offline/online cycles of random CPUs under load" cycles
stop_load
ok "every hog survived and is still in the class" hogs_in_class
# shellcheck disable=SC2086 # a list of PIDs
kill $hogs 2>/dev/null
ok "EDF tasks and stress-ng finished" load_finished
ok "every CPU online, in the domain tree, and used" every_cpu_back
wait
ok "switch_all=0, rmmod multios_sched" \
	sh -c "echo 0 >$knobs/switch_all && rmmod multios_sched"
tap_end
