#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Where a timer wake-up's time goes, CFS against the class, in one guest
# boot (Documentation/dev/sched-bench.rst, "Where the time goes"). One
# cyclictest thread per CPU (SCHED_OTHER, 1 ms, pinned with -a) runs
# while CPU 3 is traced, first under CFS, then with switch_all under
# ALGORITHM, then under CFS again. Two traces per phase, written to
# $MULTIOS_OUT (tools/guest.py --out):
#   events.LABEL  timer, wake-up and switch events for one second, no
#                 function tracing: how late each wake-up is and where
#   graph.LABEL   function_graph for 50 ms: which functions each wake-up
#                 and sleep calls, and how long each takes (inflated by
#                 the tracer itself: compare calls, not absolute times)
# tools/trace-wakeup-report.py OUT_DIR summarizes them. Needs a kernel
# with FUNCTION_GRAPH_TRACER (kconfig/x86_64.config has it).
#
#   selftests/sched/trace-wakeup-path.sh MODULE_DIR [ALGORITHM]
set -u
mods=$1 algo=${2:-load}
out=${MULTIOS_OUT:?run under tools/guest.py --out DIR}
knobs=/sys/kernel/multios/sched
tracing=/sys/kernel/tracing
traced_cpu=3
cd /tmp || exit 1
[ -w /proc/sys/kernel/numa_balancing ] && echo 0 >/proc/sys/kernel/numa_balancing
[ -d $tracing/events ] || mount -t tracefs nodev $tracing || exit 1
[ -f $tracing/current_tracer ] || { echo "no ftrace in this kernel" >&2; exit 1; }
grep -qw function_graph $tracing/available_tracers ||
	{ echo "no function_graph tracer in this kernel" >&2; exit 1; }
command -v cyclictest >/dev/null || { echo "no cyclictest (rt-tests)" >&2; exit 1; }
all_cpus_mask=$(cat $tracing/tracing_cpumask)
# This shell and what it forks (sleep, cp) stay on CPU 0: on the traced
# CPU they would add wake-ups that are not the timer's.
taskset -pc 0 $$ >/dev/null || exit 1
[ "$(nproc --all)" -gt $traced_cpu ] || { echo "needs $((traced_cpu + 1)) CPUs" >&2; exit 1; }

trace_one() {	# trace_one events|graph LABEL
	echo 0 >$tracing/tracing_on
	echo nop >$tracing/current_tracer
	echo >$tracing/set_event
	echo >$tracing/trace
	printf '%x\n' $((1 << traced_cpu)) >$tracing/tracing_cpumask
	# The traced CPU's buffer only: 16 MiB on every CPU of a big guest
	# would take its memory.
	echo 16384 >$tracing/per_cpu/cpu$traced_cpu/buffer_size_kb || return 1
	if [ "$1" = events ]; then
		for e in timer:hrtimer_expire_entry timer:hrtimer_start \
			 sched:sched_wakeup sched:sched_switch; do
			echo $e >>$tracing/set_event || return 1
		done
		window=1
	else
		echo function_graph >$tracing/current_tracer || return 1
		window=0.05
	fi
	# This shell's CPU 0 affinity would be inherited, and a bare -a pins
	# to the inherited mask: name every CPU.
	all=0-$(($(nproc --all) - 1))
	taskset -c "$all" cyclictest -q --policy=other -d 0 -a "$all" -t "$(nproc --all)" \
		-i 1000 -l 2500 -m >/tmp/cyclictest.out 2>&1 &
	ct=$!
	sleep 1
	echo 1 >$tracing/tracing_on
	sleep $window
	echo 0 >$tracing/tracing_on
	wait $ct || { echo "cyclictest failed: $(cat /tmp/cyclictest.out)" >&2; return 1; }
	awk -v l="$2" -v k="$1" '/^T:/ { n++; a += $(NF - 2) }
		END { if (n) printf "TRACE %s %s cyclictest_avg_us %d\n", k, l, a / n }' /tmp/cyclictest.out
	cp $tracing/trace "$out/$1.$2" || return 1
}

phase() {	# phase LABEL
	trace_one events "$1" && trace_one graph "$1" || status=1
}

status=0
insmod "$mods/modules/core/multios_core.ko" || exit 1
phase cfs
insmod "$mods/modules/sched/multios_sched.ko" || exit 1
echo "$algo" >$knobs/balance_algorithm || status=1
echo 1 >$knobs/switch_all || exit 1
phase class
echo nop >$tracing/current_tracer
echo 0 >$knobs/switch_all
rmmod multios_sched || status=1
phase cfs-again
echo nop >$tracing/current_tracer
echo >$tracing/set_event
echo "$all_cpus_mask" >$tracing/tracing_cpumask
rmmod multios_core
exit $status
