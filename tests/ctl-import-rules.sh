#!/bin/sh
# ctl-import-rules.sh - what ncenctl import owes the workflow, with the
# real forms and two offices: a status past draft is reached through the
# workflow's steps (transition records, the outbox queued at validation)
# by an account allowed them, else the row is refused; a rollback undoes
# the steps and the outbox too; a template's example row never imports;
# case numbers are unique (database, file, concurrent imports) and made
# when missing.  Every refusal leaves the database as it was.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
[ -d "$F" ] || F=$top_srcdir/forms
X=$T/x
P=$T/partner

# The file does not contain a byte string: lacks NAME FILE STRING.
lacks() {
	! grep -qF -- "$3" "$2"
	tap_result $? "$1"
}

# What can change: the dump, and the outbox as ncen-icomm counts it.
state() {
	ncenctl -d "$X" dump >"$1" && ncen-icomm -d "$X" status >>"$1"
}

# An import refused: refused NAME WHERE ARGS..., nothing changed.
refused() {
	name=$1; where=$2; shift 2
	state "$T/before" || return 1
	fails_with 1 "$name is refused" ncenctl -d "$X" import "$@"
	has "$name: says $where" "$where"
	has "$name: nothing imported" "nothing imported"
	state "$T/after" || return 1
	cmp -s "$T/before" "$T/after"
	tap_result $? "$name: the database and outbox are unchanged"
}

# The number of queued entries for the partner.
queued() {
	ncen-icomm -d "$X" status | sed -n 's/^  queued \([0-9]*\),.*/\1/p'
}

# The export of the cases, without its header.
cases() {
	ncenctl -d "$X" export case 2>/dev/null | sed 1d | tr -d '\r'
}

ok "init with the real forms" ncenctl -d "$X" init --forms "$F"
ok "this node and a partner with an agreement for every group" sh -c "
	ncenctl -d '$X' node init --id FR-NCEN --role national &&
	ncenctl -d '$P' init --forms '$F' &&
	ncenctl -d '$P' node init --id DE-NCEN --role national &&
	ncenctl -d '$X' partner add DE-NCEN --role national \
	    --url https://127.0.0.1:1/de --cert '$P/node.crt' &&
	ncenctl -d '$X' agreement add --partner DE-NCEN --dir both \
	    --level partner --groups all --from 2020-01-01 --to 2099-12-31 \
	    --basis 'Mutual assistance agreement of 2020-01-01'"
ok "accounts" sh -c "
	ncenctl -d '$X' user add nina --roles ncp &&
	ncenctl -d '$X' user add sam --roles ncp,supervisor --offices FRCDG01 &&
	ncenctl -d '$X' user add bob --roles officer"
printf '%s\n' 'number,date,office,country,direction,officer' \
	'FR-CDG01-2026-000001,2026-11-01,FRCDG01,FR,IMP,bob' >"$T/first.csv"
ok "a first draft case, numbered" ncenctl -d "$X" import case "$T/first.csv"

#
# 1. Status through the workflow.
#
{
	echo 'status,date,office,country,direction,place'
	echo 'validated,2026-11-03,FRCDG01,FR,EXP,Quai 1'
} >"$T/valid.csv"
refused "a validated case imported without an account" \
	"valid.csv:2: status: a case imported as validated takes the workflow's steps (submit, validate), which need an account: 'root' has no account" \
	case "$T/valid.csv"
refused "a validated case imported by an NCP who is no supervisor" \
	"valid.csv:2: status: a case imported as validated takes the workflow's steps (submit, validate), and account 'nina' (ncp) may not submit a case of office FRCDG01" \
	case "$T/valid.csv" --as nina
{
	echo 'status,date,office,country,direction,place'
	echo 'closed,2026-11-03,FRCDG02,FR,EXP,Quai 2'
} >"$T/other.csv"
refused "a closed case of an office that is not the supervisor's" \
	"other.csv:2: status: a case imported as closed takes the workflow's steps (submit, validate, close), and account 'sam' (supervisor,ncp) may not submit a case of office FRCDG02" \
	case "$T/other.csv" --as sam
{
	echo 'status,date,office,direction'
	echo 'submitted,2026-11-03,FRCDG01,EXP'
} >"$T/incomplete.csv"
refused "a submitted case that is not complete" \
	"incomplete.csv:2: status: a case imported as submitted must be complete: country: expected a value" \
	case "$T/incomplete.csv" --as sam

{
	echo 'status,date,office,country,direction,place'
	echo 'draft,2026-11-02,FRCDG01,FR,IMP,Quai 3'
	echo 'submitted,2026-11-02,FRCDG01,FR,IMP,Quai 4'
	echo 'validated,2026-11-03,FRCDG01,FR,EXP,Quai 5'
	echo 'closed,2026-11-04,FRCDG01,FR,IMP,Quai 6'
	echo 'validated,2026-11-05,FRCDG02,FR,IMP,Quai 7'
} >"$T/steps.csv"
state "$T/before"
fails_with 1 "--partial: the supervisor's cases go in, the other office's not" \
	ncenctl -d "$X" import case "$T/steps.csv" --as sam \
	--partial "$T/rejects.csv"
has "four imported" "imported 4 case records"
grep -q "^validated,2026-11-05,FRCDG02,FR,IMP,Quai 7,\"line 6: status: .*may not submit a case of office FRCDG02" \
	"$T/rejects.csv"
tap_result $? "the other office's row is in the rejects, with the reason"
cases >"$T/cases"
grep -q '^2,FR-CDG01-2026-000002,draft,2026-11-02,' "$T/cases" &&
	grep -q '^3,FR-CDG01-2026-000003,submitted,' "$T/cases" &&
	grep -q '^4,FR-CDG01-2026-000004,validated,' "$T/cases" &&
	grep -q '^5,FR-CDG01-2026-000005,closed,' "$T/cases"
tap_result $? "each case has its status and a number of its own"
ok "case 2's history" ncenctl -d "$X" case history 2
has "a draft took no step" "no workflow step recorded"
ok "case 5's history" ncenctl -d "$X" case history 5
has "it is closed, at version 4" "case 5 is closed (version 4)"
has "submitted by sam" "draft -> submitted  by sam (supervisor)"
has "validated by sam" "submitted -> validated  by sam (supervisor)"
has "closed by sam" "validated -> closed  by sam (supervisor)"
ok "case 3's history" ncenctl -d "$X" case history 3
[ "$(grep -c -- ' -> ' "$T/out")" -eq 1 ] && has "submitted only" \
	"draft -> submitted  by sam (supervisor)"
ok "the transition records in the dump" ncenctl -d "$X" dump transition
[ "$(grep -c '^record transition ' "$T/out")" -eq 6 ]
tap_result $? "six steps: 1 + 2 + 3"
[ "$(queued)" -eq 2 ]
tap_result $? "the validated and the closed case are queued for the partner"
ok "the audit log of the queue" ncenctl -d "$X" audit show \
	--action icomm.queue
has "case 4 queued at its validation" \
	"sam icomm.queue case:4 record for DE-NCEN (version 3)"
has "case 5 queued at its validation" \
	"sam icomm.queue case:5 record for DE-NCEN (version 3)"
lacks "the submitted case is not" "$T/out" "case:3"

# An update of an existing case: import never changes a stored case.
printf 'id,status,date,office,country,direction\n3,closed,2026-11-02,FRCDG01,FR,IMP\n' \
	>"$T/update.csv"
refused "a stored case imported again with another status" \
	"update.csv:2: id: case 3 is already in the database" \
	case "$T/update.csv" --as sam
ok "the workflow's records are not imported as data" \
	ncenctl -d "$X" export transition -o "$T/transition.csv"
refused "an import of transition records" \
	"transition.csv:2: the workflow writes its steps itself" \
	transition "$T/transition.csv" --as sam

# A dead import of cases with their steps: the rollback undoes them.
awk 'BEGIN {
	print "status,date,office,country,direction"
	for (i = 1; i <= 30000; i++)
		print (i % 3 ? "validated" : "closed") ",2026-09-01,FRCDG01,FR,IMP"
}' >"$T/big.csv"
state "$T/before"
ncenctl -d "$X" import case "$T/big.csv" --as sam >"$T/big.out" 2>&1 &
big=$!
n=0
while [ $n -lt 2400 ]; do
	[ "$(cat "$X"/import-*.journal 2>/dev/null |
	    grep -c '^record case')" -ge 1000 ] && break
	kill -0 $big 2>/dev/null || break
	sleep 0.05
	n=$((n + 1))
done
kill -KILL $big 2>/dev/null
wait $big
grep -q '^record transition' "$X"/import-*.journal 2>/dev/null
tap_result $? "an import of validated cases killed after its first batch"
[ "$(queued)" -gt 2 ]
tap_result $? "the batch that committed queued cases for the partner"
ok "import --rollback" ncenctl -d "$X" import --rollback --as sam
grep -q "rolled back an interrupted import of $T/big.csv: [1-9][0-9]* records" \
	"$T/out"
tap_result $? "it says what it removed"
state "$T/after"
cmp -s "$T/before" "$T/after"
tap_result $? "cases, transitions and the outbox are as before the import"
ok "the audit log of the rollback" ncenctl -d "$X" audit show \
	--action icomm.unqueue
has "what was queued and not sent is taken back" \
	"icomm.unqueue case:"
ok "verify" ncenctl -d "$X" verify

#
# 2. A template never imports as data.
#
ok "the template of a case" ncenctl -d "$X" template case
cp "$T/out" "$T/template.csv"
head -1 "$T/template.csv" | grep -q '^#example,number,status,date,'
tap_result $? "its first column marks the example row"
refused "the template as it is" \
	"template.csv:2: this is a template's example row: replace it with your data" \
	case "$T/template.csv" --as sam
state "$T/before"
fails_with 1 "the template with --partial" ncenctl -d "$X" import case \
	"$T/template.csv" --as sam --partial "$T/trej.csv"
has "imports nothing" "imported 0 case records"
grep -q ",line 2: this is a template's example row: replace it with your data" \
	"$T/trej.csv"
tap_result $? "the example row is in the rejects, with the reason"
state "$T/after"
cmp -s "$T/before" "$T/after"
tap_result $? "the template with --partial: the database is unchanged"
{
	head -1 "$T/template.csv"
	printf ',,,2026-11-06,,,FRCDG01,FR,Quai 8,IMP,,,,,,,,,,,,,,,,,,,,\r\n'
	printf ',,validated,2026-11-07,,,FRCDG01,FR,Quai 9,EXP,,,,,,,,,,,,,,,,,,,,\r\n'
} >"$T/filled.csv"
ok "a template whose example row was replaced imports" \
	ncenctl -d "$X" import case "$T/filled.csv" --as sam
has "both rows" "imported 2 case records"
cases >"$T/cases"
grep -q ',Quai 8,' "$T/cases" && grep -q ',validated,2026-11-07,.*,Quai 9,' \
	"$T/cases"
tap_result $? "as drafted and as validated"
ok "the template of links" ncenctl -d "$X" template links
cp "$T/out" "$T/tlinks.csv"
refused "the links template as it is" \
	"tlinks.csv:2: this is a template's example row" links "$T/tlinks.csv"

#
# 3. Case numbers: unique, and made when missing.
#
printf 'number,date,office,country,direction\nFR-CDG01-2026-000003,2026-11-08,FRCDG01,FR,IMP\n' \
	>"$T/taken.csv"
refused "a number another case has" \
	"taken.csv:2: number: 'FR-CDG01-2026-000003' is already the number of case 3" \
	case "$T/taken.csv"
printf 'number,date,office,country,direction\nfr-cdg01-2026-000003,2026-11-08,FRCDG01,FR,IMP\n' \
	>"$T/taken2.csv"
refused "the same number in lower case" \
	"taken2.csv:2: number: 'fr-cdg01-2026-000003' is already the number of case 3" \
	case "$T/taken2.csv"
{
	echo 'number,date,office,country,direction'
	echo 'FR-CDG01-2026-000100,2026-11-08,FRCDG01,FR,IMP'
	echo 'FR-CDG01-2026-000100,2026-11-09,FRCDG01,FR,IMP'
} >"$T/twice.csv"
refused "a number twice in a file" \
	"twice.csv:3: number: 'FR-CDG01-2026-000100' appears twice (first at line 2)" \
	case "$T/twice.csv"
last=$(cases | cut -d, -f2 | sed -n 's/^FR-CDG01-2026-0*//p' | sort -n | tail -1)
next=$(printf 'FR-CDG01-2026-%06d' $((last + 1)))
after=$(printf 'FR-CDG01-2026-%06d' $((last + 2)))
{
	echo 'number,date,office,country,direction,place'
	echo ",2026-11-10,FRCDG01,FR,IMP,Made 1"
	echo "$next,2026-11-10,FRCDG01,FR,IMP,Given"
	echo ",2026-11-10,FRCDG02,FR,IMP,Made 2"
	echo ",,FRCDG01,,IMP,No date"
} >"$T/made.csv"
ok "cases without a number, and one given further down" \
	ncenctl -d "$X" import case "$T/made.csv"
cases >"$T/cases"
grep -q "^[0-9]*,$after,.*,Made 1," "$T/cases"
tap_result $? "the first is numbered past the one the file gives"
grep -q "^[0-9]*,$next,.*,Given," "$T/cases"
tap_result $? "the given one keeps its number"
grep -q "^[0-9]*,FR-CDG02-2026-000001,.*,Made 2," "$T/cases"
tap_result $? "another office counts from 1"
grep -q "^[0-9]*,,.*,No date," "$T/cases"
tap_result $? "a draft without a date waits for one, as in ncen"
[ -z "$(cases | cut -d, -f2 | grep . | sort | uniq -d)" ]
tap_result $? "no number twice"

# Concurrent imports: made numbers never collide; a given one goes once.
awk 'BEGIN {
	print "date,office,country,direction"
	for (i = 1; i <= 3000; i++)
		print "2026-08-01,FRCDG02,FR,IMP"
}' >"$T/many.csv"
n0=$(cases | wc -l)
ncenctl -d "$X" import case "$T/many.csv" >"$T/m1" 2>&1 &
m1=$!
ncenctl -d "$X" import case "$T/many.csv" >"$T/m2" 2>&1 &
m2=$!
wait $m1
s1=$?
wait $m2
s2=$?
[ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ "$(cases | wc -l)" -eq $((n0 + 6000)) ]
tap_result $? "two imports at once both go in"
[ -z "$(cases | cut -d, -f2 | grep . | sort | uniq -d)" ]
tap_result $? "and no number is given twice"
awk 'BEGIN {
	print "number,date,office,country,direction"
	for (i = 1; i <= 2000; i++)
		print ",2026-07-01,FRCDG02,FR,IMP"
	print "FR-CDG02-2026-900000,2026-07-01,FRCDG02,FR,IMP"
}' >"$T/one.csv"
ncenctl -d "$X" import case "$T/one.csv" >"$T/m1" 2>&1 &
m1=$!
ncenctl -d "$X" import case "$T/one.csv" >"$T/m2" 2>&1 &
m2=$!
wait $m1
s1=$?
wait $m2
s2=$?
[ $((s1 + s2)) -ne 0 ] && { [ $s1 -eq 0 ] || [ $s2 -eq 0 ]; }
tap_result $? "the same number given by two imports at once: one goes in"
cat "$T/m1" "$T/m2" >"$T/out"
has "the other names the case that has it" \
	"number: 'FR-CDG02-2026-900000' is already the number of case"
[ "$(cases | grep -c ',FR-CDG02-2026-900000,')" -eq 1 ]
tap_result $? "one case has it"
ok "verify at the end" ncenctl -d "$X" verify
ok "the audit chain is intact" ncenctl -d "$X" audit verify

finish
