#!/bin/sh
# Build check for MultiOS modules: what the kernel cannot run must not be
# in a module, whatever the C++ compiler decided to emit.
#
#   tools/kbuild/check-module.sh [--require-orc] [--kasan] ARCH CROSS_COMPILE MODULE.ko...
#
# Fails on
#   - static-constructor sections (.init_array, .ctors, .fini_array, .dtors):
#     nothing in a module would ever run them;
#   - thread-local data (.tdata, .tbss): the kernel has no TLS;
#   - undefined C++ runtime symbols (__cxa_*, _Unwind_*, the personality
#     routine, typeinfo, global operator new): the kernel has none of them;
#   - unguarded function-local statics (_ZGV guard variables);
#   - with --require-orc (x86_64 kernels with the ORC unwinder), a module
#     objtool did not process: no ORC tables;
#   - floating-point or SIMD instructions: kernel code runs with the FPU
#     state of whatever task it interrupted.
# With --kasan (modules of a KASAN kernel), .init_array and .fini_array
# are allowed when every function they can reach is one the sanitizer
# emitted (_sub_I_65535_N / _sub_D_65535_N: registering and unregistering
# a file's globals, which the kernel runs for modules under
# CONFIG_CONSTRUCTORS); a C++ static constructor (_GLOBAL__sub_I_...)
# still fails.
set -eu
require_orc= kasan=
while :; do
	case ${1:-} in
	--require-orc) require_orc=1; shift ;;
	--kasan) kasan=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] || { echo "usage: check-module.sh [--require-orc] [--kasan] ARCH CROSS_COMPILE MODULE.ko..." >&2; exit 2; }
arch=$1 cross=$2
shift 2
bad=0
fail() { echo "check-module: $*" >&2; bad=1; }
# Each tool's output in a file, so its failure is a failure, not "no hits".
out=$(mktemp)
trap 'rm -f "$out"' EXIT
tool() { "$@" >"$out" 2>&1 || { fail "$* failed: $(head -3 "$out")"; : >"$out"; }; }

# Patterns see "mnemonic operands", addresses and <symbols> removed.
# Registers are matched only where they cannot be a hex branch target
# (%xmm0 on x86_64, v0/q0 on arm64); otherwise mnemonics decide.
case $arch in
x86_64)  fp='%[xyz]?mm[0-9]|%k[0-7]\b|%st(\(|\b)|^f(ld|st|add|sub|mul|div|ild|ist|istp|stp|xch|com|ucom|init|ninit|nsave|rstor|xsave|xrstor|ldz|ld1|chs|abs|sqrt|nstcw|ldcw)[a-z]*\b|^(ld|st)mxcsr\b' ;;
arm64)   fp='^(fmov|fadd|fsub|fmul|fdiv|fmadd|fmsub|fnmadd|fnmsub|fneg|fabs|fsqrt|fcmpe?|fccmpe?|fcsel|fcvt[a-z]*|fmax[a-z]*|fmin[a-z]*|frint[a-z]*|scvtf|ucvtf|ld[1-4]r?|st[1-4]|dup|ins|umov|smov|movi|mvni)\b|^(ldr|str|ldp|stp|ldur|stur|ldnp|stnp)[[:space:]]+[bhsdq][0-9]+\b|\b[vq]([0-9]|[12][0-9]|3[01])\b' ;;
riscv64) fp='^f[a-z0-9.]*' ;;
*) echo "check-module: unknown arch $arch" >&2; exit 2 ;;
esac

for ko in "$@"; do
	name=$(basename "$ko")
	[ -r "$ko" ] || { fail "$ko: no such module"; continue; }

	tool "${cross}readelf" -SW "$ko"
	sections=$(grep -oE '\.(init_array|ctors|fini_array|dtors|tdata|tbss)[^ ]*' "$out" || true)
	# objtool runs on the linked module (tools/kbuild/cxx.mk); on x86_64
	# its ORC tables are the proof that it did.
	if [ -n "$require_orc" ] && ! grep -q '\.orc_unwind ' "$out"; then
		fail "$name: no .orc_unwind: objtool did not run (\$(call mos_objtool_on_link,...) in Kbuild?)"
	fi
	if [ -n "$kasan" ]; then
		# The sections holding the sanitizer's ctors and dtors, by index.
		ctor_sections=$(sed -nE 's/^ *\[ *([0-9]+)\] \.text\.(startup|exit) .*/\1/p' "$out" | tr '\n' ' ')
		sections=$(echo "$sections" | grep -vxE '\.(init_array|fini_array)' || true)
		tool "${cross}readelf" -sW "$ko"
		others=$(awk -v idx=" $ctor_sections" '$4 == "FUNC" && index(idx, " " $7 " ") &&
			$8 !~ /^_sub_[ID]_65535_[0-9]+$/ { print $8 }' "$out" | head -3)
		[ -z "$others" ] || fail "$name: constructors that are not the sanitizer's: $(echo $others)"
	fi
	[ -z "$sections" ] || fail "$name: static constructor or thread-local sections: $sections"

	tool "${cross}nm" "$ko"
	runtime=$(awk '$1 == "U" { print $2 }' "$out" |
		grep -E '^(__cxa_|_Unwind_|__gxx_personality|_ZTI|_ZTS|_ZTV(N10__cxxabiv|St)|_Znw|_Zna|__dynamic_cast|atexit$|__dso_handle$|__tls_get_addr$)' || true)
	[ -z "$runtime" ] || fail "$name: undefined C++ runtime symbols: $(echo $runtime)"
	# With -fno-threadsafe-statics a function-local static with a dynamic
	# initialiser is guarded by a plain _ZGV byte: two CPUs can run it.
	guards=$(awk '$3 ~ /^_ZGV/ { print $3 }' "$out" | head -3)
	[ -z "$guards" ] || fail "$name: unguarded function-local static initialisers: $(echo $guards)"

	# Disassembly lines are "addr:  mnemonic operands": the address (fa2: is
	# a riscv register name too) and symbol names in <...> are dropped, so
	# only instructions and their operands are matched.
	tool "${cross}objdump" -d --no-show-raw-insn "$ko"
	hits=$(grep -E '^ +[0-9a-f]+:' "$out" |
		sed -E 's/<[^>]*>//g; s/^ +[0-9a-f]+:[[:space:]]*//' | grep -v '^fence' |
		grep -E "$fp" | head -5 || true)
	[ -z "$hits" ] || fail "$name: floating-point/SIMD instructions:
$hits"
done
exit $bad
