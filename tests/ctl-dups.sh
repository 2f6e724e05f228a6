#!/bin/sh
# ctl-dups.sh - import --duplicates: rows that stored records probably
# are (the same document once compact, or the same names by sound and
# the same date of birth) are reported, refused or let be; rows that
# only look alike (another date of birth) are not; refusals leave the
# database as it was.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/search
X=$T/data

ok "init" ncenctl -d "$X" init --forms "$F"
ok "import the test set" ncenctl -d "$X" import person "$FX/persons.csv"
persons() { ncenctl -d "$X" export person | wc -l; }
before=$(persons)

# Person 1 is Кузнецов Дмитрий Иванович, born 1997-10-23, passport
# "72 1234567"; person 4 Müller Hans, card C01X00T47.
cat >"$T/rows.csv" <<'EOF'
family_name,given_names,birth_date,document_number
Kouznetsov,Dmitri,1997-10-23,
Smith,John,1970-01-01,72-123-4567
Mueller,Hans,1970-03-05,
Kuznetsov,Dmitriy,1960-01-01,
Newman,Paul,1980-02-02,
EOF

fails_with 1 "--duplicates refuse refuses the import" \
    ncenctl -d "$X" import --duplicates refuse person "$T/rows.csv"
cp "$T/out" "$T/refused"
has "the transliterated name and same birth date is person 1" \
    "rows.csv:2: probably already recorded as person:1 (--duplicates refuse)"
has "the same passport written with dashes is person 1" \
    "rows.csv:3: probably already recorded as person:1"
has "Mueller Hans born the same day is Müller (person 4)" \
    "rows.csv:4: probably already recorded as person:4"
check_not5() { grep -q "rows.csv:4:" "$T/refused" &&
    ! grep -q "rows.csv:5:" "$T/refused"; }
ok "the same name born another day is not a duplicate" check_not5
check_not6() { ! grep -q "rows.csv:6:" "$T/refused"; }
ok "nor is a new name" check_not6
check_none() { grep -q "3 of 5 rows refused: nothing imported" "$T/refused"; }
ok "three of five refused, and nothing imported" check_none
same() { [ "$(persons)" -eq "$before" ]; }
ok "the database is as it was" same

fails_with 2 "--duplicates with a bad mode is a usage error" \
    ncenctl -d "$X" import --duplicates maybe person "$T/rows.csv"
has "it names the modes" "expected report, refuse or none, found 'maybe'"
ok "still as it was" same

ok "--duplicates none imports without looking" \
    ncenctl -d "$X" import --duplicates none person "$T/rows.csv"
cp "$T/out" "$T/none"
check_quiet() { grep -q "imported 5" "$T/none" &&
    ! grep -q "probably" "$T/none"; }
ok "and says nothing of duplicates" check_quiet
five() { [ "$(persons)" -eq $((before + 5)) ]; }
ok "five more persons" five

# Report (the default): the rows go in, each probable one named.
ok "the default reports and imports" \
    ncenctl -d "$X" import person "$T/rows.csv"
has "a row that the earlier import made is named too" \
    "rows.csv:6: probably already recorded as person:"
has "the summary counts them" "5 of them probably already recorded"
ten() { [ "$(persons)" -eq $((before + 10)) ]; }
ok "five more again" ten

# --partial with refuse: the good rows in, the others in the rejects.
cat >"$T/more.csv" <<'EOF'
family_name,given_names,birth_date
Кузнецов,Дмитрий,1997-10-23
Brandnew,Person,1999-09-09
EOF
fails_with 1 "--partial with refuse stores the rest" \
    ncenctl -d "$X" import --partial "$T/rej.csv" --duplicates refuse \
    person "$T/more.csv"
has "one row rejected" "1 row rejected"
grep -q "probably already recorded" "$T/rej.csv"
tap_result $? "its reason is in the rejects file"
eleven() { [ "$(persons)" -eq $((before + 11)) ]; }
ok "one more person" eleven

ok "the data directory verifies" ncenctl -d "$X" verify
finish
