#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kselftest for multios_core, run as root inside a test guest:
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_core_test.sh
#
# Loads the module, checks /sys/kernel/multios against what the kernel
# itself reports under /sys/devices/system, checks bad writes fail and
# change nothing, unloads and reloads it, and (booted with kmemleak=on)
# checks nothing leaked. Output is TAP for kselftest.
set -u
root=/sys/kernel/multios
topo=$root/topology
# shellcheck source=selftests/multios/lib.sh
. "$(dirname "$0")/lib.sh"
need_module multios_core
ko=$module

same() {	# same FILE_A FILE_B: equal contents, shown when not
	a=$(cat "$1") b=$(cat "$2")
	[ "$a" = "$b" ] || { echo "$1='$a' but $2='$b'"; return 1; }
}

expand_list() {	# "0-2,5" -> "0 1 2 5"
	echo "$1" | tr ',' '\n' | while IFS=- read -r lo hi; do
		seq "$lo" "${hi:-$lo}"
	done | tr '\n' ' '
}

# The model knows the nodes with CPUs; its distance rows list those nodes.
nodes_match() {
	cpu_nodes=$(expand_list "$(cat /sys/devices/system/node/has_cpu)")
	[ -n "$cpu_nodes" ] || { echo "the kernel lists no node with CPUs"; return 1; }
	for node in $cpu_nodes; do
		d=/sys/devices/system/node/node$node
		same "$topo/node$node/cpulist" "$d/cpulist" || return 1
		# The kernel's row has one field per online node, in order.
		want=$(i=1; for m in $(expand_list "$(cat /sys/devices/system/node/online)"); do
			case " $cpu_nodes " in *" $m "*) cut -d' ' -f$i "$d/distance" ;; esac
			i=$((i + 1))
		done | tr '\n' ' ' | sed 's/ $//')
		got=$(cat "$topo/node$node/distance")
		[ "$want" = "$got" ] || { echo "node$node distance: kernel '$want', model '$got'"; return 1; }
	done
}

# Each CPU's LLC group is what the kernel's cacheinfo says its highest-level
# data or unified cache is shared with (read here from user space, not
# through the module's own probe).
llc_groups_match() {
	checked=0
	for group in $(cat "$topo/llc"); do
		for cpu in $(expand_list "$group"); do
			best='' level=0
			for idx in /sys/devices/system/cpu/cpu$cpu/cache/index*; do
				[ -d "$idx" ] || continue
				[ "$(cat "$idx/type")" = Instruction ] && continue
				l=$(cat "$idx/level")
				[ "$l" -gt "$level" ] && level=$l best=$(cat "$idx/shared_cpu_list")
			done
			[ -z "$best" ] && continue
			[ "$best" = "$group" ] || { echo "cpu$cpu: LLC shared with $best, model $group"; return 1; }
			checked=$((checked + 1))
		done
	done
	# A kernel without cacheinfo leaves nothing to compare with.
	[ "$checked" -gt 0 ] || echo "SKIP no CPU has cacheinfo"
}

proc_lists_every_level() {
	for level in smt cluster llc package node distance: caches:; do
		grep -q "^$level" /proc/multios/topology || { echo "no $level"; return 1; }
	done
}

smt_groups_match() {	# each CPU's SMT group is its thread_siblings_list
	[ -n "$(cat "$topo/smt")" ] || { echo "the model lists no SMT group"; return 1; }
	for group in $(cat "$topo/smt"); do
		for cpu in $(expand_list "$group"); do
			sib=$(cat /sys/devices/system/cpu/cpu$cpu/topology/thread_siblings_list)
			[ "$sib" = "$group" ] || { echo "cpu$cpu: siblings $sib, model $group"; return 1; }
		done
	done
}

packages_match() {
	want=$(cat /sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id | sort -u | wc -l)
	got=$(wc -w <"$topo/package")
	[ "$want" -eq "$got" ] || { echo "packages: kernel $want, model $got"; return 1; }
}

write_refused() {	# a read-only knob refuses a write and keeps its value
	before=$(cat "$1")
	if echo 1 >"$1" 2>/dev/null; then
		echo "write to $1 succeeded"
		return 1
	fi
	[ "$(cat "$1")" = "$before" ]
}

features_sane() {
	grep -qw cxx $root/features && grep -qw numa $root/features
}

reload_cycles() {
	for i in 1 2 3; do
		rmmod multios_core && insmod "$ko" && [ -d $topo ] || return 1
	done
}

unloaded() {
	rmmod multios_core && [ ! -e $root ] && [ ! -e /proc/multios ]
}

kmemleak_clear
tap_plan 14
ok "insmod multios_core" insmod "$ko"
ok "version is x.y.z" grep -qE '^[0-9]+\.[0-9]+\.[0-9]+$' $root/version
ok "features name cxx and numa" features_sane
ok "cpus match the online CPUs" same $topo/cpus /sys/devices/system/cpu/online
ok "nodes match the nodes with CPUs" same $topo/nodes /sys/devices/system/node/has_cpu
ok "per-node CPUs and distances match the kernel's" nodes_match
ok "SMT groups match thread_siblings_list" smt_groups_match
ok "package count matches physical_package_id" packages_match
ok "LLC groups match cacheinfo's shared_cpu_list" llc_groups_match
ok "read-only files refuse writes, values unchanged" write_refused $topo/cpus
ok "/proc/multios/topology lists every level" proc_lists_every_level
ok "unload and reload three times" reload_cycles
ok "rmmod removes /sys/kernel/multios and /proc/multios" unloaded
ok "kmemleak finds no leaks after load/unload cycles" no_leaks
tap_end
