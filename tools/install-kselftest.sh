#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the kselftest target selftests/multios into a kernel tree, as
# tools/testing/selftests/multios, so that the kernel's own kselftest
# machinery builds, installs and runs it:
#
#   tools/install-kselftest.sh LINUX_TREE
#   make -C LINUX_TREE/tools/testing/selftests TARGETS=multios run_tests
#
# The copy is replaced whole, so a file removed here does not linger there.
set -eu
tree=${1:?usage: tools/install-kselftest.sh LINUX_TREE}
lib=$tree/tools/testing/selftests/lib.mk
[ -f "$lib" ] || { echo "error: $tree is not a kernel tree (no $lib)" >&2; exit 1; }
src=$(cd "$(dirname "$0")/../selftests/multios" && pwd)
dest=$tree/tools/testing/selftests/multios
rm -rf "$dest"
mkdir -p "$dest"
cp -p "$src"/Makefile "$src"/settings "$src"/*.sh "$src"/*.c "$src"/*.h "$dest"/
echo "installed $src into $dest"
