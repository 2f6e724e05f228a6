#!/bin/sh
# tests/ui-alerts.sh - alerts through the real screens.
#
# An analyst's watch entry names a person in Latin letters; an officer
# saves a case in ncen with that person typed in Cyrillic, and links the
# owner of two earlier cases: the analyst's menu then counts two new
# alerts (the watch entry and the counting rule, which did not fire on
# the second case).  The Alerts screen lists them newest first, opens
# the case, and records a dismissal with its reason, which a restart
# and a retro-hunt leave as it is.  Another analyst sees only what is
# his and his role's; the officer sees none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "accounts" sh -c "ncenctl -d '$X' user add ivan --roles officer &&
	ncenctl -d '$X' user add ann --roles analyst &&
	ncenctl -d '$X' user add carl --roles analyst"
ok "the rules" ncenctl -d "$X" rules install \
	"$top_srcdir/tests/fixtures/alerts/sample.rules"
ok "ann watches a person, in Latin letters" ncenctl -d "$X" watch add \
	--kind PERSON --name "Kuznetsov Dmitriy" --owner ann \
	--reason "Wanted: cigarette smuggling ring"

# Two earlier cases of one owner (the officer's), 50 and 25 days before.
dump_case() {
	printf '%s\n' 'ncen-dump 1' "record case $1 1 1795770000 ivan" \
		'field status draft' "field date $2" 'field office FRCDG01' \
		'field country FR' 'field direction IMP' 'field officer ivan' \
		"link case $1 business 1 OWNER"
}
printf '%s\n' 'ncen-dump 1' 'record business 1 1 1795770000 ivan' \
	'field name Atlas Freight SARL' 'field recorded_by ivan' >"$T/b.dump"
ok "the owner" ncenctl -d "$X" load "$T/b.dump"
dump_case 1 2026-10-06 >"$T/c1.dump"
dump_case 2 2026-10-31 >"$T/c2.dump"
ok "its first case" ncenctl -d "$X" load "$T/c1.dump"
ok "its second case" ncenctl -d "$X" load "$T/c2.dump"

ui_start A0 -- ncen -d "$X" --as ann
ui_see A0 "the analyst's menu has the Alerts entry" "l  Alerts"
ui_settle A0
cp "$T/out" "$T/screen"
ok "the two cases were checked: no alert on the second" \
	sh -c "grep -q 'l  Alerts' '$T/screen' && ! grep -q 'Alerts (' '$T/screen'"
ok "and none is waiting" ncenctl -d "$X" alerts check
has "nothing was left to check" "0 cases checked, 0 alerts raised, 0 cases waiting"
ui_keys A0 C-x
ui_gone A0

# The officer's case: a new person in Cyrillic, the owner linked.
field() { ui_type "$1" "$2"; ui_keys "$1" Tab; }
ui_start B -- ncen -d "$X" --as ivan
ui_wait B "Cases" >/dev/null
ui_keys B c
ui_wait B "Case" >/dev/null
ui_keys B C-n
ui_see B "the new case form" "Date of the event"
field B 2026-11-25
field B 14:30
field B +01:00
field B FRCDG01
field B FR
field B "Terminal 2E"
field B IMP
ui_keys B C-w
ui_see B "the case is saved" "Seizures (0)"
ui_keys B C-k
ui_wait B "Link what?" >/dev/null
ui_keys B 1
ui_wait B "Create a new one" >/dev/null
ui_keys B 2
ui_see B "the person form" "Family name"
field B "Кузнецов"
field B "Дмитрий"
ui_keys B C-w
ui_wait B "COURIER" >/dev/null
ui_type B COURIER
ui_keys B Enter
ui_see B "the person in Cyrillic is linked" "Persons (1)"
ui_keys B C-k
ui_wait B "Link what?" >/dev/null
ui_keys B 2
ui_wait B "Create a new one" >/dev/null
ui_keys B 1
ui_see B "the owner to choose" "Atlas Freight"
ui_keys B Enter
ui_wait B "OWNER" >/dev/null
ui_type B OWNER
ui_keys B Enter
ui_see B "the owner is linked" "Businesses (1)"
ui_keys B C-x
ui_wait B "Case" >/dev/null
ui_keys B C-x
ui_see B "the officer's menu" "Main menu"
ui_settle B
cp "$T/out" "$T/screen"
ok "the officer is told of no alert" sh -c "grep -q 'Messages' '$T/screen' &&
	! grep -q 'Alerts (' '$T/screen'"
ui_keys B C-x
ui_gone B

ui_start A -- ncen -d "$X" --as ann
ui_see A "the analyst's menu counts two new alerts" "l  Alerts (2 new)"
ui_keys A l
ui_see A "the Alerts screen" "Alerts (2, 2 new)"
ui_settle A
has "the watch entry's alert" "Wanted: cigarette smuggling"
has "the counting rule's alert" "Same owner in 3 cases"
# Newest first: the rule's alert came from the link made last.
cp "$T/out" "$T/screen"
ok "newest first" sh -c "grep -e 'rule:owner_3_in_90' -e 'watch:1' \
	'$T/screen' | head -1 | grep -q rule:owner"
ui_keys A Down
ui_keys A Enter
ui_see A "Enter opens the matched case" "Persons (1)"
has "with the person" "Кузнецов"
ui_keys A C-x
ui_see A "back on the alerts" "Alerts (2, 2 new)"
ui_keys A C-p
ui_see A "^P opens the watch entry" "Wanted: cigarette smuggling ring"
ui_keys A C-x
ui_wait A "Alerts (2" >/dev/null
ui_keys A C-a
ui_see A "the decisions" "Dismissed (with a reason)"
ui_keys A 3
ui_see A "a dismissal asks why" "Why is it dismissed?"
ui_type A "Cousin of the suspect, already known"
ui_keys A Enter
ui_see A "the decision is recorded" "Alerts (2, 1 new)"
has "and shown" "dismissed"
ui_keys A C-x
ui_see A "the menu counts one new alert" "l  Alerts (1 new)"
ui_keys A C-x
ui_gone A

ncenctl -d "$X" alerts list >"$T/list"
ok "the dismissal is stored with who and why" grep -q \
	"DISMISSED.*watch:1.*ann	Cousin of the suspect, already known" "$T/list"
ok "a retro-hunt over every case" ncenctl -d "$X" rules run
has "raises nothing twice" "3 cases checked, 0 alerts raised"
ui_start C -- ncen -d "$X" --as ann
ui_see C "after a restart, still one new alert" "l  Alerts (1 new)"
ui_keys C l
ui_see C "and the dismissed one" "dismissed"
ui_keys C C-x
ui_wait C "Main menu" >/dev/null
ui_keys C C-x
ui_gone C
ui_start D -- ncen -d "$X" --as carl
ui_see D "another analyst: the rule for analysts only" "l  Alerts (1 new)"
ui_keys D l
ui_see D "the rule's alert" "Same owner in 3 cases"
ui_settle D
cp "$T/out" "$T/screen"
ok "not ann's watch entry" sh -c "grep -q 'Same owner' '$T/screen' &&
	! grep -q 'Wanted' '$T/screen'"
ui_keys D C-x
ui_wait D "Main menu" >/dev/null
ui_keys D C-x
ui_gone D
ok "the decision is audited" sh -c "ncenctl -d '$X' audit show \
	--action alert.decide | grep -q 'Cousin of the suspect'"
ok "the alerts are audited" sh -c "ncenctl -d '$X' audit show \
	--action alert.raise | grep -c . | grep -qx 2"
finish
