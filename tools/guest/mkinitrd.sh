#!/bin/sh
# Pack an initramfs for the initrd guests: mini-init as /init plus modules
# (in /modules) and static programs for multios.run= (anything not a .ko,
# in /bin).
#
#   tools/guest/mkinitrd.sh OUT.cpio INIT MODULE.ko|PROGRAM...
set -eu
out=$1 init=$2
shift 2
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/proc" "$stage/sys" "$stage/dev" "$stage/modules" "$stage/bin"
# The kernel opens /dev/console for init's output before devtmpfs exists.
mknod -m 600 "$stage/dev/console" c 5 1
install -m 755 "$init" "$stage/init"
for f in "$@"; do
	case $f in
	*.ko) install -m 644 "$f" "$stage/modules/" ;;
	*) install -m 755 "$f" "$stage/bin/" ;;
	esac
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
