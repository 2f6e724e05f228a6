#!/bin/sh
# icomm-exchange.sh - two national nodes and the global database, each a
# data directory, the receivers behind a real lighttpd with mutual TLS on
# a loopback port: a validated case with a person reaches the partner
# with the person's partner-level fields and the global database with
# no field that is not cen; an update, a withdrawal and a message
# follow; a link that drops mid-upload, or after the receiver stored a
# batch, ends with each record exactly once.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$(dirname "$0")/icomm-lib.sh"

icomm_certs || { sed 's/^/# /' "$T/certs.log"; echo "Bail out! openssl"; exit 1; }
URL=https://127.0.0.1:$port
icomm_node fr FR-NCEN national && icomm_node de DE-NCEN national &&
	icomm_node wcd WCO-CEN global
tap_result $? "three nodes, each with its key and certificate"

ok "FR registers DE and the global database" sh -c "
	ncenctl -d '$T/fr' partner add DE-NCEN --role national \
	  --url '$URL/de/icomm' --cert '$T/de/node.crt' --tls-ca '$T/ca.crt' &&
	ncenctl -d '$T/fr' partner add WCO-CEN --role global \
	  --url '$URL/wcd/icomm' --cert '$T/wcd/node.crt' --tls-ca '$T/ca.crt'"
ok "an outbound agreement with DE for drugs, at partner level" \
	ncenctl -d "$T/fr" agreement add --partner DE-NCEN --dir both \
	--level partner --groups DRUG,TOB --from 2020-01-01 --to 2099-12-31 \
	--basis "FR-DE mutual assistance agreement, 2020-01-01"
ok "and with the global database (it asks for partner level: cen it gets)" \
	ncenctl -d "$T/fr" agreement add --partner WCO-CEN --dir out \
	--level partner --from 2020-01-01 --to 2099-12-31 \
	--basis "WCO CEN data sharing, 2020-01-01"
ok "DE and the global database register FR, inbound" sh -c "
	ncenctl -d '$T/de' partner add FR-NCEN --role national \
	  --url '$URL/fr/icomm' --cert '$T/fr/node.crt' &&
	ncenctl -d '$T/de' agreement add --partner FR-NCEN --dir both \
	  --level partner --from 2020-01-01 --to 2099-12-31 --basis MAA &&
	ncenctl -d '$T/wcd' partner add FR-NCEN --role national \
	  --url '$URL/fr/icomm' --cert '$T/fr/node.crt' &&
	ncenctl -d '$T/wcd' agreement add --partner FR-NCEN --dir in \
	  --level partner --from 2020-01-01 --to 2099-12-31 --basis CEN"
ok "agreement list" ncenctl -d "$T/fr" agreement list
has "it names the legal basis" "FR-DE mutual assistance agreement, 2020-01-01"
has "and says it is in force" "in force"

icomm_cgi de
icomm_cgi wcd
icomm_lighttpd_start "$T/fr/node.crt"

# The fixture's case 1 (drugs, a courier and a witness), validated.
ncenctl -d "$T/fr" load "$top_srcdir/tests/fixtures/ctl/small.dump" >/dev/null
ncenctl -d "$T/fr" user add alice --roles officer >/dev/null
ncenctl -d "$T/fr" user add sue --roles supervisor >/dev/null
ok "submit case 1" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate case 1" ncenctl -d "$T/fr" case validate 1 --as sue
ok "status before sending" ncen-icomm -d "$T/fr" status
has "DE has one entry queued" "queued 1"
ok "send" ncen-icomm -d "$T/fr" send
has "two batches, one per partner" "2 batches, 2 entries"
ok "status after" ncen-icomm -d "$T/fr" status
has "nothing queued" "queued 0, in flight 0"
! grep -q "last success never" "$T/out"
tap_result $? "a last success is shown"

ok "DE's database" ncenctl -d "$T/de" dump
has "DE has the case" "extra icomm.origin_id case:1"
has "marked with its origin" "extra icomm.origin FR-NCEN"
has "the person's name" "field family_name Dupont-Éléonore"
has "the person's birth date" "field birth_date 1980-02-29"
has "the place (partner level)" "field place Roissy-Charles de Gaulle"
has "the seizure" "field commodity_type DRUG-COC"
has "the courier link" "link case 1 person 1 COURIER"
! grep -q "narrative" "$T/out"
tap_result $? "no local field (the narrative) reached DE"
ncenctl -d "$T/de" user add otto --roles officer,supervisor >/dev/null
ncenctl -d "$T/de" dump -o "$T/before"
fails_with 1 "DE cannot take FR's case through its workflow" \
	ncenctl -d "$T/de" case submit 1 --as otto
has "it says why" "case 1 came from FR-NCEN through Icomm: it is read-only on this node"
ncenctl -d "$T/de" dump -o "$T/after"
ok "DE's database is unchanged" cmp "$T/before" "$T/after"

ok "the global database's" ncenctl -d "$T/wcd" dump
has "it has the case" "extra icomm.origin_id case:1"
has "the seizure's cen fields" "field quantity 3.200"
has "the person's sex" "field sex 1"
# Every field the global database holds is a cen field of its forms.
awk '/^form /{f=$2} /^field /{ if ($0 ~ / share cen/) print f "." $2 }' \
	"$F"/*.form | sort >"$T/cen-fields"
awk '/^record /{e=$2} /^field /{print e "." $2}' "$T/out" | sort -u \
	>"$T/wcd-fields"
comm -23 "$T/wcd-fields" "$T/cen-fields" >"$T/not-cen"
[ ! -s "$T/not-cen" ] && [ -s "$T/wcd-fields" ]
tap_result $? "the global database holds cen fields only"
sed 's/^/# not cen: /' "$T/not-cen"
for f in family_name given_names birth_date place document_number address \
    phone description brand narrative; do
	grep -q "field $f " "$T/out" && echo "# $f reached the global database"
done
! grep -qE "field (family_name|given_names|birth_date|place|description|brand) " "$T/out"
tap_result $? "no name, birth date, place or free text reached it"

# Sending again sends nothing.
ok "send again" ncen-icomm -d "$T/fr" send
has "nothing to send" "0 batches, 0 entries"

# An update: reopened and validated again, it goes again; DE updates it.
ok "reopen" ncenctl -d "$T/fr" case reopen 1 --as sue --reason "weight corrected"
ok "submit again" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate again" ncenctl -d "$T/fr" case validate 1 --as sue
ok "send the update" ncen-icomm -d "$T/fr" send
has "both partners took it" "2 batches, 2 entries"
ok "DE's database after the update" ncenctl -d "$T/de" dump
has "the new version" "extra icomm.origin_version 7"
[ "$(grep -c '^record case' "$T/out")" -eq 1 ]
tap_result $? "DE holds the case once"
[ "$(grep -c '^record person' "$T/out")" -eq 2 ]
tap_result $? "and each person once"

# A message, from the NCP (only the ncp role may write to partners).
ncenctl -d "$T/fr" user add nina --roles ncp >/dev/null
fails_with 1 "a supervisor may not write to a partner" ncen-icomm -d "$T/fr" \
	message DE-NCEN --subject "Hello" --as sue
has "it says why" "sue may not write to partners: Icomm is for the ncp role"
fails_with 1 "citing a case that is not there is refused" ncen-icomm \
	-d "$T/fr" message DE-NCEN --subject "x" --cite case:99 --as nina
has "it says why" "cites case 99, which does not exist"
# Case 1 is validated and covered: it goes with the message; case 2 is
# a draft (and alcohol, which no agreement covers): its citation stays.
ok "a message to DE citing two cases" ncen-icomm -d "$T/fr" message DE-NCEN \
	--subject "Courier on AF457" --body "Please check the consignee." \
	--cite case:1 --cite case:2 --as nina
ok "send it" ncen-icomm -d "$T/fr" send --partner DE-NCEN
has "it went" "1 batches, 1 entries"
ok "DE's messages" ncenctl -d "$T/de" dump message
has "the subject" "field subject Courier on AF457"
has "received" "field direction IN"
has "from FR" "field node FR-NCEN"
has "citing case 1, as DE knows it" "field cites case:1"
! grep -q "cites case:2" "$T/out"
tap_result $? "the citation of a case that may not go was left out"
ok "DE's cases" ncenctl -d "$T/de" dump case
! grep -q "origin_id case:2" "$T/out"
tap_result $? "and that case did not travel"

# A withdrawal: reopened, the case leaves both partners.
ok "reopen to withdraw" ncenctl -d "$T/fr" case reopen 1 --as sue --reason "wrong case"
ok "send the withdrawal" ncen-icomm -d "$T/fr" send
has "both took it" "2 batches, 2 entries"
ok "DE's database after the withdrawal" ncenctl -d "$T/de" dump case person seizure
! grep -q "origin_id case:1" "$T/out"
tap_result $? "DE no longer holds the case"
! grep -q "^record person" "$T/out"
tap_result $? "nor the persons that came with it"
ok "the global database's after the withdrawal" ncenctl -d "$T/wcd" dump case
! grep -q "origin_id case:1" "$T/out"
tap_result $? "the global database no longer holds it"

# The link drops mid-upload: the uploader retries; each record once.
ncenctl -d "$T/fr" case submit 1 --as alice >/dev/null
ncenctl -d "$T/fr" case validate 1 --as sue >/dev/null
icomm_relay_start --cut-up 900
ncenctl -d "$T/fr" partner del DE-NCEN >/dev/null
ok "DE behind a link that drops mid-upload" \
	ncenctl -d "$T/fr" partner add DE-NCEN --role national \
	--url "https://127.0.0.1:$rport/de/icomm" --cert "$T/de/node.crt" \
	--tls-ca "$T/ca.crt"
# (deleting and adding the partner again keeps its outbox entries)
ok "send through it" ncen-icomm -v -d "$T/fr" send --partner DE-NCEN --backoff 100
has "one failure, then the batch" "1 batches, 1 entries"
has "one failure" "1 failures"
icomm_relay_stop

# The receipt is lost after DE stored the batch (the web server answers
# 502 once): the same batch again is answered with its first receipt.
ok "reopen" ncenctl -d "$T/fr" case reopen 1 --as sue --reason "again"
ok "submit" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate" ncenctl -d "$T/fr" case validate 1 --as sue
icomm_relay_start
touch "$T/de/lose-receipt"
ok "send while the receipt is lost once" ncen-icomm -v -d "$T/fr" send \
	--partner DE-NCEN --backoff 100
has "the repeat is accepted" "1 batches, 1 entries"
has "after one failure" "1 failures"
icomm_relay_stop
ok "DE's database" ncenctl -d "$T/de" dump
[ "$(grep -c '^record case' "$T/out")" -eq 1 ] &&
[ "$(grep -c '^record person' "$T/out")" -eq 2 ] &&
[ "$(grep -c '^record seizure' "$T/out")" -eq 1 ] &&
[ "$(grep -c '^link case' "$T/out")" -eq 2 ]
tap_result $? "each record and link exactly once"
ok "DE's audit log" ncenctl -d "$T/de" audit show --action icomm.receive
has "the repeated batch stored nothing" "again: nothing stored"
# run: the long-lived uploader, woken by what is queued (its interval is
# ten minutes here, so only the wake-up can carry these in time), stops
# on SIGTERM.
icomm_relay_start
ncen-icomm -d "$T/fr" run --interval 600 --backoff 100 >"$T/run.out" 2>&1 &
run_pid=$!
# arrives SUBJECT: wait up to 30 s for the message at DE.
arrives() {
	i=0
	until ncenctl -d "$T/de" dump message 2>/dev/null | grep -q "$1"; do
		i=$((i + 1))
		[ $i -gt 150 ] && return 1
		sleep 0.2
	done
}
i=0
while [ ! -p "$T/fr/icomm.wake" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
[ -p "$T/fr/icomm.wake" ]; tap_result $? "run makes its wake-up pipe"
sleep 1		# its first pass, with nothing queued, is over
ok "a message for run to carry" ncen-icomm -d "$T/fr" message DE-NCEN \
	--subject "Sent by run" --as nina
arrives "Sent by run"; tap_result $? "run was woken and sent it"
ok "another one" ncen-icomm -d "$T/fr" message DE-NCEN \
	--subject "Sent by run again" --as nina
arrives "Sent by run again"; tap_result $? "run was woken again and sent it"
kill -TERM "$run_pid"
wait "$run_pid"
tap_result $? "run stops on SIGTERM (status 0)"
icomm_relay_stop
ok "DE's audit log verifies" ncenctl -d "$T/de" audit verify
ok "FR's audit log verifies" ncenctl -d "$T/fr" audit verify
ok "FR's audit log has the queueing" ncenctl -d "$T/fr" audit show --action icomm.queue
has "queued for DE" "record for DE-NCEN"

finish
