#!/bin/sh
# tools/kbuild/check-module.sh must reject what the kernel cannot run
# and accept what it can. Builds small x86_64 objects with g++ and checks
# the verdicts (the kernel build runs the same script on every .ko).
set -eu
check="$(dirname "$0")/../kbuild/check-module.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
flags="-O2 -fno-exceptions -fno-rtti -fno-asynchronous-unwind-tables -c"
failures=0

expect() {	# expect pass|fail WHAT FILE.cpp [extra flags]
	verdict=$1 what=$2 src=$3
	shift 3
	g++ $flags "$@" -o "$dir/t.o" "$src"
	if "$check" x86_64 '' "$dir/t.o" >"$dir/out" 2>&1; then got=pass; else got=fail; fi
	if [ "$got" = "$verdict" ] && { [ "$verdict" = pass ] || grep -q "$what" "$dir/out"; }; then
		echo "ok: $src -> $got ($what)"
	else
		echo "WRONG: $src -> $got, wanted $verdict ($what):"
		cat "$dir/out"
		failures=$((failures + 1))
	fi
}

cat >"$dir/ctor.cpp" <<'X'
struct Counter { int n; Counter() : n(42) {} };
Counter counter;
int get() { return counter.n; }
X
cat >"$dir/float.cpp" <<'X'
double scale(double x, long n) { return x * (double)n; }
X
cat >"$dir/new.cpp" <<'X'
struct Node { int v; };
Node *make() { return new Node{1}; }
X
cat >"$dir/static_local.cpp" <<'X'
struct Tracker { ~Tracker(); };
Tracker &tracker() { static Tracker t; return t; }
X
cat >"$dir/clean.cpp" <<'X'
extern "C" void *mos_alloc(unsigned long, unsigned);
struct Node { Node *next; long key; };
long sum(const Node *n) { long s = 0; for (; n; n = n->next) s += n->key; return s; }
Node *make() { return static_cast<Node *>(mos_alloc(sizeof(Node), 1)); }
X

cat >"$dir/guarded.cpp" <<'X'
int compute(int);
int cached(int x) { static int once = compute(x); return once; }
X
cat >"$dir/tls.cpp" <<'X'
thread_local int depth;
int enter() { return ++depth; }
X

expect fail "static constructor" "$dir/ctor.cpp"
expect fail "unguarded function-local static" "$dir/guarded.cpp" -fno-threadsafe-statics
expect fail "thread-local sections" "$dir/tls.cpp"
expect fail "floating-point" "$dir/float.cpp"
expect fail "undefined C++ runtime symbols" "$dir/new.cpp"
expect fail "undefined C++ runtime symbols" "$dir/static_local.cpp" -fno-threadsafe-statics
expect pass "" "$dir/clean.cpp" -mno-sse -mno-mmx -mno-sse2
# The other architectures: floating point is caught, integer code with
# addresses that look like register names (riscv "fa4", arm64 "d0") is not.
cat >"$dir/fp.c" <<'X'
double mul(double a, double b) { return a * b; }
X
cat >"$dir/int.c" <<'X'
int pick(const int *v, int n) { int s = 0; for (int i = 0; i < n; i++) if (v[i] > 3) s += v[i]; return s; }
X
for pair in arm64:aarch64-linux-gnu- riscv64:riscv64-linux-gnu-; do
	arch=${pair%%:*} cross=${pair#*:}
	command -v "${cross}gcc" >/dev/null || continue
	"${cross}gcc" -O2 -c -o "$dir/fp.o" "$dir/fp.c"
	"${cross}gcc" -O2 -c -o "$dir/int.o" "$dir/int.c"
	if "$check" "$arch" "$cross" "$dir/fp.o" >/dev/null 2>&1; then
		echo "WRONG: $arch floating point passed"; failures=$((failures + 1))
	else
		echo "ok: $arch floating point -> fail"
	fi
	if "$check" "$arch" "$cross" "$dir/int.o"; then
		echo "ok: $arch integer code -> pass"
	else
		echo "WRONG: $arch integer code failed"; failures=$((failures + 1))
	fi
done
# --kasan: the sanitizer's own constructors (registering globals) pass, a
# C++ static constructor built the same way still fails.
cat >"$dir/globals.c" <<'X'
int table[16];
int get(int i) { return table[i & 15]; }
X
kasan_flags="-O2 -fsanitize=kernel-address -fasan-shadow-offset=0xdffffc0000000000 --param asan-globals=1 -c"
gcc $kasan_flags -o "$dir/k.o" "$dir/globals.c"
if "$check" --kasan x86_64 '' "$dir/k.o" >"$dir/out" 2>&1; then
	echo "ok: --kasan: the sanitizer's constructors -> pass"
else
	echo "WRONG: --kasan refused the sanitizer's constructors:"; cat "$dir/out"
	failures=$((failures + 1))
fi
if "$check" x86_64 '' "$dir/k.o" >/dev/null 2>&1; then
	echo "WRONG: without --kasan the sanitizer's constructors passed"; failures=$((failures + 1))
else
	echo "ok: without --kasan: the sanitizer's constructors -> fail"
fi
g++ $flags -mno-sse -mno-mmx -mno-sse2 -fsanitize=kernel-address \
	-fasan-shadow-offset=0xdffffc0000000000 --param asan-globals=1 -o "$dir/k.o" "$dir/ctor.cpp"
if "$check" --kasan x86_64 '' "$dir/k.o" >"$dir/out" 2>&1; then
	echo "WRONG: --kasan let a C++ static constructor pass"; failures=$((failures + 1))
elif grep -q "not the sanitizer's" "$dir/out"; then
	echo "ok: --kasan: a C++ static constructor -> fail"
else
	echo "WRONG: --kasan failed a C++ static constructor for another reason:"; cat "$dir/out"
	failures=$((failures + 1))
fi
# A module objtool never saw (no ORC tables) fails with --require-orc.
g++ $flags -mno-sse -mno-mmx -mno-sse2 -o "$dir/t.o" "$dir/clean.cpp"
if "$check" --require-orc x86_64 '' "$dir/t.o" 2>"$dir/out"; then
	echo "WRONG: a module without ORC data passed --require-orc"; failures=$((failures + 1))
else
	grep -q "no .orc_unwind" "$dir/out" && echo "ok: no ORC data -> fail"
fi
# A missing module and no module at all are failures, not empty passes.
if "$check" x86_64 '' "$dir/missing.ko" 2>/dev/null || "$check" x86_64 '' 2>/dev/null; then
	echo "WRONG: missing module passed"; failures=$((failures + 1))
else
	echo "ok: missing module -> fail"
fi
[ $failures -eq 0 ]
