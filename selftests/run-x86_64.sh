#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What make check runs in its first x86_64 guest:
#   1. the kselftests multios_core, multios_swap and multios_numa, through the kernel's
#      kselftest runner of the install in KSELFTEST_DIR (make selftests),
#      loading the modules of MODULE_DIR (its TAP on stdout, read by
#      tools/kselftest-results.py);
#   2. the KUnit modules of the other C++ cores, loaded over multios_core
#      (their KTAP goes to the kernel log, read from the console).
#   selftests/run-x86_64.sh KSELFTEST_DIR MODULE_DIR
# The scheduler's kselftests have boots of their own: see tools/check.sh.
set -u
ksft=$1
export MULTIOS_MODULES=$2
status=0
"$ksft/run_kselftest.sh" -t multios:multios_core_test.sh -t multios:multios_swap_test.sh \
	-t multios:multios_numa_test.sh || status=1
lsmod | grep -q '^multios_core' || insmod "$MULTIOS_MODULES/modules/core/multios_core.ko" || status=1
for m in sched swap numa; do
	insmod "$MULTIOS_MODULES/modules/$m/multios_${m}_kunit.ko" || status=1
	rmmod "multios_${m}_kunit" || status=1
done
rmmod multios_core || status=1
exit $status
