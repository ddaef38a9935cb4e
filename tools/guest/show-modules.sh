#!/bin/sh
# Run inside an x86_64 guest by `make run`: load the MultiOS modules, show
# what they report, unload them. $1 is the module build folder.
set -u
mods=$1
echo "--- loading multios_core"
insmod "$mods/modules/core/multios_core.ko" || exit 1
dmesg | grep -E "multios: core|# (multios_[a-z_]+): (pass|fail)" | sed 's/^\[[ 0-9.]*\] /  /'
echo "--- /sys/kernel/multios"
for f in $(find /sys/kernel/multios -type f | sort); do
	printf '  %-42s %s\n' "${f#/sys/kernel/multios/}" "$(cat "$f" | head -1)"
done
echo "--- /proc/multios/topology"
sed 's/^/  /' /proc/multios/topology
echo "--- loading multios_numa: /proc/multios/numa"
if insmod "$mods/modules/numa/multios_numa.ko"; then
	sed 's/^/  /' /proc/multios/numa
	rmmod multios_numa && echo "  multios_numa unloaded"
fi
echo "--- unloading"
rmmod multios_core && echo "  multios_core unloaded"
