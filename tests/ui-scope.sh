#!/bin/sh
# tests/ui-scope.sh - an officer's Cases list is her own cases, read
# through the officer index (a scope apart from the filter she types):
# counted, paged and sorted within her cases, and Back or ESC after a
# typed filter clears the filter only, never the scope.  A case nobody
# owns is hers too (the role matrix's "own"), and still listed.  Her
# own cases read newest first, by date or by number.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# Olga's 25 cases (ids 1-25, dated 2026-11-25 down to 2026-11-01, so
# that date order is the reverse of number order) and Pat's 5 in
# between them (ids 26-30, dated 2025-01-0N).
{
	echo 'ncen-dump 1'
	i=1
	while [ $i -le 25 ]; do
		printf 'record case %d 1 1795770000 olga\n' $i
		printf 'field date 2026-11-%02d\n' $((26 - i))
		printf 'field office FRCDG01\nfield country FR\n'
		printf 'field direction IMP\nfield officer olga\n'
		i=$((i + 1))
	done
	while [ $i -le 30 ]; do
		printf 'record case %d 1 1795770000 pat\n' $i
		printf 'field date 2025-01-0%d\n' $((i - 25))
		printf 'field office FRCDG01\nfield country FR\n'
		printf 'field direction EXP\nfield officer pat\n'
		i=$((i + 1))
	done
} >"$T/cases.dump"
ok "thirty cases" ncenctl -d "$X" load "$T/cases.dump"
ncenctl -d "$X" user add olga --roles officer >/dev/null ||
	{ echo "Bail out! user add failed"; exit 1; }

# Lines 3..22 of the screen: the rows of the list.
# The rows of the list, without the selection's marker in column 0.
rows() { sed -n '3,22p' "$T/out" | cut -c2- | grep -v '^ *$'; }
nopat() { ! grep -q "2025-01-0" "$T/out"; }

ui_start o -- ncen -d "$X" --as olga --idle 0
ui_wait o "Main menu" >/dev/null
ui_keys o c
ui_see o "her list counts her 25 cases, two pages" "Cases (25)   by Date of the event, newest first   page 1/2"
# The title is drawn first: wait for the last row, and the key line.
ui_wait o "2026-11-06" >/dev/null
ui_wait o "^T Sort" >/dev/null
nopat
tap_result $? "none of Pat's cases on page 1"
first=$(rows | head -1)
case $first in *2026-11-25*) r=0 ;; *) r=1 ;; esac
tap_result $r "sorted by date: her latest first ($first)"
[ "$(rows | wc -l)" -eq 20 ]
tap_result $? "a full page of 20 rows"

ui_keys o NPage
ui_see o "PgDn: page 2 of 2" "page 2/2"
ui_wait o "2026-11-01" >/dev/null
[ "$(rows | wc -l)" -eq 5 ]
tap_result $? "five rows on page 2 (her last)"
nopat
tap_result $? "none of Pat's cases on page 2"
rows | tail -1 | grep -q "2026-11-01"
tap_result $? "her earliest case last"

# Number order: her cases by number, Pat's (26-30) not among them.
# ^T until number order (ui_wait counts with i: this loop with d).
d=0
while [ $d -lt 20 ] && ! ui_wait o "by number" 1 2>/dev/null; do
	ui_keys o C-t
	d=$((d + 1))
done
ui_see o "^T to number order" "by number, newest first"
ui_keys o End
ui_see o "End: her last page" "page 2/2"
ui_wait o "     1 " >/dev/null
rows | tail -1 | grep -q "^ *1 "
tap_result $? "case 1 ends her list by number"
nopat
tap_result $? "none of Pat's in number order"

# Back to date order and filter by typing: the scope stays.
ui_keys o C-x
ui_wait o "Main menu" >/dev/null
ui_keys o c
ui_wait o "Cases (25)" >/dev/null
ui_type o "2026-11-1"
ui_see o "the filter shows" "starts with): 2026-11-1_"
ui_wait o "2026-11-19" >/dev/null
ui_settle o		# the rows follow the typist's pause
[ "$(rows | wc -l)" -eq 10 ]
tap_result $? "ten of her cases from 2026-11-10 to 2026-11-19"
ui_keys o C-f
ui_see o "^F clears the filter" "Cases (25)   by Date of the event, newest first   page 1/2"
ui_wait o "2026-11-06" >/dev/null
! grep -q "starts with" "$T/out"
tap_result $? "no filter left"
nopat
tap_result $? "still none of Pat's cases after ^F"
[ "$(rows | wc -l)" -eq 20 ]
tap_result $? "a full page of her own again"
ui_type o "2025"
ui_see o "typing Pat's year" "starts with): 2025_"
ui_settle o
[ "$(rows | wc -l)" -eq 0 ]
tap_result $? "finds nothing of hers"
ui_keys o Escape Escape
ui_see o "ESC ESC goes back from a filtered list" "Main menu"
ui_keys o c
ui_see o "the list opens again without the filter" \
    "Cases (25)   by Date of the event, newest first   page 1/2"
nopat
tap_result $? "still none of Pat's cases"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null

# A case nobody owns is hers too: listed, with Pat's still out.
printf '%s\n' 'ncen-dump 1' 'record case 31 1 1795770000 nobody' \
	'field date 2024-06-01' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' >"$T/nobody.dump"
ok "a case with no officer" ncenctl -d "$X" load "$T/nobody.dump"
ui_keys o c
ui_wait o "Cases (26)" >/dev/null
ui_keys o End
ui_see o "her list has it, oldest, on the last page" "2024-06-01"
nopat
tap_result $? "and none of Pat's cases"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null
ui_keys o C-x
ui_gone o
tap_result $? "she signs out"

ok "the data directory verifies (kept counts included)" ncenctl -d "$X" verify
finish
