#!/bin/sh
# tests/ui-draft.sh - a dropped line loses nothing.  Half a new case is
# typed (the last field not even left), then the tmux session is killed
# (the pty hangs up: SIGHUP): ncen keeps the typing in drafts.db and
# exits; the next sign-in offers the draft, which resumes and completes
# to a case with exactly what was typed.  The same with SIGTERM on a
# person, and a draft kept on purpose (Back, y) is offered and discarded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
command -v db5.3_dump >/dev/null 2>&1 || skip_all "db5.3_dump is not installed"

D=$T/data
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 10 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer >/dev/null 2>&1 &&
ncenctl -d "$D" user add bob --roles supervisor >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }
cases=$(ncenctl -d "$D" stats | awk '$1 == "case" { print $2 }')

# drafts.db as text (keys and values printable) into $T/out.
drafts() { db5.3_dump -p -h "$D" drafts.db >"$T/out" 2>&1; }
# Wait up to 10 s for process $1 to end.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}

# 1. Half a case, then the session dies.
ui_start A -e NCEN_HOME="$D" -- ncen --as alice
ui_see A "the main menu" "Main menu"
pid=$(ui_tmux display-message -p -t A '#{pane_pid}')
ui_keys A c
ui_see A "the cases list" "Cases ("
ui_keys A C-n
ui_see A "a new case" "New Case"
ui_type A "2026-11-21"
ui_keys A Tab
ui_type A "09:15"
ui_keys A Tab Tab
ui_type A "FRCDG01"
ui_keys A Tab
ui_type A "FR"
ui_keys A Tab
ui_see A "the place field is current" "Place of the event: Port"
ui_type A "Calais, quai Paul Devot"
ui_wait A "quai Paul Devot" >/dev/null
ui_tmux kill-session -t A
ok "the hang-up ends ncen" wait_exit "$pid"
drafts
has "drafts.db has alice's new case" 'alice\00case\00'
has "with the field that was being typed" "Calais, quai Paul Devot"
has "and the fields left before" "FRCDG01"
ncount() { ncenctl -d "$D" stats | awk -v e="$1" '$1 == e { print $2 }'; }
check_nocase() { [ "$(ncount case)" -eq "$cases" ]; }
ok "no case was stored" check_nocase

ui_start B -e NCEN_HOME="$D" -- ncen --as alice
ui_see B "the next sign-in offers the draft" "Unsaved drafts"
ui_see B "named by its form, new, and its start" "Case, new, started 20"
ui_keys B Enter
ui_see B "Enter resumes it" "Resumed your draft"
ui_see B "what was typed is back" "Calais, quai Paul Devot"
ui_see B "the office is back" "FRCDG01"
ui_keys B Tab
ui_see B "the cursor was on the place: Tab goes to Direction" \
	"Direction: Import, export"
ui_type B "IMP"
ui_keys B C-w
new=$((cases + 1))
ui_see B "saved" "Case $new saved (version 1)."
ui_see B "no draft left: on to the main menu" "Main menu"
ncenctl -d "$D" export case >"$T/out" 2>&1
has "the case is what was typed" \
	",draft,2026-11-21,09:15,,FRCDG01,FR,\"Calais, quai Paul Devot\",IMP,"
grep -Eq "^$new,FR-CDG01-2026-[0-9]{6},draft," "$T/out"
tap_result $? "it got the next number of its office and year"
has "its officer is alice" ",alice,"
drafts
check_gone() { ! grep -q 'alice\\00case' "$T/out"; }
ok "the draft is gone once saved" check_gone

# 2. SIGTERM halfway through a person.
pid=$(ui_tmux display-message -p -t B '#{pane_pid}')
ui_keys B p
ui_see B "the persons list" "Persons ("
ui_keys B C-n
ui_see B "a new person" "New Person"
ui_type B "Петров"
ui_keys B Tab
ui_type B "Иван"
ui_wait B "Иван" >/dev/null
kill -TERM "$pid"
ui_gone B
tap_result $? "SIGTERM ends ncen"
drafts
has "drafts.db has the person" 'alice\00person\00'
ui_start C -e NCEN_HOME="$D" -- ncen --as alice
ui_see C "the draft is offered again" "Person, new, started"
ui_keys C Enter
ui_see C "resumed with the name" "Петров"
ui_see C "and the given names being typed" "Иван"
ui_keys C C-w
ui_see C "saved" "saved (version 1)."
ui_see C "then the main menu" "Main menu"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "the person is stored as typed" ",Петров,Иван,"

# 3. Back, keep the draft: offered at sign-in, ^D discards it.
ui_keys C p
ui_see C "the persons list" "Persons ("
ui_keys C C-n
ui_see C "a new person" "New Person"
ui_type C "Keep"
ui_keys C Tab C-x
ui_see C "going back asks" "Keep what you typed as a draft"
ui_keys C y
ui_see C "back in the list" "Persons ("
drafts
has "Back, y: the draft is kept" 'alice\00person\00'
ui_keys C C-x
ui_see C "the main menu" "Main menu"
ui_keys C C-x
ui_gone C
tap_result $? "signing out ends ncen"
ui_start E -e NCEN_HOME="$D" -- ncen --as alice
ui_see E "the kept draft is offered" "Person, new, started"
ui_keys E C-d
ui_see E "^D asks first" "Discard this draft for good?"
ui_keys E y
ui_see E "discarded; on to the main menu" "Main menu"
drafts
check_none() { ! grep -q 'alice\\00' "$T/out"; }
ok "drafts.db has no draft of alice left" check_none

# 4. An edit dropped halfway: the draft keeps its record and version.
pid=$(ui_tmux display-message -p -t E '#{pane_pid}')
ui_keys E p
ui_see E "the persons list" "Persons ("
ui_keys E Enter
ui_see E "a person's view" ", version 1"
ui_keys E C-e
ui_see E "its form" "Given names"
ui_screen E
id=$(sed -n '1s/.*Person \([0-9]*\), version 1.*/\1/p' "$T/out")
ui_keys E Tab End
ui_type E " Edited"
ui_wait E " Edited" >/dev/null
kill -HUP "$pid"
ui_gone E
tap_result $? "SIGHUP in an edit ends ncen"
# Meanwhile bob, a supervisor (he sees every person), changes the same person.
ui_start H -e NCEN_HOME="$D" -- ncen --as bob
ui_see H "bob signs in" "Main menu"
ui_keys H p
ui_see H "bob's persons list" "Persons ("
ui_type H "Петров"		# alice's person: he sees every one
ui_wait H "Иван" >/dev/null
ui_keys H Enter
ui_see H "the same person" "Person $id, version 1"
ui_keys H C-e
ui_see H "bob's form" "Person $id, version 1"
ui_keys H End
ui_type H " B"
ui_keys H C-w
ui_see H "bob saved version 2" "Person $id, version 2"

ui_start G -e NCEN_HOME="$D" -- ncen --as alice
ui_see G "the edit's draft is offered with its record" "Person $id, started"
ui_keys G Enter
ui_see G "resumed on the version it began from" "Person $id, version 1"
ui_see G "with the typing" " Edited"
ui_see G "told that the record changed meanwhile" \
	"Changed since your draft began: ^W offers to put your changes on it"
ui_keys G C-w
ui_see G "^W offers to put alice's changes on bob's version" \
	"Put your changes on version 2? (y/n)"
ui_keys G y
ui_see G "the form on version 2" "Person $id, version 2"
ui_keys G C-w
ui_see G "saved" "Person $id saved (version 3)."
ncenctl -d "$D" export person >"$T/out" 2>&1
has "bob's change and alice's draft are both stored" " B,"
has "alice's typing too" " Edited,"

finish
