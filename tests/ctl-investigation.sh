#!/bin/sh
# ctl-investigation.sh - investigations are assigned to accounts: an
# import naming an officer who has no account is refused with the row
# and the name, and the database is unchanged; one naming accounts is
# taken.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
X=$T/x
ok "init" ncenctl -d "$X" init --forms "$top_builddir/forms"
ok "accounts" sh -c "ncenctl -d '$X' user add ivan --roles officer &&
	ncenctl -d '$X' user add olga --roles officer"

printf '%s\n' 'title,status,opened,officers' \
	'Reefer containers from Santos,OPEN,2026-11-02,ivan' \
	'Parcels of tramadol,NEW,2026-11-03,olga;nobody-here' \
	>"$T/bad.csv"
ncenctl -d "$X" dump -o "$T/before" || exit 1
fails_with 1 "an unknown officer is refused" \
	ncenctl -d "$X" import investigation "$T/bad.csv"
has "naming the row and the name" \
	"bad.csv:3: officers: 'nobody-here' is no account"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"
ok "no investigation stored" ncenctl -d "$X" stats
! grep -q "^ *investigation  *[1-9]" "$T/out"
tap_result $? "none counted"

printf '%s\n' 'title,status,opened,officers' \
	'Reefer containers from Santos,OPEN,2026-11-02,ivan' \
	'Parcels of tramadol,NEW,2026-11-03,olga;ivan' >"$T/good.csv"
ok "accounts only: imported" \
	ncenctl -d "$X" import investigation "$T/good.csv"
ok "dump" ncenctl -d "$X" dump investigation
has "the second is assigned to both" "field officers ivan"
finish
