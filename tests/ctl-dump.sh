#!/bin/sh
# ctl-dump.sh - ncenctl dump and load: the round trip is byte-identical,
# and a bad dump is refused whole, naming FILE:LINE, with the database
# unchanged; a dump cut short or altered anywhere is refused by its end
# line (counts and SHA-256); version 1 dumps (no end line) still load.
# The fixture small.dump: two cases, their seizures and people, and the
# links, as ncenctl dump writes them.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/ctl
X=$T/x
Y=$T/y

ok "init" ncenctl -d "$X" init --forms "$F"
ok "load the fixture" ncenctl -d "$X" load "$FX/small.dump"
ok "dump" ncenctl -d "$X" dump -o "$T/d1"
ok "the dump is the fixture, byte for byte" cmp "$FX/small.dump" "$T/d1"
[ "$(tail -n 1 "$T/d1")" = "end 6 3 $(head -n -1 "$T/d1" | sha256sum | cut -c1-64)" ]
tap_result $? "it ends with its counts and the SHA-256 of what comes before"
ok "dump to standard output" ncenctl -d "$X" dump
cp "$T/out" "$T/d1b"
ok "the same bytes either way" cmp "$T/d1" "$T/d1b"

ok "init a second data directory" ncenctl -d "$Y" init --forms "$F"
ok "load the dump there" ncenctl -d "$Y" load "$T/d1"
ok "dump it again" ncenctl -d "$Y" dump -o "$T/d2"
ok "dump, load, dump is byte-identical" cmp "$T/d1" "$T/d2"
ok "verify after the load" ncenctl -d "$Y" verify

ok "dump of one entity" ncenctl -d "$X" dump case
has "it has the cases" "record case 2 1 1795856400 bob"
grep -q '^record person' "$T/out"; tap_result $((! $?)) "it has no person"
grep -q '^link' "$T/out"; tap_result $((! $?)) "nor links to what it leaves out"
ok "dump of two entities" ncenctl -d "$X" dump person case
has "their links are there" "link case 1 person 2 WITNESS"
fails_with 2 "dump of an unknown entity" ncenctl -d "$X" dump vessel
has "it names it" "no form 'vessel'"
fails_with 2 "dump to an unwritable place" ncenctl -d "$X" dump -o "$T/no/such/dir"

# A bad dump: load it, expect exit 1 naming FILE:LINE, nothing changed.
# (into: the data directory, $X unless set)
refused() {
	name=$1; file=$2; where=$3
	ncenctl -d "${into:-$X}" dump -o "$T/before" || return 1
	fails_with 1 "$name is refused" ncenctl -d "${into:-$X}" load "$file"
	has "$name: names $where" "$file:$where"
	has "$name: says nothing was loaded" "nothing loaded"
	ncenctl -d "${into:-$X}" dump -o "$T/after" || return 1
	ok "$name: the database is unchanged" cmp "$T/before" "$T/after"
}

refused "a bad line" "$FX/bad-syntax.dump" "7: unknown line"
refused "an invalid field" "$FX/bad-field.dump" "8: date:"
refused "invalid UTF-8" "$FX/bad-utf8.dump" "7: invalid UTF-8"
refused "an unknown entity" "$FX/bad-entity.dump" "7: unknown entity 'vessel'"
refused "a reference to nothing" "$FX/bad-ref.dump" "3: case:"
refused "a record already there" "$FX/exists.dump" "7: case 1 is already"

printf 'ncen-dump 1\nrecord case 20 1 0 x\nfield date 2026-11-05\nfield office A\\q\n' >"$T/esc.dump"
refused "a bad escape" "$T/esc.dump" "4: bad escape"
printf 'ncen-dump 1\nrecord case 20 1 0 x\nfield nosuch 1\n' >"$T/nofield.dump"
refused "an unknown field" "$T/nofield.dump" "3: form case has no field 'nosuch'"
printf 'ncen-dump 1\nrecord case 20 1 0 x\nfield date 2026-11-05\nfield date 2026-11-06\n' >"$T/twice.dump"
refused "a second value of a single field" "$T/twice.dump" "4: date: only one"
printf 'ncen-dump 1\nrecord case 20 1 0 x\nfield office \001\n' >"$T/ctrl.dump"
refused "a raw control character" "$T/ctrl.dump" "3: control character"
printf 'ncen-dump 1\nrecord case 0 1 0 x\n' >"$T/id0.dump"
refused "id 0" "$T/id0.dump" "2: expected a record id"
printf 'ncen-dump 1\nlink case 1 case 1 SELF\n' >"$T/self.dump"
refused "a link to itself" "$T/self.dump" "2: a record cannot"
printf 'ncen-dump 3\n' >"$T/v3.dump"
refused "another format version" "$T/v3.dump" "1: not an ncen dump"
printf 'record case 1 1 0 x\n' >"$T/nohdr.dump"
refused "no header" "$T/nohdr.dump" "1: not an ncen dump"
fails_with 2 "load of a missing file" ncenctl -d "$X" load "$T/none.dump"

# A dump cut short or altered, loaded where it would otherwise fit (an
# empty data directory): refused at its end line, nothing stored.
into=$T/z
ok "init an empty data directory" ncenctl -d "$into" init --forms "$F"
head -n 30 "$T/d1" >"$T/cut.dump"
refused "a dump cut at a line boundary" "$T/cut.dump" \
	"30: the dump does not end with its end line"
head -c $(($(head -n 30 "$T/d1" | wc -c) + 7)) "$T/d1" >"$T/cutmid.dump"
refused "a dump cut inside a line" "$T/cutmid.dump" "31: the last line is cut short"
sed '4s/2026/2025/' "$T/d1" >"$T/byte.dump"
! cmp -s "$T/d1" "$T/byte.dump"; tap_result $? "(one value changed)"
refused "a dump with one byte changed" "$T/byte.dump" "53: the SHA-256 of the lines"
sed '$s/^end 6 3 /end 6 2 /' "$T/d1" >"$T/count.dump"
refused "a dump whose end line counts another number" "$T/count.dump" \
	"53: the end line counts 6 records and 2 links, the dump holds 6 and 3"
head -n -1 "$T/d1" >"$T/noend.dump"
refused "a dump without its end line" "$T/noend.dump" \
	"52: the dump does not end with its end line"
{ cat "$T/d1"; echo '# after the end'; } >"$T/after.dump"
refused "a dump with a line after its end" "$T/after.dump" "54: the dump does not end"
ok "the whole dump loads there" ncenctl -d "$into" load "$T/d1"
ok "dump it" ncenctl -d "$into" dump -o "$T/z.dump"
ok "the same bytes" cmp "$T/d1" "$T/z.dump"
into=

printf 'ncen-dump 1\nrecord case 30 1 0 x\nfield date 2026-11-05\nfield office FRCDG01\nfield country FR\nfield direction IMP\nfield narrative a\\\\b\\tc\\nd\n' >"$T/ok.dump"
ok "load with escapes" ncenctl -d "$X" load "$T/ok.dump"
has "a version 1 dump loads, with a warning" \
	"ok.dump: a version 1 dump has no end line"
ok "dump it" ncenctl -d "$X" dump case
has "escapes come back the same" 'field narrative a\\b\tc\nd'

printf 'ncen-dump 1\nrecord seizure 40 1 0 x\nfield case 41\nfield commodity ALC\nfield quantity 1.5\nfield unit LTR\nrecord case 41 1 0 x\nfield date 2026-11-05\nfield office FRCDG01\nfield country FR\nfield direction IMP\n' >"$T/fwd.dump"
ok "a reference forward in the same dump" ncenctl -d "$X" load "$T/fwd.dump"
ok "dump the seizures" ncenctl -d "$X" dump seizure
has "values are stored canonical" "field quantity 1.500"
ok "verify at the end" ncenctl -d "$X" verify

finish
