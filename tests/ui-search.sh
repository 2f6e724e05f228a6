#!/bin/sh
# ui-search.sh - the Search screen in tmux (80x24, vt100) on the search
# test set (tests/fixtures/search): every query typed as an officer
# would, its expected person among the first five hits on the screen;
# recall at 1 and at 5 printed as comments.  Then: the hits narrow as
# more is typed (more words are never dropped), Enter opens the marked
# hit, ^F starts again, ^G helps, Backspace takes back, a question with
# nothing to look for says so, and need to know (an officer sees the
# "hit, no hit" line, not the record).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/search
X=$T/data

ok "init" ncenctl -d "$X" init --forms "$F"
ok "import the test set" ncenctl -d "$X" import person "$FX/persons.csv"
ok "a supervisor" ncenctl -d "$X" user add --roles supervisor sup

# The record numbers of the first five hits on the screen ($T/out).
top5() {
	sed -n '4,8p' "$T/out" | sed -n 's/^.Person \([0-9]*\) .*/person:\1/p'
}

ui_start S -- ncen -d "$X" --as sup --idle 0
ui_see S "the main menu" "Main menu"
ui_keys S s
ui_see S "the search screen asks" "Find: _"

n=0; at1=0; at5=0; missed=
tab=$(printf '\t')
while IFS="$tab" read -r query expect opts what; do
	case $query in '#'*|'') continue ;; esac
	n=$((n + 1))
	ui_keys S C-f
	ui_type S "$query"
	# Queries ending with a finished word are asked with Enter, the
	# others are left to the typist's pause, as an officer would.
	[ "$opts" = prefix ] || ui_keys S Enter
	ui_wait S "Find: $query" >/dev/null
	ui_settle S
	rank=$(top5 | grep -nx -- "$expect" | cut -d: -f1)
	[ "$rank" = 1 ] && at1=$((at1 + 1))
	if [ -n "$rank" ]; then
		at5=$((at5 + 1))
	else
		missed="$missed
# missed on the screen: $query ($what): want $expect, got $(top5 | tr '\n' ' ')"
	fi
done <"$FX/queries.tsv"
echo "# Search screen: recall at 1: $at1/$n, recall at 5: $at5/$n"
[ -n "$missed" ] && echo "$missed"
check_every() { [ "$at5" -eq "$n" ] && [ "$n" -ge 40 ]; }
ok "every query of the test set shows its person in the top 5" check_every

# Narrowing: a first word, then more words typed after the hits came.
ui_keys S C-f
ui_type S "Abdulrahman"
ui_keys S Enter
ui_wait S "found;" >/dev/null
ui_settle S
first=$(top5 | wc -l)
ui_type S " Youssef"
ui_see S "more words typed after the hits show on the question line" \
    "Find: Abdulrahman Youssef_"
ui_settle S
top5 >"$T/hits"
check_narrow() { [ "$(head -1 "$T/hits")" = person:9 ] &&
    [ "$(wc -l <"$T/hits")" -le "$first" ]; }
ok "and narrow the hits: person 9 first, $(wc -l <"$T/hits") of $first" \
    check_narrow
ui_keys S Enter
ui_see S "Enter opens the marked hit" "Person 9, version"
ui_keys S C-x
ui_see S "Back returns to the hits" "Find: Abdulrahman Youssef_"

# Up and Down move the mark; Backspace takes back a character.
ui_keys S Down
ui_settle S
sed -n 5p "$T/out" | grep -q '^>'
tap_result $? "Down marks the second hit"
ui_keys S BSpace BSpace BSpace BSpace BSpace
ui_see S "Backspace takes back characters" "Find: Abdulrahman Yo_"

# Help, and a question with nothing to look for.
ui_keys S C-g
ui_see S "^G opens the search help" "sounds like"
ui_keys S C-x
ui_see S "back from the help" "Find: Abdulrahman Yo_"
ui_keys S C-f
ui_type S "--"
ui_keys S Enter
ui_settle S
ui_see S "a question of punctuation only is answered in words" "Find: --_"
sed -n 23p "$T/out" | grep -q '[a-z]'
tap_result $? "with a message on the status line"
ui_keys S C-x
ui_see S "Back to the menu" "Main menu"
ui_keys S C-x
ui_gone S; tap_result $? "the supervisor's ncen ends"

# The Persons list's filter goes through the same keys: Latin letters
# typed find a Cyrillic name, capitals or not.
ui_start L -- ncen -d "$X" --as sup --idle 0
ui_see L "the menu again" "Main menu"
ui_keys L p
ui_see L "the Persons list" "by Family name"
ui_type L "KUZN"
ui_see L "the filter typed in Latin capitals" "starts with): KUZN_"
ui_settle L
grep -q "Кузнецов" "$T/out" && grep -q "Kuznetsov" "$T/out" &&
    ! grep -q "Müller" "$T/out"
tap_result $? "KUZN lists Кузнецов and Kuznetsov, and nothing else"
ui_keys L C-f
ui_type L "παπαδ"
ui_see L "a Greek filter in small letters finds the Greek name" \
    "Παπαδοπούλου"
ui_keys L C-x C-x
ui_gone L; tap_result $? "the list session ends"

# LANG=C (a plain vt100 or a serial console): names beyond ASCII show
# transliterated and marked with '~', and ASCII typed finds them.
ui_start C -e LANG=C -e LC_ALL=C -- ncen -d "$X" --as sup --idle 0
ui_see C "LANG=C: the menu" "Main menu"
ui_keys C p
ui_see C "LANG=C: the Persons list" "by Family name"
ui_type C "kuzn"
ui_see C "LANG=C: Кузнецов shows as ~Kuznetsov" "~Kuznetsov"
LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T/out"
[ $? -ne 0 ]
tap_result $? "LANG=C: nothing beyond ASCII on the screen"
ui_keys C C-x s
ui_type C "Papadopoulou"
ui_keys C Enter
ui_see C "LANG=C: search finds the Greek name, shown in Latin" \
    "~Papadopoulou"
ui_keys C C-x C-x
ui_gone C; tap_result $? "the LANG=C session ends"

# Need to know: an officer's search shows the "hit, no hit" line only.
ok "an officer" ncenctl -d "$X" user add --roles officer --offices FRMRS01 \
    olga
ui_start O -- ncen -d "$X" --as olga --idle 0
ui_see O "the officer's menu" "Main menu"
ui_keys O s
ui_type O "Kuznetsov"
ui_keys O Enter
ui_see O "the officer is told where matches lie" "no case yet"
! top5 | grep -q person
tap_result $? "without showing any of them"
ui_keys O C-x C-x
ui_gone O; tap_result $? "the officer's ncen ends"
ok "the hidden matches are audited" ncenctl -d "$X" audit show \
    --action search.hidden
has "search.hidden names the person" "search.hidden person:"

ok "the data directory verifies" ncenctl -d "$X" verify
finish
