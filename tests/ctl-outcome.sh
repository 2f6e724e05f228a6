#!/bin/sh
# ctl-outcome.sh - a case followed to its end: offences, legal
# provisions, penalties and the court or administrative outcome are
# case fields (case.form version 5, code lists offence, provision,
# penalty, outcome), imported and exported as CSV columns, shared at
# partner level at most; a code that is not in its list is refused with
# the database unchanged.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
X=$T/x
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "the case template has the columns" ncenctl -d "$X" template case
has "offence to prison_months" \
	"narrative,offence,provision,outcome,outcome_date,outcome_by,penalty,fine,fine_currency,prison_months"

h=date,office,country,direction,offence,provision,outcome,outcome_date,outcome_by,penalty,fine,fine_currency,prison_months
printf '%s\n' "$h" \
	'2026-10-01,FRCDG01,FR,IMP,DRUGS;CURRENCY,PC-222-36;CC-464,CONVICTED,2027-03-15,Tribunal (example) of Bobigny,PRISON;FINE;CONFISCATION,150000.00,EUR,36' \
	'2026-10-02,FRMRS01,FR,IMP,COUNTERFEIT,CC-414,SETTLED,2026-12-01,Customs office (example),SETTLEMENT,2500.00,EUR,' \
	>"$T/good.csv"
ok "cases with offences and outcomes are imported" \
	ncenctl -d "$X" import case "$T/good.csv"
ok "exported" ncenctl -d "$X" export case
has "the first with its offences, provisions and outcome" \
	"DRUGS;CURRENCY,PC-222-36;CC-464,CONVICTED,2027-03-15,Tribunal (example) of Bobigny,PRISON;FINE;CONFISCATION,150000.00,EUR,36"
has "the second settled" \
	"COUNTERFEIT,CC-414,SETTLED,2026-12-01,Customs office (example),SETTLEMENT,2500.00,EUR,"
ok "dump" ncenctl -d "$X" dump case
has "stored as codes" "field outcome CONVICTED"

# Codes outside their lists: refused, nothing stored.
printf '%s\n' "$h" \
	'2026-10-03,FRCDG01,FR,IMP,DRUGS,CC-414,GUILTY,2027-01-01,Court,FINE,10.00,EUR,' \
	'2026-10-04,FRCDG01,FR,IMP,MURDER,CC-414,PENDING,,,,,,' \
	'2026-10-05,FRCDG01,FR,IMP,DRUGS,CC-414,PENDING,,,LASHES,,,' \
	'2026-10-06,FRCDG01,FR,IMP,DRUGS,CC-414,CONVICTED,2027-02-30,Court,FINE,,,' \
	>"$T/bad.csv"
ncenctl -d "$X" dump -o "$T/before" || exit 1
fails_with 1 "codes not in their lists are refused" \
	ncenctl -d "$X" import case "$T/bad.csv"
has "an unknown outcome, by its row" "bad.csv:2"
has "an unknown offence" "bad.csv:3"
has "an unknown penalty" "bad.csv:4"
has "an impossible date" "bad.csv:5"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"

# Partner level at most: the shipped form says so for every one.
for f in offence provision outcome outcome_date outcome_by penalty fine \
    fine_currency prison_months; do
	sed -n "/^field $f /p" "$F/case.form" >"$T/out"
	grep -q " share partner" "$T/out" && ! grep -q " share cen" "$T/out"
	tap_result $? "case.$f is shared with partners only, never cen"
done
finish
