#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers shared by the multios kselftests; sourced, POSIX sh:
#
#   . "$(dirname "$0")/lib.sh"
#   tap_plan N                  "TAP version 13" and the plan: the N cases
#                               this script reports, every run (a script
#                               that dies part-way falls short of it)
#   ok DESCRIPTION COMMAND...   one case. COMMAND's output is kept: on
#                               failure all of it becomes "# " comments, on
#                               success only its lines that already start
#                               with "#" (or all of it, "# "-prefixed, when
#                               ok_verbose=1). A COMMAND that succeeds and
#                               prints a line "SKIP REASON" (or "SKIP") is
#                               a skip: it could not check anything, so it
#                               is no pass.
#   skip DESCRIPTION REASON     a case that cannot run here, reported as such
#   not_ok DESCRIPTION REASON   a case that cannot run although it should
#   ok_after=FUNCTION           called after every case (to clean up)
#   expect WANT COMMAND...      a whole line of COMMAND's output
#                               (stdout+stderr) is WANT ("1" is not "10")
#   tap_end                     a summary; false if a case failed or the
#                               count of cases differs from the plan
#   skip_all REASON             nothing can run here (no module): the
#                               kselftest skip, "1..0 # SKIP", exit 4
#   ok_only=REGEX               (environment) run only the cases whose
#                               description matches (grep -E), for
#                               working on one case; the rest are reported
#                               as skipped, so the plan still holds
#   module_path NAME            the NAME.ko to insmod (see below)
#   need_module NAME            module_path into $module, or skip_all
#   kernel_deps KO              modprobe the kernel's modules KO needs
#   need_class                  skip_all on a kernel without the class
#   need_sched                  need_class, multios_core and multios_sched
#   need_program PATH           exit 1 (no plan) if PATH is not built
#   kmemleak_clear, no_leaks    kmemleak around a test (see below);
#                               MULTIOS_REQUIRE_KMEMLEAK=1: no kmemleak fails
#   cpus_limit N                take every CPU numbered N or above offline
#   cpus_restore                bring every offline CPU back
#   sched_fields PID            "se.vruntime se.sum_exec_runtime" of PID
#                               (CONFIG_SCHED_DEBUG): the multios class
#                               never moves se.vruntime, CFS does
# A case that takes 10 s or more says so ("# took N s"): guest time is
# what make check is short of.
n=0 failed=0 skipped=0 planned=
ok_verbose=${ok_verbose:-0}
ok_after=${ok_after:-}
ok_only=${ok_only:-}
ok_out=/tmp/selftest.out

# A script that dies part-way (an exit, SIGTERM, SIGINT) must not leave
# its background tasks behind: they would hold the runner's output pipe
# open until its time-out, and keep loading the guest for the next test.
tap_plan() {	# tap_plan N
	planned=$1
	trap kill_own_jobs EXIT
	trap 'kill_own_jobs; trap - EXIT; exit 143' TERM
	trap 'kill_own_jobs; trap - EXIT; exit 130' INT
	echo "TAP version 13"
	echo "1..$planned"
}

# dash's jobs -p also lists jobs that ended, whose PIDs may have been
# reused since: only a process whose parent is this shell is killed.
# (jobs -p in a command substitution would list the subshell's jobs.)
kill_own_jobs() {
	jobs -p >/tmp/tap_jobs.$$
	while read -r pid; do
		ppid=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f2)
		[ "$ppid" != $$ ] || kill "$pid" 2>/dev/null
	done <"/tmp/tap_jobs.$$"
	rm -f "/tmp/tap_jobs.$$"
}

# A case's status is ok's: false if it failed (a skip is no failure).
ok() {	# ok DESCRIPTION COMMAND...
	ok_desc=$1
	shift
	if [ -n "$ok_only" ] && ! echo "$ok_desc" | grep -Eq "$ok_only"; then
		skip "$ok_desc" "not selected by ok_only"
		return 0
	fi
	n=$((n + 1))
	ok_t0=$(date +%s)
	ok_status=0
	if "$@" >"$ok_out" 2>&1; then
		ok_skip=$(sed -n 's/^SKIP\( \|$\)//p' "$ok_out" | head -n 1)
		if grep -Eq '^SKIP( |$)' "$ok_out"; then
			echo "ok $n $ok_desc # SKIP ${ok_skip:-no reason given}"
			skipped=$((skipped + 1))
		else
			echo "ok $n $ok_desc"
		fi
		if [ "$ok_verbose" = 1 ]; then
			grep -Ev '^SKIP( |$)' "$ok_out" | sed 's/^/# /'
		else
			grep '^#' "$ok_out"
		fi
	else
		echo "not ok $n $ok_desc"
		sed 's/^/# /' "$ok_out"
		failed=$((failed + 1))
		ok_status=1
	fi
	ok_dt=$(($(date +%s) - ok_t0))
	[ "$ok_dt" -lt 10 ] || echo "# took $ok_dt s"
	[ -z "$ok_after" ] || "$ok_after"
	return $ok_status
}

skip() {	# skip DESCRIPTION REASON
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n $1 # SKIP $2"
}

not_ok() {	# not_ok DESCRIPTION REASON
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	echo "# $2"
}

expect() {	# expect WANT COMMAND...
	expect_want=$1
	shift
	[ -n "$expect_want" ] || { echo "expect: an empty WANT matches nothing"; return 1; }
	expect_out=$("$@" 2>&1)
	printf '%s\n' "$expect_out" | grep -qxF -- "$expect_want" && return 0
	echo "wanted a line '$expect_want' from '$*', got '$expect_out'"
	return 1
}

tap_end() {
	echo "# $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
	if [ "$n" -ne "${planned:-0}" ]; then
		echo "# the plan was ${planned:-not printed (tap_plan)}, but $n cases reported"
		return 1
	fi
	[ "$failed" -eq 0 ]
}

skip_all() {	# skip_all REASON
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit 4	# kselftest's KSFT_SKIP
}

# Where the modules come from: MULTIOS_MODULES, a tree of built modules
# (modules/<dir>/<name>.ko under it: make check passes build/modules/x86_64),
# or, when it is unset, the modules installed for the running kernel
# (make modules_install of the out-of-tree modules), as modinfo finds them.
module_path() {	# module_path NAME
	if [ -n "${MULTIOS_MODULES:-}" ]; then
		for f in "$MULTIOS_MODULES"/modules/*/"$1".ko; do
			[ -f "$f" ] && { echo "$f"; return 0; }
		done
		echo "no $1.ko under $MULTIOS_MODULES/modules" >&2
		return 1
	fi
	modinfo -n "$1" 2>/dev/null && return 0
	echo "$1 is not installed for $(uname -r); set MULTIOS_MODULES to a build tree" >&2
	return 1
}

# The kernel's own modules a module of ours needs (modinfo's depends,
# less multios_*, which the tests load themselves in order), loaded with
# modprobe unless loaded or built in already.
kernel_deps() {	# kernel_deps KO
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		case $dep in multios_*) continue ;; esac
		[ -d "/sys/module/$dep" ] || modprobe "$dep" || return 1
	done
}

# module_path into $module, or the whole test is skipped: without the
# module nothing it tests exists. Call it before tap_plan.
# shellcheck disable=SC2034 # read by the scripts that source this file
need_module() {	# need_module NAME
	module=$(module_path "$1" 2>/tmp/module_path.err) || skip_all "$(cat /tmp/module_path.err)"
}

# A program of this kselftest (the Makefile builds it beside the
# scripts): missing, it is a broken install, not a skip.
need_program() {	# need_program PATH
	[ -x "$1" ] && return 0
	echo "no $1: build and install the kselftest (make -C tools/testing/selftests TARGETS=multios)" >&2
	exit 1
}

# The scheduler's tests need the kernel side of the class (patches/):
# on a kernel without it they are skipped, as a module test is without
# its module.
need_class() {
	grep -qw multios_register /proc/kallsyms ||
		skip_all "kernel without the multios scheduling class (patches/)"
}

# The class and both of its modules (the scheduler's tests): their paths
# in core_ko and sched_ko.
# shellcheck disable=SC2034 # read by the scripts that source this file
need_sched() {
	need_class
	need_module multios_core
	core_ko=$module
	need_module multios_sched
	sched_ko=$module
}

# kmemleak around a test: clear before it (the boot's leaks are not the
# module's), and two scans after everything was loaded and unloaded
# (objects younger than 5 s are never reported) must find nothing. With
# no kmemleak, or kmemleak off, nothing is scanned: a SKIP, never a pass.
# The writes go through coreutils' printf, which names the errno (dash's
# echo says "I/O error" for all of them): kmemleak refuses a scan with
# EPERM when it is off (booted without kmemleak=on, or it turned itself
# off after an error), and any other failure is a failure.
kmemleak=/sys/kernel/debug/kmemleak

# A skip, unless MULTIOS_REQUIRE_KMEMLEAK=1 (make check's boots with
# kmemleak=on): kmemleak was asked for there, and missing, or turned off
# by itself after an error, it would hide every leak.
kmemleak_missing() {	# kmemleak_missing REASON
	if [ "${MULTIOS_REQUIRE_KMEMLEAK:-0}" = 1 ]; then
		echo "MULTIOS_REQUIRE_KMEMLEAK=1, but $1"
		return 1
	fi
	echo "SKIP $1"
}

# "clear" forgets only what a scan has found: scan first, so that the
# boot's leaks (or an earlier test's) that no scan has seen yet are not
# this test's.
kmemleak_clear() {
	[ -w $kmemleak ] || return 0
	echo scan >$kmemleak 2>/dev/null
	echo clear >$kmemleak
}

no_leaks() {
	[ -e $kmemleak ] || { kmemleak_missing "no $kmemleak (CONFIG_DEBUG_KMEMLEAK, debugfs)"; return; }
	sleep 6
	for _ in 1 2; do
		scan_err=$( (/usr/bin/printf scan >$kmemleak) 2>&1) && continue
		case $scan_err in
		*"not permitted"*) kmemleak_missing "kmemleak is off ($scan_err)"; return ;;
		esac
		echo "kmemleak scan failed: $scan_err"
		return 1
	done
	leaks=$(cat $kmemleak) || { echo "cannot read $kmemleak"; return 1; }
	[ -z "$leaks" ] || { echo "$leaks" | head -40; return 1; }
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
