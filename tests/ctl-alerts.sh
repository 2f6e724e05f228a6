#!/bin/sh
# ctl-alerts.sh - ncenctl watch, rules and alerts: watch entries meet
# cases through the search keys (Latin and Cyrillic, numbers with or
# without separators, a date of birth that differs), rules with
# conditions and counts (the third case of an owner in 90 days and not
# the second; one person in two offices), a bad rules file refused with
# FILE:LINE:COL and nothing changed, the retro-hunt, each alert raised
# once, decisions, need to know, and a received partner case checked.
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/x
R=$top_srcdir/tests/fixtures/alerts
ok "init" ncenctl -d "$X" init --forms "$F"
ok "accounts" sh -c "ncenctl -d '$X' user add ann --roles analyst &&
	ncenctl -d '$X' user add bob --roles officer &&
	ncenctl -d '$X' user add carl --roles analyst"

# A dump of records and links: rec ENTITY ID FIELD=VALUE... | link ...
dump() {
	echo 'ncen-dump 1'
	for line in "$@"; do echo "$line"; done
}
kase() {	# ID DATE OFFICE: a case of bob's
	printf '%s\n' "record case $1 1 1795770000 bob" 'field status draft' \
		"field date $2" "field office $3" 'field country FR' \
		'field direction IMP' 'field officer bob'
}

# 1. Watch entries, by name (with and without date of birth) and number.
ok "a person in Latin letters, born 1980-03-02" ncenctl -d "$X" watch add \
	--kind PERSON --name Kuznetsov --born 1980-03-02 --owner ann \
	--reason "Wanted for smuggling"
has "its id" "watch:1"
ok "a business" ncenctl -d "$X" watch add --kind BUSINESS \
	--name "Atlas Freight" --owner ann --reason "Under investigation"
ok "a container number with spaces" ncenctl -d "$X" watch add \
	--kind CONTAINER --number "MSKU 123456-7" --owner carl \
	--reason "Reported by a partner"
ok "an expired plate" ncenctl -d "$X" watch add --kind PLATE \
	--number AB-123-CD --owner ann --reason "Old lead" --until 2001-01-01
fails_with 2 "a watch entry without a reason" ncenctl -d "$X" watch add \
	--kind PERSON --name Nobody --owner ann
has "says what is needed" "add needs --kind, --reason, --owner"
fails_with 2 "a kind that is not one" ncenctl -d "$X" watch add \
	--kind SHIP --name X --owner ann --reason r
has "names the option" "--kind"
ok "the list" ncenctl -d "$X" watch list
ok "four entries" test "$(wc -l <"$T/out")" -eq 4

{
	dump
	kase 1 2026-06-01 FRCDG01
	printf '%s\n' 'record person 1 1 1795770000 bob' \
		'field family_name Кузнецов' 'field given_names Дмитрий' \
		'field birth_date 1980-03-02' 'link case 1 person 1 COURIER'
	kase 2 2026-06-02 FRCDG01
	printf '%s\n' 'record person 2 1 1795770000 bob' \
		'field family_name Kouznetsov' 'field birth_date 1975-01-01' \
		'link case 2 person 2 SUSPECT'
	kase 3 2026-06-03 FRMRS01
	printf '%s\n' 'record conveyance 1 1 1795770000 bob' \
		'field kind CONTAINER' 'field container MSKU1234567' \
		'field plate AB123CD' 'link case 3 conveyance 1 OTHER' \
		'record business 1 1 1795770000 bob' \
		'field name ATLAS FREIGHT SARL' 'link case 3 business 1 OWNER'
} >"$T/w.dump"
ok "three cases" ncenctl -d "$X" load "$T/w.dump"
ok "they wait to be checked" ncenctl -d "$X" alerts pending
has "three cases" "3 cases waiting"
ok "checked" ncenctl -d "$X" alerts check
has "all three, three alerts" "3 cases checked, 3 alerts raised, 0 cases waiting"
ncenctl -d "$X" alerts list >"$T/list"
ok "Кузнецов in case 1 meets Kuznetsov" grep -q "	NEW	1	watch:1	ann	" \
	"$T/list"
ok "why: the name and the date of birth" grep -q \
	"person:1: name Kuznetsov, born 1980-03-02" "$T/list"
ok "Kouznetsov born on another day does not" sh -c \
	"! grep -q '	2	watch:1' '$T/list'"
ok "the business by its name" grep -q "	3	watch:2	ann	" "$T/list"
ok "the container by its number" grep -q "	3	watch:3	carl	" "$T/list"
ok "not the expired plate" sh -c "! grep -q 'watch:4' '$T/list'"
ok "check again: nothing new" ncenctl -d "$X" alerts check
has "nothing waiting" "0 cases checked, 0 alerts raised, 0 cases waiting"

# 2. Rules: a bad file is refused where it is wrong, and changes nothing.
ncenctl -d "$X" dump -o "$T/before" 2>/dev/null
bad() {	# NAME WHERE MESSAGE TEXT
	printf "$4" >"$T/bad.rules"
	fails_with 1 "$1: check refuses it" ncenctl -d "$X" rules check \
		"$T/bad.rules"
	has "$1: at $2" "$T/bad.rules:$2: $3"
	fails_with 1 "$1: install refuses it" ncenctl -d "$X" rules install \
		"$T/bad.rules"
	ok "$1: no rules file made" test ! -e "$X/alert.rules"
}
bad "no language line" 1:1 "expected the language line 'ncen-rules 1'" \
	'rule a\n'
bad "a field the form lacks" 4:13 "form 'case' has no field 'ofice'" \
	'ncen-rules 1\nrule a\n  title "t"\n  when case.ofice = FRCDG01\n'
bad "a code not in the list" 4:22 "'NOWHERE' is not a code of list 'office'" \
	'ncen-rules 1\nrule a\n  title "t"\n  when case.office = NOWHERE\n'
bad "a comparison on a code" 4:20 "'>=' compares numbers and dates" \
	'ncen-rules 1\nrule a\n  title "t"\n  when case.office >= 3\n'
bad "a count of one" 4:9 "expected how many (2 to 10000), found '1'" \
	'ncen-rules 1\nrule a\n  title "t"\n  count 1 by person\n'
bad "a rule without condition" 2:6 "rule 'a' has no 'when' or 'count' line" \
	'ncen-rules 1\nrule a\n  title "t"\n'
bad "a rule twice" 5:6 "rule 'a' is defined twice (first at line 2)" \
	'ncen-rules 1\nrule a\n  title "t"\n  count 2 by person\nrule a\n'
bad "an unknown line" 4:3 "expected 'rule', 'title', 'notify', 'when' or 'count', found 'whenever'" \
	'ncen-rules 1\nrule a\n  title "t"\n  whenever\n'
bad "a role not in the list" 3:26 "'BOSS' is not a code of list 'role'" \
	'ncen-rules 1\nrule a\n  count 2 by person role BOSS\n  title "t"\n'
ncenctl -d "$X" dump -o "$T/after" 2>/dev/null
ok "the bad files changed nothing in the database" cmp "$T/before" "$T/after"

ok "the sample rules check" ncenctl -d "$X" rules check "$R/sample.rules"
has "three rules" "3 rules: no problems found"
ok "installed" ncenctl -d "$X" rules install "$R/sample.rules"
ok "the file is the data directory's" cmp "$R/sample.rules" "$X/alert.rules"
ok "audited" sh -c "ncenctl -d '$X' audit show --action rules.install |
	grep -q '3 rules, sha256'"
ok "a bad file after a good one" sh -c "! ncenctl -d '$X' rules install \
	'$T/bad.rules' 2>/dev/null"
ok "leaves the good one" cmp "$R/sample.rules" "$X/alert.rules"
ok "rules list" ncenctl -d "$X" rules list
has "names each with who is told" "person_2_offices	carl	Same person"

# 3. Counting: the owner's second case raises nothing, the third does.
printf '%s\n' 'ncen-dump 1' 'record business 2 1 1795770000 bob' \
	'field name Nordic Shipping' >"$T/b2.dump"
ok "an owner on no watch list" ncenctl -d "$X" load "$T/b2.dump"
own() {	# ID DATE: a case of business 2 as OWNER
	{ dump; kase "$1" "$2" FRCDG01
	  echo "link case $1 business 2 OWNER"; } >"$T/c$1.dump"
	ncenctl -d "$X" load "$T/c$1.dump" 2>/dev/null &&
	ncenctl -d "$X" alerts check
}
ok "the owner's first case" own 4 2026-02-15
has "no alert" "1 cases checked, 0 alerts raised"
ok "its second case" own 5 2026-04-01
has "no alert on the second" "1 cases checked, 0 alerts raised"
ok "its third case, 75 days after the first" own 6 2026-05-01
has "an alert on the third" "1 cases checked, 1 alerts raised"
ncenctl -d "$X" alerts list >"$T/list"
ok "the rule's alert names the case" grep -q \
	"	NEW	6	rule:owner_3_in_90	analyst	Same owner" "$T/list"
ok "and why" grep -q "business:2 in 3 cases within 90 days" "$T/list"
ok "not on the older cases" sh -c "! grep -q '	[45]	rule:' '$T/list'"
ok "a case 150 days after the third" own 8 2026-09-28
has "counts only the cases in its window" "1 cases checked, 0 alerts raised"

# 4. One person in cases of two offices; and a condition on seizures.
{
	dump; kase 7 2026-07-01 FRMRS01
	echo 'link case 7 person 1 SUSPECT'
	echo 'record seizure 1 1 1795770000 bob'
	printf '%s\n' 'field case 7' 'field commodity DRUG' \
		'field quantity 1' 'field unit KGM'
} >"$T/c7.dump"
ok "person 1 again, in another office" ncenctl -d "$X" load "$T/c7.dump"
ok "checked" ncenctl -d "$X" alerts check
ncenctl -d "$X" alerts list >"$T/list"
ok "two offices: carl is told" grep -q \
	"	7	rule:person_2_offices	carl	" "$T/list"
ok "1 kg at Marseille is not the airport rule" sh -c \
	"! grep -q 'drugs_at_cdg' '$T/list'"

# 5. Retro-hunt: a rule for cases that were there before it.
printf '%s\n' 'ncen-rules 1' 'rule marseille' '  title "Marseille cases"' \
	'  when case.office = FRMRS01' >"$T/new.rules"
ok "a new rule over the cases since June" ncenctl -d "$X" rules run \
	--file "$T/new.rules" --since 2026-06-01 --no-watch
has "the cases dated since then" "5 cases checked, 2 alerts raised"
ok "run again: nothing doubled" ncenctl -d "$X" rules run \
	--file "$T/new.rules" --since 2026-06-01
has "no alert twice" "5 cases checked, 0 alerts raised"
fails_with 2 "a rule that is not there" ncenctl -d "$X" rules run \
	--rule nosuch
has "says so" "no rule 'nosuch'"

# 6. Decisions and need to know.
id=$(ncenctl -d "$X" alerts list | awk -F'\t' '$5 == "watch:3" { print $1 }')
fails_with 1 "ann may not decide carl's alert" ncenctl -d "$X" alerts \
	decide "$id" SEEN --as ann
has "it is not hers" "is not for account 'ann'"
fails_with 1 "dismissing without a reason" ncenctl -d "$X" alerts decide \
	"$id" DISMISSED --as carl
has "a reason is needed" "a dismissed alert needs a reason"
ok "carl dismisses it" ncenctl -d "$X" alerts decide "$id" DISMISSED \
	--as carl --reason "Container since sold"
ok "alerts list --as bob (an officer)" ncenctl -d "$X" alerts list --as bob
ok "bob has none" test ! -s "$T/out"
ok "alerts list --as carl" ncenctl -d "$X" alerts list --as carl
has "his own" "Container since sold"
has "and his role's" "rule:owner_3_in_90"
ok "not ann's" sh -c "! grep -q 'watch:1' '$T/out'"

# 7. A change to a linked record puts its cases on the queue.
printf '%s\n' 'ncen-dump 1' 'record person 9 1 1795770000 bob' \
	'field family_name Smith' 'link case 2 person 9 WITNESS' >"$T/p9.dump"
ok "a new witness in case 2" ncenctl -d "$X" load "$T/p9.dump"
ok "case 2 waits to be checked" ncenctl -d "$X" alerts pending
has "one case" "1 cases waiting"

# 8. A partner's case, received in a batch carried by hand, is checked.
FR=$T/fr
URL=https://127.0.0.1:9/icomm
ok "FR and DE" sh -c "ncenctl -d '$FR' init --forms '$F' >/dev/null &&
	ncenctl -d '$FR' node init --id FR-NCEN --role national >/dev/null &&
	ncenctl -d '$X' node init --id DE-NCEN --role national >/dev/null"
ok "partners under an agreement" sh -c "
	ncenctl -d '$FR' partner add DE-NCEN --role national --url '$URL' \
		--cert '$X/node.crt' >/dev/null &&
	ncenctl -d '$FR' agreement add --partner DE-NCEN --dir out \
		--level partner --groups all --from 2020-01-01 --to 2099-12-31 \
		--basis 'Mutual assistance' >/dev/null &&
	ncenctl -d '$X' partner add FR-NCEN --role national --url '$URL' \
		--cert '$FR/node.crt' >/dev/null &&
	ncenctl -d '$X' agreement add --partner FR-NCEN --dir in \
		--level partner --groups all --from 2020-01-01 --to 2099-12-31 \
		--basis 'Mutual assistance' >/dev/null &&
	ncenctl -d '$FR' user add nina --roles ncp,supervisor,officer >/dev/null"
{
	dump; kase 1 2026-06-01 FRCDG01
	printf '%s\n' 'record person 1 1 1795770000 bob' \
		'field family_name КУЗНЕЦОВ' 'field birth_date 1980-03-02' \
		'link case 1 person 1 COURIER'
} >"$T/fr.dump"
ok "FR's case with Кузнецов" ncenctl -d "$FR" load "$T/fr.dump"
ok "submitted and validated" sh -c "ncenctl -d '$FR' case submit 1 \
	--as nina >/dev/null && ncenctl -d '$FR' case validate 1 --as nina"
ok "FR cites it to DE" ncen-icomm -d "$FR" message DE-NCEN --as nina \
	--subject "Courier" --cite case:1
ok "a batch carried by hand" ncen-icomm -d "$FR" pack DE-NCEN -o "$T/b.p7"
before=$(ncenctl -d "$X" alerts list | grep -c 'watch:1')
ok "DE receives it" ncen-icomm -d "$X" receive "$T/b.p7"
ok "nothing left waiting" ncenctl -d "$X" alerts pending
has "the received case was checked at once" "0 cases waiting"
ok "DE's watch entry met the partner's person" test \
	"$(ncenctl -d "$X" alerts list | grep -c 'watch:1')" -eq \
	$((before + 1))
finish
