#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kselftest for multios_swap, run as root inside the x86_64 test guest:
#
#   [MULTIOS_MODULES=DIR] selftests/multios/multios_swap_test.sh
#
# Loads multios_swap over multios_core with two devices and the test
# knob, checks bad sysfs writes fail and change nothing (sizes: decimal
# only, no overflow), zram's formats (comp_algorithm, debug_stat),
# concurrent compact and reset clearing mem_limit, round-trips
# data (whole and partial pages) through the raw device, runs fio's
# verify if fio is installed, concurrent sub-page writers (raw and
# ext4 with 1 KiB blocks), swaps real process memory out and back
# with each algorithm (swap_integrity: several processes, swapon/swapoff
# cycles), corrupts an object and expects -EIO, writes pages back to a
# loop device over a tmpfs file (backing_dev, idle, writeback, bd_stat;
# reads, partial writes, discards and dedup-shared pages of written-back
# slots; swapped-out process memory written back and swapped in), checks
# rmmod is refused while swapped on, then swapoff, reset, rmmod and
# kmemleak. TAP output.
set -u
dev=/dev/multios_swap0
sys=/sys/block/multios_swap0
ok_verbose=1
here=$(cd "$(dirname "$0")" && pwd)
# Built beside this script by the kselftest Makefile (swap_integrity.c).
integrity=$here/swap_integrity
# shellcheck source=selftests/multios/lib.sh
. "$here/lib.sh"
need_module multios_core
core_ko=$module
need_module multios_swap
ko=$module

# write_fails FILE VALUE ERRNO_TEXT: the write fails with that error and
# the file reads the same afterwards (write-only files: only the error).
write_fails() {
	before=$(cat "$1" 2>/dev/null)
	# coreutils' printf names the errno (dash's builtin says "I/O error").
	err=$( (/usr/bin/printf '%s' "$2" >"$1") 2>&1)
	case $err in
	*"$3"*) ;;
	*) echo "write '$2' to $1: got '${err:-success}', want '$3'"; return 1 ;;
	esac
	after=$(cat "$1" 2>/dev/null)
	[ "$before" = "$after" ] || { echo "$1 changed: '$before' -> '$after'"; return 1; }
}

bad_writes_uninitialized() {
	write_fails $sys/disksize abc "Invalid argument" &&
	write_fails $sys/disksize 0 "Invalid argument" &&
	write_fails $sys/disksize 12Q "Invalid argument" &&
	write_fails $sys/comp_algorithm lzo "Invalid argument" &&
	write_fails $sys/comp_algorithm " " "Invalid argument" &&
	write_fails $sys/dedup maybe "Invalid argument" &&
	write_fails $sys/mem_limit -1 "Invalid argument" &&
	write_fails $sys/mem_used_max 5 "Invalid argument" &&
	write_fails $sys/reset 0 "Invalid argument" &&
	write_fails $sys/idle all "Invalid argument" &&
	write_fails $sys/compact 1 "Invalid argument" &&
	write_fails $sys/writeback idle "Invalid argument" &&
	write_fails $sys/backing_dev relative/path "Invalid argument" &&
	write_fails $sys/backing_dev /nonexistent "Invalid argument" &&
	write_fails $sys/backing_dev /tmp "Invalid argument" &&
	write_fails $sys/backing_dev /dev/multios_swap1 "Invalid argument" &&
	[ "$(cat $sys/backing_dev)" = none ] &&
	write_fails /sys/kernel/multios/swap/comp_algorithm lzo "Invalid argument" &&
	write_fails /sys/kernel/multios/swap/dedup 2x "Invalid argument" &&
	[ "$(cat $sys/initstate)" = 0 ]
}

# memparse() read "010" as octal 8 and "0x10" as hex, and wrapped past
# U64_MAX ("16E", "16777216T", 2^64 + 4096: 0, 0 and 4096, which the old
# module took); 99999999999999999999 and 20000000T wrapped to more than
# 1 TiB, 1KK had a character left. A size is decimal digits (no leading
# 0), one K, M, G or T in either case, a newline at most; 1 TiB at most.
check_sizes() {
	for f in mem_limit disksize; do
		for v in 010 0x10 00 99999999999999999999 20000000T 1KK 16E 16777216T \
			18446744073709555712 1P 2T 4k4 +4096 " 4096" "4096 " 1.5M; do
			write_fails $sys/$f "$v" "Invalid argument" || return 1
		done
	done
	echo 4k >$sys/mem_limit && [ "$(cat $sys/mem_limit)" = 4096 ] &&
	echo 3m >$sys/mem_limit && [ "$(cat $sys/mem_limit)" = $((3 << 20)) ] &&
	echo 1T >$sys/mem_limit && [ "$(cat $sys/mem_limit)" = $((1 << 40)) ] &&
	/usr/bin/printf 0 >$sys/mem_limit && [ "$(cat $sys/mem_limit)" = 0 ] &&
	[ "$(cat $sys/initstate)" = 0 ]
}

bad_sizes() {
	check_sizes
	status=$?
	# Whatever a failing module took: no limit, no disksize, for the rest.
	echo 0 >$sys/mem_limit
	[ "$(cat $sys/initstate)" = 0 ] || echo 1 >$sys/reset
	return $status
}

# algorithms_are FILE LINE: FILE is exactly LINE and a newline, byte for
# byte (od -c of both if not).
algorithms_are() {
	printf '%s\n' "$2" | cmp -s - "$1" && return 0
	echo "$1: want"
	printf '%s\n' "$2" | od -c
	echo "got"
	od -c <"$1"
	return 1
}

# zram's zcomp_available_show() (6.1) prints each algorithm followed by
# a space, the current one in brackets, then a newline: here
# "[lz4] zstd deflate \n" (the old module printed "[lz4] zstd deflate\n").
# Only algorithms the running kernel's crypto API has are listed: each
# is in /proc/crypto as a compression algorithm (showing the file loads
# the crypto modules it needs).
check_algorithms() {
	algorithms_are /sys/kernel/multios/swap/comp_algorithm '[lz4] zstd deflate ' &&
	algorithms_are $sys/comp_algorithm '[lz4] zstd deflate ' &&
	echo zstd >$sys/comp_algorithm &&
	algorithms_are $sys/comp_algorithm 'lz4 [zstd] deflate ' &&
	echo deflate >$sys/comp_algorithm &&
	algorithms_are $sys/comp_algorithm 'lz4 zstd [deflate] ' || return 1
	for a in $(tr -d '[]' <$sys/comp_algorithm); do
		awk -v a="$a" '$1 == "name" { name = $3 }
			$1 == "type" && $3 == "compression" && name == a { found = 1 }
			END { exit !found }' /proc/crypto ||
			{ echo "$a is listed, but /proc/crypto has no such compression"; return 1; }
	done
}

algorithms_format() {
	check_algorithms
	status=$?
	echo lz4 >$sys/comp_algorithm
	return $status
}

# zram's debug_stat (6.1): "version: 1", then "%8llu %8llu": writestall
# and miss_free; then our partial_retries.
debug_stat_format() {
	cat $sys/debug_stat || return 1
	[ "$(wc -l <$sys/debug_stat)" -eq 2 ] &&
	[ "$(sed -n 1p $sys/debug_stat)" = "version: 1" ] || return 1
	line=$(sed -n 2p $sys/debug_stat)
	if ! printf '%s\n' "$line" | grep -Eqx ' *[0-9]+ +[0-9]+ +[0-9]+' || [ ${#line} -lt 26 ]; then
		echo "second line '$line' is not three %8llu numbers"
		return 1
	fi
}

busy_when_initialized() {
	write_fails $sys/disksize 32M "Device or resource busy" &&
	write_fails $sys/comp_algorithm zstd "Device or resource busy" &&
	write_fails $sys/dedup 0 "Device or resource busy" &&
	algorithms_are $sys/comp_algorithm '[lz4] zstd deflate ' &&
	[ "$(cat $sys/disksize)" = $((64 << 20)) ]
}

# Whole pages and 512-byte pieces at odd offsets, read back with O_DIRECT.
raw_round_trip() {
	head -c 1048576 /dev/urandom >/tmp/rand
	dd if=/tmp/rand of=$dev bs=64k oflag=direct status=none &&
	dd if=$dev of=/tmp/back bs=64k count=16 iflag=direct status=none &&
	cmp /tmp/rand /tmp/back || return 1
	head -c 1536 /dev/urandom >/tmp/piece
	dd if=/tmp/piece of=$dev bs=512 seek=7 oflag=direct status=none &&
	dd if=$dev of=/tmp/back bs=512 skip=7 count=3 iflag=direct status=none &&
	cmp /tmp/piece /tmp/back || return 1
	# The rest of the pages the pieces touched is unchanged.
	dd if=$dev of=/tmp/back bs=512 count=7 iflag=direct status=none &&
	head -c 3584 /tmp/rand | cmp - /tmp/back
}

text_page() {	# a page that compresses
	i=0
	while [ $i -lt 80 ]; do
		printf 'text page line %02d: the quick brown fox jumps over the dog\n' $i
		i=$((i + 1))
	done | head -c 4096
}

corrupt_reads_eio() {
	text_page >/tmp/text
	[ "$(wc -c </tmp/text)" -eq 4096 ] || { echo "text page is not 4096 bytes"; return 1; }
	dd if=/tmp/text of=$dev bs=4096 seek=100 oflag=direct status=none || return 1
	echo 100 >$sys/debug_corrupt || return 1
	if dd if=$dev of=/tmp/back bs=4096 skip=100 count=1 iflag=direct 2>/tmp/dd.err; then
		echo "read of a corrupted page succeeded"
		return 1
	fi
	grep -q "Input/output error" /tmp/dd.err || { cat /tmp/dd.err; return 1; }
	# Overwriting the page heals it.
	dd if=/tmp/text of=$dev bs=4096 seek=100 oflag=direct status=none &&
	dd if=$dev of=/tmp/back bs=4096 skip=100 count=1 iflag=direct status=none &&
	cmp /tmp/text /tmp/back
}

discard_frees() {
	dd if=/tmp/text of=$dev bs=4096 seek=200 count=1 oflag=direct status=none || return 1
	before=$(awk '{print $1}' $sys/mm_stat)
	blkdiscard -o $((200 * 4096)) -l 4096 $dev || return 1
	after=$(awk '{print $1}' $sys/mm_stat)
	[ "$after" -eq $((before - 4096)) ] || { echo "orig_data_size $before -> $after"; return 1; }
}

# Two writers of compact at once (the counter was a += under the read
# lock): both succeed, and mm_stat's pages_compacted only grows. A lost
# update of the old module cannot be seen from user space.
compact_concurrent() {
	before=$(field $sys/mm_stat 7)
	for _ in 1 2 3 4 5 6 7 8; do
		echo 1 >$sys/compact &
		pid=$!
		echo 1 >$sys/compact || { wait $pid; return 1; }
		wait $pid || return 1
	done
	after=$(field $sys/mm_stat 7)
	echo "pages_compacted $before -> $after"
	[ "$after" -ge "$before" ]
}

# zram's reset sets limit_pages to 0: mem_limit (readable here, and
# mm_stat's 4th field) reads 0 afterwards.
reset_clears_mem_limit() {
	echo 1M >$sys/mem_limit && [ "$(cat $sys/mem_limit)" = 1048576 ] &&
	[ "$(field $sys/mm_stat 4)" = 1048576 ] && echo 1 >$sys/reset || return 1
	limit=$(cat $sys/mem_limit)
	mm_limit=$(field $sys/mm_stat 4)
	echo 0 >$sys/mem_limit	# no limit for the swap tests, whatever happened
	if [ "$limit" != 0 ] || [ "$mm_limit" != 0 ]; then
		echo "after reset: mem_limit $limit, mm_stat's $mm_limit"
		return 1
	fi
}

run_fio() {
	fio --name=verify --filename=$dev --rw=randwrite --bs=4k --size=32M \
		--direct=1 --ioengine=psync --verify=crc32c --verify_fatal=1 \
		--buffer_compress_percentage=50 --refill_buffers --numjobs=1 \
		--verify_state_save=0 --minimal >/tmp/fio.out 2>&1 || { cat /tmp/fio.out; return 1; }
	head -c 300 /tmp/fio.out
}

# Eight processes write their own 512-byte sector of the same pages
# over and over: each write is a read-modify-write of its page in the
# driver, and none may be lost. The module before the fix lost writes in
# both runs, every time (swap_subpage.c says how it checks).
subpage_writers() {
	"$here/swap_subpage" $dev 8 1 500 && "$here/swap_subpage" $dev 8 4 200
}

# A file system whose blocks are smaller than a page: 1 KiB ext4, four
# writers at once, every file read back after a remount, fsck clean.
ext4_1k_blocks() {
	mkfs.ext4 -q -F -b 1024 $dev && mkdir -p /tmp/mnt &&
	mount -t ext4 $dev /tmp/mnt || return 1
	for i in 1 2 3 4; do
		# 1 MiB files written 1 KiB at a time: each a sub-page write.
		dd if=/tmp/rand of=/tmp/mnt/f$i bs=1k conv=fsync status=none &
	done
	wait
	umount /tmp/mnt && mount -t ext4 $dev /tmp/mnt || return 1
	status=0
	for i in 1 2 3 4; do
		cmp /tmp/rand /tmp/mnt/f$i || status=1
	done
	umount /tmp/mnt && e2fsck -fn $dev >/tmp/fsck.out 2>&1 || { cat /tmp/fsck.out; return 1; }
	return $status
}

# The compressors exist for online CPUs only (a CPU hot-plug state): a
# CPU taken offline and brought back gets a working one again. (Before,
# every possible CPU had one from the start, so this passed too; it
# checks the new prepare/dead callbacks, not a fixed defect.)
streams_follow_hotplug() {
	c=/sys/devices/system/cpu/cpu1/online
	[ -w $c ] || { echo "cpu1 cannot be taken offline here"; return 1; }
	status=0
	echo 0 >$c && taskset -c 0 dd if=/tmp/rand of=$dev bs=64k oflag=direct status=none &&
	echo 1 >$c && taskset -c 1 dd if=$dev of=/tmp/back bs=64k count=16 iflag=direct status=none &&
	cmp /tmp/rand /tmp/back &&
	taskset -c 1 dd if=/tmp/rand of=$dev bs=64k seek=16 oflag=direct status=none &&
	taskset -c 0 dd if=$dev of=/tmp/back bs=64k skip=16 count=16 iflag=direct status=none &&
	cmp /tmp/rand /tmp/back || status=1
	# Whatever failed, the tests after this one get their CPU back.
	[ "$(cat $c)" = 1 ] || echo 1 >$c || status=1
	return $status
}

# zram's max_comp_streams: the number of online CPUs (one stream each);
# any write is accepted and changes nothing, as zram's.
max_comp_streams_online() {
	[ "$(cat $sys/max_comp_streams)" = "$(grep -c '^processor' /proc/cpuinfo)" ] &&
	echo 2 >$sys/max_comp_streams && echo many >$sys/max_comp_streams &&
	[ "$(cat $sys/max_comp_streams)" = "$(grep -c '^processor' /proc/cpuinfo)" ]
}

# BLKZEROOUT over a partly covered first and last page: the device
# offers write-zeroes (before: none, so the kernel wrote zero pages
# itself), frees the whole pages and zeroes just the covered parts.
write_zeroes_partial_pages() {
	[ "$(cat /sys/block/multios_swap0/queue/write_zeroes_max_bytes)" -gt 0 ] ||
		{ echo "no write-zeroes"; return 1; }
	dd if=/tmp/rand of=$dev bs=4096 count=4 oflag=direct status=none || return 1
	before=$(awk '{print $1}' $sys/mm_stat)
	blkdiscard -z -o 2048 -l 12288 $dev &&
	dd if=$dev of=/tmp/back bs=4096 count=4 iflag=direct status=none || return 1
	{ head -c 2048 /tmp/rand; head -c 12288 /dev/zero; tail -c +14337 /tmp/rand | head -c 2048; } >/tmp/want
	cmp /tmp/want /tmp/back || return 1
	after=$(awk '{print $1}' $sys/mm_stat)
	[ "$after" -eq $((before - 8192)) ] || { echo "orig_data_size $before -> $after: want the 2 whole pages freed"; return 1; }
}

# A 4 GiB BLKZEROOUT on a 5G device: with a write-zeroes limit of
# UINT_MAX sectors it arrived as one bio whose 32-bit size wrapped to 0
# and succeeded having zeroed nothing; now it is split, and both ends of
# the range read back as zeroes.
write_zeroes_4g() {
	d1=/dev/multios_swap1
	s1=/sys/block/multios_swap1
	echo 5G >$s1/disksize || return 1
	status=0
	dd if=/tmp/rand of=$d1 bs=4096 count=1 oflag=direct status=none &&
	dd if=/tmp/rand of=$d1 bs=4096 count=1 seek=$((1048576 - 1)) oflag=direct status=none &&
	blkdiscard -z -o 0 -l $((4 << 30)) $d1 &&
	dd if=$d1 of=/tmp/back bs=4096 count=1 iflag=direct status=none &&
	head -c 4096 /dev/zero | cmp - /tmp/back &&
	dd if=$d1 of=/tmp/back bs=4096 count=1 skip=$((1048576 - 1)) iflag=direct status=none &&
	head -c 4096 /dev/zero | cmp - /tmp/back || status=1
	echo 1 >$s1/reset || status=1
	return $status
}

setup_swap() {	# setup_swap ALGORITHM
	echo 1 >$sys/reset &&
	echo "$1" >$sys/comp_algorithm &&
	echo 256M >$sys/disksize &&
	mkswap $dev >/dev/null &&
	swapon $dev && grep -q multios_swap0 /proc/swaps
}

integrity() {	# integrity ALGORITHM
	setup_swap "$1" || return 1
	"$integrity" -p 4 -n 3000 -s $sys || { swapoff $dev; return 1; }
	cat $sys/mm_stat $sys/io_stat $sys/algorithm_stat
	swapoff $dev
}

# rw_page gives the device SWP_SYNCHRONOUS_IO (6.1's swapon tests for
# it): a page read back frees its slot at once, as with zram.
swap_in_frees_slots() {
	setup_swap lz4 || return 1
	"$integrity" -p 1 -n 2000 -s $sys -f || { swapoff $dev; return 1; }
	swapoff $dev
}

swapon_cycles() {
	for i in 1 2 3; do
		swapon $dev || return 1
		"$integrity" -p 2 -n 1000 || { swapoff $dev; return 1; }
		swapoff $dev || return 1
	done
}

rmmod_refused_while_swapped_on() {
	swapon $dev || return 1
	if rmmod multios_swap 2>/dev/null; then
		echo "rmmod succeeded while swapped on"
		return 1
	fi
	write_fails $sys/reset 1 "Device or resource busy" || return 1
	[ -e $sys ]
}

reset_refused_while_open() {
	exec 3<$dev
	write_fails $sys/reset 1 "Device or resource busy"
	status=$?
	exec 3<&-
	return $status
}

# ---- writeback to a backing device ----

loopdev=
setup_loop() {
	# Built in to make check's kernels; a module on Debian's.
	[ -e /dev/loop-control ] || modprobe loop || return 1
	rm -f /tmp/backing.img
	truncate -s 64M /tmp/backing.img &&
	loopdev=$(losetup -f --show /tmp/backing.img) && [ -b "$loopdev" ] &&
	echo "$loopdev"
}

field() {	# field FILE N: the Nth number of a stat file
	awk -v n="$2" '{print $n}' "$1"
}

# Page kinds written at page 0..23 of the raw device: 8 random (stored
# whole: huge), 8 distinct text pages (compressed), 4 copies of one text
# page (one deduplicated object) and 4 same-filled pages (no object).
wb_pages() {
	head -c $((8 * 4096)) /dev/urandom >/tmp/wb.img
	i=0
	while [ $i -lt 8 ]; do
		text_page | sed "s/text page/text page $i/" | head -c 4096
		i=$((i + 1))
	done >>/tmp/wb.img
	text_page >/tmp/text
	for i in 1 2 3 4; do cat /tmp/text; done >>/tmp/wb.img
	head -c $((4 * 4096)) /dev/zero | tr '\0' 'x' >>/tmp/wb.img
	[ "$(wc -c </tmp/wb.img)" -eq $((24 * 4096)) ] || { echo "wb.img has the wrong size"; return 1; }
	dd if=/tmp/wb.img of=$dev bs=4096 oflag=direct status=none
}

wb_readback() {
	dd if=$dev of=/tmp/back bs=4096 count=24 iflag=direct status=none &&
	cmp /tmp/wb.img /tmp/back
}

backing_setup() {
	echo 1 >$sys/reset && echo "$loopdev" >$sys/backing_dev &&
	[ "$(cat $sys/backing_dev)" = "$loopdev" ] &&
	write_fails /sys/block/multios_swap1/backing_dev "$loopdev" "Device or resource busy" &&
	echo none >$sys/backing_dev && [ "$(cat $sys/backing_dev)" = none ] &&
	echo "$loopdev" >$sys/backing_dev && echo 64M >$sys/disksize &&
	write_fails $sys/backing_dev none "Device or resource busy" &&
	write_fails $sys/backing_dev "$loopdev" "Device or resource busy" &&
	write_fails $sys/writeback all "Invalid argument" &&
	write_fails $sys/writeback "page_index=$((64 << 8))" "Invalid argument" &&
	write_fails $sys/writeback page_index=x "Invalid argument" &&
	[ "$(field $sys/bd_stat 1)" = 0 ]
}

# huge first: only the 8 random pages; then idle: the 8 + 4 text pages.
writeback_round_trip() {
	wb_pages || return 1
	orig=$(field $sys/mm_stat 1)
	echo huge >$sys/writeback || return 1
	cat $sys/bd_stat
	[ "$(field $sys/bd_stat 1)" = 8 ] && [ "$(field $sys/bd_stat 3)" = 8 ] &&
	[ "$(field $sys/mm_stat 8)" = 0 ] || { echo "huge: want 8 blocks, no huge object left"; return 1; }
	# Not idle yet: idle writeback takes nothing.
	echo idle >$sys/writeback && [ "$(field $sys/bd_stat 1)" = 8 ] || return 1
	echo all >$sys/idle && echo idle >$sys/writeback || return 1
	cat $sys/bd_stat $sys/mm_stat $sys/dedup_stat $sys/algorithm_stat
	# Each written-back sharer of the dedup object has its own block.
	[ "$(field $sys/bd_stat 1)" = 20 ] && [ "$(field $sys/bd_stat 3)" = 20 ] ||
		{ echo "idle: want 20 blocks"; return 1; }
	[ "$(field $sys/mm_stat 1)" = "$orig" ] || { echo "orig_data_size changed"; return 1; }
	[ "$(awk '{n += $2} END {print n}' $sys/algorithm_stat)" = 0 ] ||
		{ echo "objects left in memory"; return 1; }
	wb_readback || return 1
	[ "$(field $sys/bd_stat 2)" -ge 20 ] || { echo "reads did not come from the backing device"; return 1; }
	# Read pages are not idle: nothing more to write back.
	echo idle >$sys/writeback && [ "$(field $sys/bd_stat 3)" = 20 ]
}

written_back_slots_change() {
	# A 512-byte write into written-back page 9 (read-modify-write).
	head -c 512 /dev/urandom >/tmp/piece
	dd if=/tmp/piece of=/tmp/wb.img bs=512 seek=$((9 * 8 + 3)) conv=notrunc status=none &&
	dd if=/tmp/piece of=$dev bs=512 seek=$((9 * 8 + 3)) oflag=direct status=none || return 1
	[ "$(field $sys/bd_stat 1)" = 19 ] || { echo "overwrite kept its block"; return 1; }
	blkdiscard -o $((10 * 4096)) -l 4096 $dev || return 1
	head -c 4096 /dev/zero | dd of=/tmp/wb.img bs=4096 seek=10 conv=notrunc status=none
	[ "$(field $sys/bd_stat 1)" = 18 ] || { echo "discard kept its block"; return 1; }
	wb_readback || return 1
	# page_index=N: one page, idle or not.
	echo page_index=9 >$sys/writeback && [ "$(field $sys/bd_stat 1)" = 19 ] &&
	wb_readback
}

# Dedup off: every page an object of its own (Stored, not Deduped).
writeback_dedup_off() {
	echo 1 >$sys/reset && echo "$loopdev" >$sys/backing_dev && echo 0 >$sys/dedup &&
	echo 16M >$sys/disksize && wb_pages || return 1
	[ "$(field $sys/dedup_stat 4)" = 0 ] || { echo "dedup is on"; return 1; }
	echo all >$sys/idle && echo idle >$sys/writeback || return 1
	cat $sys/bd_stat
	[ "$(field $sys/bd_stat 1)" = 20 ] && wb_readback &&
	[ "$(awk '{n += $2} END {print n}' $sys/algorithm_stat)" = 0 ]
}

# zram's writeback_limit: enabled, each page written back uses one, and
# writeback stops with EIO when none is left; both knobs survive reset.
writeback_limit_counts_down() {
	echo 1 >$sys/reset && echo "$loopdev" >$sys/backing_dev &&
	echo 16M >$sys/disksize && wb_pages || return 1
	echo 5 >$sys/writeback_limit && echo 1 >$sys/writeback_limit_enable &&
	echo all >$sys/idle || return 1
	err=$( (/usr/bin/printf idle >$sys/writeback) 2>&1)
	case $err in
	*"Input/output error"*) ;;
	*) echo "writeback past the limit: '${err:-success}', want EIO"; return 1 ;;
	esac
	[ "$(field $sys/bd_stat 1)" = 5 ] && [ "$(cat $sys/writeback_limit)" = 0 ] ||
		{ cat $sys/bd_stat; echo "want 5 pages written back and the limit at 0"; return 1; }
	echo 0 >$sys/writeback_limit_enable && echo idle >$sys/writeback &&
	[ "$(field $sys/bd_stat 1)" = 20 ] && wb_readback || return 1
	echo 7 >$sys/writeback_limit && echo 1 >$sys/writeback_limit_enable &&
	echo 1 >$sys/reset && [ "$(cat $sys/writeback_limit)" = 7 ] &&
	[ "$(cat $sys/writeback_limit_enable)" = 1 ] &&
	write_fails $sys/writeback_limit x "Invalid argument" &&
	write_fails $sys/writeback_limit_enable -1 "Invalid argument" &&
	echo 0 >$sys/writeback_limit_enable
}

writeback_full_backing() {
	# 6M of incompressible pages for a 4M backing device: 1024 blocks.
	truncate -s 4M /tmp/small.img && small=$(losetup -f --show /tmp/small.img) || return 1
	echo 1 >$sys/reset && echo "$small" >$sys/backing_dev && echo 16M >$sys/disksize &&
	head -c 6M /dev/urandom >/tmp/big && dd if=/tmp/big of=$dev bs=1M oflag=direct status=none &&
	write_fails $sys/writeback huge "No space left on device" &&
	cat $sys/bd_stat && [ "$(field $sys/bd_stat 1)" = 1024 ] &&
	dd if=$dev of=/tmp/back bs=1M count=6 iflag=direct status=none && cmp /tmp/big /tmp/back &&
	rm -f /tmp/big && echo 1 >$sys/reset && losetup -d "$small" && rm -f /tmp/small.img
}

swap_writeback() {
	echo 1 >$sys/reset && echo "$loopdev" >$sys/backing_dev && echo 256M >$sys/disksize &&
	mkswap $dev >/dev/null && swapon $dev || return 1
	"$integrity" -p 4 -n 3000 -w "echo all >$sys/idle && echo idle >$sys/writeback && cat $sys/bd_stat && [ \$(awk '{print \$1}' $sys/bd_stat) -gt 1000 ]"
	status=$?
	cat $sys/bd_stat $sys/mm_stat $sys/io_stat
	swapoff $dev || status=1
	[ "$(field $sys/bd_stat 2)" -gt 1000 ] || { echo "swap-ins did not read the backing device"; status=1; }
	[ "$(awk '{print $1 + $2}' $sys/io_stat)" = 0 ] || status=1
	return $status
}

reset_releases_backing() {
	echo 1 >$sys/reset && [ "$(cat $sys/backing_dev)" = none ] &&
	[ "$(awk '{print $1 + $2 + $3}' $sys/bd_stat)" = 0 ] &&
	losetup -d "$loopdev" && rm -f /tmp/backing.img &&
	# Back to what the tests after these expect: a swap device, not on.
	echo 256M >$sys/disksize && mkswap $dev >/dev/null
}

# ---- hot_add and hot_remove (/sys/class/multios_swap-control) ----

ctl=/sys/class/multios_swap-control
hot_id=
hot_left=

# Where udev runs (not in the test guest), it opens each new disk to
# probe it: a hot_remove then would be -EBUSY.
udev_settle() {
	[ ! -S /run/udev/control ] || udevadm settle --timeout=10
}

# hot_add into hot_id: a read makes a device and shows its id and a
# newline, nothing else.
hot_add() {
	cat $ctl/hot_add >/tmp/hot_add.out || return 1
	hot_id=$(cat /tmp/hot_add.out)
	if ! printf '%s\n' "$hot_id" | grep -Eqx '[0-9]+' ||
		! printf '%s\n' "$hot_id" | cmp -s - /tmp/hot_add.out; then
		echo "hot_add showed this, not an id and a newline:"
		od -c /tmp/hot_add.out
		return 1
	fi
	udev_settle
}

# hot_round_trip ID: disksize, then 1 MiB through the raw device and
# back with O_DIRECT. The device is left initialized, with the data.
hot_round_trip() {
	hdev=/dev/multios_swap$1
	hsys=/sys/block/multios_swap$1
	[ -b "$hdev" ] || { echo "no $hdev"; return 1; }
	head -c 1048576 /dev/urandom >/tmp/hot.rand
	[ "$(cat "$hsys/initstate")" = 0 ] && echo 16M >"$hsys/disksize" &&
	[ "$(blockdev --getsize64 "$hdev")" = $((16 << 20)) ] &&
	dd if=/tmp/hot.rand of="$hdev" bs=64k oflag=direct status=none &&
	dd if="$hdev" of=/tmp/hot.back bs=64k count=16 iflag=direct status=none &&
	cmp /tmp/hot.rand /tmp/hot.back
}

hot_gone() {	# hot_gone ID
	[ ! -e "/dev/multios_swap$1" ] && [ ! -e "/sys/block/multios_swap$1" ] &&
	! grep -qw "multios_swap$1" /proc/partitions && return 0
	echo "multios_swap$1 is still there"
	return 1
}

# The devices of load are 0 and 1: the next id is 2.
hot_add_works() {
	hot_add || return 1
	[ "$hot_id" = 2 ] || { echo "hot_add made $hot_id, want 2"; return 1; }
	hot_round_trip "$hot_id" && echo 1 >"/sys/block/multios_swap$hot_id/reset" &&
	[ "$(cat "/sys/block/multios_swap$hot_id/initstate")" = 0 ]
}

# Initialized and holding data: the remove frees the store too (the
# kmemleak case at the end would find it otherwise).
hot_remove_works() {
	id=${hot_id:-2}
	hot_round_trip "$id" && echo "$id" >$ctl/hot_remove && hot_gone "$id"
}

# The freed id is the lowest free one again, as zram's idr hands it out:
# its name, minor and sysfs directory must be free for the new device.
# Left initialized, with data, for the cases below and for rmmod.
hot_add_reuses_id() {
	hot_add || return 1
	[ "$hot_id" = 2 ] || { echo "hot_add made $hot_id, want the freed 2"; return 1; }
	hot_round_trip "$hot_id" || return 1
	hot_left=$hot_id
}

# Held open by this shell, then swapped on: -EBUSY both times, and the
# device is as it was (data, swap).
hot_remove_busy() {
	id=${hot_id:-2}
	hdev=/dev/multios_swap$id
	[ -b "$hdev" ] || { echo "no $hdev"; return 1; }
	exec 3<"$hdev"
	write_fails $ctl/hot_remove "$id" "Device or resource busy"
	status=$?
	exec 3<&-
	[ $status = 0 ] || return 1
	dd if="$hdev" of=/tmp/hot.back bs=64k count=16 iflag=direct status=none &&
	cmp /tmp/hot.rand /tmp/hot.back &&
	mkswap "$hdev" >/dev/null && swapon "$hdev" || return 1
	write_fails $ctl/hot_remove "$id" "Device or resource busy"
	status=$?
	grep -qw "multios_swap$id" /proc/swaps || { echo "not swapped on any more"; status=1; }
	swapoff "$hdev" || return 1
	[ $status = 0 ] && [ -b "$hdev" ]
}

# Devices 0, 1 and 2 exist; ids past the range are no device either. Not
# a non-negative int ("-1", " 2", an overflow): -EINVAL, nothing removed.
hot_remove_bad() {
	for v in 3 31 32 1000 2147483647; do
		write_fails $ctl/hot_remove "$v" "No such device" || return 1
	done
	for v in abc -1 2x " 2" 0x2 1.0 2147483648 99999999999999999999; do
		write_fails $ctl/hot_remove "$v" "Invalid argument" || return 1
	done
	[ -b /dev/multios_swap0 ] && [ -b /dev/multios_swap1 ] && [ -b "/dev/multios_swap${hot_id:-2}" ]
}

# 32 devices at most (MSWAP_MAX_DEVICES): the next hot_add is -ENOSPC.
# Those added here are removed again.
hot_add_limit() {
	added=
	i=0
	while [ $i -lt 40 ]; do
		err=$(cat $ctl/hot_add 2>&1) || break
		added="$added $err"
		i=$((i + 1))
	done
	total=0
	for disk in /sys/block/multios_swap*; do
		[ ! -e "$disk" ] || total=$((total + 1))
	done
	echo "$i added, $total in all"
	status=0
	case $err in
	*"No space left on device"*) ;;
	*) echo "the last hot_add: '$err', want 'No space left on device'"; status=1 ;;
	esac
	[ "$total" = 32 ] || status=1
	udev_settle
	for id in $added; do
		echo "$id" >$ctl/hot_remove && hot_gone "$id" || status=1
	done
	return $status
}

# clean_unload's rmmod ran with hot_add_reuses_id's device still there,
# initialized: it went, and the control class with it.
hot_added_gone() {
	[ -n "$hot_left" ] || { echo "no hot-added device was left for rmmod"; return 1; }
	! lsmod | grep -q '^multios_swap ' && [ ! -e $ctl ] && hot_gone "$hot_left"
}

clean_unload() {
	swapoff $dev && echo 1 >$sys/reset && [ "$(cat $sys/initstate)" = 0 ] &&
	rmmod multios_swap && [ ! -e $sys ] && [ ! -e /sys/kernel/multios/swap ]
}

cd /tmp || exit 1
kmemleak_clear
tap_plan 47
lsmod | grep -q '^multios_core' || insmod "$core_ko"
# The kernel's modules multios_swap needs (Debian builds zsmalloc as a
# module; make check's kernels have it built in) come from modprobe, as
# they would for an installed multios_swap.
load_swap() {
	kernel_deps "$ko" && insmod "$ko" num_devices=2 debug_knobs=1
}

ok "insmod multios_swap num_devices=2 debug_knobs=1" load_swap
ok "two devices, module-wide defaults in /sys/kernel/multios/swap" \
	sh -c "[ -b $dev ] && [ -b /dev/multios_swap1 ] && grep -q '^\[lz4\]' /sys/kernel/multios/swap/comp_algorithm && grep -qw swap /sys/kernel/multios/features"
ok "bad writes: -EINVAL, nothing changed" bad_writes_uninitialized
ok "sizes: decimal with one K/M/G/T, no octal, hex, E/P or overflow" bad_sizes
ok "comp_algorithm: zram's format, algorithms the kernel has" algorithms_format
ok "disksize 64M initializes the device" \
	sh -c "echo 64M >$sys/disksize && [ \$(cat $sys/initstate) = 1 ] && [ \$(blockdev --getsize64 $dev) = $((64 << 20)) ]"
ok "debug_stat: zram's version 1, writestall and miss_free" debug_stat_format
ok "disksize, comp_algorithm, dedup of an initialized device: -EBUSY" busy_when_initialized
ok "raw device: whole and 512-byte partial pages round-trip" raw_round_trip
ok "debug_corrupt: reading a corrupted object fails with EIO" corrupt_reads_eio
ok "discard frees the page" discard_frees
ok "compact: two writers at once, pages_compacted never drops" compact_concurrent
ok "reset while open: -EBUSY" reset_refused_while_open
if command -v fio >/dev/null; then
	ok "fio randwrite --verify=crc32c on the raw device" run_fio
else
	skip "fio randwrite --verify=crc32c on the raw device" "fio not installed"
fi
ok "8 writers of their own 512-byte sectors of one page, of 4 pages: no write lost" subpage_writers
ok "ext4 with 1 KiB blocks: 4 writers at once, files intact, fsck clean" ext4_1k_blocks
ok "compressors follow CPU hot-plug: offline, online, write and read on it" streams_follow_hotplug
ok "max_comp_streams: the online CPUs, as zram" max_comp_streams_online
ok "write-zeroes: whole pages freed, partly covered pages zeroed in part" write_zeroes_partial_pages
ok "write-zeroes of 4 GiB: both ends zeroed" write_zeroes_4g
# Leaves the device reset: the tests after it set it up again.
ok "reset clears mem_limit" reset_clears_mem_limit
for algo in lz4 zstd deflate; do
	ok "swap integrity, 4 processes, $algo" integrity $algo
done
ok "swap-in is synchronous: pages read back leave the device at once" swap_in_frees_slots
ok "swapon/swapoff cycles keep every page" swapon_cycles
if ok "loop device over a tmpfs file for writeback" setup_loop; then
	ok "backing_dev: set, show, clear, -EBUSY once initialized or held" backing_setup
	ok "writeback huge, then idle: bd_stat counts, pages read back identical" writeback_round_trip
	ok "overwrite, partial write, discard of written-back pages free their blocks" \
		written_back_slots_change
	ok "writeback with dedup off: every page its own block, read back identical" \
		writeback_dedup_off
	ok "writeback_limit: counts down, EIO at 0, kept across reset" writeback_limit_counts_down
	ok "writeback stops with -ENOSPC when the backing device is full" writeback_full_backing
	ok "swap integrity, 4 processes, pages written back while swapped out" swap_writeback
	ok "reset lets the backing device go" reset_releases_backing
else
	for t in backing_setup round_trip slots_change dedup_off limit full_backing swap reset; do
		not_ok "writeback $t" "no loop device"
	done
fi
ok "rmmod and reset refused while swapped on" rmmod_refused_while_swapped_on
ok "io_stat: no failed reads or writes" \
	sh -c "cat $sys/io_stat; [ \"\$(awk '{print \$1 + \$2}' $sys/io_stat)\" = 0 ]"
ok "second device works independently" \
	sh -c "echo 16M >/sys/block/multios_swap1/disksize && dd if=/tmp/rand of=/dev/multios_swap1 bs=64k oflag=direct status=none && dd if=/dev/multios_swap1 of=/tmp/back bs=64k count=16 iflag=direct status=none && cmp /tmp/rand /tmp/back && echo 1 >/sys/block/multios_swap1/reset"
ok "hot_add: the next id, /dev/multios_swap2 works (disksize, O_DIRECT, reset)" hot_add_works
ok "hot_remove of an initialized device: node and sysfs gone" hot_remove_works
ok "hot_add after hot_remove: the freed id again, and it works" hot_add_reuses_id
ok "hot_remove of an open or swapped-on device: -EBUSY, device intact" hot_remove_busy
ok "hot_remove of an unknown id: -ENODEV; of garbage: -EINVAL" hot_remove_bad
ok "hot_add up to 32 devices, then -ENOSPC; hot_remove of them all" hot_add_limit
ok "swapoff, reset, rmmod multios_swap" clean_unload
ok "rmmod removed the hot-added device and multios_swap-control" hot_added_gone
ok "kmemleak finds no leaks" no_leaks
tap_end
