#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that the compile-time rules of kernel C++ hold: each snippet
# below must FAIL to compile in kernel mode with the expected message,
# and the control snippet must compile (so a failure is the rule, not a
# broken setup).
#
#   check_enforce.sh SOURCE_DIR OUT_DIR
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"
flags=(-std=gnu++20 -O2 -ffreestanding -nostdinc -nostdinc++
       -isystem "$(g++ -print-file-name=include)"
       -fno-exceptions -fno-rtti -fno-threadsafe-statics
       -mno-sse -mno-mmx -mno-sse2 -mno-80387 -mcmodel=kernel -mno-red-zone -fno-pie
       -Werror -Wall -Wextra -I "$src/include" -I "$src/support/include")

prelude='#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/lock.h>
#include <mos/result.h>
#include <mos/enforce.h>
mos::Result<int> f();
'
failures=0
n=0

# expect_fail NAME REGEX BODY: BODY must not compile, with REGEX in the errors.
expect_fail() {
	local name=$1 regex=$2 body=$3
	n=$((n + 1))
	printf '%s\n%s\n' "$prelude" "$body" >"$out/$name.cpp"
	if g++ "${flags[@]}" -c "$out/$name.cpp" -o "$out/$name.o" 2>"$out/$name.log"; then
		echo "FAIL: $name compiled, but must not"
		failures=$((failures + 1))
	elif ! grep -Eq "$regex" "$out/$name.log"; then
		echo "FAIL: $name failed for the wrong reason:"
		head -5 "$out/$name.log"
		failures=$((failures + 1))
	fi
}

expect_fail std_namespace 'poisoned "std"' 'int g() { std::size_t n = 0; return int(n); }'
expect_fail float 'poisoned "float"' 'float g() { return 1; }'
expect_fail double 'poisoned "double"' 'int g(int x) { double d = x; return int(d); }'
expect_fail malloc 'poisoned "malloc"' 'extern "C" void *malloc(decltype(sizeof 0));'
expect_fail printf 'poisoned "printf"' 'void g() { printf("x"); }'
expect_fail ignored_result 'ignoring return value|nodiscard' 'void g() { f(); }'
expect_fail discarded_guard 'nodiscard|ignoring' \
	'void g(mos::SpinLock &l) { mos::SpinGuard{l}; }'
expect_fail discarded_irq_guard 'nodiscard|ignoring' \
	'void g(mos::SpinLock &l) { mos::IrqSaveSpinGuard{l}; }'
expect_fail copied_guard 'deleted' \
	'void g(mos::SpinLock &l) { mos::SpinGuard a(l); mos::SpinGuard b = a; }'
expect_fail copied_owned_ptr 'deleted' \
	'void g(mos::OwnedPtr<int> &p) { mos::OwnedPtr<int> q = p; }'
expect_fail exceptions 'exception handling disabled' 'void g() { throw 1; }'
expect_fail rtti 'typeid|-fno-rtti' 'struct B { virtual ~B(); }; const void *g(B &b) { return &typeid(b); }'
expect_fail byte_atomic 'for 4- and 8-byte types' 'mos::Atomic<short> a;'

# The control: the same prelude, used correctly, compiles.
n=$((n + 1))
printf '%s\n%s\n' "$prelude" 'int g() { auto r = f(); return r.is_ok() ? r.value() : r.error(); }' \
	>"$out/control.cpp"
if ! g++ "${flags[@]}" -c "$out/control.cpp" -o "$out/control.o" 2>"$out/control.log"; then
	echo "FAIL: the control snippet does not compile:"
	head -20 "$out/control.log"
	failures=$((failures + 1))
fi

echo "$n enforcement checks, $failures failures"
[[ $failures -eq 0 ]]
