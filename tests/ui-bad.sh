#!/bin/sh
# tests/ui-bad.sh - bad keystrokes in the form: bytes that are not UTF-8,
# an unknown code, 10 KB pasted into a 40-character field, a date that
# is not in the calendar.  Each is refused in words on the status line,
# ncen keeps running (the next key works), ^W stores nothing while a
# value is refused, and the record is stored once the values are fixed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

D=$T/data
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 10 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }

ncount() { ncenctl -d "$D" stats | awk -v e="$1" '$1 == e { print $2 }'; }
businesses=$(ncount business)
persons=$(ncount person)
same_businesses() { [ "$(ncount business)" -eq "$businesses" ]; }
same_persons() { [ "$(ncount person)" -eq "$persons" ]; }

ui_start B -e NCEN_HOME="$D" -- ncen --as alice
ui_see B "the main menu" "Main menu"
ui_keys B b
ui_see B "the businesses list" "Businesses ("
ui_keys B C-n
ui_see B "a new business" "New Business"

# Bytes that are not UTF-8 (c3 starts a character, 28 does not go on).
ui_type B "Atlas "
ui_keys B -H c3
ui_see B "a byte that is not UTF-8 is refused in words" \
	"Company name: bytes that are not UTF-8 text were refused"
ui_keys B -H ff fe
ui_type B "Tr"
ui_keys B -H c3 28
ui_keys B BSpace
ui_type B "ading"
ui_see B "the keys after them work" "Company name[Atlas Trading"
ui_keys B Tab Tab Tab
ui_see B "on to the country" "Country of registration: ISO 3166-1"

# An unknown code.
ui_type B "XX"
ui_keys B Tab
ui_see B "an unknown code is refused in words" \
	"'XX' is not a code of list country"
ui_keys B C-w
ui_see B "^W does not save past it" "'XX' is not a code of list country"
ok "nothing stored while the code is refused" same_businesses
ui_keys B C-u
ui_type B "morocco"
ui_keys B Tab
ui_see B "the label of a code is taken: cursor on to the next field" \
	"Country of registration[MA"

# 10 KB pasted into a 40-character field.
awk 'BEGIN { for (i = 0; i < 10240; i++) printf "7"; }' >"$T/paste"
ui_tmux load-buffer "$T/paste"
ui_tmux paste-buffer -t B
ui_see B "a paste longer than the field is refused in words" \
	"Company registration number takes at most 40 characters; the rest was"
ui_see B "the field holds 40 characters" \
	"7777777777777777777777777777777777777777"
ui_keys B C-u
ui_type B "RC-2026-B-00042"
ui_see B "the next keys work" "number[RC-2026-B-00042"
ok "nothing stored by the paste" same_businesses
ui_keys B C-w
ui_see B "fixed: saved" "version 1"
ncenctl -d "$D" export business >"$T/out" 2>&1
has "stored as fixed" ",Atlas Trading,,,MA,RC-2026-B-00042,"

# A date that is not in the calendar.
ui_keys B C-x
ui_see B "the businesses list" "Businesses ("
ui_keys B C-x
ui_see B "the main menu" "Main menu"
ui_keys B p
ui_see B "the persons list" "Persons ("
ui_keys B C-n
ui_see B "a new person" "New Person"
ui_type B "Haddad"
ui_keys B Tab Tab Tab
ui_type B "2026-02-30"
ui_keys B Tab
ui_see B "2026-02-30 is refused in words" "2026-02-30 is not a date"
ui_keys B C-w
ui_see B "^W keeps refusing it" "2026-02-30 is not a date"
ok "nothing stored with the bad date" same_persons
ui_keys B C-u
ui_type B "2024-02-29"
ui_keys B Tab
ui_see B "a leap day is a date: on to the next field" "Place of birth:"
ui_keys B C-w
ui_see B "saved" "version 1"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "the person is stored with the fixed date" ",Haddad,,,2024-02-29,"
ui_keys B C-x
ui_see B "ncen is still running" "Persons ("

finish
