#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel-mode compile checks (support/tests/freestanding.sh) must fail,
# not skip, when a cross compiler is missing: they would pass while
# checking one target of three. Runs the support library's check and a
# module's with a PATH that holds everything but the arm64 and riscv64
# compilers (a folder of symlinks), and expects a failure naming each
# compiler and its package.
set -eu
top="$(cd "$(dirname "$0")/../.." && pwd)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

mkdir "$dir/bin"
# Earlier PATH folders first, as the shell would find them; ln refuses
# the names already linked, which is what we want.
for d in $(echo "$PATH" | tr ':' ' '); do
	if [ -d "$d" ]; then ln -s "$d"/* "$dir/bin/" 2>/dev/null || true; fi
done
rm -f "$dir/bin/aarch64-linux-gnu-g++" "$dir/bin/riscv64-linux-gnu-g++"

for script in support/tests/check_freestanding.sh modules/swap/tests/check_freestanding.sh \
	modules/numa/tests/check_freestanding.sh; do
	if PATH=$dir/bin "$top/$script" "$top" "$dir/out" >"$dir/log" 2>&1; then
		echo "WRONG: $script passed without the arm64 and riscv64 compilers:"
		sed 's/^/  | /' "$dir/log"
		failures=$((failures + 1))
		continue
	fi
	# The x86_64 objects are still checked, and clean: just the 2 failures.
	for want in "aarch64-linux-gnu-g++ not found in PATH: install g++-aarch64-linux-gnu" \
		"riscv64-linux-gnu-g++ not found in PATH: install g++-riscv64-linux-gnu" \
		"objects checked in kernel mode, 2 failures"; do
		if grep -qF "$want" "$dir/log"; then
			echo "ok: $script fails: $want"
		else
			echo "WRONG: $script failed without saying \"$want\":"
			sed 's/^/  | /' "$dir/log"
			failures=$((failures + 1))
		fi
	done
done
[ $failures -eq 0 ]
