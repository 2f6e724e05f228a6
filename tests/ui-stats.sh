#!/bin/sh
# ui-stats.sh - the Statistics screen in tmux on a vt100 at 80x24: on the
# menu for an analyst and not for an officer; the queries listed; a
# query's bars (the longest for the biggest category); the filters
# (^F) change the figures; a time series as a column chart; ^A shows
# the table; ^W writes the CSV the user names; a supervisor limited to
# an office sees that office's figures only; a wider terminal gets
# longer bars.  Data: tests/fixtures/stats (hand counts in
# tests/ctl-stats-report.sh).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

FX=$top_srcdir/tests/fixtures/stats
X=$T/d
forms=$top_builddir/forms
[ -d "$forms" ] || forms=$top_srcdir/forms
ncenctl -d "$X" init --forms "$forms" >/dev/null &&
	cp "$FX/exchange.rates" "$X/forms/" &&
	printf 'end %s %s %s\n' "$(grep -c '^record ' "$FX/data.body")" \
	    "$(grep -c '^link ' "$FX/data.body")" \
	    "$(sha256sum <"$FX/data.body" | cut -c1-64)" |
	cat "$FX/data.body" - >"$T/data.dump" &&
	ncenctl -d "$X" load "$T/data.dump" >/dev/null &&
	ncenctl -d "$X" user add ann --roles analyst >/dev/null &&
	ncenctl -d "$X" user add olaf --roles officer >/dev/null &&
	ncenctl -d "$X" user add sam --roles supervisor --offices FRMRS01 >/dev/null
tap_result $? "a data directory with the data set and three accounts"

ui_start O -- ncen -d "$X" --as olaf
ui_see O "an officer signs in" "Main menu"
ui_screen O
grep -q "Statistics" "$T/out"
tap_result $((!$?)) "an officer has no Statistics entry"
ui_keys O C-x

ui_start A -- ncen -d "$X" --as ann
ui_see A "an analyst signs in" "Main menu"
ui_see A "and has the entry" "h  Statistics and charts"
ui_keys A h
ui_see A "the Statistics screen lists the queries" "Statistics (20 queries)"
ui_see A "with their labels" "Seizure lines by commodity group"
ui_see A "no filter at first" "Filters: none (every case)"
ui_keys A Enter
ui_see A "by-commodity runs" "DRUG     Drugs"
ui_screen A
drug=$(awk '/^DRUG /' "$T/out" | tr -cd '#' | wc -c)
tob=$(awk '/^TOB /' "$T/out" | tr -cd '#' | wc -c)
alc=$(awk '/^ALC /' "$T/out" | tr -cd '#' | wc -c)
echo "# bars: DRUG $drug TOB $tob ALC $alc"
[ "$drug" -gt "$tob" ] && [ "$tob" -gt "$alc" ] && [ "$alc" -gt 0 ] &&
	[ $((drug)) -eq $((alc * 4)) -o $((drug - alc * 4)) -le 3 ]
tap_result $? "bars in proportion to 4, 2 and 1 lines"
grep -q "^DRUG .*  4 #" "$T/out"
tap_result $? "the figure beside the bar"
awk 'length > 80 { bad = 1 } END { exit bad }' "$T/out"
tap_result $? "within 80 columns"
ui_keys A C-a
ui_see A "^A: the table" "Seizures Cases"
ui_see A "with the kilograms" "252.002"
ui_keys A C-w
ui_see A "^W asks for a file" "Write the table as CSV to the file:"
ui_type A "$T/out.csv"
ui_keys A Enter
ui_see A "and says it wrote it" "3 categories written to"
grep -q '^DRUG,4,3,252.002,0,0.000,4,1302.00,0,Drugs' "$T/out.csv"
tap_result $? "the CSV file holds the figures"
ui_keys A C-x
ui_see A "back on the list" "Statistics (20 queries)"
# ^F: from 2025-01-01, then Back keeps the rest.
ui_keys A C-f
ui_see A "^F asks for the first filter" "From date"
ui_type A "2025-01-01"
ui_keys A Enter
ui_see A "then the next" "To date"
ui_keys A C-x
ui_see A "the filter is shown" "Filters: from 2025-01-01"
ui_keys A Enter
ui_see A "by-commodity again" "Filters: from 2025-01-01"
ui_screen A
grep -q "^DRUG .*  1 #" "$T/out" && grep -q "^TOB .*  1 #" "$T/out"
tap_result $? "only 2025 counts"
ui_keys A C-x
# A time series: by-month is the third query.
ui_keys A C-f Enter Enter C-x
ui_see A "Back at the first question keeps the filters" "Filters: from 2025-01-01"
ui_keys A C-f
ui_see A "^F again" "From date"
ui_type A " "
ui_keys A Enter C-x
ui_see A "the period filter cleared" "Filters: none (every case)"
ui_keys A Down Down Enter
ui_see A "by-month as a column chart" "2024-03"
ui_screen A
grep -q "2024-11" "$T/out" && grep -q "2025-03" "$T/out" && grep -q "|" "$T/out"
tap_result $? "the months under their columns, an axis"
col=$(awk 'index($0, "####") { n++ } END { print n + 0 }' "$T/out")
[ "$col" -ge 5 ]
tap_result $? "columns drawn ($col rows)"
ui_keys A C-x C-x C-x
ui_gone A
tap_result $? "the analyst signs out"

ui_start S -- ncen -d "$X" --as sam
ui_see S "a supervisor limited to FRMRS01" "Main menu"
ui_keys S h
ui_see S "has Statistics" "Statistics (20 queries)"
ui_keys S Enter
ui_see S "by-commodity" "Drugs"
ui_screen S
grep -q "^DRUG .*  1 #" "$T/out" && grep -q "^TOB .*  1 #" "$T/out" &&
	! grep -q "^ALC" "$T/out"
tap_result $? "FRMRS01's lines only (one drug, one tobacco)"
ui_keys S C-x C-x C-x

ui_start W -x 132 -y 30 -- ncen -d "$X" --as ann
ui_see W "132 columns" "Main menu"
ui_keys W h
ui_see W "Statistics" "Statistics (20 queries)"
ui_keys W Enter
ui_see W "by-commodity" "Drugs"
ui_screen W
wide=$(awk '/^DRUG /' "$T/out" | tr -cd '#' | wc -c)
echo "# DRUG bar at 132 columns: $wide, at 80: $drug"
[ "$wide" -gt "$drug" ]
tap_result $? "a wider terminal gets longer bars"
ui_keys W C-x C-x C-x

finish
