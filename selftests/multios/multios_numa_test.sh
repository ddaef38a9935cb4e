#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kselftest for multios_numa (its part that needs no kernel patch), run
# as root inside a test guest:
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_numa_test.sh
#
# Loads multios_core and multios_numa, checks /proc/multios/numa against
# what the kernel itself reports under /sys/devices/system/node (nodes,
# CPUs, memory, allocation counters, which must follow an allocation on
# a chosen node), unloads, and (booted with kmemleak=on) checks nothing
# leaked. Output is TAP for kselftest.
set -u
proc=/proc/multios/numa
sysnode=/sys/devices/system/node
# shellcheck source=selftests/multios/lib.sh
. "$(dirname "$0")/lib.sh"
need_module multios_core
core_ko=$module
need_module multios_numa
numa_ko=$module

# Only what this test loads is unloaded at the end: multios_core may be
# in use by another module, or loaded before the test.
core_loaded_here=
load() {
	! lsmod | grep -q '^multios_numa' || rmmod multios_numa || return 1
	if ! lsmod | grep -q '^multios_core'; then
		insmod "$core_ko" || return 1
		core_loaded_here=1
	fi
	insmod "$numa_ko" && [ -r $proc ] && grep -qw numa_stats /sys/kernel/multios/features
}

in_list() {	# in_list 3 "0-4,7": is the number in the kernel's list?
	echo "$2" | tr ',' '\n' | awk -F- -v x="$1" 'NF && x >= $1 && x <= ($2 == "" ? $1 : $2) { f = 1 } END { exit !f }'
}

count_list() {	# count_list "0-2,5" -> 4
	echo "$1" | tr ',' '\n' | awk -F- 'NF { n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n + 0 }'
}

# field NODE COLUMN: a column of the node's line (1 is "nodeN").
field() {
	awk -v n="node$1" -v c="$2" '$1 == n { print $c }' $proc
}

header_counts() {
	want="nodes: $(count_list "$(cat $sysnode/online)") online, $(count_list "$(cat $sysnode/has_memory)") with memory, $(count_list "$(cat $sysnode/has_cpu)") with CPUs"
	got=$(head -1 $proc)
	[ "$got" = "$want" ] || { echo "got '$got', kernel says '$want'"; return 1; }
}

# (Not n: lib.sh counts the cases in it.) Every online node has a line; its memory and CPUs are the kernel's, and
# its memory in kB is at least what meminfo calls MemTotal (present
# pages include the reserved ones) with at most MemTotal free.
nodes_match() {
	lines=0
	for d in "$sysnode"/node[0-9]*; do
		nid=${d##*node}
		line=$(awk -v n="node$nid" '$1 == n' $proc)
		[ -n "$line" ] || { echo "no line for node$nid"; return 1; }
		cpus=$(cat "$d/cpulist")
		[ "$(field "$nid" 3)" = "${cpus:--}" ] || { echo "node$nid: '$line', cpulist '$cpus'"; return 1; }
		total=$(awk '/MemTotal/ { print $4 }' "$d/meminfo")
		mem=no
		in_list "$nid" "$(cat $sysnode/has_memory)" && mem=yes
		[ "$(field "$nid" 2)" = $mem ] || { echo "node$nid: memory $(field "$nid" 2), kernel $mem"; return 1; }
		present=$(field "$nid" 4) free=$(field "$nid" 5)
		if [ "$present" -lt "$total" ] || [ "$free" -gt "$total" ]; then
			echo "node$nid: present $present free $free kB, MemTotal $total kB"
			return 1
		fi
		lines=$((lines + 1))
	done
	[ $lines -gt 0 ] && [ "$(grep -c '^node[0-9]' $proc)" -eq $lines ]
}

numastat() {	# numastat NODE NAME
	awk -v k="$2" '$1 == k { print $2 }' "$sysnode/node$1/numastat"
}

# 16 MiB allocated with numactl --membind on the last node with memory
# must show as at least 4096 more numa_hit there (column 6) at once,
# before anything reads numastat, which folds the per-CPU counters the
# module must add up itself. numa_hit counts allocations, so transparent
# huge pages (Debian's kernel has them always on) are off for the copy.
# Then the kernel's numastat, read after ours, is not below it.
allocation_counted() {
	command -v numactl >/dev/null || { echo "no numactl"; return 1; }
	nid=$(tr ',' '\n' <$sysnode/has_memory | tail -1 | sed 's/.*-//')
	thp=/sys/kernel/mm/transparent_hugepage/enabled
	thp_was=
	if [ -w $thp ]; then
		thp_was=$(sed 's/.*\[\(.*\)\].*/\1/' $thp)
		echo never >$thp || return 1
	fi
	ours0=$(field "$nid" 6)
	numactl --membind="$nid" dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null
	rc=$?
	ours1=$(field "$nid" 6)
	[ -z "$thp_was" ] || echo "$thp_was" >$thp
	[ $rc -eq 0 ] || { echo "numactl dd failed"; return 1; }
	k1=$(numastat "$nid" numa_hit)
	pages=$((16 * 1024 * 1024 / $(getconf PAGESIZE)))
	echo "# node$nid numa_hit: $ours0 -> $ours1 ($pages pages allocated), then numastat $k1"
	[ $((ours1 - ours0)) -ge "$pages" ] && [ "$k1" -ge "$ours1" ]
}

write_refused() {
	before=$(cat $proc)
	echo 1 >$proc 2>/dev/null && { echo "a write to $proc succeeded"; return 1; }
	[ "$(stat -c %a $proc)" = 444 ] && [ -n "$before" ]
}

unloaded() {
	rmmod multios_numa && [ ! -e $proc ] && ! grep -qw numa_stats /sys/kernel/multios/features ||
		return 1
	[ -z "$core_loaded_here" ] || rmmod multios_core
}

kmemleak_clear
tap_plan 7
ok "insmod multios_core and multios_numa: /proc/multios/numa, feature numa_stats" load
ok "node counts match the kernel's online, has_memory, has_cpu" header_counts
ok "each node's line matches its cpulist, has_memory and meminfo" nodes_match
ok "numa_hit counts a 16 MiB allocation bound to a node at once, not only after numastat folds it" allocation_counted
ok "/proc/multios/numa is read-only (0444)" write_refused
ok "rmmod removes it and the feature" unloaded
ok "kmemleak finds no leaks" no_leaks
tap_end
