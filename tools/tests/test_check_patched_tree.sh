#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/check-patched-tree.sh must pass a tree that holds exactly the
# tarball plus the series, and fail one that does not, including the tree
# tools/apply-patches.sh's ledger calls fully patched after a patch was
# reverted by hand. A tiny fake tarball and series stand in for the kernel.
set -eu
tools="$(cd "$(dirname "$0")/.." && pwd)"
check=$tools/check-patched-tree.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect STATUS WHAT KSRC [TARBALL [PATCHDIR]]: the check exits STATUS and,
# unless it passes, says WHAT.
expect() {
	want=$1 what=$2 ksrc=$3
	set +e
	"$check" "$ksrc" "${4:-$dir/fake.tar.xz}" "${5:-$dir/patches}" >"$dir/out" 2>&1
	got=$?
	set -e
	if [ "$got" = "$want" ] && { [ "$want" = 0 ] || grep -q "$what" "$dir/out"; }; then
		echo "ok: $what -> exit $got"
	else
		echo "WRONG: $what -> exit $got, wanted $want:"
		sed 's/^/  | /' "$dir/out"
		failures=$((failures + 1))
	fi
}

mkdir -p "$dir/src/fake-1.0/sub" "$dir/patches"
printf 'int a(void)\n{\n\treturn 1;\n}\n' >"$dir/src/fake-1.0/a.c"
printf 'int b(void)\n{\n\treturn 2;\n}\n' >"$dir/src/fake-1.0/sub/b.c"
printf 'int untouched;\n' >"$dir/src/fake-1.0/c.c"
tar -cJf "$dir/fake.tar.xz" -C "$dir/src" fake-1.0

# 0001 changes a.c and creates sub/new.h; 0002 changes sub/b.c and the
# new file (so new.h must not be asked of the tarball).
cat >"$dir/patches/0001-a.patch" <<'X'
From: Test <test@example.org>
Subject: [PATCH 1/2] a returns 10, add new.h

---
 a.c       | 2 +-
 sub/new.h | 1 +
diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1,4 +1,4 @@
 int a(void)
 {
-	return 1;
+	return 10;
 }
diff --git a/sub/new.h b/sub/new.h
new file mode 100644
--- /dev/null
+++ b/sub/new.h
@@ -0,0 +1 @@
+int b(void);
X
cat >"$dir/patches/0002-b.patch" <<'X'
From: Test <test@example.org>
Subject: [PATCH 2/2] b returns 20

---
diff --git a/sub/b.c b/sub/b.c
--- a/sub/b.c
+++ b/sub/b.c
@@ -1,4 +1,6 @@
+#include "new.h"
+
 int b(void)
 {
-	return 2;
+	return 20;
 }
diff --git a/sub/new.h b/sub/new.h
--- a/sub/new.h
+++ b/sub/new.h
@@ -1 +1,2 @@
 int b(void);
+int a(void);
X
printf '# fake series\n0001-a.patch\n\n0002-b.patch\n' >"$dir/patches/series"

# tree NAME: the tarball extracted and patched as `make source` does.
tree() {
	mkdir "$dir/$1"
	tar -xf "$dir/fake.tar.xz" -C "$dir/$1" --strip-components=1
	"$tools/apply-patches.sh" "$dir/$1" "$dir/patches" >/dev/null
}

tree good
expect 0 "a correct tree passes" "$dir/good"

tree edited
echo '/* local change */' >>"$dir/edited/sub/b.c"
expect 1 "edited/sub/b.c differs" "$dir/edited"

tree nonew
rm "$dir/nonew/sub/new.h"
expect 1 "nonew/sub/new.h is missing" "$dir/nonew"

# 0002 reverted by hand: the ledger still lists it, so apply-patches.sh
# (the old check) calls the tree patched; the tree itself says otherwise.
tree reverted
patch -d "$dir/reverted" -p1 -R -s <"$dir/patches/0002-b.patch"
if "$tools/apply-patches.sh" "$dir/reverted" "$dir/patches" | grep -q ': applied$'; then
	echo "WRONG: apply-patches.sh re-applied 0002 (the ledger check would catch it)"
	failures=$((failures + 1))
fi
expect 1 "reverted/sub/b.c differs" "$dir/reverted"

# Extracted, never patched: every file the series touches is wrong.
mkdir "$dir/bare"
tar -xf "$dir/fake.tar.xz" -C "$dir/bare" --strip-components=1
expect 1 "3 of 3 files the series touches differ" "$dir/bare"

# Could not check: no tarball; a patch that does not apply to it.
expect 2 "fake-missing.tar.xz not found" "$dir/good" "$dir/fake-missing.tar.xz"
mkdir "$dir/badpatches"
cp "$dir/patches/series" "$dir/patches/0002-b.patch" "$dir/badpatches/"
sed 's/return 1;/return 3;/' "$dir/patches/0001-a.patch" >"$dir/badpatches/0001-a.patch"
expect 2 "0001-a.patch does not apply" "$dir/good" "" "$dir/badpatches"
rm "$dir/badpatches/0002-b.patch"
expect 2 "0002-b.patch is missing" "$dir/good" "" "$dir/badpatches"

[ $failures -eq 0 ]
