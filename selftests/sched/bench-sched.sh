#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The scheduler benchmark, inside one x86_64 guest boot (make bench-sched):
# the multios class (multios_sched in switch_all) against CFS on the same
# workloads, alternating three times (a class that cannot be put in
# force loses its round, see round()), and EDF task sets in the class
# against SCHED_DEADLINE under a CPU hog. Prints "BENCH ..." lines that
# tools/bench-sched-report.py turns into a table and JSON.
#
#   selftests/sched/bench-sched.sh MODULE_DIR TOOL
set -u
mods=$1 tool=$2
knobs=/sys/kernel/multios/sched
# What this boot is to print, said first: the report counts the rounds
# against it, so a boot cut short (a time-out, a panic) shows as rounds
# lost, not as a shorter clean run.
rounds=3 utils="50 70 90"
workload_names="pipe_usecs_per_op messaging_sec hackbench_sec"
edf_sets=$(for u in $utils; do printf 'edf_u%s,' "$u"; done)
echo "BENCH plan rounds $rounds workloads $(printf '%s' "$workload_names" | tr ' ' ,)" \
	"edf_rounds $rounds edf_sets ${edf_sets%,}"
status=0
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

# class cfs|multios: put the class the next workloads run in in force, and
# check that it is; false (said on stderr) if it is not.
class() {
	if [ "$1" = multios ]; then
		{ lsmod | grep -q '^multios_sched ' ||
			insmod "$mods/modules/sched/multios_sched.ko"; } &&
		echo 1 >"$knobs/switch_all" &&
		[ "$(cat "$knobs/switch_all")" = 1 ]
	else
		{ ! lsmod | grep -q '^multios_sched ' || rmmod multios_sched; } &&
		! lsmod | grep -q '^multios_sched '
	fi && return 0
	echo "bench-sched: cannot switch to $1: this round of $1 is lost" >&2
	return 1
}

workload() {	# workload NAME: its figure (nothing if it failed)
	case $1 in
	pipe_usecs_per_op)
		perf bench sched pipe -l 20000 2>&1 | awk '/usecs\/op/ { print $1 }' ;;
	messaging_sec)
		perf bench sched messaging -g 4 -l 50 2>&1 | awk '/Total time/ { print $3 }' ;;
	hackbench_sec)
		hackbench -g 4 -l 100 2>&1 | awk '/^Time:/ { print $2 }' ;;
	esac
}

# round CLASS: every workload under CLASS. If CLASS cannot be put in
# force, each gets a line the report counts as a lost round ("ESWITCH"),
# never a figure of the other scheduler under this one's name.
round() {
	if class "$1"; then
		for w in $workload_names; do
			t=$(workload "$w")
			echo "BENCH $w $1 ${t:-nan}"
		done
	else
		status=1
		for w in $workload_names; do
			echo "BENCH $w $1 ESWITCH"
		done
	fi
}

i=1
while [ $i -le $rounds ]; do
	round cfs
	round multios
	i=$((i + 1))
done
class cfs || status=1

# EDF: one task of utilization U per CPU (period 50 ms, each job works
# 90 % of its budget), with one CPU hog per CPU in CFS, for 20 s, on
# $host_cpus CPUs: more busy vCPUs than host CPUs and neither policy can
# keep real time (see cpus_limit in lib.sh).
# (A failure here loses every EDF round, which the plan shows.)
insmod "$mods/modules/sched/multios_sched.ko" || { echo "bench-sched: no EDF sets" >&2; exit 1; }
# shellcheck disable=SC2154 # host_cpus: lib.sh's (shellcheck -x follows it)
cpus_limit "$host_cpus" || { echo "bench-sched: no EDF sets" >&2; exit 1; }
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
edf_round=1
while [ $edf_round -le $rounds ]; do
	order="multios deadline"
	[ $((edf_round % 2)) -eq 0 ] && order="deadline multios"
	for util in $utils; do
		rt=$((50000 * util / 100))
		for policy in $order; do
			r=$("$tool" periodic $policy "$host_cpus" $rt 50000 $((rt * 9 / 10)) 20)
			echo "BENCH edf_u$util $policy $r"
		done
	done
	edf_round=$((edf_round + 1))
done
# Not $(jobs -p): dash runs it in a subshell, which has no jobs, and the
# wait below then waited for the hogs' 100000 s.
# shellcheck disable=SC2086
kill $hogs
wait
cpus_restore || status=1
rmmod multios_sched multios_core || status=1
exit $status
