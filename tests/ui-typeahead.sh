#!/bin/sh
# tests/ui-typeahead.sh - keys typed ahead of the screen are acted on
# one after the other and the screen drawn once they are drained: the
# same keys cost fewer bytes typed at once than typed one by one, and
# give the same result; a character echoed in a field costs one byte.  Run through bench/ptyrun on a pty at 9600 baud.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

ptyrun=$top_builddir/bench/ptyrun
[ -x "$ptyrun" ] || skip_all "bench/ptyrun is not built"
unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null &&
ncenctl -d "$X" user add olga --roles officer >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# A new case's first fields, then back without saving it (no draft).
cat >"$T/keys" <<'KEYS'
sign-in         -       Back
cases-list      c       page
case-new        ^N      Date
case-fields     2026-11-25\t14:30\t+01:00\tFRCDG01\tFR\t
case-place      Terminal\s2E\sarrivals
case-place-end  \t
case-back       ^X      draft
case-forget     n\r     page
list-back       ^X      Cases
sign-out        ^X
KEYS

# A run of the keys: run NAME PTYRUN-OPTIONS...; its total in $T/NAME.out.
run() {
	name=$1; shift
	"$ptyrun" -q -o "$T/$name.log" "$@" "$T/keys" \
	    "$top_builddir/src/ncen" -d "$X" --as olga >"$T/$name.out" 2>&1
	r=$?
	tap_result $r "ptyrun types the keys ($name)"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/$name.out"
}
total() { awk '$1 == "total" { print $3 }' "$T/$1.out"; }
run one
run ahead -k 0
one=$(total one)
ahead=$(total ahead)
echo "# one by one: $one bytes; typed ahead: $ahead bytes"
# (Before typeahead both were the same bytes; echo costing a byte a
# character, what is saved is the help lines of the fields passed.)
[ -n "$one" ] && [ -n "$ahead" ] && [ "$ahead" -lt $((one * 95 / 100)) ]
tap_result $? "typed ahead costs under 95% of typed one by one"
# Echoing what is typed into a field: the inputs are shown by brackets,
# not underlined, so a character costs its own byte, not the 12 of
# underline on and off around it on a vt100.
place=$(awk '$1 == "step" && $2 == "case-place" { print $4 }' "$T/one.out")
echo "# 20 characters typed one by one into a field: $place bytes"
[ -n "$place" ] && [ "$place" -le 40 ]
tap_result $? "a character typed into a field costs at most 2 bytes"
grep -q "Terminal 2E arrivals" "$T/ahead.log"
tap_result $? "and the field shows all that was typed ahead"
ok "nothing was stored" sh -c \
    "ncenctl -d '$X' stats | awk '\$1 == \"case\" { exit \$2 != 0 }'"
finish
