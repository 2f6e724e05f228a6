#!/bin/sh
# tests/ui-case.sh - the officer's whole task through the real screens:
# a new case with two seizure lines, a new person and an existing
# business linked with their roles, submitted, then found in the list;
# the database is checked afterwards.
#
# Main menu -> Cases -> ^N new case -> required fields -> ^W -> the case
# screen -> ^N twice (seizure lines) -> ^K a new person (made there) as
# a courier -> ^K the business imported beforehand as consignee -> ^A
# submit -> back to the list, where the case shows as submitted.  Then
# an analyst (reads: linking is a change, as editing) and a supervisor (validates, closes;
# reopening needs a reason) see only the keys their roles allow.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "officer ivan" ncenctl -d "$X" user add ivan --roles officer
# Recorded by ivan and in no case yet: his to see and link (need to know).
cat >"$T/business.csv" <<'EOF'
name,kind,country,recorded_by
Atlas Freight SARL,FORWARDER,FR,ivan
EOF
ok "an existing business" ncenctl -d "$X" import business "$T/business.csv"

# Type into the form: the field's value, then Tab to the next.
field() { ui_type "$1" "$2"; ui_keys "$1" Tab; }

ui_start A -- ncen -d "$X" --as ivan
ui_wait A "Cases" >/dev/null
ui_keys A c
ui_see A "the case list" "Case"
ui_keys A C-n
ui_see A "the new case form" "Date of the event"
# The form starts on the date (number and status are the system's), then
# time, offset, office, country, place, direction.
field A 2026-11-25
field A 14:30
field A +01:00
field A FRCDG01
field A FR
field A "Terminal 2E"
field A IMP
ui_keys A C-w
ui_see A "saving opens the case screen" "Seizures (0)"
ui_see A "with the case's fields" "Terminal 2E"
ui_see A "and its number in the title" "Case FR-CDG01-2026-000001"

# Two seizure lines: the case is filled in already.
seizure() {
	ui_keys A C-n
	ui_wait A "Commodity group" >/dev/null
	ui_keys A Tab		# case (filled in)
	field A "$1"		# commodity
	field A "$2"		# commodity type
	ui_keys A Tab Tab Tab Tab Tab	# hs, description, brand, species, origin
	field A "$3"		# quantity
	field A "$4"		# unit
	ui_keys A C-w
	ui_see A "$5" "$6"
}
# ^N then Back with nothing typed adds nothing.
ui_keys A C-n
ui_wait A "Commodity group" >/dev/null
ui_keys A C-x
ui_see A "going back from an empty seizure form adds nothing" \
	"No seizure line was added"
ui_see A "no line" "Seizures (0)"
seizure DRUG DRUG-COC 12.5 KGM "the first seizure line shows" "Seizures (1)"
seizure TOB TOB-CIG 4000 H87 "the second one too" "Seizures (2)"
ui_see A "with its quantity and unit" "4000.000 H87"

# A third line left half-typed as a draft stays, and Enter goes on with it.
ui_keys A C-n
ui_wait A "Commodity group" >/dev/null
ui_keys A Tab
field A ALC
ui_keys A C-x
ui_wait A "as a draft" >/dev/null
ui_keys A y
ui_see A "a line left with a draft is kept" "not complete: Enter goes on"
ui_keys A C-a
ui_wait A "Submit" >/dev/null
ui_keys A Enter
ui_see A "the workflow refuses to submit it, and lists why" \
	"seizure line 3: quantity: expected a value"
ui_see A "the line's other problems too" "commodity: expected a value"
ui_keys A C-x
ui_see A "back on the case, the status line says nothing was done" \
	"Case 1 is not complete: nothing was done."
ui_keys A Down Down
ui_keys A Enter
ui_wait A "resume it?" >/dev/null
ui_keys A y
ui_wait A "Commodity group" >/dev/null
ui_keys A Tab Tab Tab Tab Tab Tab Tab
field A 24
field A LTR
ui_keys A C-w
ui_see A "and completes to a third line" "Seizures (3)"
ui_see A "with its quantity" "24.000 LTR"

# ^K a new person, made on the spot, as a courier.
ui_keys A C-k
ui_wait A "Link what?" >/dev/null
ui_keys A 1			# Person
ui_wait A "Create a new one" >/dev/null
ui_keys A 2			# a new one
ui_see A "the person form" "Family name"
field A "Кузнецова"
field A "Анна"
ui_keys A C-w
ui_wait A "COURIER" >/dev/null	# the role picker
ui_type A COURIER
ui_keys A Enter
ui_see A "the person is linked as a courier" "Persons (1)"
ui_see A "with the role's label" "Courier"
ui_see A "and the person's name" "Кузнецова"

# ^K the existing business as consignee.
ui_keys A C-k
ui_wait A "Link what?" >/dev/null
ui_keys A 2			# Business
ui_wait A "Link an existing one" >/dev/null
ui_keys A 1
ui_see A "the business list to choose from" "Atlas Freight"
ui_keys A Enter
ui_wait A "CONSIGNEE" >/dev/null
ui_type A CONSIGNEE
ui_keys A Enter
ui_see A "the business is linked as consignee" "Businesses (1)"
ui_see A "by name" "Atlas Freight SARL"

# ^A submit.
ui_keys A C-a
ui_wait A "Submit" >/dev/null
ui_keys A Enter
ui_see A "the case is submitted" "draft -> submitted"
ui_see A "its status shows" "Status: Submitted"
ui_wait A "^G Help  ^K Link  ^X Back" >/dev/null
grep -q "\^E Edit" "$T/out"
[ $? -ne 0 ]; tap_result $? "a submitted case offers no ^E"

# Back to the list: the case is there, submitted.
ui_keys A C-x
ui_see A "the list shows the case" "FR-CDG01-2026-000001"
ui_see A "as submitted" "Submitted"
ui_keys A C-x C-x
ui_gone A
tap_result $? "ncen signs out"

# The same case for other roles: keys they may not use are not offered.
open_case() {
	ui_start "$1" -- ncen -d "$X" --as "$2"
	ui_wait "$1" "Cases" >/dev/null
	ui_keys "$1" c
	ui_wait "$1" "2026-11-25" >/dev/null
	ui_keys "$1" Enter
	ui_see "$1" "$2 sees the case screen" "Seizures (3)"
}
ok "analyst ana" ncenctl -d "$X" user add ana --roles analyst
open_case N ana
ui_see N "an analyst only reads and prints (linking is a change)" \
	"^G Help  ^Z Print  ^X Back"
grep -q "\^E Edit\|\^A Actions\|\^N New" "$T/out"
[ $? -ne 0 ]; tap_result $? "but not edit, add lines or take steps"
ui_keys N C-e
ui_see N "^E is refused in words" "your roles may not use it"
ui_keys N C-x C-x C-x
ui_gone N
tap_result $? "the analyst signs out"

ok "supervisor sam" ncenctl -d "$X" user add sam --roles supervisor
open_case S sam
# Resized to 100x40 and back, the page is laid out for each width.
ui_tmux resize-window -t S -x 100 -y 40
ui_see S "at 100x40 the header takes one line" \
	"Customs office: FRCDG01   Direction: Import"
ui_tmux resize-window -t S -x 80 -y 24
ui_see S "back at 80x24 it wraps again" " Direction: Import   Time of the event"
ui_see S "a supervisor may take steps" "^A Actions"
ui_see S "and read the history" "^R History"
ui_keys S C-a
ui_wait S "Validate" >/dev/null
ui_see S "validate is offered" "Validate"
ui_see S "and returning it to the officer (a reopen)" "Return to the officer"
grep -q "[0-9]  Submit" "$T/out"
[ $? -ne 0 ]; tap_result $? "submit is not (the case is submitted)"
ui_keys S 1
ui_see S "sam validates it" "submitted -> validated"
ui_keys S C-a
ui_wait S "Close" >/dev/null
ui_keys S Enter
ui_see S "and closes it" "validated -> closed"
ui_see S "the case shows closed" "Status: Closed"
ui_see S "with its steps" "Workflow (3)"
ui_keys S C-r
ui_see S "^R shows the whole history" "History"
ui_see S "with sam's steps" "sam (supervisor)  validated -> closed"
ui_keys S C-x
ui_wait S "Status: Closed" >/dev/null
ui_keys S C-a
ui_wait S "Reopen" >/dev/null
ui_keys S Enter
ui_wait S "Why?" >/dev/null
ui_keys S Enter
ui_see S "reopening without a reason is refused" "a reason is needed"
ui_keys S C-x C-x C-x
ui_gone S
tap_result $? "the supervisor signs out"

ok "export case" ncenctl -d "$X" export case
[ "$(wc -l <"$T/out")" -eq 2 ]; tap_result $? "one case (and the header)"
has "closed" ",closed,"
has "with its place" "Terminal 2E"
ok "export seizure" ncenctl -d "$X" export seizure
[ "$(grep -c ',DRUG-COC,\|,TOB-CIG,\|,ALC,' "$T/out")" -eq 3 ]
tap_result $? "three seizure lines"
ok "dump" ncenctl -d "$X" dump
has "the seizures name the case" "field case 1"
has "the new person is linked as courier" "link case 1 person 1 COURIER"
has "the business as consignee" "link case 1 business 1 CONSIGNEE"
ok "history" ncenctl -d "$X" case history 1
has "ivan submitted it" "draft -> submitted  by ivan (officer)"
has "sam validated it" "submitted -> validated  by sam (supervisor)"
has "and closed it" "validated -> closed  by sam (supervisor)"
ok "audit" ncenctl -d "$X" audit show --user ivan
has "the links are audited" "link"
has "the display of nominal data is audited" "view.nominal"
finish
