#!/bin/sh
# The README shows the package list; tools/apt-packages.txt is the list.
# Keep them the same: compare the README's fenced block after the
# "<!-- packages -->" marker with the file's package names.
set -eu
cd "$(dirname "$0")/.."
want=$(grep -v '^#' tools/apt-packages.txt | grep -v '^$' | tr '\n' ' ')
got=$(awk '/<!-- packages -->/ { on = 1; next }
	on && /^```/ { if (++fences == 2) exit; next }
	on && fences == 1 { print }' README.md | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
want=$(echo "$want" | sed 's/ $//')
if [ "$want" != "$got" ]; then
	echo "README package list differs from tools/apt-packages.txt"
	echo "  file:   $want"
	echo "  README: $got"
	exit 1
fi
echo "README lists the $(echo "$want" | wc -w) packages of tools/apt-packages.txt"
