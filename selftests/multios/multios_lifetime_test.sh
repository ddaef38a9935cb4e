#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kselftest: the multios class's lifetime under races, run as root in the
# x86_64 test guest with the test policy multios_sched_fifo:
#
#   [MULTIOS_MODULES=DIR] [ROUNDS=N] selftests/multios/multios_lifetime_test.sh
#
# While tasks fork, exit and change policy all the time (mos_sched_tool
# churn), the policy module is registered and removed ROUNDS times, each
# registration ending one of five ways: a plain rmmod; rmmod racing the
# disable of an invalid pick (misbehave=2 fails at the first pick); rmmod
# racing a watchdog trip (misbehave=1 never picks, timeout 100 ms), at
# once or just as it trips; rmmod racing SysRq-M; and an invalid pick
# waited for, after which the class must hold no task. Then the same with
# the real policy, multios_sched, through its test hooks (test_hooks=1):
# an invalid pick, and a broken invariant of its C++ core (MOS_WARN_ON),
# which must disable the class without a WARN splat. The guest runner
# fails the boot on any splat: a use-after-free of the module's code
# (unregistering returned while an error's disable had not yet run its
# worker, which then called ops->disable() in freed text), a task listed
# after the disable emptied the list, or "tasks still queued". Output is
# TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=$here/mos_sched_tool
par=/sys/module/multios_sched_fifo/parameters
ROUNDS=${ROUNDS:-200}
# shellcheck source=selftests/multios/lib.sh
. "$here/lib.sh"
need_program "$tool"
need_module multios_sched_fifo
ko=$module
need_sched
knobs=/sys/kernel/multios/sched
stats=/proc/multios/sched

KINDS="unreg pick watchdog watchdog_late sysrq drained sched_pick sched_warn sched_drained"

# The state of the class while the module is loaded; "" when it is not.
state() {
	cat $par/state 2>/dev/null
}

# The watchdog's timeout is the kernel's, kept across modules: the
# watchdog rounds lower it to 100 ms, every other round sets the default
# back (a 100 ms timeout also refuses churn's 100 ms EDF periods).
WD=watchdog_timeout_ms=10000

# One registration of the policy, ended by $1; 0 when every step did
# what it must. Output only on failure.
round() {
	case $1 in
	unreg)
		insmod "$ko" $WD && rmmod multios_sched_fifo ;;
	pick)
		insmod "$ko" misbehave=2 $WD && rmmod multios_sched_fifo ;;
	watchdog)
		insmod "$ko" misbehave=1 watchdog_timeout_ms=100 &&
			rmmod multios_sched_fifo ;;
	watchdog_late)
		# A check every 12.5 ms finds the stall after 100-113 ms.
		insmod "$ko" misbehave=1 watchdog_timeout_ms=100 && sleep 0.1 &&
			rmmod multios_sched_fifo ;;
	sysrq)
		insmod "$ko" $WD || return 1
		echo M >/proc/sysrq-trigger &
		rmmod multios_sched_fifo
		rc=$?
		wait
		return $rc ;;
	drained)
		insmod "$ko" misbehave=2 $WD || return 1
		i=0
		until case "$(state)" in error*) true ;; *) false ;; esac; do
			i=$((i + 1))
			[ $i -le 100 ] || { echo "state '$(state)' 10 s after an invalid pick"; return 1; }
			sleep 0.1
		done
		left=$(cat $par/nr_tasks)
		rmmod multios_sched_fifo || return 1
		[ "$left" -eq 0 ] || { echo "$left tasks left in the class after the disable"; return 1; } ;;
	sched_pick)
		insmod "$sched_ko" test_hooks=1 && echo 10000 >$knobs/watchdog_timeout_ms &&
			echo pick >$knobs/test_fault && rmmod multios_sched ;;
	sched_warn)
		insmod "$sched_ko" test_hooks=1 && echo 10000 >$knobs/watchdog_timeout_ms &&
			echo warn >$knobs/test_fault && rmmod multios_sched ;;
	sched_drained)
		# The churning tasks are in the class: one of them ticks soon.
		insmod "$sched_ko" test_hooks=1 && echo 10000 >$knobs/watchdog_timeout_ms &&
			echo warn >$knobs/test_fault || return 1
		i=0
		until grep -q "^state: error: module error: broken invariant" $stats; do
			i=$((i + 1))
			[ $i -le 100 ] || { echo "10 s after the fault:"; cat $stats; return 1; }
			sleep 0.1
		done
		left=$(sed -n 's/^nr_tasks: //p' $stats)
		f=$(sed -n 's/^invariant_failures: //p' $stats)
		rmmod multios_sched || return 1
		[ "$left" -eq 0 ] || { echo "$left tasks left in the class after the disable"; return 1; }
		[ "$f" -ge 1 ] || { echo "invariant_failures: $f"; return 1; } ;;
	esac
}

# rounds_ok KIND: every round of that kind passed.
rounds_ok() {
	# Not n or failed: lib.sh counts the cases in those.
	eval "n_failed=\$failed_$1 n_done=\$done_$1"
	# shellcheck disable=SC2154 # set by eval
	echo "# $1: $n_done rounds, $n_failed failed"
	[ "$n_done" -gt 0 ] && [ "$n_failed" -eq 0 ]
}

churn_alive() {
	kill -0 "$churn" 2>/dev/null || { echo "churn died early: $(cat /tmp/churn.out)"; return 1; }
}

churn_report() {
	kill -TERM "$churn"
	wait "$churn"
	rc=$?
	cat /tmp/churn.out
	[ $rc -eq 0 ]
}

# No task of the class is left: one more registration with nothing
# churning finds none to move in. (A live task left in the class after a
# disable, listed or not, is the kernel worker's WARN, which fails the
# boot; this checks the list's count.)
none_left() {
	insmod "$ko" || return 1
	left=$(cat $par/nr_tasks)
	rmmod multios_sched_fifo || return 1
	[ "$left" -eq 0 ] || { echo "$left tasks in the class with nothing asking for it"; return 1; }
}

nkinds=$(echo $KINDS | wc -w)
tap_plan $((nkinds + 3))
sysrq_saved=$(cat /proc/sys/kernel/sysrq)
echo 1 >/proc/sys/kernel/sysrq
wd_saved=$(cat /sys/module/multios_sched_fifo/parameters/watchdog_timeout_ms 2>/dev/null || echo 10000)
for k in $KINDS; do
	eval "done_$k=0 failed_$k=0"
done

lsmod | grep -q '^multios_core' || insmod "$core_ko"
"$tool" churn 2 3600 >/tmp/churn.out 2>&1 &
churn=$!
start=$(date +%s)
r=0
while [ $r -lt "$ROUNDS" ]; do
	for k in $KINDS; do
		[ $r -lt "$ROUNDS" ] || break
		if ! out=$(round $k 2>&1); then
			eval "failed_$k=\$((failed_$k + 1))"
			echo "# round $r ($k) failed: $out"
			lsmod | grep -q '^multios_sched_fifo' && rmmod multios_sched_fifo
			lsmod | grep -q '^multios_sched ' && rmmod multios_sched
		fi
		eval "done_$k=\$((done_$k + 1))"
		r=$((r + 1))
	done
done
echo "# $ROUNDS rounds in $(($(date +%s) - start)) s"

for k in $KINDS; do
	ok "$k: insmod and rmmod succeed while tasks fork, exit and change policy" rounds_ok $k
done
ok "the churning tasks lived through every round" churn_alive
ok "churn: forks and policy changes without an error" churn_report
ok "no task is left in the class afterwards" none_left
# The timeout is the kernel's: give it back.
insmod "$ko" watchdog_timeout_ms="$wd_saved" && rmmod multios_sched_fifo
echo "$sysrq_saved" >/proc/sys/kernel/sysrq
rmmod multios_core
tap_end
