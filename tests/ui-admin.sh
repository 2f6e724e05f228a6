#!/bin/sh
# tests/ui-admin.sh - Administration: accounts managed from ncen's screen,
# checked in the accounts database and the audit log afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "an admin account" ncenctl -d "$X" user add boss --roles admin
ok "an officer account" ncenctl -d "$X" user add olga --roles officer

ui_start A -- ncen -d "$X" --as boss
ui_see A "the admin's menu offers the accounts" "a  Administration: accounts"
ui_keys A C-g
ui_wait A "Help: main menu" >/dev/null
ui_keys A C-x
ui_see A "after help the menu has its status line back" "Signed in as boss."
ui_keys A a
ui_see A "the accounts screen lists both" "olga"
has "with the officer's roles" "officer  offices=all"

# ^N: name, roles, offices, password twice.
ui_keys A C-n
ui_wait A "User name:" >/dev/null
ui_type A "nadia"; ui_keys A Enter
ui_wait A "Roles" >/dev/null
ui_type A "supervisor"; ui_keys A Enter
ui_wait A "Offices" >/dev/null
ui_type A "FRCDG01"; ui_keys A Enter
ui_wait A "New password:" >/dev/null
ui_type A "a long first password"; ui_keys A Enter
ui_wait A "The same again:" >/dev/null
ui_type A "a long first password"; ui_keys A Enter
ui_see A "the screen says the account was added" "Account nadia added"
ok "ncenctl sees the new account" ncenctl -d "$X" user list
has "with its role, office and a password to change" \
	"supervisor  offices=FRCDG01  must-change-password"

# Lock olga (third row after boss, nadia? rows are in name order).
ui_keys A Down Down
ui_keys A C-a
ui_wait A "r roles" >/dev/null
ui_keys A l Enter
ui_see A "the screen says the account changed" "Account olga changed"
has "and shows it locked" "locked"
ok "ncenctl sees olga locked" ncenctl -d "$X" user list
grep '^olga' "$T/out" | grep -q locked
tap_result $? "olga's line says locked"
fails_with 1 "olga cannot sign in" ncen -d "$X" --as olga
has "ncen says why" "locked by an administrator"

# Locking oneself is refused.
ui_keys A Home Up Up Up C-a
ui_wait A "r roles" >/dev/null
ui_keys A l Enter
ui_see A "an admin cannot lock their own account" "cannot lock your own"
ui_keys A C-x C-x
ui_gone A
tap_result $? "ncen signs out"

ok "the changes are audited" ncenctl -d "$X" audit show --user boss
has "the new account" "nadia"
has "the lock" "olga"
ok "the audit log verifies" ncenctl -d "$X" audit verify

# A longer list than the screen: PgDn, End and Home move the selection
# and the rows scroll with it (boss, nadia, olga, then u01..u40).
i=1
while [ $i -le 40 ]; do
	n=$(printf 'u%02d' $i)
	ncenctl -d "$X" user add "$n" --roles officer >/dev/null || break
	i=$((i + 1))
done
[ $i -eq 41 ]; tap_result $? "forty more accounts"
ui_start B -- ncen -d "$X" --as boss
ui_wait B "a  Administration" >/dev/null
ui_keys B a
ui_see B "the accounts screen shows 43 accounts" "Accounts (43)"
ui_keys B NPage
ui_see B "PgDn selects the account a screen further" "> u18"
ui_keys B End
ui_see B "End selects the last, scrolled into view" "> u40"
ui_keys B Home
ui_see B "Home the first" "> boss"
ui_keys B C-x C-x
ui_gone B
tap_result $? "ncen signs out again"
finish
