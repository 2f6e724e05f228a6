#!/bin/sh
# icomm-update.sh - what happens to a case after it went to a partner,
# with the partner's receiver behind a real lighttpd with mutual TLS.
#
# FR sends two validated cases to DE.  Then a supervisor renames case
# 1's courier in ncen (tmux; the validated case itself offers no link
# or unlink: that would change it), and ncenctl import links the
# courier to case 2 too: each change queues its case again in its own
# transaction, and the next send leaves DE with the new name (a new
# version), exactly FR's links and every record once; sending again
# sends nothing.  Then case 1 is reopened: DE drops case 1 and its
# seizure but keeps the courier, whom case 2 still links; the witness
# is unlinked from the draft in ncen, and validated again, case 1 comes
# back without duplicating anyone.  Last, case 2 is reopened, loses its seizure line and its
# link to person 2 in ncen and is validated again: DE drops that
# seizure, and person 2, whom no case of FR links there any more.  ncenctl verify and audit
# verify are clean on both sides.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$(dirname "$0")/icomm-lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

icomm_certs || { sed 's/^/# /' "$T/certs.log"; echo "Bail out! openssl"; exit 1; }
URL=https://127.0.0.1:$port
icomm_node fr FR-NCEN national && icomm_node de DE-NCEN national
tap_result $? "two nodes, each with its key and certificate"
icomm_partner fr DE-NCEN de national "$URL/de/icomm" &&
icomm_partner de FR-NCEN fr national "$URL/fr/icomm" &&
icomm_agreement fr DE-NCEN both partner &&
icomm_agreement de FR-NCEN both partner
tap_result $? "each registers the other, with an agreement for every group"
icomm_cgi de
icomm_lighttpd_start "$T/fr/node.crt"
icomm_cases fr
tap_result $? "FR has the fixture's two cases (they share person 2)"

ok "submit case 1" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate case 1" ncenctl -d "$T/fr" case validate 1 --as sue
ok "submit case 2" ncenctl -d "$T/fr" case submit 2 --as bob
ok "validate case 2" ncenctl -d "$T/fr" case validate 2 --as sue
ok "send" ncen-icomm -d "$T/fr" send
has "both cases went" "1 batches, 2 entries"

# DE's links, each end named by FR's id (icomm.origin_id), sorted.
de_links() {
	ncenctl -d "$T/de" dump | awk '
	/^record / { r = $2 " " $3 }
	/^extra icomm.origin_id / { split($3, a, ":"); id[r] = a[2] }
	/^link / { l[n++] = $0 }
	END {
		for (i = 0; i < n; i++) {
			split(l[i], f, " ")
			print "link", f[2], id[f[2] " " f[3]], f[4], \
			    id[f[4] " " f[5]], f[6]
		}
	}' | sort
}
# FR's links, sorted, without those of the cases given.
fr_links() {
	ncenctl -d "$T/fr" dump | grep '^link ' | {
		if [ $# -gt 0 ]; then grep -v "^link case $1 "; else cat; fi
	} | sort
}
# Each record DE holds from FR: entity:id and its version at FR, sorted.
de_versions() {
	ncenctl -d "$T/de" dump | awk '
	/^record / { r = $2 " " $3 }
	/^extra icomm.origin_id / { o[r] = $3 }
	/^extra icomm.origin_version / { v[r] = $3 }
	END { for (r in o) print o[r], v[r] }' | sort
}
# Compare DE's links with FR's (optionally without a case's).
same_links() {
	de_links >"$T/de.links"
	fr_links "$@" >"$T/fr.links"
	if cmp -s "$T/de.links" "$T/fr.links"; then return 0; fi
	diff "$T/fr.links" "$T/de.links" | sed 's/^/# /'
	return 1
}

same_links
tap_result $? "DE has FR's three links"
de_versions >"$T/v1"
grep -qx "person:1 1" "$T/v1" && [ "$(wc -l <"$T/v1")" -eq 6 ]
tap_result $? "six records, person 1 at version 1"

# (a) In ncen, sue renames the courier of case 1.
ui_start N -- ncen -d "$T/fr" --as sue
ui_wait N "Cases" >/dev/null
ui_keys N c
ui_wait N "FR-CDG01-2026-000001" >/dev/null
ui_keys N Enter
ui_see N "case 1 with its two persons" "Persons (2)"
ui_wait N "^X Back" >/dev/null
! tail -1 "$T/out" | grep -q "Link\|Remove"
tap_result $? "the validated case offers no link nor unlink"
ui_wait N ">DRUG" >/dev/null
ui_keys N Down
ui_wait N ">Courier" >/dev/null
ui_keys N Enter
ui_see N "the courier's screen" "Person 1, version 1"
ui_keys N C-e
ui_wait N "Family name: text" >/dev/null
ui_keys N C-u
ui_type N "Durand"
ui_keys N C-w
ui_see N "the new name is saved" "Family name: Durand"
ui_see N "as version 2" "Person 1, version 2"
ui_keys N C-x C-x C-x
ui_wait N "Main menu" >/dev/null
ui_keys N C-x
ui_gone N
tap_result $? "ncen ends"

printf 'from_entity,from_id,to_entity,to_id,role\ncase,2,person,1,SUSPECT\n' \
	>"$T/links.csv"
ok "ncenctl import links the courier to case 2" \
	ncenctl -d "$T/fr" import links "$T/links.csv"
ok "FR's status" ncen-icomm -d "$T/fr" status
has "both cases are queued again" "queued 2, in flight 0"
ok "FR's audit log" ncenctl -d "$T/fr" audit show --action icomm.queue
# Case 1: its validation and the edit, each by sue; case 2: its
# validation and the import, at the case's version (3) each time.
[ "$(grep -c 'sue icomm.queue case:1 record for DE-NCEN (version 4)' \
	"$T/out")" -eq 2 ]
tap_result $? "the edit queued case 1 again, as sue"
[ "$(grep -c 'icomm.queue case:2 record for DE-NCEN (version 3)' \
	"$T/out")" -eq 2 ]
tap_result $? "the import queued case 2"

ok "send the updates" ncen-icomm -d "$T/fr" send
has "both went" "1 batches, 2 entries"
ok "DE's persons" ncenctl -d "$T/de" dump person
has "the courier's new name" "field family_name Durand"
! grep -q "Dupont" "$T/out"
tap_result $? "and not the old one"
de_versions >"$T/v2"
grep -qx "person:1 2" "$T/v2"
tap_result $? "person 1 is at version 2 there"
[ "$(wc -l <"$T/v2")" -eq 6 ]
tap_result $? "still six records: nothing duplicated"
same_links
tap_result $? "DE's links are FR's: the suspect link there"
ok "send again" ncen-icomm -d "$T/fr" send
has "nothing is sent twice" "0 batches, 0 entries"

# (b) Case 1 is withdrawn; case 2 still links the courier (and person 2).
ok "reopen case 1" ncenctl -d "$T/fr" case reopen 1 --as sue --reason "wrong flight"
ok "send the withdrawal" ncen-icomm -d "$T/fr" send
has "it went" "1 batches, 1 entries"
de_versions >"$T/v3"
printf '%s\n' "case:2 3" "person:1 2" "person:2 1" "seizure:2 1" >"$T/v3.want"
cmp -s "$T/v3" "$T/v3.want"
tap_result $? "DE keeps case 2, its seizure and both persons; case 1 and seizure 1 are gone"
diff "$T/v3.want" "$T/v3" | sed 's/^/# /'
same_links 1
tap_result $? "case 2 still links the courier and person 2 there"
ok "DE verifies" ncenctl -d "$T/de" verify
ok "FR verifies" ncenctl -d "$T/fr" verify

# The draft may change again: sue unlinks the witness in ncen.
ui_start W -- ncen -d "$T/fr" --as sue
ui_wait W "Cases" >/dev/null
ui_keys W c
ui_wait W "FR-CDG01-2026-000001" >/dev/null
ui_keys W Enter
ui_see W "case 1, a draft, with its two persons" "Persons (2)"
ui_keys W Down Down C-d
ui_see W "unlinking the witness is asked" "Unlink Witness"
ui_keys W y
ui_see W "the witness is unlinked" "Persons (1)"
ui_keys W C-x C-x
ui_wait W "Main menu" >/dev/null
ui_keys W C-x
ui_gone W
tap_result $? "ncen ends"
ok "submit case 1 again" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate it again" ncenctl -d "$T/fr" case validate 1 --as sue
ok "send it" ncen-icomm -d "$T/fr" send
has "it went" "1 batches, 1 entries"
[ "$(de_versions | grep -c '^person:')" -eq 2 ] &&
	de_versions | grep -q '^case:1 '
tap_result $? "DE has case 1 again, and each person once"
same_links
tap_result $? "and FR's links"

# Case 2 reopened, its seizure line removed and person 2 unlinked in
# ncen, validated again before the withdrawal went: the update replaces
# it, and DE drops the seizure and the person it no longer carries.
ok "reopen case 2" ncenctl -d "$T/fr" case reopen 2 --as sue --reason "not alcohol"
ui_start S -- ncen -d "$T/fr" --as sue
ui_wait S "Cases" >/dev/null
ui_keys S c
ui_wait S "FR-MRS02-2026-000002" >/dev/null
ui_keys S Down Enter
ui_wait S ">ALC" >/dev/null
ui_keys S C-d
ui_see S "removing the seizure line is asked" "Remove the seizure line"
ui_keys S y
ui_see S "case 2 has no seizure left" "Seizures (0)"
ui_wait S ">Offender" >/dev/null
ui_keys S C-d
ui_see S "unlinking person 2 is asked" "Unlink Offender"
ui_keys S y
ui_see S "person 2 is unlinked (no case links it now)" "Persons (1)"
ui_keys S C-x C-x
ui_wait S "Main menu" >/dev/null
ui_keys S C-x
ui_gone S
tap_result $? "ncen ends"
ok "submit case 2 again" ncenctl -d "$T/fr" case submit 2 --as bob
ok "validate it again" ncenctl -d "$T/fr" case validate 2 --as sue
ok "send" ncen-icomm -d "$T/fr" send
has "the update went (not the withdrawal)" "1 batches, 1 entries"
de_versions >"$T/v4"
grep -qx "case:2 6" "$T/v4" && ! grep -q "^seizure:2 " "$T/v4" &&
	grep -q "^seizure:1 " "$T/v4"
tap_result $? "DE has case 2's new version and no longer its seizure"
! grep -q "^person:2 " "$T/v4" && grep -q "^person:1 " "$T/v4"
tap_result $? "person 2, linked to none of FR's cases there now, is gone"
same_links
tap_result $? "and FR's links still"
ok "DE verifies again" ncenctl -d "$T/de" verify
ok "DE's audit log verifies" ncenctl -d "$T/de" audit verify
ok "FR's audit log verifies" ncenctl -d "$T/fr" audit verify
ok "DE queued nothing of FR's records" ncen-icomm -d "$T/de" status
has "its outbox is empty" "queued 0, in flight 0"

finish
