#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles multios_numa's C++ core in kernel mode for every target (a
# missing cross compiler is a failure) and checks its `ld -r` link: no
# static constructors or TLS, no undefined symbol a module cannot link,
# stack frames within half the kernel's limit
# (support/tests/freestanding.sh).
#
#   check_freestanding.sh SOURCE_DIR OUT_DIR
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"

# shellcheck source=support/tests/freestanding.sh
source "$src/support/tests/freestanding.sh"

freestanding_check_core numa
