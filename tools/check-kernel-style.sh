#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel C of the modules (shims, KUnit glue) is held to
# scripts/checkpatch.pl --strict like the patch series, minus three checks
# that a wrapper layer trips by design:
#   IN_ATOMIC, USE_LOCKDEP  runtime.c wraps in_atomic()/spin_is_locked() for
#                           C++ debug assertions (mos_in_atomic and friends);
#   AVOID_BUG               mos_bug() is the C++ side's BUG(), on purpose;
#   TRAILING_SEMICOLON      X-macros that declare one function per test case.
#
#   tools/check-kernel-style.sh KERNEL_SOURCE
#
# Exit 0: clean; 1: checkpatch found problems (listed); 2: checkpatch did
# not run to the end, so silence proves nothing. It ran only if it exited
# 0 or 1, printed a problem line for a 1, and printed a "total:" line for
# every file. Not --terse: that mode (--quiet) prints nothing at all for a
# clean file, so a run that stopped early looks clean; --summary-file
# names the file on its "total:" line.
set -eu
ksrc=$1
me=check-kernel-style
[ -x "$ksrc/scripts/checkpatch.pl" ] || { echo "$me: no $ksrc/scripts/checkpatch.pl (make source)" >&2; exit 2; }
cd "$(dirname "$0")/.."
files=$(find modules -path '*/shim/*' -name '*.[ch]' -o -path '*/kunit/*' -name '*.c' | sort)
[ -n "$files" ] || { echo "$me: no shim or KUnit C files under modules/" >&2; exit 2; }
out=$(mktemp "${TMPDIR:-/tmp}/$me.XXXXXX")
trap 'rm -f "$out"' EXIT

status=0
# shellcheck disable=SC2086
"$ksrc/scripts/checkpatch.pl" --strict --no-tree --emacs --showfile --summary-file --show-types \
	--ignore IN_ATOMIC,USE_LOCKDEP,AVOID_BUG,TRAILING_SEMICOLON -f $files >"$out" 2>&1 ||
	status=$?

# Each problem: "FILE:LINE: ERROR|WARNING|CHECK:TYPE: message", then the line.
problems=$(grep -cE '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):' "$out" || true)
awk '/^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):/ { print; show = 1; next }
     show && /^\+/ { print "  " $0 } { show = 0 }' "$out"
summary='^[^ ]+ total: [0-9]+ errors, [0-9]+ warnings, [0-9]+ checks, [0-9]+ lines checked$'
summaries=$(grep -E "$summary" "$out" | cut -d' ' -f1 || true)
missing=0
for f in $files; do
	echo "$summaries" | grep -qxF "$f" || missing=$((missing + 1))
done
nfiles=$(echo "$files" | wc -l)

didnotrun() {
	echo "$me: checkpatch did not run ($*); its output:" >&2
	tail -n 20 "$out" | sed 's/^/  | /' >&2
	exit 2
}
case $status in
0 | 1) ;;
*) didnotrun "$ksrc/scripts/checkpatch.pl exited with status $status" ;;
esac
[ "$missing" -eq 0 ] ||
	didnotrun "no \"total:\" line for $missing of $nfiles files: it stopped before checking them"
if [ "$status" -eq 1 ] && [ "$problems" -eq 0 ]; then
	didnotrun "it exited with status 1 but reported no ERROR, WARNING or CHECK"
fi
if [ "$problems" -gt 0 ]; then
	echo "$me: checkpatch --strict found $problems problems in the modules' kernel C"
	exit 1
fi
echo "$me: $nfiles files clean under checkpatch --strict"
