#!/bin/sh
# ui-dups.sh - a new person that one stored probably is: ncen asks
# before saving (tmux, 80x24, vt100).  The candidates show; Enter on
# one opens it; Back returns to the form with the typing kept and
# nothing saved; "Save it as a new record" saves.  An officer is told
# of a candidate she may not see without its values.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/search
X=$T/data

ok "init" ncenctl -d "$X" init --forms "$F"
ok "import the test set" ncenctl -d "$X" import person "$FX/persons.csv"
ok "a supervisor" ncenctl -d "$X" user add --roles supervisor sup
persons() { ncenctl -d "$X" export person | wc -l; }
before=$(persons)
same() { [ "$(persons)" -eq "$before" ]; }

# A new person typed as a French passport would spell person 1.
new_person() {
	ui_keys "$1" C-n
	ui_see "$1" "$2: a new person" "New Person"
	ui_type "$1" "Kouznetsov"
	ui_keys "$1" Tab
	ui_type "$1" "Dmitri"
	ui_keys "$1" Tab Tab
	ui_type "$1" "1997-10-23"
	ui_keys "$1" Tab
	ui_keys "$1" C-w
}

ui_start S -- ncen -d "$X" --as sup --idle 0
ui_see S "the main menu" "Main menu"
ui_keys S p
ui_see S "the Persons list" "by Family name"
new_person S sup
ui_see S "^W asks first: probably recorded already" \
    "Probably recorded already:"
ui_see S "person 1 is the candidate, by its names" "Person 1  Кузнецов"
ui_see S "saving anyway is offered" "Save it as a new record all the same"
ok "nothing is saved while it asks" same
ui_keys S C-x
ui_see S "Back returns to the form" "New Person"
ui_see S "with the typing kept" "Kouznetsov"
ok "nothing was saved" same
ui_keys S C-w
ui_see S "asked again" "Probably recorded already:"
ui_keys S 1
ui_see S "1 opens the candidate" "Person 1, version 1"
ui_keys S C-x
ui_see S "back to the question" "Probably recorded already:"
ui_keys S 2
ui_see S "2 saves it all the same: the new person opens" "Family name: Kouznetsov"
one_more() { [ "$(persons)" -eq $((before + 1)) ]; }
ok "one person more" one_more
ui_keys S C-x C-x C-x
ui_gone S; tap_result $? "the supervisor's ncen ends"

# An officer: the candidates are another officer's or in no case; she
# is told so, without their names.
ok "an officer" ncenctl -d "$X" user add --roles officer olga
before=$(persons)
ui_start O -- ncen -d "$X" --as olga --idle 0
ui_see O "the officer's menu" "Main menu"
ui_keys O p
ui_see O "her Persons list" "by Family name"
new_person O olga
ui_see O "she is asked too" "Probably recorded already:"
ui_see O "the candidate is named without its values" \
    "Person 1 (another officer's)"
! grep -q "Кузнецов" "$T/out"
tap_result $? "and without its name"
ui_keys O 1
ui_see O "opening it is refused in words" "Your roles may not see"
ui_keys O C-x
ui_see O "back to her form" "New Person"
ok "nothing saved" same
ui_keys O C-x
ui_see O "leaving asks about the typing" "as a draft"
ui_keys O n
ui_keys O C-x C-x
ui_gone O; tap_result $? "the officer's ncen ends"

ok "showing the candidate is audited" ncenctl -d "$X" audit show \
    --action view.nominal
has "as a probable duplicate" "ncen showed it as a probable duplicate"
ok "the data directory verifies" ncenctl -d "$X" verify
finish
