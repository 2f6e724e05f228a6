#!/bin/sh
# tests/ui-merge.sh - "Merge into another record" on a person's view in
# ncen: an officer's key line has no Actions and ^A does nothing; a
# supervisor picks the record to keep, reads what will move, and a "no"
# changes nothing; while an officer has an unsaved draft of the record
# to keep the merge is refused; then "yes": person 2 is gone, its name
# is an alias of person 1, its links are person 1's, and it is audited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "cases" ncenctl -d "$X" load "$top_srcdir/tests/fixtures/ctl/small.dump"
ok "accounts" sh -c "ncenctl -d '$X' user add alice --roles officer &&
	ncenctl -d '$X' user add sue --roles supervisor"

# The officer sees person 2 (a witness of her case 1) but may not merge.
ui_start O -- ncen -d "$X" --as alice
ui_see O "the officer's menu" "Main menu"
ui_keys O p
ui_see O "her persons" "Persons (2)"
ui_keys O Down Enter
ui_see O "person 2" "Person 2, version 1"
ui_settle O
cp "$T/out" "$T/officer"
ok "her key line has no Actions" sh -c "! grep -q 'Actions' '$T/officer'"
ui_keys O C-a
ui_settle O
cp "$T/out" "$T/officer"
ok "and ^A offers nothing" sh -c "! grep -q 'Merge into' '$T/officer' &&
	grep -q 'Person 2, version 1' '$T/officer'"
ui_keys O C-x
ui_see O "back to her persons" "Persons (2)"

ui_start S -- ncen -d "$X" --as sue
ui_see S "the supervisor's menu" "Main menu"
ui_keys S p
ui_see S "the persons" "Persons (2)"
ui_keys S Down Enter
ui_see S "person 2" "Person 2, version 1"
ui_see S "her key line offers Actions" "^A Actions"
ok "the database before" ncenctl -d "$X" dump -o "$T/before"
ui_keys S C-a
ui_see S "^A offers the merge" "Merge into another record..."
ui_keys S Enter
ui_see S "a list to pick the record to keep" "Merge Person 2 into which record?"
ui_keys S Enter
ui_see S "what will move" "Person 2 will be merged into Person 1, then deleted."
ui_screen S
cp "$T/out" "$T/plan"
ok "its name as an alias" grep -qF "'O'Brien Seán" "$T/plan"
ok "its links" sh -c "grep -q 'link OFFENDER case 2 -> moved' '$T/plan' &&
	grep -q 'link WITNESS case 1 -> moved' '$T/plan'"
ui_keys S C-x
ui_see S "then asks" "Merge Person 2 into Person 1 and delete it? (y/n)"
ui_type S n
ui_see S "no" "Not merged."
ok "the database after no" ncenctl -d "$X" dump -o "$T/no"
ok "nothing changed" cmp "$T/before" "$T/no"

# The officer starts editing person 1 and leaves a field: a draft.
ui_keys O Up Enter
ui_see O "person 1" "Person 1, version 1"
ui_keys O C-e
ui_see O "the form" "Family name"
ui_keys O End
ui_type O "X"
ui_keys O Tab
ui_settle O
ui_keys S C-a
ui_see S "^A again" "Merge into another record..."
ui_keys S Enter
ui_see S "the list again" "Merge Person 2 into which record?"
ui_keys S Enter
ui_see S "refused while person 1 is being edited" "person 1 is being edited by alice"
ok "the database after the refusal" ncenctl -d "$X" dump -o "$T/refused"
ok "nothing changed" cmp "$T/before" "$T/refused"
ui_keys O C-w
ui_see O "the officer saves" "Person 1, version 2"
ui_keys O C-x
ui_keys O C-x
ui_keys O C-x
ui_gone O
tap_result $? "the officer signs out"

ui_keys S C-a
ui_see S "^A once more" "Merge into another record..."
ui_keys S Enter
ui_see S "the list once more" "Merge Person 2 into which record?"
ui_keys S Enter
ui_see S "what will move, again" "Person 2 will be merged into Person 1, then deleted."
ui_keys S C-x
ui_see S "the question" "Merge Person 2 into Person 1 and delete it? (y/n)"
ui_type S y
ui_see S "person 1 is shown, changed" "Person 1, version 3"
ui_see S "with the alias" "Aliases: Le Chat; Ж. Дюпон; O'Brien Seán"
ui_see S "and three links" "Linked records (3):"
ui_keys S C-x
ui_see S "back to the list: one person" "Persons (1)"
ui_keys S C-x C-x
ui_gone S
tap_result $? "the supervisor signs out"

ok "the database after yes" ncenctl -d "$X" dump -o "$T/yes"
ok "person 2 is gone" sh -c "! grep -q '^record person 2 ' '$T/yes'"
ok "its links are person 1's" sh -c "grep -qx 'link case 1 person 1 WITNESS' '$T/yes' &&
	grep -qx 'link case 2 person 1 OFFENDER' '$T/yes'"
ok "the officer's edit is kept" grep -q "field family_name Dupont-ÉléonoreX" "$T/yes"
ok "the audit log" ncenctl -d "$X" audit show --action record.merge --user sue
has "names both records" "sue record.merge person:2 into person:1"
ok "the audit chain holds" ncenctl -d "$X" audit verify

finish
