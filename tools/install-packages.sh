#!/bin/sh
# Install the Debian packages listed in tools/apt-packages.txt that are
# not installed yet. Quiet and quick when everything is there.
set -eu
list="$(dirname "$0")/apt-packages.txt"
want=$(grep -v '^#' "$list" | grep -v '^$')
missing=""
for pkg in $want; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo ">>> installing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "error: packages missing and not root; run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo ">>> packages installed"
