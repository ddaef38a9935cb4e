#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Everything make check runs inside the x86_64 guest:
#   1. the multios_core selftest and the multios_swap selftest (TAP on
#      stdout, each after a "# selftest: NAME" line that check.sh splits on);
#   2. the KUnit modules of the other C++ cores, loaded over multios_core
#      (their KTAP goes to the kernel log, read from the console).
#   selftests/run-x86_64.sh MODULE_DIR BIN_DIR
set -u
mods=$1 bins=$2
here=$(dirname "$0")
status=0
echo "# selftest: multios_core"
"$here/core/multios_core_test.sh" "$mods" || status=1
echo "# selftest: multios_swap"
"$here/swap/multios_swap_test.sh" "$mods" "$bins/swap_integrity" || status=1
echo "# selftest: end"
lsmod | grep -q '^multios_core' || insmod "$mods/modules/core/multios_core.ko" || status=1
for m in sched swap; do
	insmod "$mods/modules/$m/multios_${m}_kunit.ko" || status=1
	rmmod "multios_${m}_kunit" || status=1
done
rmmod multios_core || status=1
exit $status
