#!/bin/sh
# tests/ui-outcome.sh - a case followed to its end in ncen, driven in
# tmux: the supervisor records its offence (picked from the list), the
# legal provision, the court's outcome with its date and authority, the
# penalty and the fine; the case screen shows them in words and the
# database holds the codes.  An outcome that is not in its list is
# refused on the status line and the database is unchanged.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
ok "a supervisor" ncenctl -d "$X" user add sue --roles supervisor
printf '%s\n' 'date,office,country,direction' '2026-10-01,FRCDG01,FR,IMP' \
	>"$T/case.csv"
ok "a case" ncenctl -d "$X" import case "$T/case.csv"

# Down until the status line shows the help of FIELD (its label first).
to_field() {
	d=0	# ui_wait counts with i
	while [ $d -lt 30 ] && ! ui_wait S "$1" 1 2>/dev/null; do
		ui_keys S Down
		d=$((d + 1))
	done
}

ui_start S -- ncen -d "$X" --as sue --idle 0
ui_wait S "Main menu" >/dev/null
ui_keys S c
ui_wait S "Cases (1)" >/dev/null
ui_keys S Enter
ui_wait S "Case FR-CDG01-2026-000001" >/dev/null
ui_keys S C-e
ui_wait S "Offences[" >/dev/null
to_field "Offences: The offences found"
ui_keys S C-p
ui_see S "the offence is picked from its list" "Pick a code: list offence"
ui_type S "narcotic"
ui_keys S Enter
ui_wait S "Offences[DRUGS" >/dev/null
ui_keys S Down
ui_type S "PC-222-36"
ui_keys S Down
ui_type S "CONVICTED"
ui_keys S Down
ui_type S "2027-03-15"
ui_keys S Down
ui_type S "Tribunal (example) of Bobigny"
ui_keys S Down
ui_type S "FINE"
ui_keys S Down
ui_type S "1500.00"
to_field "Currency of the fine:"
ui_type S "EUR"
ui_keys S C-w
ui_see S "saved: the case screen shows the outcome in words" \
	"Outcome: Convicted by the court"
has "with its date" "Outcome on: 2027-03-15"
has "and who decided" "Court or authority: Tribunal (example) of Bobigny"
has "the penalty" "Penalties: Fine"
has "the fine" "Fine or settlement amount: 1500.00"
has "the offence in words" "Offences: Import or export of narcotic drugs"
has "the provision" "Legal provisions: PC-222-36"
ok "the database" ncenctl -d "$X" dump case
has "holds the offence" "field offence DRUGS"
has "the provision" "field provision PC-222-36"
has "the outcome" "field outcome CONVICTED"
has "its date" "field outcome_date 2027-03-15"
has "the penalty" "field penalty FINE"
has "the fine and its currency" "field fine_currency EUR"

# An outcome not in the list: refused, nothing changed.
ncenctl -d "$X" dump -o "$T/before" || exit 1
ui_keys S C-e
ui_wait S "Offences[" >/dev/null
to_field "Outcome: Where the case ended"
ui_keys S C-d
ui_type S "GUILTY"
ui_keys S C-w
ui_see S "refused on the status line" "'GUILTY' is not a code of list outcome"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"
finish
