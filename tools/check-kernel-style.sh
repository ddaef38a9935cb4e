#!/bin/sh
# The kernel C of the modules (shims, KUnit glue) is held to
# scripts/checkpatch.pl --strict like the patch series, minus three checks
# that a wrapper layer trips by design:
#   IN_ATOMIC, USE_LOCKDEP  runtime.c wraps in_atomic()/spin_is_locked() for
#                           C++ debug assertions (mos_in_atomic and friends);
#   AVOID_BUG               mos_bug() is the C++ side's BUG(), on purpose;
#   TRAILING_SEMICOLON      X-macros that declare one function per test case.
#   tools/check-kernel-style.sh KERNEL_SOURCE
set -eu
ksrc=$1
[ -x "$ksrc/scripts/checkpatch.pl" ] || { echo "no $ksrc/scripts/checkpatch.pl (make source)" >&2; exit 2; }
cd "$(dirname "$0")/.."
files=$(find modules -path '*/shim/*' -name '*.[ch]' -o -path '*/kunit/*' -name '*.c' | sort)
"$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore IN_ATOMIC,USE_LOCKDEP,AVOID_BUG,TRAILING_SEMICOLON -f $files |
	grep -v 'total: 0 errors, 0 warnings, 0 checks' | tee /tmp/check-kernel-style.$$ || true
! grep -qE '(ERROR|WARNING|CHECK):' /tmp/check-kernel-style.$$
status=$?
rm -f /tmp/check-kernel-style.$$
exit $status
