#!/bin/bash
# tests/ui-survive.sh - an officer's session survives what other
# programs do beside it.  While ncen pages the Cases list of 200 demo
# cases: `ncenctl dump | head -c 100` six times (ncenctl used to be
# killed by SIGPIPE inside the library, and the recovery that followed
# ended the session), then readers killed with SIGKILL while they hold
# the environment open, each followed by a program that recovers it
# under the session.  The session must stay, on the same screen, and
# still page, open a case and save a new one typed in a form; it signs
# out with 0 and the data directory verifies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

# A survivor reopens its environment after another process panicked it:
# libdb's close functions refuse to run on the panicked handles, which
# stay allocated by design (tests/fixtures/crash/lsan.supp).
LSAN_OPTIONS="suppressions=$top_srcdir/tests/fixtures/crash/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

unset NCEN_HOME NCEN_KEYFILE
D=$T/demo
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 200 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer,analyst >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }

# The shell around ncen writes its exit status (see ui-quickstart.sh).
# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
ui_start S -- sh -c 'f=$1; shift; ncen "$@"; echo $? >"$f"' sh "$T/exit" \
	-d "$D" --as alice
ui_see S "signed in" "Main menu"
ui_keys S c
ui_see S "the cases list" "Cases (200)"

# Readers cut short by a closed pipe, while the list pages on.
page=1
for n in 1 2 3 4 5 6; do
	ncenctl -d "$D" dump 2>"$T/dump.err" | head -c 100 >/dev/null
	st=${PIPESTATUS[0]}
	[ "$st" -ne 141 ] && [ "$st" -ne 137 ]
	tap_result $? "dump | head -c 100 ($n): exit $st, a clean exit, not killed"
	ui_keys S NPage
	page=$((page + 1))
	ui_see S "the session pages on ($n): page $page" "page $page/10"
done

# Readers killed while they hold the environment open; the next program
# to open it recovers it under the session, which must reopen and go on.
mkfifo "$T/fifo"
# A dump blocked on a pipe nobody reads, killed with SIGKILL: die_beside.
die_beside() {
	sleep 30 <"$T/fifo" &
	holder=$!
	ncenctl -d "$D" dump >"$T/fifo" 2>/dev/null &
	reader=$!
	sleep 0.3
	kill -KILL "$reader" 2>/dev/null
	{ wait "$reader"; } 2>/dev/null
	kill "$holder" 2>/dev/null
	{ wait "$holder"; } 2>/dev/null
}
for n in 1 2 3; do
	die_beside
	ok "a program opens the data directory after reader $n died: it recovers" \
	    ncenctl -d "$D" stats
	ui_keys S PPage
	page=$((page - 1))
	ui_see S "the session pages back after recovery $n: page $page" \
	    "page $page/10"
done
ui_screen S
! grep -q "sign in again\|probably died" "$T/out"
tap_result $? "no word of a failure on the screen"

# Still usable: open a case, then type a new one and save it.
ui_keys S Enter
ui_see S "a case opens" " ncen  Case FR-"
ui_keys S C-x
ui_see S "back on the list, same page" "page $page/10"
ui_keys S C-n
ui_see S "a new case form" "New Case"
ui_type S "2026-11-21"
ui_keys S Tab
ui_type S "09:15"
ui_keys S Tab Tab
ui_type S "FRCDG01"
ui_keys S Tab
ui_type S "FR"
ui_keys S Tab
ui_type S "Survived the recoveries"
ui_keys S Tab
ui_type S "IMP"
# One more death and recovery while the officer types.
die_beside
ok "and once more while the officer types" ncenctl -d "$D" stats
ui_keys S C-w
ui_see S "the case typed after the recoveries is saved" "Case 201 saved"
ncenctl -d "$D" export case >"$T/out" 2>&1
has "with what was typed" ",FRCDG01,FR,Survived the recoveries,IMP,"

ui_keys S C-x
ui_see S "back on the list after the save" "Cases (201)"
ui_keys S C-x
ui_see S "back at the main menu" "Main menu"
ui_keys S C-x
ui_gone S
tap_result $? "^X signs out"
st=$(cat "$T/exit" 2>/dev/null)
[ "$st" = 0 ]
tap_result $? "ncen exits 0 (status ${st:-unknown})"
ok "verify is clean" ncenctl -d "$D" verify
ok "the audit log verifies" ncenctl -d "$D" audit verify
finish
