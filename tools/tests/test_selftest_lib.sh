#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# selftests/multios/lib.sh, the TAP helpers of the kselftests: each check
# that once passed without testing now fails (or skips) where it must.
# Run by ctest (tools_selftest_lib); no root, no guest.
set -u
lib=$(cd "$(dirname "$0")/../../selftests/multios" && pwd)/lib.sh
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {	# check DESCRIPTION WANT_STATUS SCRIPT: SCRIPT runs after lib.sh
	printf '%s\n' ". '$lib'" "ok_out=$tmp/ok.out" "$3" >"$tmp/t.sh"
	sh "$tmp/t.sh" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$2" ]; then
		echo "FAIL: $1: exit $got, wanted $2"
		sed 's/^/  | /' "$tmp/out"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}

# check_out DESCRIPTION PATTERN SCRIPT: the output has a line PATTERN (grep -E)
check_out() {
	check "$1" "${4:-0}" "$3"
	grep -Eq "$2" "$tmp/out" || { echo "FAIL: $1: no line /$2/"; sed 's/^/  | /' "$tmp/out"; fails=$((fails + 1)); }
}

check "expect matches a whole line" 0 'expect 1 echo 1'
check "expect 1 does not accept 10" 1 'expect 1 echo 10'
check "expect EINVAL does not accept a longer word" 1 'expect EINVAL echo EINVALID'
check "expect finds the line among others" 0 'expect EBUSY printf "x\nEBUSY\n"'
check "a full plan passes" 0 'tap_plan 2; ok a true; ok b true; tap_end'
check "a case fewer than planned fails" 1 'tap_plan 3; ok a true; ok b true; tap_end'
check "a case more than planned fails" 1 'tap_plan 1; ok a true; ok b true; tap_end'
check "no plan fails" 1 'ok a true; tap_end'
check "a failed case fails" 1 'tap_plan 1; ok a false; tap_end'
check_out "a case that prints SKIP is a skip" '^ok 1 a # SKIP why$' 'tap_plan 1; ok a echo "SKIP why"; tap_end'
check_out "ok_only reports the others as skipped" '^ok 1 a # SKIP not selected by ok_only$' \
	'ok_only=b; tap_plan 2; ok a true; ok b true; tap_end'
check "ok's status is the case's" 1 'ok a false'
check_out "skip_all is kselftest's skip" '^1\.\.0 # SKIP no module$' 'skip_all "no module"' 4
check_out "no_leaks without kmemleak is a skip" '^ok 1 leaks # SKIP no /nonexistent' \
	'kmemleak=/nonexistent; tap_plan 1; ok leaks no_leaks; tap_end'
check "no_leaks without kmemleak fails where kmemleak is required" 1 \
	'MULTIOS_REQUIRE_KMEMLEAK=1 kmemleak=/nonexistent; tap_plan 1; ok leaks no_leaks; tap_end'
check_out "SKIPPED is not the SKIP marker" '^ok 1 a$' 'tap_plan 1; ok a echo SKIPPED; tap_end'
check "expect with an empty WANT fails" 1 'expect "" true'
# A kmemleak file that refuses the scan: kmemleak off (EPERM) is a skip, a
# scan that fails otherwise (here: a directory) is a failure.
check "a failing kmemleak scan fails" 1 \
	"sleep() { :; }; kmemleak=$tmp; tap_plan 1; ok leaks no_leaks; tap_end"
check_out "module_path finds a module in MULTIOS_MODULES" "^$tmp/m/modules/core/multios_core.ko\$" \
	"mkdir -p $tmp/m/modules/core && : >$tmp/m/modules/core/multios_core.ko && MULTIOS_MODULES=$tmp/m module_path multios_core"
check_out "need_module without the module skips the whole test" '^1\.\.0 # SKIP no multios_nothing.ko' \
	"MULTIOS_MODULES=$tmp/m need_module multios_nothing" 4

# A script that dies part-way takes its background tasks with it (they
# would hold the kselftest runner's pipe open until its time-out).
check "a dying script exits with its own status" 3 "tap_plan 1; sleep 1000 & echo \$! >$tmp/bg; exit 3"
# The trap's kill is sent before the script exits; the task dies soon
# after (seconds, on a host busy with ctest -j), and may stay a zombie
# for as long as whoever adopted it does not reap it.
alive() {	# alive PID: running, not a zombie
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$state" ] && [ "$state" != Z ]
}
for _ in 1 2 3 4 5 6 7 8 9 10; do
	alive "$(cat "$tmp/bg")" || break
	sleep 0.5
done
if alive "$(cat "$tmp/bg")"; then
	echo "FAIL: a dying script left its background task $(cat "$tmp/bg") behind"
	kill "$(cat "$tmp/bg")"
	fails=$((fails + 1))
else
	echo "ok: a dying script leaves no background task behind"
fi
check "a script killed with SIGTERM exits 143" 143 \
	"tap_plan 1; sleep 1000 & echo \$! >$tmp/bg; kill -TERM \$\$; sleep 5"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	alive "$(cat "$tmp/bg")" || break
	sleep 0.5
done
if alive "$(cat "$tmp/bg")"; then
	echo "FAIL: a script killed with SIGTERM left its background task behind"
	kill "$(cat "$tmp/bg")"
	fails=$((fails + 1))
else
	echo "ok: a script killed with SIGTERM leaves no background task behind"
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
