#!/bin/sh
# tests/ui-list.sh - the list and record view screens of ncen in tmux:
# counts, pages, sort, filter, go to page, open a person and a linked
# case, Cyrillic and Arabic names aligned, roles, and the audit of
# nominal data shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

D=$T/data
forms=$top_builddir/forms
ncenctl -d "$D" init --forms "$forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 60 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add sup --roles supervisor >/dev/null 2>&1 &&
ncenctl -d "$D" user add ana --roles analyst >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }

# Persons in Cyrillic and Arabic script, and one to filter on.
cat >"$T/p.csv" <<'EOF'
family_name,given_names,birth_date
Иванов,Пётр,1980-01-02
حداد,يوسف,1975-05-06
Zzyzx,Anna,1990-03-04
EOF
ok "import persons in three scripts" ncenctl -d "$D" import person "$T/p.csv"
persons=$(ncenctl -d "$D" stats | awk '$1 == "person" { print $2 }')
rows=$(ncenctl -d "$D" export person | wc -l)
check_count() { [ "$persons" -eq $((rows - 1)) ] && [ "$persons" -gt 40 ]; }
ok "stats and export agree on the persons ($persons)" check_count

# Wait up to 10 s for STRING to leave the screen: ui_unsee NAME TEST STRING.
ui_unsee() {
	i=0
	while [ $i -lt 200 ]; do
		ui_screen "$1"
		grep -qF -- "$3" "$T/out" || break
		sleep 0.05
		i=$((i + 1))
	done
	! grep -qF -- "$3" "$T/out"
	tap_result $? "$2"
}

# Lines 3..22 of the screen: the rows of the list.
# The rows of the list, without the selection's marker in column 0.
list_rows() { sed -n '3,22p' "$T/out" | cut -c2- | grep -v '^ *$'; }

ui_start L -e NCEN_HOME="$D" -- ncen --as sup
ui_see L "the main menu" "Main menu"
ui_keys L p
ui_see L "Persons titled with their count" "Persons ($persons)"
ui_see L "sorted by family name, page 1" "by Family name   page 1/"
ui_settle L
first1=$(list_rows | head -1)
ui_see L "the header names the columns" "Family name"

ui_keys L NPage
ui_see L "PgDn turns to page 2" "page 2/"
ui_settle L
first2=$(list_rows | head -1)
check_pg() { [ -n "$first2" ] && [ "$first1" != "$first2" ]; }
ok "page 2 shows other rows" check_pg
ui_keys L C-b
ui_see L "^B turns back to page 1" "page 1/"

ui_keys L C-t
ui_see L "^T sorts by the next indexed field" "by Given names"
ui_keys L C-x p
ui_see L "the list opens sorted by family name again" "by Family name"

# Typing filters by the sort field's prefix, capitals or not: the most
# common two-letter start of the family names, typed in capitals.
ncenctl -d "$D" export person >"$T/persons.csv"
ncenctl -d "$D" export case >"$T/cases.csv"
pre=$(python3 -c 'import csv, sys, collections
r = [x["family_name"][:2].lower() for x in csv.DictReader(open(sys.argv[1]))]
print(collections.Counter(p for p in r if p.isascii() and p.isalpha()).most_common(1)[0][0])' "$T/persons.csv")
PRE=$(printf '%s' "$pre" | tr a-z A-Z)
ui_type L "$PRE"
ui_see L "the filter shows on the status line" "starts with): $PRE"_
ui_settle L
bad=$(list_rows | awk -v p="$pre" 'index(tolower($2), p) != 1' | wc -l)
n=$(list_rows | wc -l)
check_filter() { [ "$n" -ge 2 ] && [ "$bad" -eq 0 ]; }
ok "every row shown starts with $PRE ($n rows)" check_filter
want=$(python3 -c 'import csv, sys
print(sum(1 for x in csv.DictReader(open(sys.argv[1])) if x["family_name"].lower().startswith(sys.argv[2])))' "$T/persons.csv" "$pre")
[ "$want" -gt 20 ] && want=20
check_n() { [ "$n" -eq "$want" ]; }
ok "as many rows as the export has ($want)" check_n
ui_keys L BSpace BSpace
ui_see L "Backspace empties the filter" "starts with): _"
ui_keys L C-f
ui_unsee L "^F ends the filter" "starts with):"

# ^O goes to a page.
ui_keys L C-o
ui_see L "^O asks for a page" "Go to page (1-"
ui_type L "3"
ui_keys L Enter
ui_see L "page 3 shown" "page 3/"
pages=$(( (persons + 19) / 20 ))
ui_keys L End
ui_see L "End goes to the last page" "page $pages/$pages"
ui_keys L Home
ui_see L "Home goes back to page 1" "page 1/"

# Cyrillic and Arabic names line up with the Latin ones.
ui_type L "Иван"
ui_see L "a Cyrillic prefix filters" "Иванов"
cyr=$(grep -F "Иванов" "$T/out")
ui_keys L C-f
ui_see L "^F clears the filter" "page 1/"
ui_type L "حد"
ui_see L "an Arabic prefix filters" "حداد"
arab=$(grep -F "حداد" "$T/out")
ui_keys L C-f
ui_type L "Zzy"
ui_see L "a Latin prefix filters" "Zzyzx"
lat=$(grep -F "Zzyzx" "$T/out")
# The character column of the given names (each of these characters
# takes one terminal column).
col_of() {
	printf '%s\n' "$1" | python3 -c 'import sys; l = sys.stdin.read().rstrip("\n"); print(l.find(sys.argv[1]))' "$2"
}
c1=$(col_of "$cyr" "Пётр"); c2=$(col_of "$arab" "يوسف"); c3=$(col_of "$lat" "Anna")
b1=$(col_of "$cyr" "1980-01-02"); b2=$(col_of "$arab" "1975-05-06"); b3=$(col_of "$lat" "1990-03-04")
check_align() { [ "$c1" -gt 0 ] && [ "$c1" = "$c2" ] && [ "$c2" = "$c3" ] && [ "$b1" = "$b2" ] && [ "$b2" = "$b3" ]; }
ok "Cyrillic, Arabic and Latin rows aligned (given names at $c1 $c2 $c3, dates at $b1 $b2 $b3)" check_align
ui_keys L C-f

# The view of the Cyrillic person: labels in a column, values after them.
ui_type L "Иванов"
ui_see L "filtered to the Cyrillic person" "Иванов"
ui_keys L Enter
ui_see L "Enter opens the person" "Family name: Иванов"
ui_screen L
fam=$(grep -F "Family name: Иванов" "$T/out")
giv=$(grep -F "Given names: Пётр" "$T/out")
check_view() { [ "$(col_of "$fam" "Family")" = "$(col_of "$giv" "Given")" ]; }
ok "the view lines the fields up" check_view
ui_see L "the view has no links for an imported person" "No linked records."
ui_keys L C-x
ui_see L "Back returns to the list" "Persons ($persons)"
ui_keys L C-f
# ^X in a filtered list goes back (^F is what clears a filter): the
# key after it reaches the main menu, not the list.
ui_type L "Zzy"
ui_see L "filtered again" "Zzyzx"
ui_keys L C-x
ui_see L "^X in a filtered list goes back to the menu" "Main menu"
ui_keys L p
ui_see L "the next key reaches the menu: the Persons list" "Persons ($persons)"
ui_unsee L "which opens without the filter" "starts with):"

# A demo person linked to cases: open it, then the case.
ui_see L "the list again" "page 1/"
ui_keys L Enter
ui_see L "the first person's view" "Linked records ("
ui_see L "a linked case is listed" "Case "
pid=$(sed -n 's/^Person \([0-9]*\), version.*/\1/p' "$T/out" | head -1)
ui_keys L C-r
ui_see L "^R shows the person's history" "History: Person $pid"
ui_see L "with the audit of its display" "view.nominal"
ui_keys L C-x
ui_see L "Back from the history" "Person $pid, version"
ui_keys L Enter
ui_see L "Enter opens the linked case" " ncen  Case"
ui_keys L C-x
ui_see L "Back returns to the person" "Person $pid, version"
ui_keys L C-x
ui_see L "and to the list" "Persons ($persons)"
# A bigger terminal shows more rows a page, and back.
ui_tmux resize-window -t L -x 100 -y 40
ui_see L "at 100x40 a page has 36 rows" "page 1/$(( (persons + 35) / 36 ))"
ui_tmux resize-window -t L -x 80 -y 24
ui_see L "at 80x24 again, 20 rows" "page 1/$(( (persons + 19) / 20 ))"
ui_keys L C-x
ui_see L "and to the main menu" "Main menu"
ui_keys L C-x
ui_gone L; tap_result $? "ncen ends on Back from the menu"

# The audit log names every person whose nominal fields were shown.
ncenctl -d "$D" audit show --action view.nominal >"$T/audit" 2>&1
cp "$T/audit" "$T/out"
has "the list's pages are audited" "sup view.nominal person:"
has "the view of the person is audited" "sup view.nominal person:$pid ncen showed"
has "so is the list" "ncen listed its nominal fields"
ok "the audit chain still verifies" ncenctl -d "$D" audit verify

# The search screen, once the main menu offers it: one question finds
# persons and cases through their indexes.
ui_start S -e NCEN_HOME="$D" -- ncen --as sup
ui_see S "the menu for a search" "Main menu"
if grep -q "  Search" "$T/out"; then
	ui_keys S s
	ui_see S "the search asks" "Find: _"
	ui_type S "Иван"
	ui_keys S Enter
	ui_see S "a Cyrillic name is found" "Иванов  Пётр"
	num=$(python3 -c 'import csv, sys
print(next(csv.DictReader(open(sys.argv[1])))["number"])' "$T/cases.csv")
	ui_keys S C-f
	ui_type S "$(printf '%s' "$num" | tr A-Z a-z)"
	ui_keys S Enter
	ui_see S "a case is found by its number typed in small letters" "$num"
	ui_keys S Enter
	ui_see S "Enter opens it" " ncen  Case"
	ui_keys S C-x C-x
else
	for t in asks Cyrillic number opens; do
		echo "ok $((tap_n + 1)) # SKIP the main menu has no Search entry yet ($t)"
		tap_n=$((tap_n + 1))
	done
fi
ui_keys S C-x
ui_gone S; tap_result $? "the search session ends"

# An analyst may not create: no ^N on the key line (on an xterm this time).
ui_start A -t xterm-256color -e NCEN_HOME="$D" -- ncen --as ana
ui_see A "the analyst's menu" "Main menu"
ui_keys A p
ui_see A "the analyst's list" "Persons ($persons)"
check_non() { ! grep -q "\^N New" "$T/out"; }
ok "no ^N for a role that may not create" check_non
ui_keys A C-n
ui_see A "^N refused in words" "may not create"
ui_keys A C-x C-x
ui_gone A; tap_result $? "the analyst's ncen ends"

# A role that may not see a record does not get it: an officer sees
# only the cases that are theirs (or nobody's).
off=$(python3 -c 'import csv, sys, collections
r = list(csv.DictReader(open(sys.argv[1])))
print(collections.Counter(x["officer"] for x in r).most_common(1)[0][0])' "$T/cases.csv")
own=$(python3 -c 'import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
print(sum(1 for x in r if x["officer"] in ("", sys.argv[2])))' "$T/cases.csv" "$off")
ncenctl -d "$D" user add "$off" --roles officer >/dev/null 2>&1
ui_start O -e NCEN_HOME="$D" -- ncen --as "$off"
ui_see O "the officer's menu" "Main menu"
ui_keys O c
ui_see O "the officer's case list" "Cases ("
ui_settle O
seen=$(list_rows | wc -l)
[ "$own" -gt 20 ] && own=20
check_own() { [ "$seen" -eq "$own" ] && [ "$own" -ge 1 ]; }
ok "the officer $off sees their $own cases on page 1, not the others ($seen)" check_own
ui_keys O C-x C-x
ui_gone O; tap_result $? "the officer's ncen ends"

finish
