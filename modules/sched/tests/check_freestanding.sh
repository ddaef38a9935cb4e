#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compiles multios_sched's C++ core in kernel mode for every target (a
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

# As modules/sched/Kbuild builds it: MOS_WARN_ON reports to the module's
# own handler (mos/bug.h), an undefined mos_* symbol the module defines.
common+=(-DMOS_WARN_HANDLER=mos_sched_warn)

freestanding_check_core sched
