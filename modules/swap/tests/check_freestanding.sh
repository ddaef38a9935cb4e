#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles multios_swap's C++ core in kernel mode for every target whose
# cross compiler is installed, with the flags and object checks shared in
# support/tests/freestanding.sh: no static constructors, no undefined
# symbol a module cannot link, stack frames within half the kernel's
# limit. The objects reference each other, so symbols are checked on
# their `ld -r` link, as the module's multios_swap.o will be.
#
#   check_freestanding.sh SOURCE_DIR OUT_DIR
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"

# shellcheck source=support/tests/freestanding.sh
source "$src/support/tests/freestanding.sh"

checked=0
for arch in x86_64 arm64 riscv64; do
	cxx=${arch_cxx[$arch]}
	if ! command -v "$cxx" >/dev/null; then
		echo "skip $arch: $cxx not installed"
		continue
	fi
	rm -rf "${out:?}/$arch" && mkdir -p "$out/$arch"
	objs=()
	for source in "$src"/modules/swap/core/*.cpp; do
		obj="$out/$arch/$(basename "${source%.cpp}").o"
		freestanding_compile "$arch" "$source" "$obj" "$src/modules/swap/core" &&
			objs+=("$obj")
		checked=$((checked + 1))
	done
	"$cxx" -r -nostdlib -o "$out/$arch/multios_swap_core.o" "${objs[@]}" ||
		fail "$arch: the core does not link with ld -r"
	freestanding_check "$out/$arch/multios_swap_core.o"
done

echo "$checked objects checked in kernel mode, $failures failures"
[[ $failures -eq 0 ]]
