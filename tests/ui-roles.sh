#!/bin/sh
# tests/ui-roles.sh - the screens offer each role only what the role
# matrix lets it do (auth-role.c), driven in tmux with the real ncen.
#
# An analyst sees no New on the Cases list and no Actions on a case (and
# ^A there changes nothing); an officer sees New, only her own cases,
# and Submit but no Validate; a supervisor sees Validate on a submitted
# case and taking it validates the case in the database; the NCP reads
# and changes nothing; an admin sees the accounts and no case data.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# Olga's draft and submitted cases, and Pat's draft at another office.
printf '%s\n' 'ncen-dump 1' \
	'record case 1 1 1795770000 olga' 'field date 2026-11-05' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status draft' \
	'record case 2 1 1795770000 olga' 'field date 2026-11-06' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status submitted' \
	'record case 3 1 1795770000 pat' 'field date 2026-11-07' \
	'field office FRCDG02' 'field country FR' 'field direction EXP' \
	'field officer pat' 'field status draft' >"$T/cases.dump"
ok "three cases" ncenctl -d "$X" load "$T/cases.dump"
for a in olga:officer sam:supervisor ana:analyst nick:ncp adm:admin; do
	ncenctl -d "$X" user add "${a%%:*}" --roles "${a#*:}" >/dev/null ||
		{ echo "Bail out! user add $a failed"; exit 1; }
done

# The key line (the screen's last line) of the screen in $T/out.
keyline() { tail -n 1 "$T/out"; }

# Sign in as USER in session NAME and open the Cases list.
cases() {
	ui_start "$1" -- ncen -d "$X" --as "$2" --idle 0
	ui_wait "$1" "Main menu" >/dev/null
	ui_keys "$1" c
	# The title is drawn first, the key line last: wait for both.
	ui_wait "$1" "Cases (" && ui_wait "$1" "^T Sort"
}

# An analyst reads everything and changes nothing.
cases a ana
tap_result $? "the analyst opens the Cases list"
keyline | grep -q "Filter"
tap_result $? "the list's key line is there"
! keyline | grep -q "New"
tap_result $? "no New for an analyst"
has "she sees Pat's case" "2026-11-07"
ui_keys a Enter
ui_see a "Enter opens the first case" "Case 1"
! keyline | grep -q "Actions"
tap_result $? "no Actions on a case for an analyst"
! keyline | grep -q "Edit"
tap_result $? "no Edit either"
! keyline | grep -q "Link"
tap_result $? "nor Link: linking a record changes the case"
! keyline | grep -q "History"
tap_result $? "no History (the audit log is not hers)"
ui_keys a C-a
ui_see a "^A says the roles may not" "your roles may not use it"
ok "the case did not move" ncenctl -d "$X" case history 1
has "no workflow step" "no workflow step recorded"
ui_keys a C-x
ui_wait a "Cases (" >/dev/null
ui_keys a C-x
ui_wait a "Main menu" >/dev/null
! grep -q "Administration" "$T/out"
tap_result $? "no Administration for an analyst"

# An officer creates, and works on her own cases only.
cases o olga
tap_result $? "the officer opens the Cases list"
keyline | grep -q "\^N New"
tap_result $? "New is on the key line for an officer"
! grep -q "2026-11-07" "$T/out"
tap_result $? "Pat's case is not in her list"
# Her own cases come newest first: her draft, case 1, is second.
ui_keys o Down Enter
ui_wait o "Case 1" >/dev/null
keyline | grep -q "Actions"
tap_result $? "her draft offers Actions"
keyline | grep -q "Edit"
tap_result $? "and Edit"
! keyline | grep -q "History"
tap_result $? "but not History"
ui_keys o C-a
ui_see o "the actions list Submit" "Submit"
! grep -q "Validate" "$T/out"
tap_result $? "but not Validate"
ui_keys o C-x

# A supervisor validates a submitted case.
cases s sam
tap_result $? "the supervisor opens the Cases list"
ui_keys s Down
ui_keys s Enter
ui_see s "the second row is the submitted case" "Status: Submitted"
keyline | grep -q "Actions"
tap_result $? "the submitted case offers Actions"
keyline | grep -q "History"
tap_result $? "and History to a supervisor"
ui_keys s C-a
ui_see s "the actions list Validate" "Validate"
ui_keys s Enter
ui_see s "Enter takes it" "Status: Validated"
ok "the database agrees" ncenctl -d "$X" case history 2
has "validated by sam" "submitted -> validated  by sam"

# The NCP reads cases and changes none of them.
cases n nick
tap_result $? "the NCP opens the Cases list"
! keyline | grep -q "New"
tap_result $? "no New for the NCP"
ui_keys n Enter
ui_wait n "Case 1" >/dev/null
for k in Actions Edit Link History; do
	! keyline | grep -q "$k"
	tap_result $? "no $k on a case for the NCP"
done

# An admin manages accounts and sees no case data.
ui_start m -- ncen -d "$X" --as adm --idle 0
ui_see m "the admin's main menu" "Administration: accounts"
! grep -q "Cases" "$T/out"
tap_result $? "no Cases entry for an admin"
! grep -q "Persons" "$T/out"
tap_result $? "nor Persons"
ui_keys m c
ui_wait m "Main menu" >/dev/null
! grep -q "Cases (" "$T/out"
tap_result $? "the letter of Cases opens nothing"

ok "the audit log verifies" ncenctl -d "$X" audit verify
finish
