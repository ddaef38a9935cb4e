#!/bin/sh
# Pack an initramfs for the initrd guests: mini-init as /init plus modules.
#
#   tools/guest/mkinitrd.sh OUT.cpio INIT MODULE.ko...
set -eu
out=$1 init=$2
shift 2
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/proc" "$stage/sys" "$stage/dev" "$stage/modules"
# The kernel opens /dev/console for init's output before devtmpfs exists.
mknod -m 600 "$stage/dev/console" c 5 1
install -m 755 "$init" "$stage/init"
for ko in "$@"; do
	install -m 644 "$ko" "$stage/modules/"
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
