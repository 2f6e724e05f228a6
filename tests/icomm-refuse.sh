#!/bin/sh
# icomm-refuse.sh - bad batches against a real lighttpd with mutual TLS:
# a client certificate the web server does not know, a known one that
# is not the sender's, no agreement, a tampered batch (its signature, or
# its compressed content: still a bad signature), an oversized one,
# malformed JSON, a record with an unknown code, a field the agreement
# does not allow, an unknown sender, a non-cen field to the global
# database: each refused with its reason in the signed receipt (or by
# the TLS handshake), audited, and the receiver's database unchanged.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$(dirname "$0")/icomm-lib.sh"

icomm_certs || { sed 's/^/# /' "$T/certs.log"; echo "Bail out! openssl"; exit 1; }
URL=https://127.0.0.1:$port
icomm_node fr FR-NCEN national && icomm_node de DE-NCEN national &&
	icomm_node it IT-NCEN national && icomm_node wcd WCO-CEN global
tap_result $? "four nodes"
icomm_partner fr DE-NCEN de national "$URL/de/icomm" &&
	icomm_partner fr WCO-CEN wcd global "$URL/wcd/icomm" &&
	icomm_agreement fr DE-NCEN out partner &&
	icomm_agreement fr WCO-CEN out cen &&
	icomm_partner de FR-NCEN fr national "$URL/fr/icomm" &&
	icomm_partner de IT-NCEN it national "$URL/it/icomm" &&
	icomm_agreement de FR-NCEN in partner DRUG &&
	icomm_partner wcd FR-NCEN fr national "$URL/fr/icomm" &&
	icomm_agreement wcd FR-NCEN in partner &&
	icomm_partner it DE-NCEN de national "$URL/de/icomm"
tap_result $? "partners and agreements"
icomm_cgi de --max-size 6000
icomm_cgi wcd
icomm_lighttpd_start "$T/fr/node.crt" "$T/it/node.crt"
icomm_cases fr
ncenctl -d "$T/fr" case submit 1 --as alice >/dev/null &&
	ncenctl -d "$T/fr" case validate 1 --as sue >/dev/null
tap_result $? "case 1 validated at FR"
ok "a batch for DE, packed" ncen-icomm -d "$T/fr" pack DE-NCEN -o "$T/good.p7"

# post NAME FILE [URL]: POST a batch with NAME's client certificate;
# the answer goes to $T/receipt.
# shellcheck disable=SC2317 # called through ok and fails_with
post() {
	curl -sS -f -o "$T/receipt" --cacert "$T/ca.crt" --cert "$T/$1/node.crt" \
		--key "$T/$1/node.key" -H 'Content-Type: application/pkcs7-mime' \
		--data-binary "@$2" "${3:-$URL/de/icomm}"
}

# sign NAME IN OUT: what another implementation would do with openssl:
# the JSON of IN compressed with zlib, signed as CMS by NAME's key.
# shellcheck disable=SC2317
sign() {
	python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read()))' \
		"$2" >"$2.z" &&
	openssl cms -sign -binary -nodetach -outform DER -in "$2.z" \
		-signer "$T/$1/node.crt" -inkey "$T/$1/node.key" -out "$3"
}

# refused NAME REASON CMD...: the command's receipt refuses with REASON
# and DE's database did not change.
refused() {
	what=$1; reason=$2; shift 2
	ncenctl -d "$T/de" dump -o "$T/before" || return 1
	rm -f "$T/receipt"
	ok "$what: posted" "$@"
	fails_with 1 "$what: refused" ncen-icomm -d "$T/fr" receipt "$T/receipt"
	has "$what: says why" "$reason"
	ncenctl -d "$T/de" dump -o "$T/after" || return 1
	ok "$what: DE's database is unchanged" cmp "$T/before" "$T/after"
}

# A header for hand-made batches from FR to DE.
hdr='"format":"ncen-batch","version":1,"sender":"FR-NCEN","receiver":"DE-NCEN","created":"2026-11-27T10:00:00Z"'

ncenctl -d "$T/de" dump -o "$T/before"
curl -sS -o "$T/receipt" --cacert "$T/ca.crt" --cert "$T/rogue.crt" \
	--key "$T/rogue.key" --data-binary "@$T/good.p7" "$URL/de/icomm" \
	>"$T/out" 2>&1
st=$?
[ $st -ne 0 ]
tap_result $? "a client certificate the web server does not know: the TLS handshake fails (curl exit $st)"
curl -sS -o "$T/receipt" --cacert "$T/ca.crt" --data-binary "@$T/good.p7" \
	"$URL/de/icomm" >"$T/out" 2>&1
[ $? -ne 0 ]
tap_result $? "no client certificate: the same"
ncenctl -d "$T/de" dump -o "$T/after"
ok "DE's database is unchanged" cmp "$T/before" "$T/after"

refused "IT's certificate on FR's batch" \
	"wrong client certificate: it is not the registered certificate of FR-NCEN" \
	post it "$T/good.p7"

# Tampered: a byte of the signature changed.
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-8] ^= 0x55; open(sys.argv[2], "wb").write(b)' \
	"$T/good.p7" "$T/tampered.p7"
refused "a tampered batch" "bad signature: not signed by the registered certificate of FR-NCEN" \
	post fr "$T/tampered.p7"

# Tampered inside the signed content, so that it is no longer zlib data:
# the signature is checked before anything is inflated, so this too is a
# bad signature, not a decompression error.
openssl cms -verify -inform DER -in "$T/good.p7" -binary -noverify \
	-out "$T/good.z" 2>/dev/null
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); z = open(sys.argv[2], "rb").read(); i = b.find(z); assert i > 0 and z[0] == 0x78; b[i] ^= 0x78; open(sys.argv[3], "wb").write(b)' \
	"$T/good.p7" "$T/good.z" "$T/unzip.p7"
tap_result $? "a batch altered inside its compressed content"
refused "the content altered" "bad signature: not signed by the registered certificate of FR-NCEN" \
	post fr "$T/unzip.p7"
ncen-icomm -d "$T/fr" receipt "$T/receipt" >"$T/out" 2>&1
grep -q "bad signature" "$T/out" && ! grep -qi "zlib" "$T/out"
tap_result $? "not reported as a decompression error"

# Signed by IT under FR's name.
printf '{%s,"batch":"x1","items":[]}' "$hdr" >"$T/forged.json"
sign it "$T/forged.json" "$T/forged.p7"
refused "a batch signed by someone else" "bad signature" post fr "$T/forged.p7"

head -c 7000 /dev/urandom >"$T/big.p7"
refused "an oversized batch" "oversized: the batch is larger than 6000 bytes" post fr "$T/big.p7"

printf '{%s,"batch":"x2","items":[{"kind":"record",' "$hdr" >"$T/bad.json"
sign fr "$T/bad.json" "$T/bad.p7"
refused "malformed JSON" "malformed JSON" post fr "$T/bad.p7"

printf '{%s,"batch":"x3","items":[{"kind":"record","entity":"case","id":7,"version":1,"records":[{"entity":"case","id":7,"version":1,"fields":{"date":["2026-11-05"],"office":["FRCDG01"],"country":["XX"],"direction":["IMP"]}},{"entity":"seizure","id":8,"version":1,"fields":{"case":["7"],"commodity":["DRUG"],"quantity":["1.000"],"unit":["KGM"]}}],"links":[]}]}' \
	"$hdr" >"$T/code.json"
sign fr "$T/code.json" "$T/code.p7"
refused "a record with an unknown code" \
	"case:7 does not pass this node's form: country:" post fr "$T/code.p7"

sed 's/"XX"/"FR"/; s/"date":/"narrative":["secret"],"date":/' "$T/code.json" \
	>"$T/local.json"
sed -i 's/"x3"/"x4"/' "$T/local.json"
sign fr "$T/local.json" "$T/local.p7"
refused "a local field" "field narrative (local) is not allowed" \
	post fr "$T/local.p7"

sed 's/"DRUG"/"TOB"/; s/"XX"/"FR"/; s/"x3"/"x5"/' "$T/code.json" >"$T/tob.json"
sign fr "$T/tob.json" "$T/tob.p7"
refused "goods no agreement covers" \
	"no agreement: no inbound agreement in force with FR-NCEN covers record 7 (commodity groups TOB)" \
	post fr "$T/tob.p7"

sed 's/"FR-NCEN"/"XX-NCEN"/; s/"x3"/"x6"/' "$T/code.json" >"$T/who.json"
sign fr "$T/who.json" "$T/who.p7"
ncenctl -d "$T/de" dump -o "$T/before"
ok "an unknown sender: posted" post fr "$T/who.p7"
ok "the receipt" python3 -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"XX-NCEN"))' "$T/receipt"
ncenctl -d "$T/de" dump -o "$T/after"
ok "an unknown sender: DE's database is unchanged" cmp "$T/before" "$T/after"

# The global database refuses a field that is not cen, whatever is agreed.
sed 's/"DE-NCEN"/"WCO-CEN"/; s/"XX"/"FR"/; s/"x3"/"x7"/; s/"date":/"place":["Quai 3"],"date":/' \
	"$T/code.json" >"$T/gl.json"
sign fr "$T/gl.json" "$T/gl.p7"
ncenctl -d "$T/wcd" dump -o "$T/before"
ok "a place to the global database: posted" post fr "$T/gl.p7" "$URL/wcd/icomm"
fails_with 1 "refused" ncen-icomm -d "$T/fr" receipt "$T/receipt"
has "it says why" "field place is partner: this node is the global database and takes cen fields only"
ncenctl -d "$T/wcd" dump -o "$T/after"
ok "the global database is unchanged" cmp "$T/before" "$T/after"

# No agreement: DE ends it; the uploader is refused and keeps its entry.
ok "DE ends its agreement with FR" ncenctl -d "$T/de" agreement end 1
ncenctl -d "$T/de" dump -o "$T/before"
fails_with 1 "FR's uploader is refused" ncen-icomm -d "$T/fr" send --partner DE-NCEN
has "with the reason" "no agreement: no inbound agreement in force with FR-NCEN"
ok "status" ncen-icomm -d "$T/fr" status
has "the entry stays queued" "queued 1"
has "the last error in words" "last error 20"
has "the reason" "refused by DE-NCEN: no agreement"
ncenctl -d "$T/de" dump -o "$T/after"
ok "DE's database is unchanged" cmp "$T/before" "$T/after"

ok "DE's refusals are audited" ncenctl -d "$T/de" audit show --action icomm.refuse
[ "$(grep -c 'icomm.refuse' "$T/out")" -ge 9 ]
tap_result $? "each of them"
ok "DE's audit log verifies" ncenctl -d "$T/de" audit verify

# A good batch still goes in (the same that was refused above, now
# with an agreement again).
ok "DE agrees again" ncenctl -d "$T/de" agreement add --partner FR-NCEN \
	--dir in --level partner --groups DRUG --from 2020-01-01 \
	--to 2099-12-31 --basis "renewed"
ok "the good batch by hand" post fr "$T/good.p7"
ok "accepted" ncen-icomm -d "$T/fr" receipt "$T/receipt"
has "its entry is done" "accepted, 1 outbox entries done"

# The format as documented: stock openssl verifies a batch.
ok "openssl cms -verify checks a batch" openssl cms -verify -inform DER \
	-in "$T/good.p7" -CAfile "$T/fr/node.crt" -binary -out "$T/good.z"
ok "and zlib opens it" python3 -c 'import sys, zlib; sys.stdout.write(zlib.decompress(open(sys.argv[1], "rb").read()).decode())' "$T/good.z"
has "a batch from FR to DE" '"receiver":"DE-NCEN"'

# By hand: a message packed and encrypted to DE, opened with stock
# openssl, received by DE from the file, its receipt carried back.
ncenctl -d "$T/fr" user add nina --roles ncp >/dev/null
ok "a message to DE" ncen-icomm -d "$T/fr" message DE-NCEN --subject "By hand" \
	--as nina
ok "packed, encrypted to DE" ncen-icomm -d "$T/fr" pack DE-NCEN --encrypt \
	-o "$T/hand.p7"
ok "openssl decrypts it with DE's key" openssl cms -decrypt -inform DER \
	-in "$T/hand.p7" -binary -recip "$T/de/node.crt" \
	-inkey "$T/de/node.key" -out "$T/hand-signed.p7"
ok "and verifies FR's signature" openssl cms -verify -inform DER \
	-in "$T/hand-signed.p7" -CAfile "$T/fr/node.crt" -binary \
	-out /dev/null
fails_with 1 "the global database cannot open it" ncen-icomm -d "$T/wcd" \
	receive "$T/hand.p7"
has "it says why" "encrypted, and not to this node's certificate"
ok "DE receives the file" ncen-icomm -d "$T/de" receive "$T/hand.p7" \
	-o "$T/hand-receipt.p7"
ok "FR reads the receipt" ncen-icomm -d "$T/fr" receipt "$T/hand-receipt.p7"
has "and its entry is done" "accepted, 1 outbox entries done"
ok "DE has the message" ncenctl -d "$T/de" dump message
has "its subject" "field subject By hand"

finish
