#!/bin/sh
# Apply patches/series to a kernel source tree, idempotently.
#
#   tools/apply-patches.sh SRC PATCHDIR
#
# Each applied patch is recorded with its checksum in SRC/.multios-applied,
# and a recorded patch is skipped: a reverse-apply test cannot tell, once a
# later patch of the series changed the same lines. In a tree without that
# record, a patch that reverses cleanly counts as applied. A patch that
# neither applies nor reverses stops everything with the rejected hunks
# shown.
set -eu
src=$1 dir=$2
ledger=$src/.multios-applied
[ -f "$dir/series" ] || { echo "error: $dir/series not found" >&2; exit 1; }
touch "$ledger"
grep -v '^#' "$dir/series" | grep -v '^[[:space:]]*$' | while read -r name; do
	p="$dir/$name"
	[ -f "$p" ] || { echo "error: series names $name, but $p is missing" >&2; exit 1; }
	sum=$(sha256sum <"$p" | cut -d' ' -f1)
	if grep -qx "$name $sum" "$ledger"; then
		echo "  patch $name: already applied"
		continue
	fi
	if patch -d "$src" -p1 -R -s -f --fuzz=0 --dry-run <"$p" >/dev/null 2>&1; then
		echo "$name $sum" >>"$ledger"
		echo "  patch $name: already applied"
		continue
	fi
	if ! out=$(patch -d "$src" -p1 -s -f --fuzz=0 --dry-run --no-backup-if-mismatch <"$p" 2>&1); then
		echo "error: patch $name does not apply to $src:" >&2
		echo "$out" >&2
		exit 1
	fi
	patch -d "$src" -p1 -s -f --fuzz=0 --no-backup-if-mismatch <"$p"
	echo "$name $sum" >>"$ledger"
	echo "  patch $name: applied"
done
