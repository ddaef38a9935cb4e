#!/bin/sh
# The C++/C boundary, checked statically (the build check in
# tools/kbuild/check-module.sh checks the objects):
#   - no C++ source or C++ header includes a kernel header;
#   - no floating-point types in C++ that goes into the kernel.
set -eu
cd "$(dirname "$0")/.."
# Kernel C++: the support library, the cores and the test bodies KUnit
# runs; not the host-only tests, simulators and benchmarks (modules/*/tests,
# */sim, */bench).
cxx=$(find support/include support/src support/tests/ktest modules -name '*.cpp' -o -name '*.h' |
	grep -vE '/(shim|kunit|tests|sim|bench)/')
bad=0
hits=$(grep -nE '^\s*#\s*include\s*[<"](linux|asm|asm-generic|kunit|uapi|generated)/' $cxx || true)
if [ -n "$hits" ]; then
	echo "C++ includes kernel headers (use include/multios instead):"
	echo "$hits"
	bad=1
fi
hits=$(grep -nwE 'float|double|long double' $cxx | grep -vE '^\S+:[0-9]+:\s*(//|\*|/\*)' | grep -v 'pragma GCC poison' || true)
if [ -n "$hits" ]; then
	echo "floating point in kernel C++ (use mos/fixed.h):"
	echo "$hits"
	bad=1
fi
[ $bad -eq 0 ] && echo "boundary clean: $(echo "$cxx" | wc -l) C++ files checked"
exit $bad
