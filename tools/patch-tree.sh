#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The patch series as a git repository, to edit it the way kernel
# developers do: one commit per patch on top of the tarball.
#
#   tools/patch-tree.sh TARBALL PATCHDIR TREE
#
# Creates TREE: the tarball extracted, committed as the base (tag
# multios-base), then every patch of PATCHDIR/series applied with
# `git am`, one commit each. Edit with `git commit --fixup`, `git rebase
# -i --autosquash multios-base`, new commits on top; then
# tools/format-patches.sh (make patches) writes the commits back.
#
# A TREE that exists is left alone if its commits are exactly the series
# (nothing to do); otherwise the script stops rather than throw away work
# that was not written back: remove TREE to start again.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 TARBALL PATCHDIR TREE" >&2; exit 2; }
tarball=$1 dir=$(cd "$2" && pwd) tree=$3
me=patch-tree
here=$(cd "$(dirname "$0")" && pwd)

[ -r "$tarball" ] || { echo "$me: $tarball not found" >&2; exit 2; }
[ -f "$dir/series" ] || { echo "$me: $dir/series not found" >&2; exit 2; }

# Fixed identity and dates, no user or system git configuration: the
# same series gives the same commits on every machine.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git_() {
	GIT_AUTHOR_NAME="MultiOS developers" GIT_AUTHOR_EMAIL="multios@localhost" \
	GIT_COMMITTER_NAME="MultiOS developers" GIT_COMMITTER_EMAIL="multios@localhost" \
		git -C "$work" -c core.autocrlf=false -c gc.auto=0 "$@"
}

if [ -e "$tree" ]; then
	if ! git -C "$tree" rev-parse -q --verify multios-base >/dev/null 2>&1; then
		echo "$me: $tree exists but is not a patch tree (no tag multios-base); remove it" >&2
		exit 1
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# format-patches refuses (exit 1, saying why) a tree in a rebase or
	# git am, or with uncommitted changes, before it writes anything.
	"$here/format-patches.sh" --print-only "$tree" "$tmp" >/dev/null
	if diff -r -q -x series "$tmp" "$dir" | grep -v '^Only in [^:]*: [^0-9]' >/dev/null ||
	   ! cmp -s "$tmp/series" "$dir/series"; then
		echo "$me: $tree holds commits that differ from $dir (not written back?)." >&2
		echo "$me: 'make patches' writes them back; remove $tree to start again from $dir." >&2
		exit 1
	fi
	echo "$me: $tree is up to date with $dir/series"
	exit 0
fi

# Built in TREE.tmp and renamed only when every patch applied: a tree
# that stopped half way would look like commits not yet written back.
work=$tree.tmp
echo ">>> extracting $(basename "$tarball") into $tree"
rm -rf "$work"
mkdir -p "$work"
tar -xf "$tarball" -C "$work" --strip-components=1
git -C "$work" init -q -b multios
# Commits made in the tree carry the series' author and sign-off
# identity (checkpatch wants the author's Signed-off-by on each patch):
# commit with -s.
git -C "$work" config user.name "MultiOS developers"
git -C "$work" config user.email "multios@localhost"
# The tarball is the truth: commit every file it has, ignored or not.
git_ add -A -f .
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git_ commit -q -m "$(basename "$tarball")"
git_ tag multios-base

echo ">>> applying $dir/series with git am"
grep -v '^#' "$dir/series" | grep -v '^[[:space:]]*$' | while read -r name; do
	if ! git_ am -q --committer-date-is-author-date --keep-cr "$dir/$name"; then
		git_ am --abort || true
		echo "$me: $name does not apply with git am; no tree made ($work removed)" >&2
		rm -rf "$work"
		exit 1
	fi
done
mv "$work" "$tree"
echo "$me: $tree: $(git -C "$tree" rev-list --count multios-base..HEAD) commits on multios-base"
