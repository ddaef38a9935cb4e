#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Does a kernel tree hold exactly TARBALL plus PATCHDIR/series? For every
# file the series touches (new files too), the file is extracted from the
# tarball into a scratch tree, the series is applied there, and the result
# is compared with the same file in KSRC.
#
#   tools/check-patched-tree.sh KSRC TARBALL PATCHDIR
#
# Exit 0: every touched file matches; 1: a file differs, is missing, or
# should have been deleted (each named); 2: could not check (no tarball,
# a patch is missing or does not apply to the tarball's files).
#
# Why not tools/apply-patches.sh's ledger (KSRC/.multios-applied): it
# records what the script did, not what the tree holds; a patch reverted
# or a file edited by hand afterwards still reads "already applied".
# Files the series does not touch are not compared: the tarball is read
# once for the few files it names (about 15 s for the 130 MB xz).
set -u
[ $# -eq 3 ] || { echo "usage: $0 KSRC TARBALL PATCHDIR" >&2; exit 2; }
ksrc=$1 tarball=$2 dir=$3
me=check-patched-tree

cannot() {
	echo "$me: cannot check: $*" >&2
	exit 2
}

[ -d "$ksrc" ] || cannot "$ksrc is not a directory"
[ -r "$tarball" ] || cannot "$tarball not found"
[ -f "$dir/series" ] || cannot "$dir/series not found"
patches=$(grep -v '^#' "$dir/series" | grep -v '^[[:space:]]*$') ||
	cannot "$dir/series names no patch"
for name in $patches; do
	[ -f "$dir/$name" ] || cannot "series names $name, but $dir/$name is missing"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX") || cannot "no temporary directory"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tree"

# A file header is a "--- OLD" line followed by "+++ NEW" (what patch
# itself looks for); -p1 drops the a/ and b/. A file whose first header in
# the series is "--- /dev/null" is created by the series, so it is not
# asked of the tarball. touched: every path; members: those to extract.
# shellcheck disable=SC2086 # $patches: one name per word, as in series
(cd "$dir" && awk -v tmp="$tmp" '
	function path(line) {
		sub(/^(---|\+\+\+) /, "", line)
		sub(/\t.*/, "", line)
		if (line == "/dev/null")
			return line
		sub(/^[^\/]*\//, "", line)
		return line
	}
	prev ~ /^--- / && /^\+\+\+ / {
		old = path(prev); new = path($0)
		if (old != "/dev/null" && !(old in seen))
			print old > (tmp "/members")
		if (old != "/dev/null") seen[old] = 1
		if (new != "/dev/null") seen[new] = 1
	}
	{ prev = $0 }
	END { for (f in seen) print f > (tmp "/touched") }
' $patches) || cannot "cannot read the patches in $dir"
[ -s "$tmp/touched" ] || cannot "the patches in $dir touch no file"

# Members are named under the tarball's top folder (linux-source-6.1/).
top=$(tar -tf "$tarball" 2>/dev/null | head -n 1)
top=${top%%/*}
[ -n "$top" ] || cannot "$tarball is not a readable tar archive"
if [ -s "$tmp/members" ]; then
	sed "s|^|$top/|" "$tmp/members" >"$tmp/members.tar"
	tar -xf "$tarball" -C "$tmp/tree" --strip-components=1 -T "$tmp/members.tar" \
		2>"$tmp/tar.err" || {
		cat "$tmp/tar.err" >&2
		cannot "cannot extract the files the series patches from $tarball"
	}
fi

for name in $patches; do
	if ! out=$(patch -d "$tmp/tree" -p1 -f -s --fuzz=0 --no-backup-if-mismatch \
		<"$dir/$name" 2>&1); then
		echo "$out" >&2
		cannot "$name does not apply (--fuzz=0) to the files of $tarball"
	fi
done

differ=0
# shellcheck disable=SC2013 # kernel paths hold no blanks
for f in $(sort "$tmp/touched"); do
	if [ -e "$tmp/tree/$f" ]; then
		if [ ! -f "$ksrc/$f" ]; then
			echo "$me: $ksrc/$f is missing (the series creates or patches it)"
		elif ! cmp -s "$tmp/tree/$f" "$ksrc/$f"; then
			echo "$me: $ksrc/$f differs from $(basename "$tarball") + series (-wanted +tree):"
			diff -u "$tmp/tree/$f" "$ksrc/$f" | sed -n '3,22s/^/  | /p'
		else
			continue
		fi
	elif [ -e "$ksrc/$f" ]; then
		echo "$me: $ksrc/$f exists, but the series deletes it"
	else
		continue
	fi
	differ=$((differ + 1))
done

total=$(wc -l <"$tmp/touched")
if [ "$differ" -gt 0 ]; then
	echo "$me: $differ of $total files the series touches differ from $tarball + $dir/series"
	exit 1
fi
echo "$me: all $total files the series touches match $(basename "$tarball") + series"
