#!/bin/sh
# Debian's own kernel, the one the patch-free modules are tested on: the
# version that the installed linux-headers-amd64 metapackage points at.
#
#   tools/distro-kernel.sh abi         print the ABI, e.g. 6.1.0-56
#   tools/distro-kernel.sh image DIR   print DIR/vmlinuz-<abi>-amd64, after
#                                      fetching it from linux-image-<abi>-amd64
#                                      if it is not there yet (unpacked, not
#                                      installed: the host's /boot is not ours)
#   tools/distro-kernel.sh modules DIR print DIR/root, holding that
#                                      package's lib/modules/<abi>-amd64
#                                      with its modules.dep (depmod -b), for
#                                      the guest's modprobe and initramfs
set -eu
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9][^ ]*\)-amd64.*/\1/p')
if [ -z "$abi" ]; then
	echo "distro-kernel: linux-headers-amd64 is not installed (make deps)" >&2
	exit 1
fi
case ${1:-} in
abi)
	echo "$abi" ;;
image)
	dir=$2 image=$2/vmlinuz-$abi-amd64
	if [ ! -s "$image" ]; then
		mkdir -p "$dir/pkg"
		pkg=linux-image-$abi-amd64
		echo ">>> fetching $pkg" >&2
		(cd "$dir/pkg" && { apt-get download -q "$pkg" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null && apt-get download -q "$pkg" >/dev/null; }; })
		dpkg-deb --fsys-tarfile "$dir"/pkg/"$pkg"_*.deb |
			tar -xOf - "./boot/vmlinuz-$abi-amd64" >"$image.tmp"
		mv "$image.tmp" "$image"
	fi
	echo "$image" ;;
modules)
	dir=$2 root=$2/root
	if [ ! -s "$root/lib/modules/$abi-amd64/modules.dep" ]; then
		"$0" image "$dir" >/dev/null
		rm -rf "$root" "$root.tmp" && mkdir -p "$root.tmp"
		dpkg-deb --fsys-tarfile "$dir"/pkg/linux-image-"$abi"-amd64_*.deb |
			tar -xf - -C "$root.tmp" ./lib/modules
		depmod -b "$root.tmp" "$abi-amd64"
		mv "$root.tmp" "$root"
	fi
	echo "$root" ;;
*)
	echo "usage: tools/distro-kernel.sh abi | image DIR | modules DIR" >&2
	exit 2 ;;
esac
