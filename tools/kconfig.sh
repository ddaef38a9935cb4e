#!/bin/sh
# Configure a kernel build folder from tinyconfig plus fragments.
#
#   tools/kconfig.sh SRC OUT KARCH CROSS_COMPILE FRAGMENT...
#
# Kconfig silently drops an option whose dependencies are not met, so
# after olddefconfig every option set in a fragment is checked and the
# script fails, naming each one that did not survive.
set -eu
src=$1 out=$2 karch=$3 cross=$4
shift 4
mkdir -p "$out"
kmake() {
	make -s -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" \
		CC="ccache ${cross}gcc" HOSTCC="ccache gcc" "$@" >/dev/null
}
kmake tinyconfig 2>"$out/.merge_config.log"
# merge_config.sh warns about every fragment line that overrides a choice
# (expected: that is what fragments are for); keep its chatter in a log.
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" >>"$out/.merge_config.log" 2>&1 ||
	{ cat "$out/.merge_config.log" >&2; exit 1; }
kmake olddefconfig 2>>"$out/.merge_config.log"

# A later fragment may override an earlier one (bench.config turns the
# debug options off again), so each symbol is checked against the last
# fragment that sets it: "FILE<TAB>LINE", one per symbol, in order.
awk '
	/^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)/ {
		sym = $0; sub(/^# /, "", sym); sub(/[= ].*/, "", sym)
		if (!(sym in want)) order[n++] = sym
		want[sym] = FILENAME "\t" $0
	}
	END { for (i = 0; i < n; i++) print want[order[i]] }' "$@" |
while IFS="$(printf '\t')" read -r frag want; do
	case $want in
	"# "*) sym=${want#\# }; sym=${sym%% *}
	       if grep -q "^$sym=" "$out/.config"; then
			echo "kconfig: $frag: $sym should be unset but is $(grep "^$sym=" "$out/.config")"
	       fi ;;
	*)     grep -qxF "$want" "$out/.config" ||
			echo "kconfig: $frag: wanted $want, got: $(grep -E "^(# )?${want%%=*}[= ]" "$out/.config" || echo 'absent (unmet dependency?)')" ;;
	esac
done > "$out/.kconfig-mismatch"
if [ -s "$out/.kconfig-mismatch" ]; then
	cat "$out/.kconfig-mismatch" >&2
	exit 1
fi
