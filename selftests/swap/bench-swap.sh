#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The swap benchmark, inside one x86_64 guest boot (make bench-swap):
# multios_swap0 against the kernel's own zram0, same algorithm, same size,
# same data, same method, one device swapped on at a time.
#
#   selftests/swap/bench-swap.sh MODULE_DIR SWAP_BENCH_BIN MIB ALGORITHM [REPS]
#
# Each of the REPS repetitions (default 1) runs every dataset on both
# devices; which device goes first alternates from one repetition to the
# next, so neither always meets the other's leftovers (page cache, a
# warmed-up allocator). Every run prints a BENCH line with its repetition.
# The first BENCH line is the plan (the repetitions and datasets), which
# the report counts the runs against: a boot cut short shows as runs lost.
set -u
mods=$1 bench=$2 mib=$3 algo=$4 reps=${5:-1}
datasets="dup0 dup15 dup40 files"
case $reps in
''|*[!0-9]*|0*) echo "bench-swap: REPS must be a number of 1 or more, not '$reps'" >&2; exit 2 ;;
esac
echo "BENCH {\"plan\": {\"repetitions\": $reps, \"datasets\": [$(printf '"%s", ' $datasets | sed 's/, $//')]}}"
insmod "$mods/modules/core/multios_core.ko" || exit 1
insmod "$mods/modules/swap/multios_swap.ko" || exit 1
[ -e /sys/block/zram0 ] || { echo "no zram0 (CONFIG_ZRAM)"; exit 1; }
cd /tmp || exit 1
status=0
rep=1
while [ "$rep" -le "$reps" ]; do
	devices="zram0 multios_swap0"
	[ $((rep % 2)) -eq 0 ] && devices="multios_swap0 zram0"
	for ds in $datasets; do
		for dev in $devices; do
			sys=/sys/block/$dev
			echo 1 >$sys/reset &&
			echo "$algo" >$sys/comp_algorithm &&
			echo 2G >$sys/disksize &&
			mkswap /dev/$dev >/dev/null &&
			swapon /dev/$dev || {
				echo "bench-swap: $dev: cannot set it up: run $ds rep $rep lost" >&2
				status=1
				continue
			}
			"$bench" -d $ds -m "$mib" -s $sys -n $dev -r "$rep" || status=1
			swapoff /dev/$dev
			echo 1 >$sys/reset
		done
	done
	rep=$((rep + 1))
done
rmmod multios_swap multios_core
exit $status
