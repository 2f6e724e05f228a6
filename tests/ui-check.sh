#!/bin/sh
# tests/ui-check.sh - a wrong check digit in ncen's form (80x24 vt100):
# a conveyance with IMO 9074728 (the digit should be 9).  Leaving the
# field says so and asks for a reason; going back leaves the cursor
# there to fix it; leaving it again and typing a reason keeps it.  The
# record is saved with the value and the reason (dump), the audit log
# has the reason, and the view and (for a supervisor) the history show it.  A container
# number of the wrong shape is refused outright.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

D=$T/data
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer >/dev/null 2>&1 &&
ncenctl -d "$D" user add bob --roles supervisor >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the data directory"; exit 1; }

ui_start V -e NCEN_HOME="$D" -- ncen --as alice
ui_see V "the main menu" "Main menu"
ui_keys V v
ui_see V "the conveyances list" "Conveyances (0)"
ui_keys V C-n
ui_see V "^N opens a new conveyance" "New Conveyance"
ui_type V "vessel"
ui_keys V Tab Tab Tab
ui_see V "the IMO field's help" "IMO number: Vessels: seven digits"
ui_type V "9074728"
ui_keys V Tab
ui_see V "leaving it asks why to keep a wrong digit" \
	"Check digit should be 9, not 8; reason to keep it:"
ui_keys V C-x
ui_see V "going back says what is wrong and what it should be" \
	"IMO number: check digit should be 9, not 8; fix it or give a reason"
ui_keys V Tab
ui_see V "leaving it again asks again" \
	"Check digit should be 9, not 8; reason to keep it:"
ui_type V "as painted on the hull"
ui_keys V Enter
ui_see V "the reason is taken: the cursor moves on" \
	"Flight number: IATA airline designator"
# A container number of the wrong shape is a refusal, not a warning.
ui_keys V Tab Tab Tab Tab Tab
ui_see V "the container field's help" "Container number: ISO 6346"
ui_type V "CSQX3054383"
ui_keys V Tab
ui_see V "a wrong shape is refused" "Container number: 'CSQX3054383' is not a"
ui_keys V C-u
ui_type V "csqu3054383"
ui_keys V C-w
ui_see V "^W saves and the view shows it" "Conveyance 1, version 1"
ui_see V "the view shows the value" "IMO number: 9074728"
ui_see V "and the reason it was kept" \
	"IMO number 9074728 kept with a wrong check digit: as painted on"
# A supervisor reads the record's history (an officer may not).
ui_start S -e NCEN_HOME="$D" -- ncen --as bob
ui_see S "the supervisor's main menu" "Main menu"
ui_keys S v
ui_see S "the conveyances list" "Conveyances (1)"
ui_keys S Enter
ui_see S "the supervisor sees the reason too" "kept with a wrong check digit"
ui_keys S C-r
ui_see S "the history has the reason" \
	"record.check_override  imo 9074728 kept with a"

ncenctl -d "$D" dump >"$T/out" 2>&1
has "the database holds the value" 'field imo 9074728'
has "and the reason, with the record" \
	'extra check.imo.9074728 as painted on the hull'
has "the container in its stored form" 'field container CSQU3054383'
ncenctl -d "$D" audit show >"$T/out" 2>&1
has "the audit log has the reason" "alice record.check_override \
conveyance:1 imo 9074728 kept with a wrong check digit: as painted on the hull"
ok "the audit chain verifies" ncenctl -d "$D" audit verify


finish
