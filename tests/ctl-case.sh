#!/bin/sh
# ctl-case.sh - ncenctl case: the workflow steps from the command line,
# each refusal with its message and exit status and the database
# unchanged, and the history.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/x

ok "init" ncenctl -d "$X" init --forms "$F"
# Case 1 is complete, case 2 has no date (a draft may lack it); case 3
# has seizure lines.
printf '%s\n' 'ncen-dump 1' 'record case 1 1 1795770000 carol' \
	'field status draft' 'field date 2026-11-05' 'field office FRCDG01' \
	'field country FR' 'field direction IMP' \
	'record case 2 1 1795770000 carol' 'field office FRCDG01' \
	'field country FR' 'field direction IMP' \
	'record case 3 1 1795770000 carol' 'field status draft' \
	'field date 2026-11-05' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' \
	'record seizure 1 1 1795770000 carol' 'field case 3' \
	'field commodity DRUG' 'field quantity 2' 'field unit KGM' \
	'record seizure 2 1 1795770000 carol' 'field case 3' \
	'field commodity TOB' >"$T/cases.dump"
ok "load three draft cases" ncenctl -d "$X" load "$T/cases.dump"
ok "accounts" sh -c "ncenctl -d '$X' user add bob --roles officer &&
	ncenctl -d '$X' user add sue --roles supervisor &&
	ncenctl -d '$X' user add ann --roles analyst"

# A refused step: exit status, message, and nothing changed.
refused() {
	name=$1; want=$2; msg=$3; shift 3
	ncenctl -d "$X" dump -o "$T/before" || return 1
	fails_with "$want" "$name is refused" ncenctl -d "$X" case "$@"
	has "$name: says why" "$msg"
	ncenctl -d "$X" dump -o "$T/after" || return 1
	ok "$name: the database is unchanged" cmp "$T/before" "$T/after"
}

refused "validating a draft" 1 \
	"ncenctl: case: case 1 is draft: only a submitted case can be validated" \
	validate 1 --as sue
refused "submitting an incomplete case" 1 \
	"case 2 is draft: it cannot be submitted until it is complete: date: expected a value" \
	submit 2 --as bob
# Case 3 is complete but its second seizure line has no quantity or unit.
refused "a case with an incomplete seizure line" 1 \
	"case 3 is draft: it cannot be submitted until it is complete: seizure line 2: quantity: expected a value (the field is required), found none; seizure line 2: unit: expected a value" \
	submit 3 --as bob
refused "an analyst submitting" 1 \
	"only an officer or a supervisor can submit it, and ann is an analyst" \
	submit 1 --as ann
refused "a case that is not there" 1 "case 9" \
	submit 9 --as bob
refused "no --as" 2 "--as USER is needed" submit 1
refused "--role is gone" 2 "the account's roles decide" \
	submit 1 --as bob --role officer
refused "an account that is not there" 1 "no account 'zed'" submit 1 --as zed
refused "an unknown action" 2 "unknown action 'approve'" \
	approve 1 --as bob
refused "a bad id" 2 "bad case id 'x'" submit x --as bob
refused "no id" 2 "no case id given" submit --as bob

ok "submit as an officer" ncenctl -d "$X" case submit 1 --as bob
has "it says what happened" "case 1: draft -> submitted (version 2)"
refused "a step based on an old version" 1 \
	"case 1 was changed by bob" \
	validate 1 --as sue --version 1
refused "an officer validating" 1 \
	"case 1 is submitted: only a supervisor can validate it, and bob is an officer" \
	validate 1 --as bob
ok "validate as a supervisor" ncenctl -d "$X" case validate 1 --as sue --version 2
has "it is validated" "case 1: submitted -> validated (version 3)"
ok "close" ncenctl -d "$X" case close 1 --as sue
refused "reopening without a reason" 1 \
	"case 1 is closed: reopening it needs a reason" \
	reopen 1 --as sue
ok "reopen with a reason" ncenctl -d "$X" case reopen 1 --as sue --reason "lab report: weight corrected"
has "back to draft" "case 1: closed -> draft (version 5)"

ok "history" ncenctl -d "$X" case history 1
has "the status and version" "case 1 is draft (version 5)"
has "the submission" "draft -> submitted  by bob (officer)"
has "the validation" "submitted -> validated  by sue (supervisor)"
has "the closing" "validated -> closed  by sue (supervisor)"
has "the reopening and why" "closed -> draft  by sue (supervisor): lab report: weight corrected"
[ "$(grep -c ' -> ' "$T/out")" -eq 4 ]
tap_result $? "four steps, no more"
ok "history of a case without steps" ncenctl -d "$X" case history 2
has "says so" "no workflow step recorded"
fails_with 1 "history of a missing case" ncenctl -d "$X" case history 7
fails_with 2 "history takes no option" ncenctl -d "$X" case history 1 \
	--as bob
# The four-eyes rule: off until an administrator turns it on; then the
# supervisor who validated a case may not also close it.
ok "four-eyes is off by default" ncenctl -d "$X" case four-eyes
has "it says so" "four-eyes: off"
ok "a second supervisor and an admin" sh -c "
	ncenctl -d '$X' user add tom --roles supervisor &&
	ncenctl -d '$X' user add adm --roles admin"
refused "a supervisor turning four-eyes on" 1 \
	"only an administrator may change it, and sue is not one" \
	four-eyes on --as sue
refused "four-eyes neither on nor off" 2 "on or off, not 'maybe'" \
	four-eyes maybe --as adm
ok "an admin turns it on" ncenctl -d "$X" case four-eyes on --as adm
ok "it shows" ncenctl -d "$X" case four-eyes
has "as on" "four-eyes: on"
ok "audited" ncenctl -d "$X" audit verify
ok "resubmit case 1" ncenctl -d "$X" case submit 1 --as bob
ok "sue validates it" ncenctl -d "$X" case validate 1 --as sue
refused "the validator closing it alone" 1 \
	"case 1 is validated: sue validated it, and the four-eyes rule needs another supervisor to close it" \
	close 1 --as sue
ok "another supervisor closes it" ncenctl -d "$X" case close 1 --as tom
has "closed" "validated -> closed"
ok "an admin turns it off" ncenctl -d "$X" case four-eyes off --as adm
ok "reopen, submit and validate again" sh -c "
	ncenctl -d '$X' case reopen 1 --as sue --reason again &&
	ncenctl -d '$X' case submit 1 --as bob &&
	ncenctl -d '$X' case validate 1 --as sue"
ok "with the rule off, the validator closes alone" \
	ncenctl -d "$X" case close 1 --as sue
ok "verify" ncenctl -d "$X" verify
ok "help" ncenctl case --help
has "it says who replaces --as" "--as USER"

finish
