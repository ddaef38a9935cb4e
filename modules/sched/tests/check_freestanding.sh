#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles multios_sched's C++ core in kernel mode for every target whose
# cross compiler is installed, with the flags and object checks of
# support/tests/check_freestanding.sh (keep the two in step): no static
# constructors, no undefined symbol a module cannot link, stack frames
# within half the kernel's 2048-byte limit. The objects reference each
# other, so symbols are checked on their `ld -r` link, as the module's
# multios_sched.o will be.
#
#   check_freestanding.sh SOURCE_DIR OUT_DIR
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"

common=(-std=gnu++20 -O2 -ffreestanding -nostdinc -nostdinc++
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-common
	-fno-asynchronous-unwind-tables
	-Werror -Wall -Wextra -Wframe-larger-than=1024
	-I "$src/include" -I "$src/support/include" -I "$src/modules/sched/core")
declare -A arch_flags=(
	[x86_64]="-mno-sse -mno-mmx -mno-sse2 -mno-80387 -mno-red-zone -mcmodel=kernel -fno-pie"
	[arm64]="-mgeneral-regs-only -mno-outline-atomics -fno-pie"
	[riscv64]="-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -fno-pie"
)
declare -A arch_cxx=(
	[x86_64]=g++ [arm64]=aarch64-linux-gnu-g++ [riscv64]=riscv64-linux-gnu-g++
)
allowed='^(mos_[a-z0-9_]+|memcpy|memset|memmove|memcmp|__(clz|ctz)[sd]i2|_ZdlPv[a-zA-Z_0-9]*)$'

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

check_object() {
	local obj=$1 sym
	if readelf -SW "$obj" | grep -Eq '\.(init_array|ctors|fini_array|dtors|tdata|tbss)'; then
		fail "$obj has a static constructor/destructor or TLS section"
	fi
	for sym in $(nm -u "$obj" | awk '{print $2}'); do
		[[ $sym =~ $allowed ]] || fail "$obj needs $sym (not in the kernel)"
	done
	if nm "$obj" | grep -q ' _ZGV'; then
		fail "$obj has a guarded function-local static"
	fi
}

checked=0
for arch in x86_64 arm64 riscv64; do
	cxx=${arch_cxx[$arch]}
	if ! command -v "$cxx" >/dev/null; then
		echo "skip $arch: $cxx not installed"
		continue
	fi
	rm -rf "${out:?}/$arch" && mkdir -p "$out/$arch"
	objs=()
	for source in "$src"/modules/sched/core/*.cpp; do
		obj="$out/$arch/$(basename "${source%.cpp}").o"
		# shellcheck disable=SC2086
		if "$cxx" "${common[@]}" -isystem "$("$cxx" -print-file-name=include)" \
			${arch_flags[$arch]} -c "$source" -o "$obj"; then
			objs+=("$obj")
		else
			fail "$arch: $source does not compile in kernel mode"
		fi
		checked=$((checked + 1))
	done
	"$cxx" -r -nostdlib -o "$out/$arch/multios_sched_core.o" "${objs[@]}" ||
		fail "$arch: the core does not link with ld -r"
	check_object "$out/$arch/multios_sched_core.o"
done

echo "$checked objects checked in kernel mode, $failures failures"
[[ $failures -eq 0 ]]
