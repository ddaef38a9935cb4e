#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Everything make check runs inside the x86_64 guest:
#   1. the multios_core selftest (TAP on stdout);
#   2. the KUnit modules of the other C++ cores, loaded over multios_core
#      (their KTAP goes to the kernel log, read from the console).
#   selftests/run-x86_64.sh MODULE_DIR
set -u
mods=$1
status=0
"$(dirname "$0")/core/multios_core_test.sh" "$mods" || status=1
insmod "$mods/modules/core/multios_core.ko" || status=1
for m in sched swap; do
	insmod "$mods/modules/$m/multios_${m}_kunit.ko" || status=1
	rmmod "multios_${m}_kunit" || status=1
done
rmmod multios_core || status=1
exit $status
