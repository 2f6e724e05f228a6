#!/bin/sh
# ctl-inv-workflow.sh - an investigation's own workflow through ncenctl
# investigation: opened -> active -> suspended -> closed and reopened,
# officers assigned from the accounts, each step with who, when and why,
# a number made at the first step; every refusal leaves the database as
# it was; a data directory made before the workflow keeps its
# investigations and is told what to copy.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
X=$T/x
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "accounts" sh -c "ncenctl -d '$X' user add sam --roles supervisor &&
	ncenctl -d '$X' user add paul --roles supervisor --offices FRCDG01 &&
	ncenctl -d '$X' user add ivan --roles officer &&
	ncenctl -d '$X' user add olga --roles officer &&
	ncenctl -d '$X' user add adm --roles admin"
printf '%s\n' 'title,status,opened,office' \
	'Reefer containers from Santos,NEW,2026-11-02,FRHQ001' \
	'Parcels of tramadol,NEW,2026-11-03,FRHQ001' >"$T/inv.csv"
ok "two investigations" ncenctl -d "$X" import investigation "$T/inv.csv"

inv() { ncenctl -d "$X" investigation "$@"; }

# Refused, and the database is the same afterwards.
refused() {
	name=$1; want=$2; shift 2
	ncenctl -d "$X" dump -o "$T/before" || exit 1
	fails_with 1 "$name: refused" inv "$@"
	has "$name: says why" "$want"
	ncenctl -d "$X" dump -o "$T/after" || exit 1
	ok "$name: the database is unchanged" cmp "$T/before" "$T/after"
}

refused "an officer not assigned" "only a supervisor of its office or an officer assigned to it can take the step activate, and ivan is neither" \
	activate 1 --as ivan
refused "no account" "investigation 1 is opened (NEW): 'nobody-here' is no account" \
	assign 1 --as sam --officer nobody-here
refused "an administrator is not assignable" "the account adm cannot be assigned" \
	assign 1 --as sam --officer adm
refused "an officer may not assign" "only a supervisor of its office can take the step assign, and ivan is not one" \
	assign 1 --as ivan --officer ivan
refused "a supervisor of another office" "and paul is not one" \
	assign 1 --as paul --officer ivan

ok "assign ivan" inv assign 1 --as sam --officer ivan
has "says so" "investigation 1: assign ivan (version 2)"
refused "twice" "ivan is already assigned to it" assign 1 --as sam --officer ivan
ok "assign olga" inv assign 1 --as sam --officer olga
ok "unassign olga" inv unassign 1 --as sam --officer olga
refused "unassign who is not" "olga is not assigned to it" \
	unassign 1 --as sam --officer olga

refused "suspend before it is active" "only an investigation that is OPEN can take the step suspend" \
	suspend 1 --as ivan --reason "lab"
ok "the assigned officer activates it" inv activate 1 --as ivan
has "opened -> active" "investigation 1: NEW -> OPEN"
refused "suspend without a reason" "the step suspend needs a reason" \
	suspend 1 --as ivan
ok "suspend with a reason" inv suspend 1 --as ivan --reason "waiting for the lab"
ok "resume" inv resume 1 --as ivan
refused "an officer may not close" "only a supervisor of its office can take the step close" \
	close 1 --as ivan --outcome CLOSED-RESULT --reason "seized"
refused "close to a status that is no outcome" "closing it needs an outcome: CLOSED-RESULT, CLOSED-NFA or REFERRED, not 'OPEN'" \
	close 1 --as sam --outcome OPEN --reason "done"
refused "close on an old version" "investigation 1 was changed by ivan" \
	close 1 --as sam --outcome CLOSED-RESULT --reason "seized" --version 2
ok "the supervisor closes it" inv close 1 --as sam --outcome CLOSED-RESULT \
	--reason "500 kg seized, two charged"
has "active -> closed" "investigation 1: OPEN -> CLOSED-RESULT"
refused "assign once closed" "only an investigation that is NEW, OPEN, SUSPENDED can take the step assign" \
	assign 1 --as sam --officer olga
refused "reopen without a reason" "the step reopen needs a reason" \
	reopen 1 --as sam
ok "reopen" inv reopen 1 --as sam --reason "the lab found more"
ok "close again, no further action" inv close 1 --as sam --outcome CLOSED-NFA \
	--reason "nothing more"

ok "history" inv history 1
has "its number, stage and status" \
	"investigation 1 INV-FR-HQ001-2026-000001 is closed (CLOSED-NFA, version 10)"
has "who is assigned" "assigned: ivan"
has "the assignment, by whom" "assign  NEW -> NEW ivan  by sam (supervisor)"
has "the unassignment" "unassign  NEW -> NEW olga  by sam (supervisor)"
has "activated by the officer" "activate  NEW -> OPEN  by ivan (officer)"
has "suspended, why" "suspend  OPEN -> SUSPENDED  by ivan (officer): waiting for the lab"
has "closed, why" "close  OPEN -> CLOSED-RESULT  by sam (supervisor): 500 kg seized, two charged"
has "reopened, why" "reopen  CLOSED-RESULT -> OPEN  by sam (supervisor): the lab found more"
n=$(grep -c '^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' "$T/out")
[ "$n" -eq 9 ]
tap_result $? "nine steps, each with its time (got $n)"

ok "dump" ncenctl -d "$X" dump investigation
has "the number is stored" "field number INV-FR-HQ001-2026-000001"
has "the status is stored" "field status CLOSED-NFA"
has "the closing date is set" "field closed 20"
ok "audit" ncenctl -d "$X" audit show --record investigation:1
has "the steps are audited" "investigation.close"

ok "the second gets the next number" inv activate 2 --as sam
ok "history 2" inv history 2
has "numbered next" "INV-FR-HQ001-2026-000002 is active (OPEN"

# A data directory made with the forms of before: investigation.form
# version 1 and no investigation_step.form.
O=$T/old
OF=$T/oldforms
mkdir "$OF" && cp "$F"/*.form "$F"/*.codes "$F"/*.queries "$F"/*.rates "$OF"/
rm "$OF/investigation_step.form"
sed -e 's/^form investigation 2$/form investigation 1/' \
	-e '/^field office code:office index$/,/^$/d' \
	"$F/investigation.form" >"$OF/investigation.form"
ok "an old data directory" ncenctl -d "$O" init --forms "$OF"
ok "an old account" ncenctl -d "$O" user add sam --roles supervisor
printf '%s\n' 'title,status,opened' 'Old lead,OPEN,2025-01-02' \
	'Older lead,REFERRED,2024-05-06' >"$T/old.csv"
ok "its investigations, of every old status" \
	ncenctl -d "$O" import investigation "$T/old.csv"
ncenctl -d "$O" dump -o "$T/before" || exit 1
fails_with 1 "no step without the step form" \
	ncenctl -d "$O" investigation suspend 1 --as sam --reason "x"
has "says which form to copy" "copy forms/investigation_step.form into them"
ncenctl -d "$O" dump -o "$T/after" || exit 1
ok "the old database is unchanged" cmp "$T/before" "$T/after"
ok "its investigations still read" ncenctl -d "$O" dump investigation
has "status kept" "field status REFERRED"
finish
