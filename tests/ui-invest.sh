#!/bin/sh
# tests/ui-invest.sh - an investigation walked through its workflow in
# ncen, driven in tmux: a supervisor opens one (status and number set by
# the system), assigns an officer picked from the accounts (an
# administrator is not offered), starts it, is refused a suspension
# without a reason, suspends it; the assigned officer resumes it and is
# refused the close; the supervisor closes it with its outcome and reads
# the steps.  The database is checked after each step.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
ok "accounts" sh -c "ncenctl -d '$X' user add sam --roles supervisor &&
	ncenctl -d '$X' user add ivan --roles officer &&
	ncenctl -d '$X' user add olga --roles officer --offices FRCDG01 &&
	ncenctl -d '$X' user add adm --roles admin"

# Sign in as USER in session NAME, at the main menu.
signin() {
	ui_start "$1" -- ncen -d "$X" --as "$2" --idle 0
	ui_wait "$1" "Main menu" >/dev/null && ui_settle "$1"
}

hist() { ncenctl -d "$X" investigation history 1; }

# Choose the ^A entry whose label holds TEXT (its number on the row).
choose() {
	ui_keys "$1" C-a
	ui_wait "$1" "$2" >/dev/null || return 1
	n=$(grep -F -- "$2" "$T/out" | sed -n 's/.* \([1-9]\)  .*/\1/p' | head -1)
	ui_keys "$1" "$n"
}

# Sam opens an investigation: its status and number are the system's.
signin s sam
ui_keys s i
ui_wait s "Nothing to show." >/dev/null
ui_keys s C-n
ui_see s "a new investigation" "New Investigation"
ui_see s "its status is set, not typed" "Status New alert"
ui_type s "Reefers from Santos"
ui_keys s Down Down
ui_type s "2026-11-02"
# (ui_wait counts with i: this loop counts with d.)
d=0
while [ $d -lt 16 ] && ! ui_wait s "Leading office: The office" 1 2>/dev/null
do
	ui_keys s Down
	d=$((d + 1))
done
ui_type s "FRHQ001"
ui_keys s C-w
ui_see s "saved with its number" "INV-FR-HQ001-2026-000001"
ok "the database: opened by sam" hist
has "opened (NEW)" "is opened (NEW, version 1)"
has "the opening step, by sam" "open  - -> NEW  by sam"

# Assign: picked from the accounts, never typed.
choose s "Assign an officer"
ui_see s "the accounts are offered" "ivan  officer"
has "with their offices" "olga  officer, FRCDG01"
! grep -q "adm " "$T/out"
tap_result $? "an administrator is not offered"
ui_type s "iv"
ui_keys s Enter
ui_see s "ivan is assigned" "Assigned officers: ivan"
ok "the database: ivan assigned by sam" hist
has "the assignment" "assign  NEW -> NEW ivan  by sam (supervisor)"

choose s "Start the investigation"
ui_see s "active" "Investigation 1 is active now (OPEN)."

# A suspension needs a reason: without one nothing changes.
ncenctl -d "$X" dump -o "$T/before" || exit 1
choose s "Suspend it"
ui_wait s "Suspend it: why?" >/dev/null
ui_keys s Enter
ui_see s "no reason, nothing done" "Nothing changed: a reason is needed."
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"
choose s "Suspend it"
ui_wait s "Suspend it: why?" >/dev/null
ui_type s "waiting for the lab"
ui_keys s Enter
ui_see s "suspended" "Investigation 1 is suspended now (SUSPENDED)."
ok "the database: suspended, why" hist
has "the suspension and its reason" \
	"suspend  OPEN -> SUSPENDED  by sam (supervisor): waiting for the lab"

# Ivan, assigned, resumes it from his My work; he may not close it.
signin o ivan
ui_keys o k
ui_see o "his My work lists it" "Reefers from Santos"
ui_keys o Enter
ui_wait o "Investigation 1" >/dev/null
choose o "Resume it"
ui_see o "resumed by the officer" "Investigation 1 is active now (OPEN)."
ok "the database: resumed by ivan" hist
has "as the officer assigned" "resume  SUSPENDED -> OPEN  by ivan (officer)"
ncenctl -d "$X" dump -o "$T/before" || exit 1
choose o "Close it"
ui_wait o "Closed how?" >/dev/null
ui_keys o 1
ui_wait o "Close it: why?" >/dev/null
ui_type o "done"
ui_keys o Enter
ui_see o "an officer's close is refused in words" \
	"Not done: investigation 1 is active (OPEN): only a supervisor"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"

# Sam's screen still shows the version before Ivan's step: refused.
ncenctl -d "$X" dump -o "$T/before" || exit 1
choose s "Close it"
ui_wait s "Closed how?" >/dev/null
ui_keys s 2
ui_wait s "Close it: why?" >/dev/null
ui_type s "nothing found"
ui_keys s Enter
ui_see s "a step on an old version is refused" \
	"Not done: investigation 1 was changed by ivan"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"

# Read again, Sam closes it with its outcome, then reads the steps.
ui_keys s C-x
ui_wait s "Investigations (1)" >/dev/null
ui_keys s Enter
ui_wait s "Assigned officers: ivan" >/dev/null
ui_see s "read again: active" "Status: OPEN"
choose s "Close it"
ui_wait s "Closed how?" >/dev/null
ui_keys s 2
ui_wait s "Close it: why?" >/dev/null
ui_type s "nothing found"
ui_keys s Enter
ui_see s "closed without further action" \
	"Investigation 1 is closed now (CLOSED-NFA)."
ui_see s "the closing date is set" "Closed on: 20"
ok "the database: closed, why" hist
has "closed" "is closed (CLOSED-NFA"
has "the close and its reason" \
	"close  OPEN -> CLOSED-NFA  by sam (supervisor): nothing found"
choose s "Steps taken"
ui_see s "the steps in the pager" "Steps of investigation 1"
has "each with who and why" "suspend  OPEN -> SUSPENDED  by sam (supervisor)"
has "the officer's step" "resume  SUSPENDED -> OPEN  by ivan (officer)"
finish
