#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers shared by the guest selftests; sourced, POSIX sh:
#
#   . "$(dirname "$0")/../lib.sh"
#   ok DESCRIPTION COMMAND...   one case. COMMAND's output is kept: on
#                               failure all of it becomes "# " comments, on
#                               success only its lines that already start
#                               with "#" (or all of it, "# "-prefixed, when
#                               ok_verbose=1). A COMMAND that succeeds and
#                               prints a line "SKIP REASON" is a skip.
#   ok_after=FUNCTION           called after every case (to clean up)
#   expect WANT COMMAND...      COMMAND's output (stdout+stderr) contains WANT
#   tap_end                     the plan and a summary; false if a case failed
#   ok_only=REGEX               (environment) run only the cases whose
#                               description matches (grep -E), for
#                               working on one case; the rest are not run
#   cpus_limit N                take every CPU numbered N or above offline
#   cpus_restore                bring every offline CPU back
#   sched_fields PID            "se.vruntime se.sum_exec_runtime" of PID
#                               (CONFIG_SCHED_DEBUG): the multios class
#                               never moves se.vruntime, CFS does
# A case that takes 10 s or more says so ("# took N s"): guest time is
# what make check is short of.
n=0 failed=0
ok_verbose=${ok_verbose:-0}
ok_after=${ok_after:-}
ok_only=${ok_only:-}
ok_out=/tmp/selftest.out

ok() {	# ok DESCRIPTION COMMAND...
	ok_desc=$1
	shift
	if [ -n "$ok_only" ] && ! echo "$ok_desc" | grep -Eq "$ok_only"; then
		return 0
	fi
	n=$((n + 1))
	ok_t0=$(date +%s)
	if "$@" >"$ok_out" 2>&1; then
		ok_skip=$(sed -n 's/^SKIP *//p' "$ok_out" | head -n 1)
		if grep -q '^SKIP' "$ok_out"; then
			echo "ok $n $ok_desc # SKIP ${ok_skip:-no reason given}"
		else
			echo "ok $n $ok_desc"
		fi
		if [ "$ok_verbose" = 1 ]; then
			grep -v '^SKIP' "$ok_out" | sed 's/^/# /'
		else
			grep '^#' "$ok_out"
		fi
	else
		echo "not ok $n $ok_desc"
		sed 's/^/# /' "$ok_out"
		failed=$((failed + 1))
	fi
	ok_dt=$(($(date +%s) - ok_t0))
	[ "$ok_dt" -lt 10 ] || echo "# took $ok_dt s"
	[ -z "$ok_after" ] || "$ok_after"
	return 0
}

expect() {	# expect WANT COMMAND...
	expect_want=$1
	shift
	expect_out=$("$@" 2>&1)
	case "$expect_out" in *"$expect_want"*) return 0 ;; esac
	echo "wanted '$expect_want' from '$*', got '$expect_out'"
	return 1
}

tap_end() {
	echo "1..$n"
	echo "# $((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# Timing cases run on as many vCPUs as the host has CPUs (2 on the
# development and CI machines). A TCG vCPU is a host thread: with 8 busy
# vCPUs on 2 host CPUs each one stops for tens of milliseconds at a time,
# and a deadline test then measures the host, not the scheduler.
# shellcheck disable=SC2034 # read by the scripts that source this file
host_cpus=2

cpus_limit() {	# cpus_limit N
	for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		c=${f#/sys/devices/system/cpu/cpu}
		c=${c%/online}
		[ "$c" -lt "$1" ] || [ "$(cat "$f")" = 0 ] || echo 0 >"$f" || return 1
	done
}

cpus_restore() {
	for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat "$f")" = 1 ] || echo 1 >"$f" || return 1
	done
}

sched_fields() {	# sched_fields PID
	awk -F: '$1 ~ /^se.vruntime / { gsub(/ /, "", $2); v = $2 }
		 $1 ~ /^se.sum_exec_runtime / { gsub(/ /, "", $2); e = $2 }
		 END { print v, e }' "/proc/$1/sched"
}
