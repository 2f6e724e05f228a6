#!/bin/sh
# tests/ui-retention.sh - Retention review in ncen: only supervisors see
# it on the main menu; it lists what is due (the clock moved eleven
# years on with NCEN_RETENTION_NOW); a "no" changes nothing; applying to
# the selected record anonymises it, applying to all takes the rest;
# the database and the audit log are checked afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "cases" ncenctl -d "$X" load "$top_srcdir/tests/fixtures/ctl/small.dump"
day_ago=$(($(date +%s) - 86400))
printf '%s\n' 'ncen-dump 1' "record person 3 1 $day_ago carol" \
	'field family_name ALONE' >"$T/p3.dump"
ok "a person linked to nothing" ncenctl -d "$X" load "$T/p3.dump"
ok "accounts" sh -c "ncenctl -d '$X' user add alice --roles officer &&
	ncenctl -d '$X' user add sue --roles supervisor"
ok "case 1 closed" sh -c "ncenctl -d '$X' case submit 1 --as alice &&
	ncenctl -d '$X' case validate 1 --as sue &&
	ncenctl -d '$X' case close 1 --as sue"
later=$(date -u -d "+11 years" +%Y-%m-%dT%H:%M:%S)

ui_start O -e "NCEN_RETENTION_NOW=$later" -- ncen -d "$X" --as alice
ui_see O "the officer's menu" "m  Messages"
cp "$T/out" "$T/officer"
ok "has no Retention review" sh -c "! grep -q 'Retention review' '$T/officer'"
ui_keys O r
ui_settle O
cp "$T/out" "$T/officer"
ok "and r opens nothing" grep -q "Main menu" "$T/officer"
ui_keys O C-x
ui_gone O
tap_result $? "the officer signs out"

ui_start S -e "NCEN_RETENTION_NOW=$later" -- ncen -d "$X" --as sue
ui_see S "the supervisor's menu offers it" "r  Retention review"
ui_keys S r
ui_see S "four records are due" "Retention review (4 due)"
ui_settle S
cp "$T/out" "$T/list"
ok "person 1, the first, is selected" grep -q "^> Person 1 *anonymise *last case closed" "$T/list"
ok "person 3, linked to nothing" grep -q "Person 3 *anonymise *no case, last changed" "$T/list"
ok "seizure 1 with its case" grep -q "Seizure 1 *delete *last case closed" "$T/list"
ok "case 1 last" sh -c "grep -n 'Case 1 *delete' '$T/list' | grep -q '^6:'"
ok "person 2, kept by case 2, is not listed" sh -c "! grep -q 'Person 2' '$T/list'"
ok "the key line" grep -q "Actions" "$T/list"

ok "the database before" ncenctl -d "$X" dump -o "$T/before"
ui_keys S C-a
ui_see S "^A asks what to apply to" "Apply to the selected record"
ui_keys S Enter
ui_see S "and asks before anonymising" "Anonymise Person 1 now? It cannot be undone."
ui_type S n
ui_see S "no: the list is as it was" "Retention review (4 due)"
ok "the database after no" ncenctl -d "$X" dump -o "$T/no"
ok "nothing changed" cmp "$T/before" "$T/no"

ui_keys S C-a
ui_wait S "Apply to the selected record" >/dev/null
ui_keys S Enter
ui_wait S "Anonymise Person 1 now?" >/dev/null
ui_type S y
ui_see S "yes: person 1 is anonymised" "Person 1 anonymised."
ui_see S "three are left" "Retention review (3 due)"
ok "ncenctl dump" ncenctl -d "$X" dump -o "$T/one" person
ok "person 1 is anonymised in the database" sh -c "sed -n '/^record person 1 /,/^record/p' '$T/one' >'$T/p1' &&
	grep -q 'field family_name ANONYMISED' '$T/p1' &&
	grep -q 'field nationality BR' '$T/p1' &&
	! grep -q 'Dupont\|given_names\|birth_date' '$T/p1'"
ok "person 3 is not yet" grep -q "field family_name ALONE" "$T/one"

ui_keys S C-a
ui_wait S "Apply to every record listed" >/dev/null
ui_keys S Down Enter
ui_see S "and asks before applying to all" "Apply retention to the 3 records listed?"
ui_type S y
ui_see S "all three applied" "3 applied, 0 left as they were."
ui_see S "nothing is due now" "Nothing is due"
has "the title says so" "Retention review (0 due)"
ui_keys S C-x
ui_wait S "Main menu" >/dev/null
ui_keys S C-x
ui_gone S
tap_result $? "the supervisor signs out"

ok "the database afterwards" ncenctl -d "$X" dump -o "$T/after"
ok "case 1 and its seizure are gone" sh -c "! grep -q '^record case 1 \|^record seizure 1 ' '$T/after'"
ok "case 2 and its seizure stay" sh -c "grep -q '^record case 2 ' '$T/after' &&
	grep -q '^record seizure 2 ' '$T/after'"
ok "person 3 is anonymised" sh -c "sed -n '/^record person 3 /,/^record/p' '$T/after' | grep -q 'family_name ANONYMISED'"
ok "person 2 is as it was" grep -q "field family_name O'Brien" "$T/after"
ok "the audit log" ncenctl -d "$X" audit show --action retention. --user sue
has "the case's deletion among them" "retention.delete case:1"
ok "has four entries by sue" test "$(grep -c retention "$T/out")" -eq 4
ok "audit verify" ncenctl -d "$X" audit verify
has "the chain is intact" "the chain is intact"

finish
