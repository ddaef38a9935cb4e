#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles the support library in kernel mode for every target whose
# cross compiler is installed, and checks each object the way the module
# build does: no static constructors (.init_array/.ctors), and no
# undefined symbol outside what a MultiOS module can link against.
#
#   check_freestanding.sh SOURCE_DIR OUT_DIR
#
# The flags are those of a kernel C++ build, with half the kernel's
# 2048-byte stack frame limit as a margin; arm64 needs
# -mno-outline-atomics (else GCC calls __aarch64_* helpers of libgcc).
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"

common=(-std=gnu++20 -O2 -ffreestanding -nostdinc -nostdinc++
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-common
	-Werror -Wall -Wextra -Wframe-larger-than=1024
	-I "$src/include" -I "$src/support/include" -I "$src/support/tests/ktest")
declare -A arch_flags=(
	[x86_64]="-mno-sse -mno-mmx -mno-sse2 -mno-80387 -mno-red-zone -mcmodel=kernel -fno-pie"
	[arm64]="-mgeneral-regs-only -mno-outline-atomics -fno-pie"
	[riscv64]="-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -fno-pie"
)
declare -A arch_cxx=(
	[x86_64]=g++ [arm64]=aarch64-linux-gnu-g++ [riscv64]=riscv64-linux-gnu-g++
)

# What a module may leave undefined: the runtime.h ABI, what the kernel
# exports for compiler-generated calls (mem*, lib/clz_ctz.c) and
# operator delete from support/src/cxxrt.cpp.
allowed='^(mos_[a-z0-9_]+|memcpy|memset|memmove|memcmp|__(clz|ctz)[sd]i2|_ZdlPv[a-zA-Z_0-9]*)$'

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

check_object() {
	local obj=$1
	if readelf -SW "$obj" | grep -Eq '\.(init_array|ctors|fini_array|dtors)'; then
		fail "$obj has a static constructor/destructor section"
	fi
	local sym
	for sym in $(nm -u "$obj" | awk '{print $2}'); do
		if [[ ! $sym =~ $allowed ]]; then
			fail "$obj needs $sym (C++ ABI/libgcc symbols are not in the kernel)"
		fi
	done
}

compile() {
	local arch=$1 source=$2 obj=$3 cxx=${arch_cxx[$1]}
	# shellcheck disable=SC2086
	if ! "$cxx" "${common[@]}" -isystem "$("$cxx" -print-file-name=include)" \
		${arch_flags[$arch]} -c "$source" -o "$obj"; then
		fail "$arch: $source does not compile in kernel mode"
		return 1
	fi
}

# Each header must stand alone: include it first, and nothing else.
for header in "$src"/support/include/mos/*.h; do
	name=$(basename "$header")
	echo "#include <mos/$name>" >"$out/alone_$name.cpp"
	compile x86_64 "$out/alone_$name.cpp" "$out/alone_$name.o" || true
done

sources=("$src/support/tests/freestanding_use.cpp" "$src/support/src/cxxrt.cpp"
	 "$src"/support/tests/ktest/*.cpp)
checked=0
for arch in x86_64 arm64 riscv64; do
	if ! command -v "${arch_cxx[$arch]}" >/dev/null; then
		echo "skip $arch: ${arch_cxx[$arch]} not installed"
		continue
	fi
	mkdir -p "$out/$arch"
	for source in "${sources[@]}"; do
		obj="$out/$arch/$(basename "${source%.cpp}").o"
		compile "$arch" "$source" "$obj" && check_object "$obj"
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
