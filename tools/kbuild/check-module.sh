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

case $arch in
x86_64)  fp='%[xyz]mm[0-9]|%st(\(|\b)|\bf(ld|st|add|sub|mul|div|ild|ist|istp|stp|xch|com|ucom|init|ninit|nsave|rstor|xsave|xrstor|ldz|ld1|chs|abs|sqrt)\b|\b(ld|st)mxcsr\b' ;;
arm64)   fp='\b(fmov|fadd|fsub|fmul|fdiv|fcvt[a-z]*|scvtf|ucvtf|fcmp|fcsel|fmadd|fneg|fabs|fsqrt|ld1|st1|dup|ins|umov|movi)\b|\b[bhsdqv]([0-9]|[12][0-9]|3[01])(\.|,|$|\])' ;;
riscv64) fp='\bf[a-z]+\.(s|d|q|h)\b|\bf(lw|sw|ld|sd|mv\.[a-z.]+|cvt[a-z.]*|rcsr|scsr|rrm|srm|rflags|sflags)\b|\bf[ast][0-9]+\b|\bft1[01]\b|\bfs1[01]\b' ;;
*) echo "check-module: unknown arch $arch" >&2; exit 2 ;;
esac

for ko in "$@"; do
	name=$(basename "$ko")
	sections=$("${cross}readelf" -SW "$ko" | grep -oE '\.(init_array|ctors|fini_array|dtors)[^ ]*' || true)
	[ -z "$sections" ] || fail "$name: static constructor sections: $sections"

	runtime=$("${cross}nm" -u "$ko" | awk '{print $2}' |
		grep -E '^(__cxa_|_Unwind_|__gxx_personality|_ZTI|_ZTS|_ZTV(N10__cxxabiv|St)|_Znw|_Zna|__dynamic_cast|atexit$|__dso_handle$)' || true)
	[ -z "$runtime" ] || fail "$name: undefined C++ runtime symbols: $(echo $runtime)"

	# Disassembly lines are "addr: bytes  mnemonic operands"; symbol names
	# in <...> are dropped so a function called fadd() does not count.
	hits=$("${cross}objdump" -d --no-show-raw-insn "$ko" | grep -E '^ +[0-9a-f]+:' |
		sed 's/<[^>]*>//g' | grep -E "$fp" | head -5 || true)
	[ -z "$hits" ] || fail "$name: floating-point/SIMD instructions:
$hits"
done
exit $bad
