#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stress-ng scheduler stressors against multios_sched in
# switch_all mode (every SCHED_NORMAL/BATCH/IDLE task in the class), run
# as root in the x86_64 test guest:
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_stress_test.sh [SECONDS]
#
# The guest runner fails the boot on any kernel splat (lockdep,
# "scheduling while atomic", a WARN); this script checks that every
# stressor finished and that the class was enabled from start to end.
# Output is TAP.
set -u
secs=${1:-60}
knobs=/sys/kernel/multios/sched
ok_verbose=1
# shellcheck source=selftests/multios/lib.sh
. "$(dirname "$0")/lib.sh"
need_sched

state_enabled() {
	s=$(cat $knobs/state)
	[ "$s" = enabled ] && return 0
	# Why: the kernel's reason and the watchdog's view of the CPU.
	echo "state: $s"
	dmesg | grep -E 'multios' | tail -n 8
	return 1
}

stress() {
	# Scheduler-heavy stressors: context switches, yields, fork/exit,
	# clone/exit and nice changes, four instances each.
	out=$(stress-ng --switch 4 --yield 4 --fork 4 --clone 4 --nice 4 \
		--timeout "${secs}s" --metrics-brief 2>&1)
	echo "$out" | tail -12
	echo "$out" | grep -q "successful run completed"
}

tap_plan 6
cd /tmp || exit 1	# stress-ng writes its temporary files in the current directory
lsmod | grep -q '^multios_core' || insmod "$core_ko"
ok "insmod multios_sched" insmod "$sched_ko"
ok "switch_all=1" sh -c "echo 1 > $knobs/switch_all"
ok "stress-ng scheduler stressors for ${secs}s under switch_all" stress
# The class must still be enabled: a watchdog fallback means a task of
# the class waited watchdog_timeout_ms. (stress-ng --nice once did, a nice
# 19 task among nice -20 ones: fixed by bounding the fair queue's wait,
# see Documentation/dev/sched-core.rst.)
ok "class stayed enabled through the run" state_enabled
if state_enabled >/dev/null; then
	ok "switch_all=0" sh -c "echo 0 > $knobs/switch_all"
else
	skip "switch_all=0" "the class is disabled"
fi
ok "rmmod multios_sched" rmmod multios_sched
rmmod multios_core
tap_end
