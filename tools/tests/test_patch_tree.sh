#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/patch-tree.sh and tools/format-patches.sh (make patch-tree, make
# patches) on a tiny fake tarball and series: the round trip gives the
# same bytes, an edit folded into a patch changes only that patch, a
# dropped commit drops its file, and neither script throws away work:
# patch-tree refuses a tree with edits not written back, format-patches
# refuses uncommitted changes and leaves PATCHDIR alone when it fails.
set -eu
tools="$(cd "$(dirname "$0")/.." && pwd)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.org \
	GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.org

ok() {	# ok WHAT COMMAND...: COMMAND succeeds
	what=$1
	shift
	if "$@" >"$dir/out" 2>&1; then
		echo "ok: $what"
	else
		echo "WRONG: $what:"
		sed 's/^/  | /' "$dir/out"
		failures=$((failures + 1))
	fi
}

fails() {	# fails WHAT MESSAGE COMMAND...: COMMAND fails and says MESSAGE
	what=$1 msg=$2
	shift 2
	if ! "$@" >"$dir/out" 2>&1 && grep -q "$msg" "$dir/out"; then
		echo "ok: $what"
	else
		echo "WRONG: $what (wanted a failure saying '$msg'):"
		sed 's/^/  | /' "$dir/out"
		failures=$((failures + 1))
	fi
}

mkdir -p "$dir/src/fake-1.0" "$dir/patches"
printf 'int a(void)\n{\n\treturn 1;\n}\n' >"$dir/src/fake-1.0/a.c"
printf 'int b(void)\n{\n\treturn 2;\n}\n' >"$dir/src/fake-1.0/b.c"
tar -cJf "$dir/fake.tar.xz" -C "$dir/src" fake-1.0

# A series as people write it by hand: made with git in a scratch tree.
scratch=$dir/scratch
cp -a "$dir/src/fake-1.0" "$scratch"
git -C "$scratch" init -q
git -C "$scratch" add -A
git -C "$scratch" commit -q -m base
sed -i 's/return 1/return 10/' "$scratch/a.c"
git -C "$scratch" commit -q -a -m "a: return 10" -m "Because ten is more."
sed -i 's/return 2/return 20/' "$scratch/b.c"
git -C "$scratch" commit -q -a -m "b: return 20"
git -C "$scratch" format-patch -q --zero-commit -o "$dir/patches" HEAD~2
(cd "$dir/patches" && ls -1 -- *.patch) >"$dir/patches/series"

tree=$dir/tree
ok "patch-tree: two commits on multios-base" \
	sh -c "'$tools/patch-tree.sh' '$dir/fake.tar.xz' '$dir/patches' '$tree' &&
	       test \$(git -C '$tree' rev-list --count multios-base..HEAD) = 2"
ok "make patches once (normalises the headers)" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/fake.tar.xz"
cp -a "$dir/patches" "$dir/first"
ok "patch-tree on the written-back tree: up to date" \
	"$tools/patch-tree.sh" "$dir/fake.tar.xz" "$dir/patches" "$tree"
ok "a second make patches gives the same bytes" \
	sh -c "'$tools/format-patches.sh' '$tree' '$dir/patches' '$dir/fake.tar.xz' &&
	       diff -r '$dir/first' '$dir/patches'"

# A hand edit in PATCHDIR that git does not have is never overwritten
# (PATCHDIR is in a git repository, as patches/ is).
git -C "$dir/patches" init -q && git -C "$dir/patches" add -A &&
	git -C "$dir/patches" commit -q -m series
echo "# my notes" >>"$dir/patches/0002-b-return-20.patch"
fails "make patches refuses to overwrite a hand-edited patch" "neither in git nor written" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/fake.tar.xz"
ok "and the edit is still there" grep -q "my notes" "$dir/patches/0002-b-return-20.patch"
git -C "$dir/patches" checkout -q -- .
ok "its own output, not yet committed, it may overwrite" \
	sh -c "'$tools/format-patches.sh' '$tree' '$dir/patches' '$dir/fake.tar.xz' &&
	       '$tools/format-patches.sh' '$tree' '$dir/patches' '$dir/fake.tar.xz'"
rm -rf "$dir/patches/.git"

# Nobody's git configuration leaks into the patches.
printf '[format]\n\tsubjectPrefix = RFC\n[diff]\n\talgorithm = patience\n' >"$dir/gitconfig"
ok "a user's format.subjectPrefix and diff.algorithm change nothing" \
	sh -c "GIT_CONFIG_GLOBAL='$dir/gitconfig' '$tools/format-patches.sh' '$tree' '$dir/patches' '$dir/fake.tar.xz' &&
	       diff -r '$dir/first' '$dir/patches'"
# A file of PATCHDIR that the series never named is not ours to remove.
echo "notes" >"$dir/patches/0003-wip.patch"

# Fold an edit into the first patch, as the documentation says.
first=$(git -C "$tree" rev-list --reverse multios-base..HEAD | head -n 1)
sed -i 's/return 10/return 11/' "$tree/a.c"
fails "format-patches refuses uncommitted changes" "uncommitted changes" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/fake.tar.xz"
git -C "$tree" commit -q -a --fixup="$first"
fails "patch-tree refuses a tree with commits not written back" "not written back" \
	"$tools/patch-tree.sh" "$dir/fake.tar.xz" "$dir/patches" "$tree"
# A rebase stopped at an "edit" looks clean: still refused.
GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" git -C "$tree" rebase -q -i multios-base >/dev/null 2>&1
fails "format-patches refuses a tree in the middle of a rebase" "middle of a rebase" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/fake.tar.xz"
git -C "$tree" rebase --abort
GIT_SEQUENCE_EDITOR=true git -C "$tree" rebase -q -i --autosquash multios-base
ok "make patches after the fixup" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/fake.tar.xz"
ok "only the first patch changed, and it says 11" \
	sh -c "diff -rq '$dir/first' '$dir/patches' | grep -v '0001\|0003-wip' | grep . && exit 1;
	       grep -q '^+	return 11;' '$dir/patches/0001-a-return-10.patch'"

# Drop the second commit: its file goes, the series follows.
git -C "$tree" reset -q --hard HEAD~1
ok "a dropped commit drops its patch and its series line" \
	sh -c "'$tools/format-patches.sh' '$tree' '$dir/patches' '$dir/fake.tar.xz' &&
	       test ! -e '$dir/patches/0002-b-return-20.patch' &&
	       ! grep -q 0002 '$dir/patches/series'"
ok "a file the series never named stays" test -f "$dir/patches/0003-wip.patch"
rm "$dir/patches/0003-wip.patch"

# A series that no longer applies leaves no half tree behind.
mkdir -p "$dir/broken"
cp "$dir/patches/"*.patch "$dir/patches/series" "$dir/broken/"
sed -i 's/^-\treturn 1;/-\treturn 7;/' "$dir/broken/0001-a-return-10.patch"
fails "patch-tree with a patch that does not apply fails" "does not apply" \
	"$tools/patch-tree.sh" "$dir/fake.tar.xz" "$dir/broken" "$dir/tree2"
ok "and leaves no tree" sh -c "test ! -e '$dir/tree2' && test ! -e '$dir/tree2.tmp'"

# A series that does not reproduce the tree leaves PATCHDIR alone: here
# the tarball no longer matches the base the tree was made from.
cp -a "$dir/patches" "$dir/before"
printf 'int a(void)\n{\n\treturn 5;\n}\n' >"$dir/src/fake-1.0/a.c"
tar -cJf "$dir/other.tar.xz" -C "$dir/src" fake-1.0
fails "format-patches against another tarball fails" "left unchanged" \
	"$tools/format-patches.sh" "$tree" "$dir/patches" "$dir/other.tar.xz"
ok "and patches/ is as it was" diff -r "$dir/before" "$dir/patches"

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) wrong"
	exit 1
fi
echo "all checks passed"
