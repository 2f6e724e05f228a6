#!/bin/sh
# ctl-retention.sh - ncenctl retention: what is due (nothing before its
# time, a person kept by an open case), refusals and a dry run that
# change nothing, then apply: the person anonymised, the case, its
# seizure, steps and attachments deleted, the files no record names
# removed, each audited with the chain intact, and the case withdrawn
# from the partner that holds it (the batch carried by hand takes it
# off the partner's database).  The clock is moved with
# NCEN_RETENTION_NOW.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$(dirname "$0")/icomm-lib.sh"
command -v db5.3_dump >/dev/null 2>&1 || skip_all "db5.3_dump is not installed"

icomm_certs || { sed 's/^/# /' "$T/certs.log"; echo "Bail out! openssl"; exit 1; }
icomm_node fr FR-NCEN national && icomm_node de DE-NCEN national &&
	icomm_partner fr DE-NCEN de national "https://127.0.0.1:1/icomm" &&
	icomm_agreement fr DE-NCEN out partner &&
	icomm_partner de FR-NCEN fr national "https://127.0.0.1:1/icomm" &&
	icomm_agreement de FR-NCEN in partner &&
	icomm_cases fr
tap_result $? "two nodes that agree to exchange at partner level"
X=$T/fr

# Small.dump: case 1 (person 1 its courier, person 2 a witness) and case
# 2 (person 2 the offender), a seizure each.  Person 3 is linked to
# nothing and was last changed a day ago.
day_ago=$(($(date +%s) - 86400))
printf '%s\n' 'ncen-dump 1' "record person 3 1 $day_ago carol" \
	'field family_name ALONE' 'field remarks met at the port' >"$T/p3.dump"
ok "a person linked to nothing" ncenctl -d "$X" load "$T/p3.dump"
ok "case 1 closed" sh -c "ncenctl -d '$X' case submit 1 --as alice &&
	ncenctl -d '$X' case validate 1 --as sue &&
	ncenctl -d '$X' case close 1 --as sue"
ok "FR packs case 1 for DE" ncen-icomm -d "$X" pack DE-NCEN -o "$T/b1"
ok "DE receives it" ncen-icomm -d "$T/de" receive "$T/b1" -o "$T/r1"
ok "FR takes DE's receipt" ncen-icomm -d "$X" receipt "$T/r1"
ok "DE's database" ncenctl -d "$T/de" dump case person
has "DE holds FR's case 1" "extra icomm.origin_id case:1"
printf 'person photo' >"$T/photo.jpg"
printf 'shared scan' >"$T/scan.pdf"
ok "attach a photo to person 1" ncenctl -d "$X" attach person:1 "$T/photo.jpg"
ok "and a scan to case 1" ncenctl -d "$X" attach case:1 "$T/scan.pdf"
ok "and the same scan to case 2" ncenctl -d "$X" attach case:2 "$T/scan.pdf"
photo=$X/attachments/$(sha256sum "$T/photo.jpg" | cut -c1-2)/$(sha256sum "$T/photo.jpg" | cut -c1-64)
scan=$X/attachments/$(sha256sum "$T/scan.pdf" | cut -c1-2)/$(sha256sum "$T/scan.pdf" | cut -c1-64)
ok "their files are there" test -f "$photo" -a -f "$scan"

later() { date -u -d "+$1 years" +%Y-%m-%dT%H:%M:%S; }

ok "list now" ncenctl -d "$X" retention list
has "nothing is due now" "nothing is due"
ok "list in nine years" env NCEN_RETENTION_NOW="$(later 9)" \
	ncenctl -d "$X" retention list
has "nothing is due in nine years" "nothing is due"
NCEN_RETENTION_NOW=$(later 11)
export NCEN_RETENTION_NOW
ok "list in eleven years" ncenctl -d "$X" retention list
cp "$T/out" "$T/list"
has "person 1 is due, case 1 closed" "person 1: anonymise, last case closed"
has "person 3 is due, linked to nothing" "person 3: anonymise, no case, last changed"
has "seizure 1 goes with case 1" "seizure 1: delete, last case closed"
has "case 1 is due" "case 1: delete, last case closed"
ok "and nothing else: person 2 is kept by case 2, still open" \
	test "$(wc -l <"$T/list")" -eq 4
ok "cases come last" sh -c "tail -1 '$T/list' | grep -q '^case 1:'"
ok "list --form person" ncenctl -d "$X" retention list --form person
cut -d: -f1 "$T/out" | tr '\n' ' ' >"$T/persons"
ok "gives the persons only" test "$(cat "$T/persons")" = "person 1 person 3 "

# Refusals and the dry run change nothing: database, audit log, outbox.
snapshot() {
	ncenctl -d "$X" dump >"$T/$1.dump" &&
	ncenctl -d "$X" audit show >"$T/$1.audit" &&
	db5.3_dump -p "$X/outbox.db" >"$T/$1.outbox" &&
	find "$X/attachments" -type f | sort >"$T/$1.files"
}
same() {
	snapshot after &&
	cmp "$T/before.dump" "$T/after.dump" &&
	cmp "$T/before.audit" "$T/after.audit" &&
	cmp "$T/before.outbox" "$T/after.outbox" &&
	cmp "$T/before.files" "$T/after.files"
}
ok "snapshot" snapshot before
fails_with 2 "a form without a period" ncenctl -d "$X" retention list --form message
has "says so" "form message has no retention period"
fails_with 2 "a form that is not there" ncenctl -d "$X" retention list --form nosuch
has "says so" "no form 'nosuch'"
fails_with 2 "an unknown action" ncenctl -d "$X" retention purge
has "says so" "unknown action 'purge'"
fails_with 2 "--dry-run with list" ncenctl -d "$X" retention list --dry-run
fails_with 1 "an officer may not apply" ncenctl -d "$X" retention apply --as alice
has "says so" "account 'alice' (officer) may not retention"
fails_with 1 "nor an account that is not there" ncenctl -d "$X" retention apply --as zed
ok "a dry run" ncenctl -d "$X" retention apply --dry-run --as sue
has "says what it would do" "would apply: person 1: anonymise"
ok "refusals and the dry run changed nothing" same

ok "apply as a supervisor" ncenctl -d "$X" retention apply --as sue
cp "$T/out" "$T/apply"
has "person 1 anonymised, its photo with it" "applied: person 1: anonymise, last case closed"
has "case 1 deleted with its scan" "1 attachments deleted, 0 files removed"
has "four applied" "4 applied, 0 skipped"

ok "FR's database afterwards" ncenctl -d "$X" dump
cp "$T/out" "$T/after"
ok "case 1 is gone" sh -c "! grep -q '^record case 1 ' '$T/after'"
ok "case 2 stays" grep -q '^record case 2 ' "$T/after"
ok "seizure 1 is gone, seizure 2 stays" sh -c "! grep -q '^record seizure 1 ' '$T/after' &&
	grep -q '^record seizure 2 ' '$T/after'"
ok "case 1's steps are gone" sh -c "! grep -q '^record transition ' '$T/after'"
ok "person 1 is anonymised" sh -c "sed -n '/^record person 1 /,/^record/p' '$T/after' >'$T/p1' &&
	grep -q 'field family_name ANONYMISED' '$T/p1' &&
	grep -q 'field sex 1' '$T/p1' && grep -q 'field nationality FR' '$T/p1' &&
	grep -q 'field nationality BR' '$T/p1' &&
	grep -q 'extra retention.anonymised' '$T/p1' &&
	! grep -q 'given_names\|aliases\|birth_date\|Dupont' '$T/p1'"
ok "person 3 too" sh -c "sed -n '/^record person 3 /,/^record/p' '$T/after' >'$T/p3' &&
	grep -q 'field family_name ANONYMISED' '$T/p3' && ! grep -q remarks '$T/p3'"
ok "person 2 is as it was" sh -c "grep -q \"field family_name O'Brien\" '$T/after'"
ok "only case 2's attachment is left" sh -c "test \$(grep -c '^record attachment ' '$T/after') -eq 1 &&
	grep -q 'field record 2' '$T/after'"
ok "the photo's file is removed" test ! -e "$photo"
ok "the scan case 2 still has is kept" test -f "$scan"

ok "the audit log" ncenctl -d "$X" audit show --action retention.
has "the anonymisation" "sue retention.anonymise person:1"
has "the deletion" "sue retention.delete case:1"
has "the seizure's" "sue retention.delete seizure:1"
has "person 3's" "sue retention.anonymise person:3"
ok "and the deletes" ncenctl -d "$X" audit show --action record.delete --record attachment:1
has "of the photo's record" "sue record.delete attachment:1"
ok "audit verify" ncenctl -d "$X" audit verify
has "the chain is intact" "the chain is intact"

db5.3_dump -p "$X/outbox.db" >"$T/outbox" 2>&1
ok "the outbox has the withdrawal of case 1 for DE" \
	sh -c "grep -q 'DE-NCEN' '$T/outbox' && grep -q '\"withdraw\"' '$T/outbox'"
ok "FR packs the withdrawal" ncen-icomm -d "$X" pack DE-NCEN -o "$T/b2"
ok "DE receives it" ncen-icomm -d "$T/de" receive "$T/b2" -o "$T/r2"
ok "DE's database afterwards" ncenctl -d "$T/de" dump case person
ok "DE no longer holds case 1" sh -c "! grep -q 'icomm.origin_id case:1' '$T/out'"

ok "apply again" ncenctl -d "$X" retention apply --as sue
has "nothing is due any more" "nothing is due"

finish
