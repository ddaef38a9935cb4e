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
#
# It never throws work away: it refuses a TREE in the middle of a rebase
# or git am (a stopped rebase looks clean) and a PATCHDIR with changes
# git does not have yet, and removes only patches the old series named.
set -eu
# The output must not depend on anyone's git configuration.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
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
if [ -e "$tree/.git/rebase-merge" ] || [ -e "$tree/.git/rebase-apply" ]; then
	echo "$me: $tree is in the middle of a rebase or git am: finish or abort it first" >&2
	exit 1
fi
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
	--subject-prefix=PATCH --diff-algorithm=myers \
	--no-attach --no-thread --filename-max-length=64 \
	-o "$out" multios-base..HEAD
{
	echo "# Patches applied to the kernel source, in order (quilt series format)."
	(cd "$out" && ls -1 -- *.patch)
} >"$out/series"

# What this script last wrote into PATCHDIR (sha256sum lines): a file git
# sees changed is ours to overwrite only if it is still exactly that, or
# already what this run writes.
record=$(git -C "$tree" rev-parse --absolute-git-dir)/multios-written
if [ -z "$print_only" ] && [ -d "$dir" ] &&
   git -C "$dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	edited=$(git -C "$dir" status --porcelain --untracked-files=all -- . |
		sed 's/^...//' | while read -r f; do
			f=$(basename "$f")
			[ -e "$dir/$f" ] || continue
			case $f in *.patch | series) ;; *) continue ;; esac
			sum=$(sha256sum <"$dir/$f" | cut -d' ' -f1)
			grep -qx "$sum  $f" "$record" 2>/dev/null && continue
			cmp -s "$dir/$f" "$out/$f" || echo "$f"
		done)
	if [ -n "$edited" ]; then
		echo "$me: $dir has changes that are neither in git nor written by 'make patches':" >&2
		echo "$edited" | sed 's/^/  /' >&2
		echo "$me: commit, move or remove them first" >&2
		exit 1
	fi
fi
if [ -z "$print_only" ]; then
	if ! "$here/check-patched-tree.sh" "$tree" "$tarball" "$out"; then
		echo "$me: the series from $tree does not reproduce it; $dir left unchanged" >&2
		exit 1
	fi
fi
mkdir -p "$dir"
# Only what the old series named goes: any other file is not ours.
if [ -f "$dir/series" ]; then
	grep -v '^#' "$dir/series" | grep -v '^[[:space:]]*$' | while read -r old; do
		[ -e "$out/$old" ] || rm -f "$dir/$old"
	done
fi
for new in "$out"/*.patch "$out/series"; do
	cmp -s "$new" "$dir/$(basename "$new")" || cp "$new" "$dir/"
done
[ -n "$print_only" ] || (cd "$out" && sha256sum -- *.patch series) >"$record"
echo "$me: $n patches in $dir"
