#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Each balance_algorithm of multios_sched against CFS, inside one x86_64
# guest boot with one CPU per NUMA node (make bench-sched, second boot):
#   - perf bench sched messaging (wake-up heavy, no memory locality);
#   - "mos_sched_tool numa": two workers per node, each with its memory
#     bound to its node, sweeping it between 1 ms sleeps. It prints how
#     many of its passes ran on a CPU of another node (remote), and how
#     long the set took.
# TCG makes remote memory no slower than local, so the run time measures
# the balance, and the remote fraction is the locality the policy got.
# Two rounds, the class's algorithms in a different order each time.
# Prints "BENCH bal_..." lines for tools/bench-sched-report.py, the first
# one (bal_nodes) with the plan: the rounds and the policies. Every line
# ends in "boot ID" (the start of this boot's boot_id), so that the report
# keeps two boots' lines apart even when a boot's bal_nodes line is lost.
#
#   selftests/sched/bench-balancers.sh MODULE_DIR TOOL
set -u
mods=$1 tool=$2
knobs=/sys/kernel/multios/sched
stats=/proc/multios/sched
boot=$(cut -c1-8 /proc/sys/kernel/random/boot_id 2>/dev/null)
[ -n "$boot" ] || boot=pid$$
bench() {	# bench NAME WORDS...: one BENCH line of this boot
	echo "BENCH $* boot $boot"
}
order_1="load numa cache learned" order_2="learned cache numa load" rounds=2
nodes=$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' | wc -l)
bench bal_nodes "$nodes" cpus "$(nproc)" rounds $rounds policies "cfs,$(printf '%s' "$order_1" | tr ' ' ,)"
cd /tmp || exit 1
echo "# numa_balancing: $(cat /proc/sys/kernel/numa_balancing 2>/dev/null || echo absent)"
insmod "$mods/modules/core/multios_core.ko" || exit 1

# migrations, balance_calls, balance_ns summed over the CPUs.
totals() {
	awk '$1 ~ /^[0-9]+$/ && NF >= 10 { m += $6; c += $9; ns += $10 }
	     END { printf "%d %d %d\n", m, c, ns }' "$stats"
}

# lost LABEL WHY: the round of LABEL did not run (WHY: an E... word the
# report names): lines the report counts as lost, and status.
lost() {
	echo "bench-balancers: $1: $2, round lost" >&2
	bench bal_messaging_sec "$1" "$2"
	bench bal_numa "$1" "$2"
	status=1
}

# run LABEL: both workloads under whatever is in force. A workload that
# fails prints its line anyway (nan, or the tool's counts) and sets status.
run() {
	[ "$1" = cfs ] || before=$(totals)
	t=$(perf bench sched messaging -g 4 -l 50 2>&1 | awk '/Total time/ { print $3 }')
	[ -n "$t" ] || status=1
	bench bal_messaging_sec "$1" "${t:-nan}"
	[ "$1" = learned ] && bench bal_model "after messaging: $(grep '^learned_model:' $stats)"
	r=$("$tool" numa "$nodes" 2 2048 1500) || status=1
	bench bal_numa "$1" "$r"
	[ "$1" = cfs ] && return 0
	after=$(totals)
	# shellcheck disable=SC2086 # three numbers each
	set -- "$1" $before $after
	bench bal_cost "$1" moves $(($5 - $2)) calls $(($6 - $3)) ns $(($7 - $4))
}

status=0
[ "$nodes" -ge 2 ] || { echo "only $nodes NUMA node(s)"; exit 1; }
for order in "$order_1" "$order_2"; do
	# Numbers under another scheduler or algorithm than their label: none.
	if lsmod | grep -q '^multios_sched '; then
		lost cfs ESWITCH
	else
		run cfs
	fi
	# (The rounds not run then are lost rounds: the plan shows them.)
	{ insmod "$mods/modules/sched/multios_sched.ko" && echo 1 >$knobs/switch_all; } ||
		{ echo "bench-balancers: cannot put the class in force" >&2; exit 1; }
	for algo in $order; do
		if echo "$algo" >$knobs/balance_algorithm &&
		   [ "$(cat $knobs/balance_algorithm)" = "$algo" ] &&
		   [ "$(cat $knobs/switch_all)" = 1 ]; then
			run "$algo"
		else
			lost "$algo" ESWITCH
			continue
		fi
		[ "$algo" = learned ] && bench bal_model "after numa: $(grep '^learned_model:' $stats)"
	done
	echo 0 >$knobs/switch_all
	rmmod multios_sched || status=1
done
rmmod multios_core
exit $status
