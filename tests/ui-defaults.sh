#!/bin/sh
# tests/ui-defaults.sh - sensible defaults in ncen, driven in tmux: an
# officer's own cases newest first; the role picker offers only the
# roles that apply to the kind of record linked (role.codes "for ..."),
# starting on the likely one (a conveyance as carrier, never a
# suspect; a person as suspect); the commodity-type picker shows only
# the chosen group's types.  The database is checked after each link.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
ok "accounts" sh -c "ncenctl -d '$X' user add olga --roles officer &&
	ncenctl -d '$X' user add pat --roles officer"
printf '%s\n' 'ncen-dump 1' \
	'record case 1 1 1795000000 olga' 'field date 2026-11-01' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status draft' \
	'record case 2 1 1795000000 olga' 'field date 2026-11-05' \
	'field office FRCDG01' 'field country FR' 'field direction EXP' \
	'field officer olga' 'field status draft' \
	'record case 3 1 1795000000 olga' 'field date 2026-11-03' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer olga' 'field status draft' \
	'record case 4 1 1795000000 pat' 'field date 2026-11-09' \
	'field office FRCDG01' 'field country FR' 'field direction IMP' \
	'field officer pat' 'field status draft' \
	'record conveyance 1 1 1795000000 olga' 'field kind VEHICLE' \
	'field plate AB-123-CD' 'field recorded_by olga' \
	'record person 1 1 1795000000 olga' 'field family_name Durand' \
	'field recorded_by olga' >"$T/seed.dump"
ok "olga's three cases, pat's one, a truck and a person" \
	ncenctl -d "$X" load "$T/seed.dump"

ui_start O -- ncen -d "$X" --as olga --idle 0
ui_wait O "Main menu" >/dev/null
ui_keys O c
ui_see O "olga's own cases" "Cases (3)"
has "newest first, said in the title" "newest first"
ui_settle O
case $(sed -n 3p "$T/out") in *2026-11-05*) r=0 ;; *) r=1 ;; esac
tap_result $r "the newest case is on the first row"
case $(sed -n 5p "$T/out") in *2026-11-01*) r=0 ;; *) r=1 ;; esac
tap_result $r "the oldest on the last"
! grep -q "2026-11-09" "$T/out"
tap_result $? "pat's case is not hers"

# The truck: only the roles a conveyance may have, carrier first.
ui_keys O Enter
ui_wait O "Case 2" >/dev/null
ui_keys O C-k
ui_wait O "Link what?" >/dev/null
ui_keys O 3
ui_wait O "Link an existing one" >/dev/null
ui_keys O 1
ui_wait O "Choose the Conveyance to link (1)" >/dev/null
ui_keys O Enter
ui_see O "the role picker" "Pick a code: list role"
has "starts on the carrier" ">CARRIER"
! grep -q "SUSPECT" "$T/out"
tap_result $? "a conveyance is never offered as a suspect"
! grep -q "PASSENGER" "$T/out"
tap_result $? "nor as a passenger"
has "other roles still apply" "OTHER"
ui_keys O Enter
ui_see O "linked as carrier" "Conveyances (1)"
ok "the database has the link" ncenctl -d "$X" dump
has "as carrier" "CARRIER"

# The person: suspect first.
ui_keys O C-k
ui_wait O "Link what?" >/dev/null
ui_keys O 1
ui_wait O "Link an existing one" >/dev/null
ui_keys O 1
ui_wait O "Choose the Person to link (1)" >/dev/null
ui_keys O Enter
ui_see O "the person's role picker" "Pick a code: list role"
has "starts on suspect" ">SUSPECT"
has "with the roles of persons" "PASSENGER"
ui_keys O Enter
ui_see O "linked as suspect" "Persons (1)"
ok "the database has it" ncenctl -d "$X" dump
has "as suspect" "SUSPECT"

# A seizure line: the types of the group chosen only.
ui_keys O C-n
ui_wait O "Commodity group" >/dev/null
ui_keys O Tab
ui_type O "TOB"
ui_keys O Tab
ui_keys O C-p
ui_see O "the commodity-type picker" "Pick a code: list commodity_type"
has "the tobacco types" "TOB-CIG"
! grep -q "DRUG-" "$T/out"
tap_result $? "no drug among them"
ui_keys O C-x
finish
