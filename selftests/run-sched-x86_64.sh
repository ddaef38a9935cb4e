#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The scheduler selftests of make check, in one x86_64 guest of the
# patched kernel (TAP on stdout, each after a "# selftest: NAME" line that
# check.sh splits on):
#   1. the kernel side of the multios class with the test policy
#      multios_sched_fifo (selftests/sched/multios_class_test.sh);
#   2. the policy module multios_sched (selftests/sched/multios_sched_test.sh);
#   3. Debian's stress-ng scheduler stressors under switch_all for a minute
#      (selftests/sched/multios_stress_test.sh).
# The CPU hot-plug stress (selftests/sched/multios_hotplug_test.sh) has a
# boot of its own: see tools/check.sh.
#   selftests/run-sched-x86_64.sh MODULE_DIR BIN_DIR
set -u
here=$(dirname "$0")
status=0
echo "# selftest: multios_class"
"$here/sched/multios_class_test.sh" "$1" "$2/mos_sched_tool" || status=1
echo "# selftest: multios_sched"
"$here/sched/multios_sched_test.sh" "$1" "$2/mos_sched_tool" || status=1
echo "# selftest: multios_stress"
"$here/sched/multios_stress_test.sh" "$1" 60 || status=1
echo "# selftest: end"
exit $status
