#!/bin/sh
# Build check for MultiOS modules: what the kernel cannot run must not be
# in a module, whatever the C++ compiler decided to emit.
#
#   tools/kbuild/check-module.sh ARCH CROSS_COMPILE MODULE.ko...
#
# Fails on
#   - static-constructor sections (.init_array, .ctors, .fini_array, .dtors):
#     nothing in a module would ever run them;
#   - undefined C++ runtime symbols (__cxa_*, _Unwind_*, the personality
#     routine, typeinfo, global operator new): the kernel has none of them;
#   - floating-point or SIMD instructions: kernel code runs with the FPU
#     state of whatever task it interrupted.
set -eu
arch=$1 cross=$2
shift 2
bad=0
fail() { echo "check-module: $*" >&2; bad=1; }

# Patterns see "mnemonic operands", addresses and <symbols> removed.
# Registers are matched only where they cannot be a hex branch target
# (%xmm0 on x86_64, v0/q0 on arm64); otherwise mnemonics decide.
case $arch in
x86_64)  fp='%[xyz]mm[0-9]|%st(\(|\b)|^f(ld|st|add|sub|mul|div|ild|ist|istp|stp|xch|com|ucom|init|ninit|nsave|rstor|xsave|xrstor|ldz|ld1|chs|abs|sqrt|nstcw|ldcw)[a-z]*\b|^(ld|st)mxcsr\b' ;;
arm64)   fp='^(fmov|fadd|fsub|fmul|fdiv|fmadd|fmsub|fnmadd|fnmsub|fneg|fabs|fsqrt|fcmpe?|fccmpe?|fcsel|fcvt[a-z]*|fmax[a-z]*|fmin[a-z]*|frint[a-z]*|scvtf|ucvtf|ld[1-4]r?|st[1-4]|dup|ins|umov|smov|movi|mvni)\b|^(ldr|str|ldp|stp|ldur|stur|ldnp|stnp)[[:space:]]+[bhsdq][0-9]+\b|\b[vq]([0-9]|[12][0-9]|3[01])\b' ;;
riscv64) fp='^f[a-z0-9.]*' ;;
*) echo "check-module: unknown arch $arch" >&2; exit 2 ;;
esac

for ko in "$@"; do
	name=$(basename "$ko")
	sections=$("${cross}readelf" -SW "$ko" | grep -oE '\.(init_array|ctors|fini_array|dtors)[^ ]*' || true)
	[ -z "$sections" ] || fail "$name: static constructor sections: $sections"

	runtime=$("${cross}nm" -u "$ko" | awk '{print $2}' |
		grep -E '^(__cxa_|_Unwind_|__gxx_personality|_ZTI|_ZTS|_ZTV(N10__cxxabiv|St)|_Znw|_Zna|__dynamic_cast|atexit$|__dso_handle$)' || true)
	[ -z "$runtime" ] || fail "$name: undefined C++ runtime symbols: $(echo $runtime)"

	# Disassembly lines are "addr:  mnemonic operands": the address (fa2: is
	# a riscv register name too) and symbol names in <...> are dropped, so
	# only instructions and their operands are matched.
	hits=$("${cross}objdump" -d --no-show-raw-insn "$ko" | grep -E '^ +[0-9a-f]+:' |
		sed -E 's/<[^>]*>//g; s/^ +[0-9a-f]+:[[:space:]]*//' | grep -v '^fence' |
		grep -E "$fp" | head -5 || true)
	[ -z "$hits" ] || fail "$name: floating-point/SIMD instructions:
$hits"
done
exit $bad
