#!/bin/sh
# tests/ui-quickstart.sh - the README's quick start as .ci/demo runs it
# (init with the build's forms, demo data, the analyst account demo,
# then ncen --as demo), at a small size: ncen opens on the demo
# database in a terminal, shows the main menu and signs out cleanly.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
Q=$T/demo

ok "quick start: init" ncenctl -d "$Q" init --forms "$top_builddir/forms"
ok "quick start: demo data" ncenctl -d "$Q" demo --cases 30 --seed 1
ok "quick start: the demo account" \
	ncenctl -d "$Q" user add demo --roles analyst

# .ci/demo ends with: exec ncen -d demo --as demo.  The shell around it
# writes its exit status (tmux 3.3a sometimes leaves a dead pane's
# process unreaped, and #{pane_dead_status} empty).
# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
ui_start q -- sh -c 'f=$1; shift; ncen "$@"; echo $? >"$f"' sh "$T/exit" \
	-d "$Q" --as demo
ui_see q "quick start: ncen shows the main menu" " ncen  Main menu"
has "quick start: signed in as demo" "Signed in as demo."
has "quick start: the Cases entry" "Cases"
has "quick start: the key line" "^X Back"
ui_keys q c
ui_see q "quick start: the demo cases are listed" "Cases (30)"
ui_keys q C-x
ui_see q "quick start: back at the main menu" " ncen  Main menu"

ui_keys q C-x
ui_gone q
tap_result $? "quick start: ^X signs out"
st=$(cat "$T/exit" 2>/dev/null)
[ "$st" = 0 ]
tap_result $? "quick start: ncen exits 0 (status ${st:-unknown})"
ui_screen q
! grep -q "Main menu" "$T/out"
tap_result $? "quick start: the screen is handed back (no menu left on it)"

ok "quick start: the sign-in is audited" \
	ncenctl -d "$Q" audit show --user demo --action signin.key
has "quick start: a key sign-in entry for demo" "demo signin.key account:demo"
ok "quick start: the audit log verifies" ncenctl -d "$Q" audit verify

finish
