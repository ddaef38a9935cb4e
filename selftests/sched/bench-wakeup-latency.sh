#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Timer wake-up latency of ordinary tasks under CFS and under the class,
# in one guest boot (Documentation/dev/sched-bench.rst, "Where the time
# goes"): cyclictest with SCHED_OTHER threads waking every 1 ms, 8 and
# 16 threads, free and pinned one per CPU (-a), first under CFS, then
# with switch_all under each ALGORITHM given, then under CFS again.
# Prints "BENCH wake_latency LABEL threads N pinned 0|1 avg_us A max_us M"
# (A: the mean of the threads' average latencies).
#
#   selftests/sched/bench-wakeup-latency.sh MODULE_DIR [ALGORITHM...]
#
# Run it in the benchmark kernel, e.g. tools/guest.py --kernel
# build/kernel/x86_64-bench/arch/x86/boot/bzImage --cpus 8 --numa 8 --
# /work/main/selftests/sched/bench-wakeup-latency.sh
# /work/main/build/modules/x86_64-bench learned load
set -u
mods=$1
shift
[ $# -gt 0 ] || set -- load
knobs=/sys/kernel/multios/sched
cd /tmp || exit 1
sysctl -q kernel.numa_balancing=0 2>/dev/null

latency() {	# latency LABEL
	for pinned in 0 1; do
		for threads in 8 16; do
			pin=
			[ $pinned = 0 ] || pin=-a
			# shellcheck disable=SC2086 # -a or nothing
			cyclictest -q --policy=other -d 0 $pin -t $threads -i 1000 -l 1500 -m 2>&1 |
				awk -v l="$1" -v t=$threads -v p=$pinned '
					/^T:/ { n++; a += $(NF - 2); if ($NF > m) m = $NF }
					END { if (!n) exit 1
					      printf "BENCH wake_latency %s threads %d pinned %d avg_us %d max_us %d\n",
						     l, t, p, a / n, m }' || status=1
		done
	done
}

status=0
insmod "$mods/modules/core/multios_core.ko" || exit 1
latency cfs
insmod "$mods/modules/sched/multios_sched.ko" || exit 1
echo 1 >$knobs/switch_all || exit 1
for algo in "$@"; do
	echo "$algo" >$knobs/balance_algorithm || { status=1; continue; }
	latency "$algo"
done
echo 0 >$knobs/switch_all
rmmod multios_sched || status=1
latency cfs-again
rmmod multios_core
exit $status
