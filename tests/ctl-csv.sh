#!/bin/sh
# ctl-csv.sh - ncenctl import, export, template and offices with the real
# ncenctl: export, import elsewhere and export again give the same bytes;
# every awkward file is read right or refused naming FILE:LINE: FIELD:
# reason with the database dump unchanged; an import killed or
# interrupted half way is rolled back; --partial, filters, templates and
# the offices list.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE

# The real forms: the build tree's (with generated lists), else the source's.
forms_dir() {
	if [ -d "$top_builddir/forms" ]; then
		echo "$top_builddir/forms"
	else
		echo "$top_srcdir/forms"
	fi
}

F=$(forms_dir)
FX=$top_srcdir/tests/fixtures/csv
X=$T/x
Y=$T/y
B=$T/b
CR=$(printf '\r')

# The file does not contain a byte string: lacks NAME FILE STRING.
lacks() {
	! grep -qF -- "$3" "$2"
	tap_result $? "$1"
}

# Compare two files: same NAME A B.
same() {
	cmp "$2" "$3" >"$T/cmp" 2>&1
	r=$?
	tap_result $r "$1"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/cmp"
	return $r
}

# Import every form's CSV of one directory into another, in an order the
# references allow (a file that refers to one not imported yet waits),
# then the links.
# shellcheck disable=SC2317 # called through ok
import_all() {
	dir=$1
	src=$2
	left=
	for f in "$dir"/forms/*.form; do
		left="$left $(basename "$f" .form)"
	done
	for _ in 1 2 3 4 5 6 7 8; do
		next=
		for e in $left; do
			ncenctl -d "$dir" import "$e" "$src/$e.csv" \
			    >/dev/null 2>&1 || next="$next $e"
		done
		left=$next
		[ -z "$left" ] && break
	done
	[ -z "$left" ] || { echo "# could not import:$left"; return 1; }
	ncenctl -d "$dir" import links "$src/links.csv" >/dev/null
}

# Export every form and the links of a directory into files.
# shellcheck disable=SC2317 # called through ok
export_all() {
	dir=$1
	out=$2
	mkdir -p "$out"
	for f in "$dir"/forms/*.form; do
		e=$(basename "$f" .form)
		ncenctl -d "$dir" export -o "$out/$e.csv" "$e" 2>/dev/null ||
		    return 1
	done
	ncenctl -d "$dir" export -o "$out/links.csv" links 2>/dev/null
}

#
# The round trip with the real forms: the dump fixture, awkward text,
# labels for codes and links.
#
ok "init with the real forms" ncenctl -d "$X" init --forms "$F"
ok "load the dump fixture" ncenctl -d "$X" load \
    "$top_srcdir/tests/fixtures/ctl/small.dump"
{
	printf 'place,direction,narrative\r\n'
	printf '"Quai 3, hangar ""B""",Import,"Two lines\r\nand a second one"\r\n'
	printf 'Gare du Nord,export,"Semicolons; stay; as they are"\r\n'
	printf '"=SUM(A1:A2)",EXP,"Backslash \\ and tab\there"\r\n'
	printf '\344\270\234\344\272\254,,"Se\303\241n, \360\237\232\242 UTF-8"\r\n'
} >"$T/cases.csv"
ok "import cases with awkward text" ncenctl -d "$X" import case "$T/cases.csv"
has "it says how many" "imported 4 case records"
{
	printf 'family_name,given_names,aliases\n'
	printf 'O'"'"'Brien,Se\303\241n,"Sean;Shane \\; the tall;Back\\\\slash"\n'
	printf '"Comma, Name","Line\nbreak",\n'
} >"$T/persons.csv"
ok "import persons with repeated values" ncenctl -d "$X" import person \
    "$T/persons.csv"
ok "export the persons" ncenctl -d "$X" export person
has "repeated values are joined with ';', escaped" \
    'Sean;Shane \; the tall;Back\\slash'
ok "export the cases" ncenctl -d "$X" export case
has "a label was stored as its code" ',IMP,'
has "a code in lower case was stored as the code" ',EXP,'
has "quotes are doubled" '"Quai 3, hangar ""B"""'
# shellcheck disable=SC2016 # expanded by the inner shell
ok "export as it is, then link a new case to a new person" sh -c '
	ncenctl -d "$1" export case | grep -E "^[0-9]+," | tail -1 |
	    cut -d, -f1 >"$2/c"
	ncenctl -d "$1" export person | grep -E "^[0-9]+," | tail -1 |
	    cut -d, -f1 >"$2/p"
	printf "from_entity,from_id,to_entity,to_id,role\ncase,%s,person,%s,SUSPECT\n" \
	    "$(cat "$2/c")" "$(cat "$2/p")" >"$2/links.csv"
	ncenctl -d "$1" import links "$2/links.csv"' sh "$X" "$T"
ok "export everything" export_all "$X" "$T/e1"
ok "init a second data directory" ncenctl -d "$Y" init --forms "$F"
ok "import everything there" import_all "$Y" "$T/e1"
ok "export everything again" export_all "$Y" "$T/e2"
for f in "$T"/e1/*.csv; do
	same "round trip of $(basename "$f") is byte-identical" "$f" \
	    "$T/e2/$(basename "$f")"
done
ok "verify after the imports" ncenctl -d "$Y" verify
grep -q "$CR\$" "$T/e1/case.csv"
tap_result $? "export ends its lines with CR LF"

ok "the template of a case" ncenctl -d "$X" template case
cp "$T/out" "$T/template.csv"
head -1 "$T/template.csv" | grep -q '^#example,number,.*date,.*office,'
tap_result $? "its header names the fields, without id, after the marker"
[ "$(wc -l <"$T/template.csv")" -eq 2 ]
tap_result $? "it has a header and one example row"
ncenctl -d "$X" dump -o "$T/before"
fails_with 1 "the example row does not import" \
    ncenctl -d "$X" import case "$T/template.csv"
has "it says why" "template.csv:2: this is a template's example row"
ncenctl -d "$X" dump -o "$T/after"
same "the example row left the database unchanged" "$T/before" "$T/after"
sed '2s/^[^,]*,/,/' "$T/template.csv" >"$T/template2.csv"
ok "once its marker is cleared, the example row imports" \
    ncenctl -d "$X" import case "$T/template2.csv"
ok "the template of links" ncenctl -d "$X" template links
has "it names the link columns" "from_entity,from_id,to_entity,to_id,role"
fails_with 2 "the template of an unknown form" ncenctl -d "$X" template nosuch

#
# The awkward files, with forms of their own.
#
ok "init with the test forms" ncenctl -d "$B" init --forms "$FX/forms"
{
	echo 'id,name,colour,qty,price,day,seen,tags'
	echo '100,base,Red,1,2.50,2026-01-05,2026-01-05T10:00,a;b'
	echo '101,second,GRN,2,,2026-02-10,,'
	echo '102,third,blue,3,10,2026-03-15,,c'
} >"$T/base.csv"
ok "import the base records" ncenctl -d "$B" import item "$T/base.csv"

for f in quotes crlf bom empty-lines; do
	rm -rf "$T/g"
	ncenctl -d "$T/g" init --forms "$FX/forms" >/dev/null
	ok "$f.csv imports" ncenctl -d "$T/g" import item "$FX/$f.csv"
	[ "$f" != empty-lines ] ||
	    has "an empty row is skipped and said so" "(1 empty row skipped)"
	ok "$f.csv exports" ncenctl -d "$T/g" export -o "$T/g.csv" item
	same "$f.csv reads as it should" "$FX/$f.expected" "$T/g.csv"
done

rm -rf "$T/g"
ncenctl -d "$T/g" init --forms "$FX/forms" >/dev/null
# shellcheck disable=SC2016 # expanded by the inner shell
ok "import from standard input" sh -c \
    'ncenctl -d "$1" import item - <"$2"' sh "$T/g" "$FX/quotes.csv"
has "it names stdin" "from stdin"

# A bad file: refused (exit 1) naming FILE:LINE..., the dump unchanged.
refused() {
	name=$1; file=$2; where=$3
	ncenctl -d "$B" dump -o "$T/before" || return 1
	fails_with 1 "$name is refused" ncenctl -d "$B" import item "$file"
	has "$name: names $where" "$file:$where"
	has "$name: says nothing was imported" "nothing imported"
	ncenctl -d "$B" dump -o "$T/after" || return 1
	same "$name: the database is unchanged" "$T/before" "$T/after"
}

refused "wrong column count" "$FX/wrong-columns.csv" \
    "3: expected 2 fields (as many as the header has), found 3"
has "the short row too" "wrong-columns.csv:4: expected 2 fields"
refused "invalid UTF-8" "$FX/bad-utf8.csv" \
    "3: name: column 7: expected UTF-8 text, found the byte 0xff"
refused "a stray quote" "$FX/stray-quote.csv" \
    "3: name: column 7: expected no quote inside a field"
refused "an unterminated quote" "$FX/unterminated.csv" \
    "3: name: column 3: expected a closing quote"

printf 'name,colour\nok,RED\nbad,purple\n' >"$T/code.csv"
refused "an unknown code" "$T/code.csv" \
    "3: colour: expected a code or label of list 'colour', found 'purple'"
printf 'name,day\nok,2026-02-29\n' >"$T/date.csv"
refused "a date not in the calendar" "$T/date.csv" "2: day:"
printf 'name,price\nok,1.234\n' >"$T/dec.csv"
refused "too many decimals" "$T/dec.csv" "2: price:"
printf 'name,qty\nok,ten\n' >"$T/int.csv"
refused "a word for a number" "$T/int.csv" "2: qty:"
printf 'name,parent\nok,999\n' >"$T/ref.csv"
refused "a reference to nothing" "$T/ref.csv" \
    "2: parent: expected the id of a item record, found 999"
printf 'name,tags\nok,"fine;much too long for twenty"\n' >"$T/tags.csv"
refused "a bad value among repeated ones" "$T/tags.csv" "2: tags: value 2:"
printf 'name,shape\nok,round\n' >"$T/col.csv"
refused "an unknown column" "$T/col.csv" "1: shape: form item has no such field"
printf 'name,name\nok,ok\n' >"$T/dup.csv"
refused "a column twice" "$T/dup.csv" "1: name: the column appears twice"
printf 'name,reason\nok,x\n' >"$T/rej.csv"
refused "a rejects file imported as it is" "$T/rej.csv" \
    "1: reason: form item has no such field (delete the reason column"
: >"$T/empty.csv"
refused "an empty file" "$T/empty.csv" "1: expected a header row"
printf 'id,name\n100,again\n' >"$T/exists.csv"
refused "an id already stored" "$T/exists.csv" \
    "2: id: item 100 is already in the database"
printf 'id,name\n7,a\n7,b\n' >"$T/twice.csv"
refused "an id twice" "$T/twice.csv" "3: id: 7 appears twice (first at line 2)"
printf 'id,name\nx7,a\n' >"$T/badid.csv"
refused "an id that is no number" "$T/badid.csv" "2: id: expected a record id"

# Bytes of one letter: letters N LETTER.
letters() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

{ printf 'name,note\nbig,'; letters 1048576 x; echo; } >"$T/mb.csv"
refused "a 1 MB value in a text(200) field" "$T/mb.csv" \
    "2: note: expected at most 200 characters, found 1048576"
{ printf 'name,note\nhuge,'; letters 5242880 x; echo; } >"$T/5mb.csv"
refused "a 5 MB field" "$T/5mb.csv" \
    "2: note: column 4194310: expected at most 4194304 bytes in a field"

awk 'BEGIN {
	print "name,qty"
	for (i = 1; i <= 3000; i++)
		print "row" i "," i
	print "late,late"
}' >"$T/late.csv"
refused "a bad row after 3000 good ones" "$T/late.csv" "3002: qty:"
awk 'BEGIN { print "name,qty"; for (i = 1; i <= 150; i++) print "r" i ",x" }' \
    >"$T/many.csv"
refused "150 bad rows" "$T/many.csv" "101: qty:"
has "only 100 are shown" "many.csv: ... and 50 more"
lacks "the 101st is not" "$T/out" "many.csv:102:"

# A 1 MB column of a repeated text(65535) field: 16 values of 64 KiB.
{
	printf 'id,name,log\n500,big,"'
	for l in a b c d e f g h i j k l m n o; do
		letters 65535 "$l"
		printf ';'
	done
	letters 65535 p
	printf '"\n'
} >"$T/log.csv"
ok "a 1 MB column of 16 values is imported" ncenctl -d "$B" import item \
    "$T/log.csv"
ok "and exported" ncenctl -d "$B" export -o "$T/log.out" --where id=500 item
rm -rf "$T/g"
ncenctl -d "$T/g" init --forms "$FX/forms" >/dev/null
ok "and imported elsewhere" ncenctl -d "$T/g" import item "$T/log.out"
ok "and exported again" ncenctl -d "$T/g" export -o "$T/log.again" item
same "the 1 MB column comes back the same" "$T/log.out" "$T/log.again"

#
# --partial: the good rows go in, the others to a side file with reasons.
#
{
	printf 'id,name,colour,note\n200,good one,RED,"a, b"\n'
	printf '201,bad colour,PINK,"say ""x"""\n202,good two,,\n'
	printf '203,bad utf8 \377,,\n'
} >"$T/part.csv"
fails_with 1 "--partial exits 1 when rows were rejected" \
    ncenctl -d "$B" import --partial "$T/rejects.csv" item "$T/part.csv"
has "it says how many went in" "imported 2 item records"
has "and where the others went" "2 rows rejected, written with the reasons to"
ok "export the good rows" ncenctl -d "$B" export --from id=200 --to id=203 item
has "the first good row is there" "200,good one,"
has "the second too" "202,good two,"
lacks "the bad ones are not" "$T/out" "201,"
{
	printf 'id,name,colour,note,reason\r\n'
	printf '201,bad colour,PINK,"say ""x""","line 3: colour: expected a '
	printf "code or label of list 'colour', found 'PINK'\"\r\n"
	printf '203,bad utf8 \377,,,"line 5: name: column 14: expected UTF-8 '
	printf 'text, found the byte 0xff"\r\n'
} >"$T/rejects.want"
same "the rejected rows as read, with their reasons" "$T/rejects.want" \
    "$T/rejects.csv"
fails_with 1 "--partial with a bad header imports nothing" \
    ncenctl -d "$B" import --partial "$T/rejects2.csv" item "$T/col.csv"
[ ! -e "$T/rejects2.csv" ]
tap_result $? "and leaves no rejects file"

#
# Filters.
#
ok "--where on an indexed code field, by label" \
    ncenctl -d "$B" export --where colour=Green item
[ "$(sed 1d "$T/out" | cut -d, -f1 | tr -d "$CR" | tr '\n' ' ')" = "101 " ]
tap_result $? "finds the one green item"
ok "--from/--to on an indexed date" \
    ncenctl -d "$B" export --from day=2026-02-01 --to day=2026-12-31 item
[ "$(sed 1d "$T/out" | cut -d, -f1 | tr -d "$CR" | tr '\n' ' ')" = "101 102 " ]
tap_result $? "finds the items of February and March, in id order"
ok "--from alone, on a field without an index" \
    ncenctl -d "$B" export --from qty=2 item
[ "$(sed 1d "$T/out" | cut -d, -f1 | tr -d "$CR" | tr '\n' ' ')" = "101 102 " ]
tap_result $? "finds the two"
ok "--where on text ignores ASCII case" \
    ncenctl -d "$B" export --where name=BASE item
has "finds it" "100,base,"
ok "filters combine" ncenctl -d "$B" export --where tags=c --to id=102 item
[ "$(sed 1d "$T/out" | cut -d, -f1 | tr -d "$CR" | tr '\n' ' ')" = "102 " ]
tap_result $? "a repeated field matches on any of its values"
fails_with 2 "a filter on an unknown field" \
    ncenctl -d "$B" export --where shape=round item
has "it names the field" "form item has no field 'shape'"
fails_with 2 "a filter with a bad value" \
    ncenctl -d "$B" export --where day=2026-13-01 item
fails_with 2 "the same bound twice" \
    ncenctl -d "$B" export --where qty=1 --from qty=2 item
fails_with 2 "export of an unknown entity" ncenctl -d "$B" export nosuch
fails_with 2 "export to an unwritable place" \
    ncenctl -d "$B" export -o "$T/no/such/dir" item
fails_with 2 "import of a missing file" ncenctl -d "$B" import item "$T/none"
fails_with 2 "import without a file" ncenctl -d "$B" import item
fails_with 2 "import of an unknown entity" \
    ncenctl -d "$B" import nosuch "$FX/quotes.csv"

#
# An import killed or interrupted half way leaves nothing behind.
#
awk 'BEGIN {
	print "id,name,note,qty"
	for (i = 1; i <= 100000; i++)
		print 1000 + i ",row " i ",\"some text, to write\"," i
}' >"$T/big.csv"

# Start the big import in the background and wait until two batches are
# in the journal (so the first one has committed).
start_big() {
	ncenctl -d "$B" import item "$T/big.csv" >"$T/big.out" 2>&1 &
	big=$!
	n=0
	while [ $n -lt 2400 ]; do
		if [ "$(cat "$B"/import-*.journal 2>/dev/null |
		    grep -c '^record')" -ge 2000 ]; then
			return 0
		fi
		kill -0 $big 2>/dev/null || return 1
		sleep 0.05
		n=$((n + 1))
	done
	return 1
}

ncenctl -d "$B" dump -o "$T/before"
if start_big; then
	kill -KILL $big
	wait $big
	tap_result 0 "a big import is killed after its first batches"
else
	kill -KILL $big 2>/dev/null
	wait $big
	tap_result 1 "a big import is killed after its first batches"
fi
ls "$B"/import-*.journal >/dev/null 2>&1
tap_result $? "its journal stays"
ok "import --rollback" ncenctl -d "$B" import --rollback
grep -q "rolled back an interrupted import of .*: [1-9][0-9]* records" \
    "$T/out"
tap_result $? "it says what it rolled back: the batches that committed"
ncenctl -d "$B" dump -o "$T/after"
same "the killed import left nothing" "$T/before" "$T/after"
! ls "$B"/import-*.journal >/dev/null 2>&1
tap_result $? "and the journal is gone"
ok "verify after the rollback" ncenctl -d "$B" verify

start_big
kill -KILL $big 2>/dev/null
wait $big
ok "the next import rolls a dead one back first" \
    ncenctl -d "$B" import item "$FX/quotes.csv"
has "and says so" "rolled back an interrupted import of"
has "then imports" "imported 3 item records"
ncenctl -d "$B" dump -o "$T/before"

if start_big; then
	kill -TERM $big
	wait $big
	st=$?
	[ $st -eq 2 ]
	tap_result $? "SIGTERM stops an import between batches (exit $st)"
else
	kill -KILL $big 2>/dev/null
	wait $big
	tap_result 1 "SIGTERM stops an import between batches"
fi
grep -q "interrupted" "$T/big.out" && grep -q "nothing imported" "$T/big.out"
tap_result $? "it says it was interrupted and imported nothing"
ncenctl -d "$B" dump -o "$T/after"
same "the interrupted import rolled itself back" "$T/before" "$T/after"
! ls "$B"/import-*.journal >/dev/null 2>&1
tap_result $? "and removed its journal"

#
# Progress: a line rewritten in place on a terminal, nothing otherwise.
# The rows come through a pipe after two seconds, so the import has run
# for more than a second when it reads them.
#
head -1 "$T/big.csv" >"$T/small.hdr"
sed -n '2,40001p' "$T/big.csv" >"$T/small.rows"
slow="(cat '$T/small.hdr'; sleep 2; cat '$T/small.rows')"
rm -rf "$T/p1" "$T/p2"
ncenctl -d "$T/p1" init --forms "$FX/forms" >/dev/null
ok "a slow import with standard error not a terminal" \
    sh -c "$slow | ncenctl -d '$T/p1' import item -"
lacks "shows no progress line" "$T/out" "$CR"
lacks "nor any progress words" "$T/out" "rows"
if command -v script >/dev/null 2>&1; then
	ncenctl -d "$T/p2" init --forms "$FX/forms" >/dev/null
	script -qec "$slow | ncenctl -d '$T/p2' import item -" /dev/null \
	    >"$T/tty.out" 2>&1
	grep -q "${CR}ncenctl: checked [0-9]* rows" "$T/tty.out"
	tap_result $? "on a terminal a progress line is rewritten in place"
	grep -q "${CR}  *${CR}imported 40000 item records" "$T/tty.out"
	tap_result $? "and blanked before the summary"
fi

#
# Links: refused rows name the line and the column.
#
{
	echo 'from_entity,from_id,to_entity,to_id,role'
	echo 'item,100,item,101,Parent'
	echo 'item,100,item,999,PARENT'
	echo 'item,100,item,100,PARENT'
	echo 'item,101,item,102,COUSIN'
	echo 'thing,1,item,1,PARENT'
	echo 'item,101,item,100,PARENT'
} >"$T/links.csv"
ncenctl -d "$B" dump -o "$T/before"
fails_with 1 "bad links are refused" ncenctl -d "$B" import links "$T/links.csv"
has "a missing record" "links.csv:3: to_id: no item 999 in the database"
has "a link to itself" "links.csv:4: to_id: a record cannot be linked to itself"
has "a role not in the list" "links.csv:5: role: expected a code or label"
has "an unknown form" "links.csv:6: from_entity: expected the name of a form"
has "the same link the other way round" "links.csv:7: the same link as line 2"
ncenctl -d "$B" dump -o "$T/after"
same "bad links leave the database unchanged" "$T/before" "$T/after"
printf 'from_entity,from_id,to_entity,to_id,role\nitem,100,item,101,Parent\n' \
    >"$T/link1.csv"
ok "a good link, its role given by label" \
    ncenctl -d "$B" import links "$T/link1.csv"
ok "export the links" ncenctl -d "$B" export links
has "the role is stored as its code" "item,100,item,101,PARENT"
fails_with 1 "the same link again" ncenctl -d "$B" import links "$T/link1.csv"
has "is refused" "item 100 and item 101 are already linked as PARENT"
printf 'from_entity,from_id,role\n' >"$T/link2.csv"
fails_with 1 "a links file without its columns" \
    ncenctl -d "$B" import links "$T/link2.csv"
has "names the one missing" "link2.csv:1: to_entity: expected this column"
fails_with 2 "links take no filters" \
    ncenctl -d "$B" export --where id=1 links

#
# The customs offices list.
#
printf 'code,en,fr\nZZAIR01,"Airport ""North"", cargo",A\303\251roport Nord\nZZSEA01,Seaport \\ east,Port est\n' \
    >"$T/offices.csv"
ok "offices load into forms without an office list" \
    ncenctl -d "$B" offices load "$T/offices.csv"
has "it says how many" "loaded 2 offices into $B/forms/office.codes (list version 1)"
# shellcheck disable=SC2016 # expanded by the inner shell
ok "forms check accepts the list" sh -c \
    'ncenctl forms check "$1"/forms/*.form "$1"/forms/*.codes' sh "$B"
grep -q '^ZZAIR01	"Airport \\"North\\", cargo"	"A' "$B/forms/office.codes"
tap_result $? "labels are quoted as the .codes language wants"
ok "load it again" ncenctl -d "$B" offices load "$T/offices.csv"
has "the list version goes up" "(list version 2)"

cp "$X/forms/office.codes" "$T/office.before" 2>/dev/null ||
    : >"$T/office.before"
offices_refused() {
	name=$1; file=$2; where=$3
	fails_with 1 "$name is refused" ncenctl -d "$X" offices load "$file"
	has "$name: names $where" "$file:$where"
	has "$name: says nothing changed" "nothing changed"
	if [ -s "$T/office.before" ]; then
		same "$name: office.codes is unchanged" "$T/office.before" \
		    "$X/forms/office.codes"
	fi
}
printf 'code,en,fr\nZZ1,A,B\nZZ1,C,D\n' >"$T/off1.csv"
offices_refused "a code twice" "$T/off1.csv" \
    "3: code: 'ZZ1' appears twice (first at line 2)"
printf 'code,en,fr\nZZ 1,A,B\n' >"$T/off2.csv"
offices_refused "a code with a space" "$T/off2.csv" "2: code: expected a code"
printf 'code,en,fr\nZZ1,,B\n' >"$T/off3.csv"
offices_refused "an empty label" "$T/off3.csv" "2: en: expected a label"
printf 'code,en\nZZ1,A\n' >"$T/off4.csv"
offices_refused "a missing column" "$T/off4.csv" "1: fr: expected this column"
printf 'code,en,fr\nZZ1,"A\nB",C\n' >"$T/off5.csv"
offices_refused "a label on two lines" "$T/off5.csv" \
    "2: en: expected a label on one line"
if grep -q 'code:office' "$X/forms/case.form"; then
	# A code a stored case uses must stay in the list.
	used=$(ncenctl -d "$X" export case | sed -n 2p | cut -d, -f1)
	ok "a case uses an office" test -n "$used"
	printf 'code,en,fr\nZZ9,Only,Seul\n' >"$T/off6.csv"
	fails_with 1 "a list without the codes cases use is refused" \
	    ncenctl -d "$X" offices load "$T/off6.csv"
	has "it says why" "use office codes the new list leaves out"
	same "office.codes is unchanged" "$T/office.before" \
	    "$X/forms/office.codes"
	{
		printf 'code,en,fr\n'
		grep -v '^#' "$X/forms/office.codes" | awk -F'\t+' \
		    'NR > 2 && NF >= 3 { print $1 "," $2 "," $3 }'
		printf 'ZZNEW01,New office,Nouveau bureau\n'
	} >"$T/off7.csv"
	ok "the national list with one more office loads" \
	    ncenctl -d "$X" offices load "$T/off7.csv"
	printf 'office,direction\nZZNEW01,IMP\n' >"$T/newoff.csv"
	ok "a case at the new office imports" \
	    ncenctl -d "$X" import case "$T/newoff.csv"
fi
fails_with 2 "offices without load" ncenctl -d "$B" offices "$T/offices.csv"

#
# The audit log has each import, export, rollback and list load.
#
ok "the audit log" ncenctl -d "$B" audit show
has "an import" "import.csv item 3 rows from $FX/quotes.csv, 0 rejected"
has "the records it made" "record.create item:1 version 1"
has "a partial import" "import.csv item 2 rows from $T/part.csv, 2 rejected"
has "an export, before its rows" \
    "export.csv item to standard output --where colour=Green"
has "a rollback" "import.rollback - an interrupted import of $T/big.csv:"
has "the records it removed" "record.delete item:1001"
has "an import that rolled itself back" \
    "import.rollback - an import of $T/big.csv that failed:"
has "a list of offices" \
    "codes.load office 2 offices from $T/offices.csv, list version 1"
ok "the audit chain is intact" ncenctl -d "$B" audit verify

# --as USER: the account's roles decide (the role matrix), and what it
# does is audited under its name.
R=$T/roles
ok "init for --as" ncenctl -d "$R" init --forms "$F"
printf '%s\n' 'ncen-dump 1' 'record case 1 1 1795770000 bob' \
	'field date 2026-11-05' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'field officer bob' \
	'record case 2 1 1795770000 ann' 'field date 2026-11-06' \
	'field office FRCDG02' 'field country FR' 'field direction EXP' \
	'field officer ann' >"$T/roles.dump"
ok "two cases at two offices" ncenctl -d "$R" load "$T/roles.dump"
ok "accounts" sh -c "ncenctl -d '$R' user add bob --roles officer &&
	ncenctl -d '$R' user add ana --roles analyst &&
	ncenctl -d '$R' user add sue --roles supervisor --offices FRCDG01 &&
	ncenctl -d '$R' user add nina --roles ncp &&
	ncenctl -d '$R' user add lou --roles analyst &&
	ncenctl -d '$R' user lock lou"
fails_with 1 "an officer may not export" ncenctl -d "$R" export case --as bob
has "it says why" "export: refused: account 'bob' (officer) may not export"
ok "an analyst may" ncenctl -d "$R" export case --as ana
has "every case" "2,"
ok "a supervisor limited to an office" ncenctl -d "$R" export case \
	--as sue -o "$T/sue.csv"
has "one record written" "1 case record written"
has "the other left out, and why" "1 record left out: 'sue' may not export it"
grep -q "^1," "$T/sue.csv" && ! grep -q "^2," "$T/sue.csv"
tap_result $? "only the case of her office"
fails_with 1 "a locked account may not" ncenctl -d "$R" export case --as lou
has "it says so" "account 'lou' is locked by an administrator"
fails_with 1 "an account that is not there" ncenctl -d "$R" export case \
	--as zed
has "it says so" "zed"
ncenctl -d "$R" export case -o "$T/all.csv" 2>/dev/null
sed 's/^1,/3,/; s/,bob$/,nina/' "$T/all.csv" | sed -n '1p;2p' >"$T/new.csv"
fails_with 1 "an analyst may not import" ncenctl -d "$R" import case \
	"$T/new.csv" --as ana
has "it says why" "import: refused: account 'ana' (analyst) may not import"
fails_with 1 "nor roll back imports" ncenctl -d "$R" import --rollback \
	--as bob
ok "the NCP may import" ncenctl -d "$R" import case "$T/new.csv" --as nina
ok "the audit log" ncenctl -d "$R" audit show --user nina
has "the import is hers" "import.csv case"
has "and so are its records" "record.create case:3"
ok "the exports are under the accounts" ncenctl -d "$R" audit show \
	--action export.csv
has "ana's" "ana"
has "sue's" "sue"
! grep -q "bob" "$T/out"
tap_result $? "no export by the refused officer"
ok "the chain is intact" ncenctl -d "$R" audit verify

finish
