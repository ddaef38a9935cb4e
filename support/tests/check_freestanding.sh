#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles the support library in kernel mode for every target (a missing
# cross compiler is a failure), and checks each object the way the module
# build does: no static constructors (.init_array/.ctors), and no
# undefined symbol outside what a MultiOS module can link against.
#
#   check_freestanding.sh SOURCE_DIR OUT_DIR
#
# Flags and object checks: support/tests/freestanding.sh.
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"

# shellcheck source=support/tests/freestanding.sh
source "$src/support/tests/freestanding.sh"

# Each header must stand alone: include it first, and nothing else.
for header in "$src"/support/include/mos/*.h; do
	name=$(basename "$header")
	echo "#include <mos/$name>" >"$out/alone_$name.cpp"
	freestanding_compile x86_64 "$out/alone_$name.cpp" "$out/alone_$name.o" || true
done

sources=("$src/support/tests/freestanding_use.cpp" "$src/support/src/cxxrt.cpp"
	 "$src"/support/tests/ktest/*.cpp)
checked=0
for arch in x86_64 arm64 riscv64; do
	freestanding_have "$arch" || continue
	mkdir -p "$out/$arch"
	for source in "${sources[@]}"; do
		obj="$out/$arch/$(basename "${source%.cpp}").o"
		freestanding_compile "$arch" "$source" "$obj" "$src/support/tests/ktest" &&
			freestanding_check "$obj"
		checked=$((checked + 1))
	done
	# The runtime really provides what the others may leave to it.
	for sym in _ZdlPv _ZdlPvm __cxa_pure_virtual; do
		nm "$out/$arch/cxxrt.o" | grep -q " T $sym\$" ||
			fail "$arch: cxxrt.o does not define $sym"
	done
done

echo "$checked objects checked in kernel mode, $failures failures"
[[ $failures -eq 0 ]]
