#!/bin/sh
# tests/ui-queue.sh - the supervisor's queue and My work, driven in tmux
# with the real ncen: a case submitted, returned with a reason, seen as
# returned in the officer's My work, submitted again and validated from
# the queue; the queue holds only the supervisor's offices, oldest
# first, its count on the main menu; a return without a reason does
# nothing; the narrative is read whole in the pager.  The database is
# checked after each step.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# Olga's draft (1) and her case submitted long ago (2) at FRCDG01, with
# a narrative too long for the case screen; Pat's submitted case (3) at
# FRCDG02.
long="The container was opened at the terminal after the scanner image"
long="$long showed a dense mass behind the false wall of the reefer unit;"
long="$long the driver said he had loaded it in Rotterdam and that the seal"
long="$long was intact when he left, which the seal log contradicts at two"
long="$long points, as the annex of this report explains in detail for the"
long="$long prosecutor. ENDOFTHENARRATIVE"
printf '%s\n' 'ncen-dump 1' \
	'record case 1 1 1795770000 olga' 'field date 2026-11-05' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status draft' \
	'record case 2 1 1795000000 olga' 'field date 2026-11-06' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status submitted' \
	"field narrative $long" \
	'record case 3 1 1795000000 pat' 'field date 2026-11-07' \
	'field office FRCDG02' 'field country FR' 'field direction EXP' \
	'field officer pat' 'field status submitted' >"$T/cases.dump"
ok "three cases" ncenctl -d "$X" load "$T/cases.dump"
ok "accounts" sh -c "ncenctl -d '$X' user add olga --roles officer &&
	ncenctl -d '$X' user add sam --roles supervisor --offices FRCDG01 &&
	ncenctl -d '$X' user add zed --roles supervisor --offices FRCDG02"

# Sign in as USER in session NAME, at the main menu.
signin() {
	ui_start "$1" -- ncen -d "$X" --as "$2" --idle 0
	ui_wait "$1" "Main menu" >/dev/null && ui_settle "$1"
}

# Olga's My work lists her draft; she submits it from there.
signin o olga
ui_see o "the officer's menu has My work" "My work"
! grep -q "Cases to validate" "$T/out"
tap_result $? "but no queue: officers validate nothing"
ui_keys o k
ui_see o "My work opens" "My work (1)"
has "her draft is there" "Draft"
ui_keys o Enter
ui_wait o "Case 1" >/dev/null
ui_keys o C-a
ui_wait o "Submit" >/dev/null
ui_keys o Enter
ui_see o "she submits it" "Status: Submitted"
ok "the database has it submitted" ncenctl -d "$X" case history 1
has "by olga" "draft -> submitted  by olga"
ui_keys o C-x
ui_see o "My work is empty now" "Nothing waits for you."
ui_keys o C-x

# The queue: Sam's offices only, oldest first, counted on the menu.
signin z zed
ui_see z "Zed's count: Pat's case only" "Cases to validate (1)"
ui_keys z C-x
signin s sam
ui_see s "Sam's count: his office's two" "Cases to validate (2)"
ui_keys s d
ui_see s "the queue opens" "Cases to validate (2)"
ui_settle s
case $(sed -n 3p "$T/out") in *2026-11-06*) r=0 ;; *) r=1 ;; esac
tap_result $r "the case waiting longest comes first"
! grep -q "2026-11-07" "$T/out"
tap_result $? "Pat's case at another office is not in Sam's queue"

# The narrative, cut on the case screen, is read whole in the pager.
ui_keys s Enter
ui_see s "Enter opens the case" "Case 2"
! grep -q "ENDOFTHENARRATIVE" "$T/out"
tap_result $? "the case screen cuts the narrative"
ui_keys s Home Up Enter
ui_see s "Enter on it shows it whole in the pager" "ENDOFTHENARRATIVE"
ui_keys s C-x
ui_wait s "Case 2" >/dev/null
ui_keys s C-x
ui_wait s "Cases to validate (2)" >/dev/null

# A return without a reason does nothing.
ncenctl -d "$X" dump -o "$T/before" || exit 1
ui_keys s Down C-a
ui_wait s "Return to the officer" >/dev/null
ui_keys s 2
ui_wait s "Why?" >/dev/null
ui_keys s Enter
ui_see s "no reason, nothing done" "Nothing was done: a reason is needed."
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"

# Returned with a reason: out of the queue, into Olga's My work.
ui_keys s C-a
ui_wait s "Return to the officer" >/dev/null
ui_keys s 2
ui_wait s "Why?" >/dev/null
ui_type s "The seal number is missing"
ui_keys s Enter
ui_see s "the case is returned" "returned to its officer"
ui_see s "and leaves the queue" "Cases to validate (1)"
ok "the database has the return and its reason" \
	ncenctl -d "$X" case history 1
has "by sam, with the reason" \
	"submitted -> draft  by sam (supervisor): The seal number is missing"

signin o2 olga
ui_keys o2 k
ui_see o2 "Olga's My work shows the returned case" "Returned"
has "with who and why" "sam: The seal number is missing"
ui_keys o2 Enter
ui_wait o2 "Case FR-CDG01-2026-000001" >/dev/null
ui_keys o2 C-a
ui_wait o2 "Submit" >/dev/null
ui_keys o2 Enter
ui_see o2 "she submits it again" "Status: Submitted"
ok "the database has it submitted again" ncenctl -d "$X" case history 1
has "the second submission" "is submitted (version 4)"

# Back in the queue (read again on ^L), Sam validates it.
ui_keys s C-l
ui_see s "the case is back in the queue" "Cases to validate (2)"
ui_keys s End C-a
ui_wait s "Validate" >/dev/null
ui_keys s 1
ui_see s "validated from the queue" "Case 1 validated."
ok "the database has it validated" ncenctl -d "$X" case history 1
has "by sam" "submitted -> validated  by sam"
ui_keys s C-x
ui_see s "the menu's count follows" "Cases to validate (1)"

finish
