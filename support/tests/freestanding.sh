# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Sourced by the kernel-mode compile checks (support/tests/check_freestanding.sh,
# modules/*/tests/check_freestanding.sh): the flags of a kernel C++ build
# for each target, and the object checks of the module build. One copy, so
# the checks cannot drift apart.
#
# The flags are those of tools/kbuild/cxx.mk without the kernel's own
# KBUILD_CFLAGS, with half the kernel's 2048-byte stack frame limit as a
# margin; arm64 needs -mno-outline-atomics (else GCC calls __aarch64_*
# helpers of libgcc).
#
# Uses: $src (the repository). Provides: freestanding_compile ARCH SOURCE
# OBJ [EXTRA_INCLUDE_DIRS...], freestanding_check OBJ, freestanding_have
# ARCH, fail, $failures, and arch_cxx[ARCH].

common=(-std=gnu++20 -O2 -ffreestanding -nostdinc -nostdinc++
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-common
	-fno-asynchronous-unwind-tables
	-Werror -Wall -Wextra -Wframe-larger-than=1024
	-I "$src/include" -I "$src/support/include")
declare -A arch_flags=(
	[x86_64]="-mno-sse -mno-mmx -mno-sse2 -mno-80387 -mno-red-zone -mcmodel=kernel -fno-pie"
	[arm64]="-mgeneral-regs-only -mno-outline-atomics -fno-pie"
	[riscv64]="-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -fno-pie"
)
declare -A arch_cxx=(
	[x86_64]=g++ [arm64]=aarch64-linux-gnu-g++ [riscv64]=riscv64-linux-gnu-g++
)
declare -A arch_package=(
	[x86_64]=g++ [arm64]=g++-aarch64-linux-gnu [riscv64]=g++-riscv64-linux-gnu
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

# freestanding_have ARCH: is ARCH's compiler installed? A missing one is a
# failure, not a skip: the cross compilers are listed dependencies
# (tools/apt-packages.txt), and a check that quietly covers fewer targets
# passes without testing them.
freestanding_have() {
	command -v "${arch_cxx[$1]}" >/dev/null && return 0
	fail "$1: ${arch_cxx[$1]} not found in PATH: install ${arch_package[$1]} (tools/apt-packages.txt, tools/install-packages.sh)"
	return 1
}

freestanding_compile() {
	local arch=$1 source=$2 obj=$3 cxx=${arch_cxx[$1]} dir
	local includes=()
	shift 3
	for dir in "$@"; do
		includes+=(-I "$dir")
	done
	# shellcheck disable=SC2086
	if ! "$cxx" "${common[@]}" "${includes[@]}" -isystem "$("$cxx" -print-file-name=include)" \
		${arch_flags[$arch]} -c "$source" -o "$obj"; then
		fail "$arch: $source does not compile in kernel mode"
		return 1
	fi
}

# No static constructors or TLS, no unguarded function-local statics, no
# undefined symbol outside what a module can link against.
freestanding_check() {
	local obj=$1 sym
	if readelf -SW "$obj" | grep -Eq '\.(init_array|ctors|fini_array|dtors|tdata|tbss)'; then
		fail "$obj has a static constructor/destructor or TLS section"
	fi
	for sym in $(nm -u "$obj" | awk '{print $2}'); do
		[[ $sym =~ $allowed ]] || fail "$obj needs $sym (C++ ABI/libgcc symbols are not in the kernel)"
	done
	if nm "$obj" | grep -q ' _ZGV'; then
		fail "$obj has a guarded function-local static"
	fi
}

# freestanding_check_core NAME: compile modules/NAME/core/*.cpp for every
# target (a missing cross compiler fails), link them with `ld -r` as the
# module's multios_NAME.o will be (the objects call each other, so
# undefined symbols are judged on the link), and check that. Uses $out.
# Prints the count and returns non-zero on any failure.
freestanding_check_core() {
	local name=$1 arch cxx source obj checked=0
	local objs
	for arch in x86_64 arm64 riscv64; do
		cxx=${arch_cxx[$arch]}
		freestanding_have "$arch" || continue
		rm -rf "${out:?}/$arch" && mkdir -p "$out/$arch"
		objs=()
		for source in "$src/modules/$name/core"/*.cpp; do
			obj="$out/$arch/$(basename "${source%.cpp}").o"
			freestanding_compile "$arch" "$source" "$obj" "$src/modules/$name/core" &&
				objs+=("$obj")
			checked=$((checked + 1))
		done
		"$cxx" -r -nostdlib -o "$out/$arch/multios_${name}_core.o" "${objs[@]}" ||
			fail "$arch: the $name core does not link with ld -r"
		freestanding_check "$out/$arch/multios_${name}_core.o"
	done
	echo "$checked objects checked in kernel mode, $failures failures"
	[[ $failures -eq 0 ]]
}
