#!/bin/sh
# tests/ui-conflict.sh - two officers on the same case: the one who saw
# an older version gets the conflict message in words, and nothing of
# the other's work is overwritten (checked in the database afterwards).
#
# A and B open the same draft case.  B changes it (^E, the place, ^W).
# A then submits from the version it read: refused, "was changed by
# olga"; A's screen reads the case again and shows B's place.  B changes
# it once more; A's ^E is refused the same way before any form opens.
# Last, A opens the form and B saves first: A's ^W is refused.  B runs
# on xterm-256color, A on vt100.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "officer ivan" ncenctl -d "$X" user add ivan --roles officer
ok "officer olga" ncenctl -d "$X" user add olga --roles officer
# A complete draft case with no reporting officer: both may edit it.
cat >"$T/case.csv" <<'EOF'
number,date,office,country,place,direction
FR-CDG01-2026-000042,2026-11-20,FRCDG01,FR,Quai A,IMP
EOF
ok "a draft case" ncenctl -d "$X" import case "$T/case.csv"

# Open case 1 from the main menu: Cases, then Enter on its row.
open_case() {
	ui_start "$1" -t "$3" -- ncen -d "$X" --as "$2"
	ui_wait "$1" "Cases" >/dev/null
	ui_keys "$1" c
	ui_wait "$1" "FR-CDG01-2026-000042" >/dev/null
	ui_keys "$1" Enter
	ui_see "$1" "$2 sees the case screen" "Seizures (0)"
}

# Change the place in the case's form: ^E, the place field, ^W.
edit_place() {
	ui_keys "$1" C-e
	ui_wait "$1" "Place of the event" >/dev/null
	place_field "$1"
	ui_type "$1" "$2"
	ui_keys "$1" C-w
	ui_see "$1" "$3" "Place of the event: $2"
}

# Move to the place field and empty it (^U).  The form starts on the
# first field typed (the date: number and status are the system's);
# then time, offset, office, country, place.
place_field() {
	ui_keys "$1" Down Down Down Down Down
	ui_keys "$1" C-u
}

open_case A ivan vt100
ui_see A "A: the place as read" "Place of the event: Quai A"
open_case B olga xterm-256color
ui_see B "B: the same" "Place of the event: Quai A"

edit_place B "Quai B" "B's change is saved and shown"

# A submits from version 1: refused, with who changed it.
ui_keys A C-a
ui_wait A "Submit" >/dev/null
ui_keys A Enter
ui_see A "A's submit is refused: changed by olga" "was changed by olga"
ui_see A "A's screen now shows B's place" "Place of the event: Quai B"
ui_see A "and the case is still a draft" "Status: Draft"

edit_place B "Quai C" "B changes it again"
ui_keys A C-e
ui_see A "A's edit is refused before any form opens" \
	"Case 1 was changed by olga at"
ui_see A "and A sees the new place" "Place of the event: Quai C"

# A opens the form on version 3; B saves version 4 meanwhile; A's save
# is refused by the store, in words, and A's typing is not written.
ui_keys A C-e
ui_wait A "Place of the event" >/dev/null
place_field A
ui_type A "Quai A2"
edit_place B "Quai D" "B saves while A's form is open"
ui_keys A C-w
ui_see A "A's save from the older version is refused" "olga changed it"
ui_wait A "Put your changes on version 4?" >/dev/null
ui_keys A n		# no: leave B's version as it is
ui_keys A C-x
ui_wait A "as a draft" >/dev/null
ui_keys A n
ui_see A "A, back on the case screen, sees B's place" \
	"Place of the event: Quai D"

ui_keys A C-x C-x C-x
ui_gone A
tap_result $? "A signs out"
ui_keys B C-x C-x C-x
ui_gone B
tap_result $? "B signs out"

ok "the database" ncenctl -d "$X" export case
has "keeps B's place" "Quai D"
grep -q "Quai A" "$T/out"
[ $? -ne 0 ]; tap_result $? "A's old place is not written back"
grep -q "submitted" "$T/out"
[ $? -ne 0 ]; tap_result $? "the refused submit changed nothing"
ok "the audit log" ncenctl -d "$X" audit show --record case:1
has "names olga's updates" "olga record.update case:1"
grep -q "ivan record.update\|ivan workflow" "$T/out"
[ $? -ne 0 ]; tap_result $? "and none by ivan"
finish
