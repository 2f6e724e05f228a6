#!/bin/sh
# ctl-search.sh - ncenctl search on the test set (tests/fixtures/search):
# persons in Latin, Cyrillic, Greek, Arabic, Han, Hebrew and Armenian
# letters, found through transliteration variants, typos, word orders,
# case changes, documents, phones and dates.  Every query must find its
# person in the top 5; recall at 1 and at 5 are printed as comments.
# Then: need to know (--as), bad queries (the database unchanged), and
# the upgrade (a search index removed is built again at the next open).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/search
X=$T/data

ok "init" ncenctl -d "$X" init --forms "$F"
ok "import the test set" ncenctl -d "$X" import person "$FX/persons.csv"

# Each query: its expected person at rank 1, in the top 5, or missed.
n=0; at1=0; at5=0; missed=
tab=$(printf '\t')
while IFS="$tab" read -r query want opts what; do
	case $query in '#'*|'') continue ;; esac
	n=$((n + 1))
	flag=
	[ "$opts" = prefix ] && flag=--prefix
	# shellcheck disable=SC2086  # the query is split into words on purpose
	ncenctl -d "$X" search --entity person --limit 5 $flag $query \
	    >"$T/hits" 2>"$T/err"
	rank=$(cut -f1 "$T/hits" | grep -nx -- "$want" | cut -d: -f1)
	if [ "$rank" = 1 ]; then
		at1=$((at1 + 1))
	fi
	if [ -n "$rank" ]; then
		at5=$((at5 + 1))
	else
		missed="$missed
# missed: $query ($what): want $want, got $(cut -f1 "$T/hits" | tr '\n' ' ')$(cat "$T/err")"
	fi
done <"$FX/queries.tsv"
echo "# recall at 1: $at1/$n, recall at 5: $at5/$n"
[ -n "$missed" ] && echo "$missed"
check_every() { [ "$at5" -eq "$n" ] && [ "$n" -ge 40 ]; }
ok "every query of the test set finds its person in the top 5" check_every

# The line format: ENTITY:ID, score, why, summary, tab-separated.
ok "search prints hits" ncenctl -d "$X" search Кузнецов Дмитрий
line1=$(head -1 "$T/out")
fmt_ok() {
	printf '%s\n' "$line1" | awk -F '\t' 'NF == 4 && $1 == "person:1" &&
	    $2 ~ /^[0-9]+$/ && $2 <= 100 && $3 == "exact" &&
	    $4 ~ /^Кузнецов Дмитрий/ { f = 1 } END { exit !f }'
}
ok "the best hit is person:1, exact, with its summary" fmt_ok
ok "a transliterated query says so" ncenctl -d "$X" search Kuznetsov Dmitriy
has "why: transliterated" "transliterated"
ok "an alias says so" ncenctl -d "$X" search Ahmed Mohamed
has "why: alias" "alias"
ok "a document number says so" ncenctl -d "$X" search C01X00T47
has "why: document" "document"
ok "a date says so" ncenctl -d "$X" search 23.10.1997
has "why: date" "date"
ok "--limit 1 prints one line" ncenctl -d "$X" search --limit 1 Kuznetsov
cp "$T/out" "$T/res"
lines_one() { [ "$(wc -l <"$T/res")" -eq 1 ]; }
ok "--limit 1: one line" lines_one
ok "a query matching nothing prints nothing" ncenctl -d "$X" search Zzyzx
cp "$T/out" "$T/res"
empty() { [ ! -s "$T/res" ]; }
ok "no hit, no line" empty

# Need to know: an officer sees only its own records; the others count.
ok "an officer account" ncenctl -d "$X" user add --roles officer \
    --offices FRMRS01 officer1
fails_with 1 "--as an unknown account is refused" \
    ncenctl -d "$X" search --as nobody Kuznetsov
ok "--as officer1 searches" ncenctl -d "$X" search --as officer1 Kuznetsov
has "hidden matches are counted" "more match"
cp "$T/out" "$T/res"
no_person() { ! grep -q '^person:' "$T/res"; }
ok "--as officer1 is shown no one else's person" no_person
ok "the hidden matches are audited" ncenctl -d "$X" audit show \
    --action search.hidden
has "audit: search.hidden" "search.hidden"

# Bad queries are refused cleanly; nothing changes.
before=$(ncenctl -d "$X" dump person | md5sum)
fails_with 2 "an empty query is refused" ncenctl -d "$X" search ""
fails_with 2 "punctuation alone is refused" ncenctl -d "$X" search -- "-- ,;"
has "it says why" "nothing to search for"
bad=$(printf 'Kuz\377\376netsov')
fails_with 2 "invalid UTF-8 is refused" ncenctl -d "$X" search "$bad"
has "it says why" "UTF-8"
fails_with 2 "an unknown entity is refused" \
    ncenctl -d "$X" search --entity nosuch Kuznetsov
fails_with 2 "--limit 0 is refused" ncenctl -d "$X" search --limit 0 Kuznetsov
long=$(head -c 600 /dev/zero | tr '\0' a)
fails_with 2 "a too long query is refused" ncenctl -d "$X" search "$long"
after=$(ncenctl -d "$X" dump person | md5sum)
same() { [ "$before" = "$after" ]; }
ok "the records are unchanged" same
ok "verify checks the search index" ncenctl -d "$X" verify
has "verify: person.search.idx" "person.search.idx"

# Upgrade: a directory without the search index (made before it, or
# its file lost) gets it built at the next open, in batches.
rm -f "$X/person.search.idx"
ok "reopen builds the index again" ncenctl -d "$X" search Kusnezow Dmitrij
has "found once built" "person:1"
ok "verify after the rebuild" ncenctl -d "$X" verify
finish
