#!/bin/sh
# PID 1 of an x86_64 guest booted on the host's root over 9p (tools/guest.py).
# Mounts what a test needs, runs multios.run=DIR's cmd.sh, prints its exit
# status for the runner and powers off.
#   multios.modules=DIR   DIR holds lib/modules/<release> of the booted
#                         kernel (not the host's): it appears at
#                         /lib/modules/<release>, for modprobe
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH HOME=/tmp TERM=dumb LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sysfs /sys

run=
top=
probe=
modules=
for arg in $(cat /proc/cmdline); do
	case $arg in
	multios.run=*) run=${arg#multios.run=} ;;
	multios.modules=*) modules=${arg#multios.modules=} ;;
	multios.top=*) top=${arg#multios.top=} ;;
	multios.probe=1) probe=1 ;;
	esac
done

mount -t devtmpfs devtmpfs /dev 2>/dev/null
# What udev would add: kselftest's runner writes to /dev/stdout.
for fd in 0:stdin 1:stdout 2:stderr; do
	ln -sf "/proc/self/fd/${fd%:*}" "/dev/${fd#*:}"
done
ln -sf /proc/self/fd /dev/fd
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
# A writable /tmp hides the host's. If the project itself lives under
# /tmp (a CI clone, say), keep its folder visible at the same path.
keep=$(echo "$top" | sed -n 's|^\(/tmp/[^/]*\).*|\1|p')
if [ -n "$keep" ]; then
	mkdir -p /run/host-tmp
	mount --bind /tmp /run/host-tmp
fi
mount -t tmpfs tmpfs /tmp
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	mount --bind "/run/host-tmp/${keep#/tmp/}" "$keep"
fi
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -n "$modules" ]; then
	# The root is read-only: a tmpfs over /lib/modules takes the mount point.
	release=$(uname -r)
	mount -t tmpfs tmpfs /lib/modules && mkdir "/lib/modules/$release" &&
		mount --bind "$modules/lib/modules/$release" "/lib/modules/$release" ||
		echo "init-9p: no modules of $release at $modules"
fi
mount -t tmpfs tmpfs /mnt
mkdir -p /mnt/out
out_mounted=
mount -t 9p -o trans=virtio,version=9p2000.L out /mnt/out 2>/dev/null && out_mounted=1
export MULTIOS_OUT=/mnt/out

echo "MULTIOS-BEGIN"
if [ -n "$probe" ]; then
	status=0
elif [ -x "$run/cmd.sh" ] && [ -n "$out_mounted" ]; then
	# The command's output also goes to $MULTIOS_OUT/command.log
	# (guest.py --command-log), apart from the kernel's messages: on the
	# serial console printk writes into the middle of a line the command
	# is printing, and a TAP plan cut in two is no plan.
	# Through a FIFO rather than a pipeline: a process the command left
	# running keeps the FIFO open, and must not keep init waiting for
	# tee. tee gets a second to copy what is still in the FIFO, then goes.
	mkfifo /run/command.fifo
	tee "$MULTIOS_OUT/command.log" </run/command.fifo &
	tee_pid=$!
	"$run/cmd.sh" </dev/null >/run/command.fifo 2>&1
	status=$?
	i=0
	while kill -0 $tee_pid 2>/dev/null && [ $i -lt 10 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill $tee_pid 2>/dev/null
elif [ -x "$run/cmd.sh" ]; then
	"$run/cmd.sh" </dev/null
	status=$?
else
	echo "init-9p: no command (multios.run=$run)"
	status=127
fi
# Let the kernel finish printing anything the command triggered.
sleep 1
echo "MULTIOS-EXIT=$status"
echo o >/proc/sysrq-trigger
# Power-off runs asynchronously and shuts virtio-9p down under us: running
# any program from the root now (even sleep) can fail, and init exiting
# panics the kernel. Wait with shell builtins only.
while :; do :; done
