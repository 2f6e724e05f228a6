#!/bin/sh
# ctl-check.sh - wrong check digits through ncenctl (real binaries):
# import refuses a row whose IMO or container check digit is wrong,
# naming the line, the column and the digit it should be, and stores
# nothing; with --override-check REASON the same file is stored, the
# reason kept with each such record and in the audit log; a wrong shape
# is refused whatever the override; a dump restores the overrides
# (load), byte for byte.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
[ -d "$F" ] || F=$top_srcdir/forms
D=$T/d
E=$T/e

ncenctl -d "$D" init --forms "$F" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make a data directory"; exit 1; }

# Real numbers, and two with a digit changed (9074729, TCLU2765152).
cat >"$T/in.csv" <<'CSV'
kind,imo,container,name
VESSEL,9074729,,Good ship
VESSEL,9074728,,Typo ship
CONTAINER,,CSQU3054383,
CONTAINER,,TCLU2765150,
CSV

dumped() { ncenctl -d "$1" dump conveyance >"$T/out" 2>&1; }

fails_with 1 "a wrong check digit refuses the file" \
	ncenctl -d "$D" import conveyance "$T/in.csv"
has "the row, column and digit are named" \
	"in.csv:3: imo: column 2: the check digit of IMO number 9074728 should be 9, not 8 (--override-check REASON keeps it)"
has "and the container's" \
	"in.csv:5: container: column 3: the check digit of container number TCLU2765150 should be 2, not 0"
has "nothing is imported" "4 rows refused: nothing imported"
dumped "$D"
lacks=$(grep -c '^record conveyance' "$T/out")
[ "$lacks" -eq 0 ]
tap_result $? "the database holds no conveyance"

fails_with 2 "an empty reason is refused" \
	ncenctl -d "$D" import --override-check " " conveyance "$T/in.csv"
has "saying a reason is needed" "--override-check needs a reason"

ok "with --override-check the file is imported" \
	ncenctl -d "$D" import --override-check "as on the manifest" \
	conveyance "$T/in.csv"
has "all four rows" "imported 4 conveyance records"
has "two digits kept, with the reason" \
	"2 wrong check digits kept with the reason: as on the manifest"
dumped "$D"
cp "$T/out" "$T/dump1"
has "the value is stored as given" "field imo 9074728"
has "the reason is kept with that record" \
	"extra check.imo.9074728 as on the manifest"
has "and with the container's" \
	"extra check.container.TCLU2765150 as on the manifest"
n=$(grep -c '^extra check\.' "$T/out")
[ "$n" -eq 2 ]
tap_result $? "only the two wrong values carry an override ($n)"
ncenctl -d "$D" audit show --action record.check_override >"$T/out" 2>&1
has "the audit log has each reason" \
	"record.check_override conveyance:2 imo 9074728 kept with a wrong check digit: as on the manifest"
has "the container's too" \
	"conveyance:4 container TCLU2765150 kept with a wrong check digit: as on the manifest"
ncenctl -d "$D" audit show --action import. >"$T/out" 2>&1
has "the import's entry says how many were kept" \
	"2 wrong check digits kept: as on the manifest"

# A wrong shape is a refusal, override or not.
printf 'kind,container\nCONTAINER,CSQX3054383\n' >"$T/shape.csv"
fails_with 1 "a container number of the wrong shape is refused" \
	ncenctl -d "$D" import --override-check "whatever" conveyance \
	"$T/shape.csv"
has "naming what a container number is" \
	"shape.csv:2: container: expected a container number (ISO 6346"
dumped "$D"
cmp -s "$T/out" "$T/dump1"
tap_result $? "the database is unchanged"

# A dump restores the overrides: load into a new directory, dump again.
ncenctl -d "$D" dump >"$T/all.dump" 2>&1
ncenctl -d "$E" init --forms "$F" >/dev/null 2>&1
ok "load restores the dump" ncenctl -d "$E" load "$T/all.dump"
dumped "$E"
cmp -s "$T/out" "$T/dump1"
tap_result $? "the loaded records, overrides included, are the same bytes"

finish
