#!/bin/sh
# tests/ui-form.sh - the create/edit form and the code picker in tmux:
# a person made from the Persons list (^N) with a Cyrillic name, a date,
# a country picked with ^P and filter typing, a nationality typed as its
# label and a second one added with ^Y; saved, found by ncenctl export;
# edited from its view (^E), saved again: version 2.  A new case gets
# its status and officer from the system (shown, not typed), and a field
# left keeps a draft until the form is saved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

D=$T/data
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 10 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }
persons=$(ncenctl -d "$D" stats | awk '$1 == "person" { print $2 }')
new=$((persons + 1))

ui_start F -e NCEN_HOME="$D" -- ncen --as alice
ui_see F "the main menu" "Main menu"
ui_keys F p
# Alice has no case yet: need to know shows her none of the demo's.
ui_see F "the persons list, empty for an officer in no case" "Persons (0)"
ui_keys F C-n
ui_see F "^N opens a new person's form" "New Person"
ui_see F "the first field's label, from the form file" "Family name"
ui_see F "its help on the status line" "Family name: text, at most 80"

ui_type F "Дюпон"
ui_keys F Tab
ui_type F "Jean"
ui_keys F Tab Tab
ui_see F "the date's help from the form file" "Date of birth: YYYY-MM-DD."
ui_type F "1980-02-28"
ui_keys F Tab
ui_type F "Lyon"
ui_keys F Tab
ui_see F "the country field's help" "Country of birth: ISO 3166-1"
ui_keys F C-p
ui_see F "^P opens the country picker" "Pick a code: list country"
ui_see F "all the countries to start with" "of 249 codes"
ui_type F "fran"
ui_see F "typing filters the list" "1 of 249 codes; Enter chooses FR"
ui_keys F Enter
ui_see F "the code is in the field, its label beside it" "FR     ] France"
ui_keys F Tab
ui_type F "1"
ui_keys F Tab
ui_see F "the sex code's label" "Male"
ui_type F "algeria"
ui_keys F C-y
ui_see F "a label typed becomes its code" "DZ     ] Algeria"
ui_type F "MA"
ui_keys F Tab
ui_see F "^Y added a second nationality" "MA     ] Morocco"
ui_keys F C-w
ui_see F "^W saves and the view shows the person" "Person $new, version 1"

ncenctl -d "$D" export person >"$T/out" 2>&1
has "export has the person as typed, codes canonical" \
	"$new,Дюпон,Jean,,1980-02-28,Lyon,FR,1,DZ;MA,"

ui_keys F C-e
ui_see F "^E opens the form on the stored version" "Person $new, version 1"
ui_see F "the values are in the inputs" "Дюпон"
ui_keys F Tab End
ui_type F "-Pierre"
ui_keys F C-w
ui_see F "saved again: version 2" "Person $new, version 2"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "the edit is stored" "$new,Дюпон,Jean-Pierre,,1980-02-28,Lyon,FR,1,DZ;MA,"
ncenctl -d "$D" dump >"$T/out" 2>&1
has "the dump says version 2, changed by alice" "record person $new 2 "
ncenctl -d "$D" audit show >"$T/out" 2>&1
has "the creation is audited" "alice record.create person:$new version 1"
has "the update is audited" "alice record.update person:$new"

# Two officers on the same record: the later save is refused in words.
ui_keys F C-e
ui_see F "the form again, on version 2" "Person $new, version 2"
ui_start G -e NCEN_HOME="$D" -- ncen --as alice
ui_see G "a second session" "Main menu"
ui_keys G p
ui_see G "its persons list" "Persons ("
ui_type G "Дюп"
ui_see G "filtered to the person" "Jean-Pierre"
ui_keys G Enter
ui_see G "its view" "Person $new, version 2"
ui_keys G C-e
ui_see G "its form" "Given names[Jean-Pierre"
ui_keys G End
ui_type G " II"
ui_keys G C-w
ui_see G "the second session saves first: version 3" "Person $new, version 3"
ui_keys F Tab End
ui_type F " Junior"
ui_keys F C-w
ui_see F "the first is refused: who changed it, and the version" \
	"Not saved: alice changed it at"
ui_see F "and asked whether to put its changes on the new version" \
	"Put your changes on version 3? (y/n)"
ui_keys F n
ui_see F "no: the refusal stays on the status line" \
	"(version 3); your typing is kept"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "the other officer's change stands" "$new,Дюпон II,Jean-Pierre,"
ui_keys F C-w
ui_see F "^W again: asked again" "Put your changes on version 3? (y/n)"
ui_keys F y
ui_see F "yes: the form is on version 3" "Person $new, version 3"
ui_see F "with the other officer's family name" "Family name[Дюпон II"
ui_see F "and this officer's given names" "Given names[Jean-Pierre Junior"
ui_keys F C-w
ui_see F "saved on top: version 4" "Person $new, version 4"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "both changes are stored, none lost" "$new,Дюпон II,Jean-Pierre Junior,"

# A new case: status and officer are the system's, shown read-only.
ui_keys F C-x
ui_see F "back in the list" "Persons ("
ui_keys F C-x
ui_see F "back in the main menu" "Main menu"
ui_keys F c
ui_see F "the cases list" "Cases ("
ui_keys F C-n
ui_see F "a new case's form" "New Case"
ui_see F "its status is draft, set by the system" "Status Draft"
ui_see F "its officer is the one signed in" "Reporting officer alice"
ui_type F "2026-11-20"
ui_keys F Tab
ui_see F "the date went in; the cursor moved on" "Time of the event:"
ncenctl -d "$D" dump >"$T/out" 2>&1
check_nocase() { ! grep -q "^field date 2026-11-20" "$T/out"; }
ok "nothing stored before ^W" check_nocase
if command -v db5.3_dump >/dev/null 2>&1; then
	db5.3_dump -p -h "$D" drafts.db >"$T/out" 2>&1
	has "the field left is kept in a draft" 'alice\00case\00'
fi
ui_keys F C-g
ui_see F "^G shows the form's help" "Help: Case form"
ui_see F "it lists the fields" "Date of the event: a date YYYY-MM-DD, required"
ui_keys F C-x
ui_see F "back in the form" "New Case"
ui_keys F C-x
ui_see F "going back asks about the draft" "Keep what you typed as a draft"
ui_keys F n
ui_see F "back in the cases list" "Cases ("
if command -v db5.3_dump >/dev/null 2>&1; then
	db5.3_dump -p -h "$D" drafts.db >"$T/out" 2>&1
	check_nodraft() { ! grep -q 'alice\\00case' "$T/out"; }
	ok "no draft kept when the officer says no" check_nodraft
fi

finish
