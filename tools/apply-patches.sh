#!/bin/sh
# Apply patches/series to a kernel source tree, idempotently.
#
#   tools/apply-patches.sh SRC PATCHDIR
#
# A patch that is already applied (it reverses cleanly) is skipped; a
# patch that neither applies nor reverses cleanly stops everything with
# the rejected hunks shown.
set -eu
src=$1 dir=$2
[ -f "$dir/series" ] || { echo "error: $dir/series not found" >&2; exit 1; }
grep -v '^#' "$dir/series" | grep -v '^[[:space:]]*$' | while read -r name; do
	p="$dir/$name"
	[ -f "$p" ] || { echo "error: series names $name, but $p is missing" >&2; exit 1; }
	if patch -d "$src" -p1 -R -s -f --fuzz=0 --dry-run <"$p" >/dev/null 2>&1; then
		echo "  patch $name: already applied"
		continue
	fi
	if ! out=$(patch -d "$src" -p1 -s -f --fuzz=0 --dry-run --no-backup-if-mismatch <"$p" 2>&1); then
		echo "error: patch $name does not apply to $src:" >&2
		echo "$out" >&2
		exit 1
	fi
	patch -d "$src" -p1 -s -f --fuzz=0 --no-backup-if-mismatch <"$p"
	echo "  patch $name: applied"
done
