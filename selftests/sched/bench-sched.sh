#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The scheduler benchmark, inside one x86_64 guest boot (make bench-sched):
# the multios class (multios_sched in switch_all) against CFS on the same
# workloads, alternating three times, and EDF task sets in the class
# against SCHED_DEADLINE under a CPU hog. Prints "BENCH ..." lines that
# tools/bench-sched-report.py turns into a table and JSON.
#
#   selftests/sched/bench-sched.sh MODULE_DIR TOOL
set -u
mods=$1 tool=$2
knobs=/sys/kernel/multios/sched
cd /tmp || exit 1
# shellcheck source=selftests/multios/lib.sh
. "$(dirname "$0")/../multios/lib.sh"	# for cpus_limit and host_cpus
# CFS's NUMA balancing off in this boot, as in every run before the
# benchmark kernel had it: under TCG its hinting faults and TLB
# shootdowns made CFS's messaging 3.3 times slower (2026-11-27, 18:26),
# which measured the emulator. The balancers' boot keeps it on.
[ -w /proc/sys/kernel/numa_balancing ] && echo 0 >/proc/sys/kernel/numa_balancing
echo "# numa_balancing: $(cat /proc/sys/kernel/numa_balancing 2>/dev/null || echo absent)"
insmod "$mods/modules/core/multios_core.ko" || exit 1

class() {	# class cfs|multios: where the next workload runs
	if [ "$1" = multios ]; then
		insmod "$mods/modules/sched/multios_sched.ko" && echo 1 >$knobs/switch_all
	else
		lsmod | grep -q '^multios_sched ' && rmmod multios_sched
	fi
}

workloads() {	# workloads LABEL
	t=$(perf bench sched pipe -l 20000 2>&1 | awk '/usecs\/op/ { print $1 }')
	echo "BENCH pipe_usecs_per_op $1 ${t:-nan}"
	t=$(perf bench sched messaging -g 4 -l 50 2>&1 | awk '/Total time/ { print $3 }')
	echo "BENCH messaging_sec $1 ${t:-nan}"
	t=$(hackbench -g 4 -l 100 2>&1 | awk '/^Time:/ { print $2 }')
	echo "BENCH hackbench_sec $1 ${t:-nan}"
}

for _ in 1 2 3; do
	for c in cfs multios; do
		class $c
		workloads $c
	done
done
class cfs

# EDF: one task of utilization U per CPU (period 50 ms, each job works
# 90 % of its budget), with one CPU hog per CPU in CFS, for 20 s, on
# $host_cpus CPUs: more busy vCPUs than host CPUs and neither policy can
# keep real time (see cpus_limit in lib.sh).
insmod "$mods/modules/sched/multios_sched.ko" || exit 1
cpus_limit "$host_cpus" || exit 1
i=0 hogs=""
while [ $i -lt "$host_cpus" ]; do
	"$tool" hog 100000 &
	hogs="$hogs $!" i=$((i + 1))
done
echo "BENCH edf_cpus $host_cpus"
# Three rounds, the policies' order swapped each round: a late job is
# rare (a few in ten thousand for either policy) and comes in bursts
# of host noise, so one set per policy compares two small samples taken
# at different times. The report sums the rounds.
for round in 1 2 3; do
	order="multios deadline"
	[ $((round % 2)) -eq 0 ] && order="deadline multios"
	for util in 50 70 90; do
		rt=$((50000 * util / 100))
		for policy in $order; do
			r=$("$tool" periodic $policy "$host_cpus" $rt 50000 $((rt * 9 / 10)) 20)
			echo "BENCH edf_u$util $policy $r"
		done
	done
done
# Not $(jobs -p): dash runs it in a subshell, which has no jobs, and the
# wait below then waited for the hogs' 100000 s.
# shellcheck disable=SC2086
kill $hogs
wait
cpus_restore
rmmod multios_sched multios_core
