#!/bin/sh
# ui-mywork-alerts.sh - My work shows the new alerts raised for the
# account as one row, and Enter on it opens the Alerts screen (tmux,
# 80x24, vt100).  A plate of the demo data is watched for a supervisor;
# once the cases are checked, his My work says so; none for an account
# with no alert.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
X=$T/data

ok "init" ncenctl -d "$X" init --forms "$top_builddir/forms"
ok "demo data" ncenctl -d "$X" demo --cases 30 --seed 1
ok "accounts" sh -c "ncenctl -d '$X' user add sam --roles supervisor &&
	ncenctl -d '$X' user add sue --roles supervisor"
ncenctl -d "$X" export conveyance >"$T/conv.csv"
plate=$(awk -F, 'NR > 1 && $8 != "" { print $8; exit }' "$T/conv.csv")
check_plate() { [ -n "$plate" ]; }
ok "a plate of the demo data ($plate)" check_plate
ok "sam watches it" ncenctl -d "$X" watch add --kind PLATE \
    --number "$plate" --reason "a test" --owner sam
ok "the cases are checked" ncenctl -d "$X" alerts check
has "one alert raised" "1 alerts raised"

ui_start S -- ncen -d "$X" --as sam --idle 0
ui_see S "sam's menu" "My work"
ui_keys S k
ui_see S "My work opens" "My work ("
ui_see S "the new alert is a row" "1 new alert: Enter opens them"
ui_wait S "> Alerts" >/dev/null
ui_keys S Enter
ui_see S "Enter opens the Alerts screen, with the alert" "Alerts (1, 1 new)"
ui_keys S C-x C-x C-x
ui_gone S; tap_result $? "sam's ncen ends"

ui_start U -- ncen -d "$X" --as sue --idle 0
ui_see U "sue's menu" "My work"
ui_keys U k
ui_see U "her My work" "My work ("
! grep -q "new alert" "$T/out"
tap_result $? "no alert row for an account with none"
ui_keys U C-x C-x
ui_gone U; tap_result $? "sue's ncen ends"
finish
