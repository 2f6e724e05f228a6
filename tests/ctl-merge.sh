#!/bin/sh
# ctl-merge.sh - ncenctl merge: bad input and refused accounts change
# nothing (database, audit log, outbox, attachments), a dry run says
# what would move, then person 2 merged into person 1: its links and
# its photo move, its name becomes an alias, it is gone and its id leads
# to person 1, it is audited with the chain intact, the indexes verify,
# and case 1, which a partner holds, is queued again for it.

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

# small.dump: case 1 (person 1 its courier, person 2 a witness), case 2
# (person 2 the offender).  Case 1 goes to DE and comes back receipted.
ok "an analyst and an administrator" sh -c "ncenctl -d '$X' user add ana --roles analyst &&
	ncenctl -d '$X' user add adm --roles admin"
ok "case 1 validated" sh -c "ncenctl -d '$X' case submit 1 --as alice &&
	ncenctl -d '$X' case validate 1 --as sue"
ok "FR packs case 1 for DE" ncen-icomm -d "$X" pack DE-NCEN -o "$T/b1"
ok "DE receives it" ncen-icomm -d "$T/de" receive "$T/b1" -o "$T/r1"
ok "FR takes DE's receipt" ncen-icomm -d "$X" receipt "$T/r1"
ok "FR's status" ncen-icomm -d "$X" status
has "nothing is queued for DE" "queued 0"
printf 'a photo of person 2' >"$T/photo.jpg"
ok "a photo of person 2" ncenctl -d "$X" attach person:2 "$T/photo.jpg"

snapshot() {
	ncenctl -d "$X" dump >"$T/$1.dump" &&
	ncenctl -d "$X" audit show >"$T/$1.audit" &&
	db5.3_dump -p "$X/outbox.db" >"$T/$1.outbox" &&
	db5.3_dump -p "$X/icomm.db" >"$T/$1.icomm"
}
same() {
	snapshot after &&
	cmp "$T/before.dump" "$T/after.dump" &&
	cmp "$T/before.audit" "$T/after.audit" &&
	cmp "$T/before.outbox" "$T/after.outbox" &&
	cmp "$T/before.icomm" "$T/after.icomm"
}
ok "snapshot" snapshot before

fails_with 2 "an entity that is not merged" ncenctl -d "$X" merge case 1 2
has "says so" "cannot merge 'case' records: expected person, business or conveyance"
fails_with 2 "an unknown entity" ncenctl -d "$X" merge nosuch 1 2
has "says so" "cannot merge 'nosuch' records"
fails_with 2 "a missing id" ncenctl -d "$X" merge person 1
has "says so" "expected ENTITY, KEEP and OTHER"
fails_with 2 "a bad id" ncenctl -d "$X" merge person 1 two
has "says so" "bad record id '1' or 'two'"
fails_with 2 "a record into itself" ncenctl -d "$X" merge person 1 1
has "says so" "cannot merge person 1 into itself"
fails_with 2 "records of different forms" ncenctl -d "$X" merge person 1 seizure:1
has "says so" "cannot merge seizure 1 into person 1: records of different forms"
fails_with 1 "a record that is not there" ncenctl -d "$X" merge person 1 9
has "says so" "person 9"
fails_with 1 "an officer may not merge" ncenctl -d "$X" merge --as alice person 1 2
has "says so" "account 'alice' (officer) may not merge"
fails_with 1 "nor an administrator" ncenctl -d "$X" merge --as adm person 1 2
has "says so" "account 'adm' (admin) may not merge"
fails_with 1 "nor an account that is not there" ncenctl -d "$X" merge --as zed person 1 2
ok "a dry run" ncenctl -d "$X" merge --as ana --dry-run person 1 2
has "says a name becomes an alias" "Family name, Given names 'O'Brien Seán \\ \"the back\\slash\"' -> Aliases"
has "and a link moves" "link OFFENDER case 2 -> moved"
has "and the photo" "link attachment attachment 1 -> moved"
has "and that nothing changed" "nothing changed (--dry-run)"
ok "refusals and the dry run changed nothing" same

ok "merge as a supervisor" ncenctl -d "$X" merge --as sue person 1 2
has "says what it did" "person 2 merged into person 1 (version 2): 1 values, 3 links moved, 0 already there, 1 attachments"
ok "FR's database afterwards" ncenctl -d "$X" dump
cp "$T/out" "$T/after"
ok "person 2 is gone" sh -c "! grep -q '^record person 2 ' '$T/after'"
ok "its name is an alias of person 1" sh -c "sed -n '/^record person 1 /,/^record/p' '$T/after' >'$T/p1' &&
	grep -qF 'field aliases O'\''Brien Seán' '$T/p1' &&
	grep -qF 'field aliases Le Chat' '$T/p1'"
ok "its links are person 1's" sh -c "grep -qx 'link case 1 person 1 COURIER' '$T/after' &&
	grep -qx 'link case 1 person 1 WITNESS' '$T/after' &&
	grep -qx 'link case 2 person 1 OFFENDER' '$T/after' &&
	! grep -q 'person 2' '$T/after'"
ok "and so is its photo" sh -c "grep -qx 'link person 1 attachment 1 attachment' '$T/after' &&
	sed -n '/^record attachment 1 /,/^record/p' '$T/after' | grep -qx 'field record 1'"
ok "the audit log" ncenctl -d "$X" audit show --action record.merge
has "names the merge on person 2" "sue record.merge person:2 into person:1; 1 values"
has "and on person 1" "sue record.merge person:1 from person:2"
ok "the audit chain holds" ncenctl -d "$X" audit verify
ok "the indexes and links verify" ncenctl -d "$X" verify
ok "FR's status" ncen-icomm -d "$X" status
has "case 1 is queued again for DE" "queued 1"
fails_with 1 "merging person 2 again" ncenctl -d "$X" merge --as sue person 1 2
has "says it is not there" "person 2"

finish
