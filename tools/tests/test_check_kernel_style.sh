#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/check-kernel-style.sh must tell "checkpatch found problems" (1)
# from "checkpatch did not run" (2) and pass only a run that checked
# every file and found nothing (0). Fake kernel trees whose
# scripts/checkpatch.pl prints what the real one does (--emacs --showfile
# --summary-file) or dies stand in for build/linux.
set -eu
check="$(cd "$(dirname "$0")/.." && pwd)/check-kernel-style.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# fake NAME BODY: a kernel tree whose checkpatch.pl runs BODY (sh) with
# the file names it was given (after -f) in "$@".
fake() {
	mkdir -p "$dir/$1/scripts"
	cat >"$dir/$1/scripts/checkpatch.pl" <<X
#!/bin/sh
while [ \$# -gt 0 ] && [ "\$1" != -f ]; do shift; done
shift
$2
X
	chmod +x "$dir/$1/scripts/checkpatch.pl"
}

# shellcheck disable=SC2016 # expanded by the fake, not here
total='echo "$f total: $e errors, 0 warnings, 0 checks, 100 lines checked"'
fake dies 'exit 255'
fake problem "f=\$1 e=1; shift
echo \"\$f:12: ERROR:SPACING: space required after that ','\"
echo '+	f(a,b);'
$total
e=0; for f; do $total; done
exit 1"
fake clean "e=0; for f; do $total; done"
fake quiet-1 "e=0; for f; do $total; done; exit 1"
fake stops "e=0; f=\$1; $total"
# shellcheck disable=SC2016
fake perl-error 'echo "Global symbol \"\$x\" requires explicit package name" >&2; exit 1'

expect() {	# expect STATUS WHAT FAKE
	want=$1 what=$2
	if "$check" "$dir/$3" >"$dir/out" 2>&1; then got=0; else got=$?; fi
	if [ "$got" = "$want" ] && grep -q "$what" "$dir/out"; then
		echo "ok: $3 -> exit $got ($what)"
	else
		echo "WRONG: $3 -> exit $got, wanted $want ($what):"
		sed 's/^/  | /' "$dir/out"
		failures=$((failures + 1))
	fi
}

expect 2 "exited with status 255" dies
expect 1 "ERROR:SPACING" problem
expect 0 "files clean" clean
expect 2 "status 1 but reported no ERROR" quiet-1
expect 2 "no \"total:\" line for" stops
expect 2 "no \"total:\" line for" perl-error
expect 2 "no .*scripts/checkpatch.pl" missing
[ $failures -eq 0 ]
