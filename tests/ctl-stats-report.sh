#!/bin/sh
# ctl-stats-report.sh - ncenctl report stats: every predefined query on
# the fixed data set of tests/fixtures/stats (5 cases, 7 seizure lines,
# 3 persons, 4 links) against the figures counted by hand from it,
# including units added across GRM/KGM/MGM/TNE and across H87/DZN, lines
# in other units and values without a rate counted apart, the rates
# used; the filters; the roles; and bad query and rates files refused
# with FILE:LINE:COL, the database unchanged.
#
# Hand counts (seizure: case, group, quantity, value):
#   s1 c1 DRUG 1.500 KGM 1000.00 EUR     s2 c1 DRUG 500 GRM 200.00 USD (0.92)
#   s3 c2 TOB 2000 H87 500.00 EUR        s4 c2 DRUG 0.250 TNE 100.00 GBP (1.18)
#   s5 c3 TOB 10 DZN 50.00 CHF (1.03)    s6 c3 ALC 20 LTR 30.00 JPY (no rate)
#   s7 c4 DRUG 2000 MGM, no value        c5 no seizure
#   DRUG: 4 lines, cases 1 2 4, 1.5+0.5+250+0.002 = 252.002 kg,
#         1000+184+118 = 1302.00 EUR; TOB: 2 lines, 2000+120 = 2120 pieces,
#         500+51.50 = 551.50 EUR; ALC: 1 line, its value has no rate.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

FX=$top_srcdir/tests/fixtures/stats
X=$T/d
forms=$top_builddir/forms
[ -d "$forms" ] || forms=$top_srcdir/forms
ok "init" ncenctl -d "$X" init --forms "$forms"
ok "the queries are in the data directory's forms" test -f "$X/forms/stats.queries"
cp "$FX/exchange.rates" "$X/forms/exchange.rates"
head=$(grep -c '^record ' "$FX/data.body")
links=$(grep -c '^link ' "$FX/data.body")
printf 'end %s %s %s\n' "$head" "$links" "$(sha256sum <"$FX/data.body" | cut -c1-64)" |
	cat "$FX/data.body" - >"$T/data.dump"
ok "load the data set" ncenctl -d "$X" load "$T/data.dump"

# csv QUERY [OPTIONS]: the CSV, without the labels column, in $T/csv.
csv() {
	q=$1; shift
	ncenctl -d "$X" report stats "$q" --format csv "$@" >"$T/csv.raw" 2>"$T/err" &&
		tr -d '\r' <"$T/csv.raw" |
		sed -E 's/,"([^"]|"")*"$//; t; s/,[^,]*$//' >"$T/csv"
}
# same NAME EXPECTED-FILE-CONTENT: $T/csv is exactly that.
same() {
	printf '%s\n' "$2" >"$T/want"
	diff "$T/want" "$T/csv" >"$T/out" 2>&1
	tap_result $? "$1"
	sed 's/^/# /' "$T/out" | head -20
}

ok "the list of queries" ncenctl -d "$X" report stats
for q in by-commodity by-commodity-type by-month by-quarter by-year by-office \
    by-departure by-transit by-destination by-route top-routes by-transport \
    by-detection by-concealment by-concealment-location top-concealments \
    persons-by-nationality persons-by-role yoy-commodity yoy-month; do
	grep -q "^$q " "$T/out" || { tap_result 1 "query $q listed"; continue; }
done
has "listed with its label" "by-commodity             Seizure lines by commodity group"

csv by-commodity
same "by-commodity: lines, cases, kg (g, kg, t, mg), pieces (dozens), EUR" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,quantity_H87,quantity_H87_other_units,value_EUR,value_EUR_not_converted
DRUG,4,3,252.002,0,0.000,4,1302.00,0
TOB,2,2,0.000,2,2120.000,0,551.50,0
ALC,1,1,0.000,1,0.000,1,0.00,1
total,7,5,252.002,3,2120.000,5,1853.50,1'
grep -q '^TOB,.*,Tobacco and cigarettes' "$T/csv.raw"
tap_result $? "the label comes last"

csv by-commodity-type
same "by-commodity-type" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,quantity_H87,quantity_H87_other_units,value_EUR,value_EUR_not_converted
DRUG-COC,3,2,2.002,0,0.000,3,1184.00,0
TOB-CIG,2,2,0.000,2,2120.000,0,551.50,0
ALC-SPIRIT,1,1,0.000,1,0.000,1,0.00,1
DRUG-HERB,1,1,250.000,0,0.000,1,118.00,0
total,7,5,252.002,3,2120.000,5,1853.50,1'

csv by-office
same "by-office: cases, a case without seizures counts" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
FRCDG01,4,2,2.000,2,1235.50,1
FRMRS01,2,2,250.000,1,618.00,0
FRLND01,1,1,0.002,0,0.00,0
total,7,5,252.002,3,1853.50,1'

csv by-month
same "by-month" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
2024-03,2,1,2.000,0,1184.00,0
2024-11,2,1,250.000,1,618.00,0
2025-02,2,1,0.000,2,51.50,1
2025-03,1,2,0.002,0,0.00,0
total,7,5,252.002,3,1853.50,1'

csv by-quarter
same "by-quarter" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
2024-Q1,2,1,2.000,0,1184.00,0
2024-Q4,2,1,250.000,1,618.00,0
2025-Q1,3,3,0.002,2,51.50,1
total,7,5,252.002,3,1853.50,1'

csv by-year
same "by-year" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
2024,4,2,252.000,1,1802.00,0
2025,3,3,0.002,2,51.50,1
total,7,5,252.002,3,1853.50,1'

csv by-route
same "by-route: departure>transit>destination" \
'code,seizures,cases
CO>ES>FR,3,2
CO>FR,2,1
FR>GB,2,1
MA>FR,0,1
total,7,5'
csv top-routes
same "top-routes" "$(cat "$T/want")"

csv by-departure
same "by-departure" \
'code,seizures,cases
CO,5,3
FR,2,1
MA,0,1
total,7,5'
csv by-transit
same "by-transit: a case without transit counts under (none)" \
'code,seizures,cases
(none),4,3
ES,3,2
total,7,5'
csv by-destination
same "by-destination" \
'code,seizures,cases
FR,5,4
GB,2,1
total,7,5'
csv by-transport
same "by-transport" \
'code,seizures,cases
1,2,2
4,4,2
3,1,1
total,7,5'
csv by-detection
same "by-detection" \
'code,seizures,cases
XRAY,3,2
(none),0,1
DOG,2,1
RANDOM,2,1
total,7,5'
csv by-concealment
same "by-concealment" \
'code,seizures,cases
(none),0,1
BODY-SWALLOWED,2,1
COMPARTMENT,1,1
INSIDE-GOODS,2,1
LINING,2,1
total,7,5'
csv top-concealments
same "top-concealments" "$(cat "$T/want")"
csv by-concealment-location
same "by-concealment-location" \
'code,seizures,cases
(none),0,1
BAGGAGE-HOLD,2,1
BODY,2,1
CONTAINER,2,1
VEHICLE,1,1
total,7,5'
csv persons-by-nationality
same "persons-by-nationality: a person in each of its nationalities" \
'code,seizures,cases,persons
(none),2,1,1
CO,4,2,1
ES,4,2,1
FR,2,1,1
total,7,5,3'
csv persons-by-role
same "persons-by-role" \
'code,seizures,cases,persons
SUSPECT,4,2,2
COURIER,2,1,1
DRIVER,2,1,1
total,7,5,3'
csv yoy-commodity
same "yoy-commodity: 2025 against 2024" \
'code,seizures,cases,seizures_previous,change_pct
ALC,1,1,0,
DRUG,1,1,3,-66.7
TOB,1,1,1,+0.0
total,3,3,4,-25.0'
csv yoy-month
same "yoy-month: months of 2025 against 2024" \
'code,seizures,cases,seizures_previous,change_pct
02,2,1,0,
03,1,2,2,-50.0
11,0,0,2,-100.0
total,3,3,4,-25.0'

# Filters.
csv by-commodity --status draft
same "--status draft: cases 3 and 5" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,quantity_H87,quantity_H87_other_units,value_EUR,value_EUR_not_converted
ALC,1,1,0.000,1,0.000,1,0.00,1
TOB,1,1,0.000,1,120.000,0,51.50,0
total,2,2,0.000,2,120.000,1,51.50,1'
csv by-office --commodity DRUG-COC
same "--commodity DRUG-COC (a type): the cases with such a line" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
FRCDG01,2,1,2.000,0,1184.00,0
FRLND01,1,1,0.002,0,0.00,0
total,3,2,2.002,0,1184.00,0'
csv by-commodity --from 2025-01-01 --to 2025-12-31 --office FRCDG01,FRLND01 --direction IMP
same "--from --to --office --direction" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,quantity_H87,quantity_H87_other_units,value_EUR,value_EUR_not_converted
DRUG,1,1,0.002,0,0.000,1,0.00,0
total,1,1,0.002,0,0.000,1,0.00,0'
csv persons-by-role --commodity TOB
same "persons of the cases with tobacco" \
'code,seizures,cases,persons
DRIVER,1,1,1
SUSPECT,1,1,1
total,2,2,2'

ok "text for a printer" ncenctl -d "$X" report stats by-commodity
has "its title" "Seizure lines by commodity group (by-commodity)"
has "the total line" "Total"
has "which units were added" "Quantities in KGM add up CTM GRM KGM MGM TNE"
has "the rates it used: USD" "USD 2024-01-01 0.92 EUR 1"
has "GBP" "GBP 2024-01-01 1.18 EUR 1"
has "CHF of 2023 for a case of 2025" "CHF 2023-01-01 1.03 EUR 1"
grep -q "2026-01-01" "$T/out"
tap_result $((!$?)) "no rate it did not use"
awk 'length > 80 { bad = 1 } END { exit bad }' "$T/out"
tap_result $? "the table fits 80 columns"
ok "-o FILE" ncenctl -d "$X" report stats by-month --format csv -o "$T/m.csv"
ok "the file holds the CSV" grep -q '^2024-11,2,1,' "$T/m.csv"

# Roles: supervisors (of their offices), analysts, NCP; not officers.
ok "accounts" sh -c "ncenctl -d '$X' user add ann --roles analyst &&
	ncenctl -d '$X' user add olaf --roles officer &&
	ncenctl -d '$X' user add sam --roles supervisor --offices FRMRS01"
csv by-commodity --as ann
ok "an analyst may" test -s "$T/csv"
fails_with 1 "an officer may not" ncenctl -d "$X" report stats by-office --as olaf
has "says so" "may not stats"
csv by-office --as sam
same "a supervisor limited to FRMRS01 gets FRMRS01" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
FRMRS01,2,2,250.000,1,618.00,0
total,2,2,250.000,1,618.00,0'
fails_with 1 "and not another office" ncenctl -d "$X" report stats by-office --as sam --office FRCDG01

# The figures come from facts.db, made by the first report above over
# the loaded records and kept by every change since: verify compares
# them with the records, and a case reopened (closed -> draft) moves
# into the draft figures.
ok "verify checks the statistics' facts" ncenctl -d "$X" verify
has "the case rows" "facts.db: 5 case rows checked"
has "the seizure rows" "facts.db: 7 seizure rows checked"
has "the link facts" "facts.db: 4 link facts checked"
ok "reopen case 2" ncenctl -d "$X" case reopen 2 --as sam --reason "recount"
csv by-office --status draft
same "--status draft after the reopen: cases 2, 3 and 5" \
'code,seizures,cases,quantity_KGM,quantity_KGM_other_units,value_EUR,value_EUR_not_converted
FRMRS01,2,2,250.000,1,618.00,0
FRCDG01,2,1,0.000,2,51.50,1
total,4,3,250.000,3,669.50,1'
ok "verify after the change" ncenctl -d "$X" verify

# Usage errors.
fails_with 2 "an unknown query" ncenctl -d "$X" report stats by-nothing
fails_with 2 "a bad format" ncenctl -d "$X" report stats by-office --format pdf
fails_with 2 "a bad date" ncenctl -d "$X" report stats by-office --from 2025-13
fails_with 2 "an unknown office" ncenctl -d "$X" report stats by-office --office XX
fails_with 2 "an unknown report" ncenctl -d "$X" report nothing

# Bad files: FILE:LINE:COL, nothing reported, the database unchanged.
ncenctl -d "$X" dump >"$T/before" 2>&1
bad_queries() {
	bq_name=$1 bq_want=$2
	cp "$T/in" "$X/forms/zz.queries"
	fails_with 2 "bad queries: $bq_name" ncenctl -d "$X" report stats by-office
	has "names the place: $bq_want" "$bq_want"
	rm -f "$X/forms/zz.queries"
}
printf 'ncen-queries 1\nquery q1\nlabel en "Q"\ngroup case.nothing\n' >"$T/in"
bad_queries "an unknown field" "zz.queries:4:7: expected a field of the case form, found 'nothing'"
printf 'ncen-queries 1\nquery q1\nlabel en "Q"\ngroup case.date\n' >"$T/in"
bad_queries "a date without month, quarter or year" "zz.queries:4:7: expected month, quarter or year"
printf 'ncen-queries 1\nquery q1\nlabel en "Q"\ngroup seizure.commodity\nsum quantity FURLONG\n' >"$T/in"
bad_queries "an unknown unit" "zz.queries:5:14: expected a code of the unit list, found 'FURLONG'"
printf 'ncen-queries 1\nquery by-office\nlabel en "Q"\ngroup case.office\n' >"$T/in"
bad_queries "a name given twice" "zz.queries:2:7: expected each query name once"
printf 'ncen-queries 1\nquery q1\nlabel en "Q"\ncount lines\n' >"$T/in"
bad_queries "count what" "zz.queries:4:7: expected seizures, cases or persons, found 'lines'"
printf 'ncen-queries 1\nquery q1\nlabel en "Q"\n' >"$T/in"
bad_queries "no group" "zz.queries:2:7: expected a group line in query q1"
cp "$X/forms/exchange.rates" "$T/keep.rates"
bad_rates() {
	br_name=$1 br_want=$2
	cp "$T/in" "$X/forms/exchange.rates"
	fails_with 2 "bad rates: $br_name" ncenctl -d "$X" report stats by-office
	has "names the place: $br_want" "$br_want"
	cp "$T/keep.rates" "$X/forms/exchange.rates"
}
printf 'ncen-rates 1\ncurrency EUR\nUSD 2024-02-30 0.9\n' >"$T/in"
bad_rates "a date that does not exist" "exchange.rates:3:5: expected the date the rate applies from"
printf 'ncen-rates 1\ncurrency EUR\nUSD 2024-01-01 -0.9\n' >"$T/in"
bad_rates "a negative rate" "exchange.rates:3:16: expected a rate"
printf 'ncen-rates 1\ncurrency EUR\nUSD 2024-01-01 0.9\nUSD 2024-01-01 0.8\n' >"$T/in"
bad_rates "a rate given twice" "exchange.rates:4:5: expected one rate a currency and date, found USD 2024-01-01 again (the first is at line 3)"
printf 'ncen-rates 1\ncurrency EUR\nEUR 2024-01-01 1\n' >"$T/in"
bad_rates "the reporting currency" "exchange.rates:3:1: expected a currency other than the reporting one"
printf 'ncen-rates 1\ncurrency EUR\nXYZ 2024-01-01 1\n' >"$T/in"
bad_rates "an unknown currency" "XYZ (rate from 2024-01-01) is not in the currency list"
cp "$X/forms/unit.codes" "$T/keep.units"
sed 's/^KGM\(.*\)= 1000 GRM/KGM\1= 1000 KGX/' "$T/keep.units" >"$X/forms/unit.codes"
fails_with 2 "a unit converting to an unknown one" ncenctl -d "$X" report stats by-office
has "names the place" "unit.codes:"
has "and why" "expected a code of this list that converts to no other, found 'KGX'"
cp "$T/keep.units" "$X/forms/unit.codes"
ncenctl -d "$X" dump >"$T/after" 2>&1
cmp -s "$T/before" "$T/after"
tap_result $? "the database is unchanged"
csv by-commodity
grep -q '^DRUG,4,3,252.002,' "$T/csv"
tap_result $? "and reports again once the files are right"

# facts.db keeps values in their own currency and quantities in their
# own unit: a new rate or a new factor counts at once, nothing rebuilt.
# USD 0.92 -> 0.50 (line 2: 200.00 USD is 100.00 EUR, not 184.00); a
# KGM of 500 GRM (1500 g of line 1 are 750, the total 251252 g).
sed 's/^USD	2024-01-01	0.92$/USD	2024-01-01	0.50/' "$FX/exchange.rates" >"$X/forms/exchange.rates"
csv by-commodity
grep -q '^DRUG,4,3,252.002,0,0.000,4,1218.00,0$' "$T/csv"
tap_result $? "a changed rate counts at once: DRUG 1218.00 EUR"
sed 's/^KGM\(.*\)= 1000 GRM$/KGM\1= 500 GRM/' "$T/keep.units" >"$X/forms/unit.codes"
csv by-commodity
grep -q '^DRUG,4,3,502.504,0,' "$T/csv"
tap_result $? "a changed factor counts at once: 251252 g are 502.504 of 500 g"
cp "$T/keep.units" "$X/forms/unit.codes"
cp "$FX/exchange.rates" "$X/forms/exchange.rates"

finish
