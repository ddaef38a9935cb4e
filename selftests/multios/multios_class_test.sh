#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kselftest for the kernel side of the multios scheduling class (patches
# 0002-), run as root in the x86_64 test guest with the test policy
# multios_sched_fifo (modules/sched_fifo):
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_class_test.sh
#
# mos_sched_tool (mos_sched_tool.c) is built beside it by the Makefile.
# Covers: SCHED_MULTIOS as SCHED_NORMAL with no module, registering moves
# tasks in, hundreds of tasks survive rmmod and run in CFS, switch_all on
# and off, the watchdog, an invalid pick, SysRq-M, EDF refused without
# bandwidth. Output is TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/mos_sched_tool
par=/sys/module/multios_sched_fifo/parameters
MULTIOS=12
NTASKS=${NTASKS:-200}	# of which NSPIN burn CPU, the rest nap 200 ms at a time
# (often enough for all_progress's one-second window; at 50 ms the
# 4000 wakeups a second slowed every case of the TCG guest)
# Two spinners. Each spinning vCPU of a TCG guest takes a whole host core,
# and make check's host has two: with four (one per two vCPUs) every fork
# and exec of the test shell, served over 9p by QEMU on the same cores,
# took seconds, a "cat" case 40 s and the test 25 minutes (2026-11-27).
NSPIN=${NSPIN:-2}
# shellcheck source=selftests/multios/lib.sh
. "$here/lib.sh"
need_program "$tool"
need_class
need_module multios_sched_fifo
ko=$module

# One line "PID PROGRESS POLICY" per live task of $pids, read with a
# single awk (hundreds of tasks; a process per task is too slow in an
# emulated guest). PROGRESS (context switches plus CPU ticks) grows
# whenever the task runs: a nap loop switches, a lone spinner gains CPU
# time. POLICY is field 41 of /proc/PID/stat.
snapshot() {
	files=
	for p in $pids; do
		[ -e "/proc/$p/stat" ] && files="$files /proc/$p/status /proc/$p/stat"
	done
	# shellcheck disable=SC2086
	awk '{ split(FILENAME, a, "/"); pid = a[3] }
	     FILENAME ~ /status$/ && /ctxt_switches/ { prog[pid] += $2 }
	     FILENAME ~ /stat$/ { prog[pid] += $14 + $15; pol[pid] = $41; seen[pid] = 1 }
	     END { for (p in seen) print p, prog[p], pol[p] }' $files | sort
}

# shellcheck disable=SC2086 # split into words on purpose
count_pids() { set -- $pids; echo $#; }

# Every task of $pids is alive and ran during the last second.
all_progress() {
	snapshot >/tmp/snap.before
	sleep 1
	snapshot >/tmp/snap.after
	want=$(count_pids)
	alive=$(wc -l </tmp/snap.after)
	[ "$alive" -eq "$want" ] || { echo "$((want - alive)) of $want tasks died"; return 1; }
	join /tmp/snap.before /tmp/snap.after |
		awk '$4 <= $2 { print "task " $1 " did not run"; bad++ } END { exit bad > 0 }'
}

all_policy() {	# every task of $pids is alive and reports policy $1
	want=$(count_pids)
	snapshot | awk -v pol="$1" -v want="$want" '
		$3 != pol { print "task " $1 " has policy " $3; bad++ }
		END { if (NR != want) { print NR " of " want " alive"; bad++ } exit bad > 0 }'
}

nr_tasks_is() {	# the class holds exactly $1 tasks
	got=$(cat $par/nr_tasks)
	[ "$got" -eq "$1" ] || { echo "nr_tasks $got, wanted $1"; return 1; }
}

nr_tasks_above() {
	got=$(cat $par/nr_tasks)
	[ "$got" -gt "$1" ] || { echo "nr_tasks $got, wanted more than $1"; return 1; }
}

state_is() {
	got=$(cat $par/state)
	case "$got" in "$1"*) return 0 ;; esac
	echo "state '$got', wanted '$1...'"
	return 1
}

wait_state() {	# wait_state PREFIX SECONDS
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		case "$(cat $par/state)" in "$1"*) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	state_is "$1"
}

bad_write() {	# bad_write PARAM VALUE: EINVAL, and PARAM keeps its value
	before=$(cat "$par/$1")
	expect EINVAL "$tool" write "$par/$1" "$2" || return 1
	[ "$(cat "$par/$1")" = "$before" ] || { echo "$1 changed to $(cat "$par/$1")"; return 1; }
}

dmesg_has() { dmesg | grep -q "$1" || { echo "no '$1' in dmesg"; return 1; }; }

tap_plan 36

# --- no module: the policy is SCHED_NORMAL --------------------------------
FOREVER=100000
"$tool" nap 20 $FOREVER &
first=$!
pids=$first
ok "no module: a task opts in to SCHED_MULTIOS" "$tool" set "$first" 0
ok "no module: it reports the policy" all_policy $MULTIOS
ok "no module: it runs (in CFS)" all_progress
ok "no module: nice works" sh -c "'$tool' set $first 5 && '$tool' get $first | grep -q 'nice 5 '"
ok "no module: EDF parameters get EBUSY (no bandwidth)" \
	expect EBUSY "$tool" edf "$first" 10000000 30000000 30000000
ok "no module: runtime > deadline gets EINVAL" \
	expect EINVAL "$tool" edf "$first" 40000000 30000000 30000000

# --- register -------------------------------------------------------------
ok "insmod multios_sched_fifo" insmod "$ko"
ok "state is enabled" state_is enabled
ok "registering moved the waiting task in" nr_tasks_is 1
ok "EDF refused by a policy without EDF (EBUSY)" \
	expect EBUSY "$tool" edf "$first" 10000000 30000000 30000000

i=0
while [ $i -lt "$NTASKS" ]; do
	if [ $i -lt "$NSPIN" ]; then
		"$tool" hog $FOREVER &
		"$tool" set $! $((i % 20)) >/dev/null
	else
		"$tool" nap 200 $FOREVER &
		"$tool" set $! 0 >/dev/null
	fi
	pids="$pids $!"
	i=$((i + 1))
done
sleep 2
ok "$NTASKS more tasks opt in ($NSPIN spinners, the rest sleepers)" nr_tasks_is $((NTASKS + 1))
ok "every task of the class runs" all_progress
ok "a shell command still runs beside them" sh -c 'ls / >/dev/null'

ok "switch_all=1 moves SCHED_NORMAL tasks in" sh -c "echo 1 > $par/switch_all"
ok "the class now holds more tasks" nr_tasks_above $((NTASKS + 1))
ok "switch_all reads back 1" expect 1 cat $par/switch_all
ok "the system still runs commands under switch_all" sh -c 'for i in 1 2 3; do ls /proc >/dev/null; done'
ok "switch_all=0 moves them back" sh -c "echo 0 > $par/switch_all"
ok "only SCHED_MULTIOS tasks stay" nr_tasks_is $((NTASKS + 1))
ok "bad watchdog_timeout_ms (50) gets EINVAL, nothing changes" bad_write watchdog_timeout_ms 50
ok "bad switch_all (maybe) gets EINVAL, nothing changes" bad_write switch_all maybe

# --- unregister with hundreds of tasks --------------------------------------
ok "rmmod with $((NTASKS + 1)) tasks in the class" rmmod multios_sched_fifo
ok "dmesg says every task moved to CFS" dmesg_has "unregistered; $((NTASKS + 1)) tasks moved to CFS"
ok "all tasks survive and run in CFS" all_progress
ok "they keep policy SCHED_MULTIOS" all_policy $MULTIOS

# --- the safety paths ---------------------------------------------------------
ok "insmod again: the tasks come back" sh -c "insmod '$ko' && test \$(cat $par/nr_tasks) -eq $((NTASKS + 1))"
# The timeout is the kernel's, kept across modules: restored below.
wd_saved=$(cat $par/watchdog_timeout_ms)
echo 500 > $par/watchdog_timeout_ms
echo 1 > $par/misbehave
ok "a policy that stops picking trips the watchdog" wait_state "error: runnable task stall" 10
ok "after the watchdog every task runs in CFS" all_progress
ok "watchdog_timeout_ms restored to $wd_saved" sh -c "echo $wd_saved > $par/watchdog_timeout_ms"
ok "rmmod after an error" rmmod multios_sched_fifo

insmod "$ko"
echo 2 > $par/misbehave
ok "an invalid pick disables the class" wait_state "error: invalid pick on CPU" 10
ok "after the invalid pick every task runs" all_progress
rmmod multios_sched_fifo

insmod "$ko"
ok "SysRq-M disables the class" sh -c "echo M > /proc/sysrq-trigger"
ok "state is disabled after SysRq-M" wait_state disabled 10
ok "dmesg names SysRq-M" dmesg_has "disabled by sysrq-M"
ok "after SysRq-M every task runs" all_progress
rmmod multios_sched_fifo

# shellcheck disable=SC2086
kill $pids 2>/dev/null
wait 2>/dev/null
tap_end
