#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Write a patch tree's commits (tools/patch-tree.sh) back as the series.
#
#   tools/format-patches.sh [--print-only] TREE PATCHDIR [TARBALL]
#
# One patch per commit of multios-base..HEAD, by `git format-patch` with
# the headers fixed (zero commit id, no signature, no numbering, the
# author date the commit carries), so the same commits always give the
# same bytes and a diff of patches/ shows only what was changed. Then,
# unless --print-only, the new series is checked against TARBALL
# (tools/check-patched-tree.sh: every patch applies with --fuzz=0 to the
# tarball's files and gives exactly what TREE holds) before it replaces
# PATCHDIR's patches and series; a series that fails leaves PATCHDIR as
# it was. --print-only writes into PATCHDIR without checking (used to
# compare a tree with a series).
set -eu
print_only=
if [ "${1:-}" = --print-only ]; then
	print_only=1
	shift
fi
[ $# -ge 2 ] || { echo "usage: $0 [--print-only] TREE PATCHDIR [TARBALL]" >&2; exit 2; }
tree=$1 dir=$2 tarball=${3:-/usr/src/linux-source-6.1.tar.xz}
me=format-patches
here=$(cd "$(dirname "$0")" && pwd)

git -C "$tree" rev-parse -q --verify multios-base >/dev/null ||
	{ echo "$me: $tree is not a patch tree (no tag multios-base)" >&2; exit 2; }
if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	echo "$me: $tree has uncommitted changes: commit them first" >&2
	exit 1
fi
n=$(git -C "$tree" rev-list --count multios-base..HEAD)
[ "$n" -gt 0 ] || { echo "$me: $tree has no commit on multios-base" >&2; exit 1; }
if [ -n "$(git -C "$tree" rev-list --merges multios-base..HEAD)" ]; then
	echo "$me: $tree has merge commits: a series is linear" >&2
	exit 1
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
trap 'rm -rf "$out"' EXIT
git -C "$tree" -c core.abbrev=9 -c diff.noprefix=false -c format.signature= \
	format-patch -q --zero-commit --no-signature --no-numbered \
	--no-attach --no-thread --filename-max-length=64 \
	-o "$out" multios-base..HEAD
{
	echo "# Patches applied to the kernel source, in order (quilt series format)."
	(cd "$out" && ls -1 -- *.patch)
} >"$out/series"

if [ -z "$print_only" ]; then
	if ! "$here/check-patched-tree.sh" "$tree" "$tarball" "$out"; then
		echo "$me: the series from $tree does not reproduce it; $dir left unchanged" >&2
		exit 1
	fi
fi
mkdir -p "$dir"
for old in "$dir"/*.patch; do
	[ -e "$old" ] || continue
	[ -e "$out/$(basename "$old")" ] || rm -f "$old"
done
for new in "$out"/*.patch "$out/series"; do
	cmp -s "$new" "$dir/$(basename "$new")" || cp "$new" "$dir/"
done
echo "$me: $n patches in $dir"
