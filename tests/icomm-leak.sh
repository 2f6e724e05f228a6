#!/bin/sh
# icomm-leak.sh - the nominal-leak test: a validated case whose every
# free-text field, and every free-text field of its seizure and of the
# person, business and conveyance linked to it, holds a marker; the
# batch packed for the global database (a partner of role global, held
# to cen level) is opened as the partner would (signature checked with
# openssl, inflated) and holds none of the markers, none of the
# conveyance's identifiers and none of this node's ids of the person and
# the business, which go under a pseudonym for that partner.  The batch
# for a national partner at partner level, opened the same way, does
# hold the partner-level markers and the ids: the decoding sees what
# there is to see.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

# A data directory $T/NAME with a node identity: node NAME ID ROLE.
node() {
	ncenctl -d "$T/$1" init --forms "$F" >/dev/null &&
	ncenctl -d "$T/$1" node init --id "$2" --role "$3" >/dev/null
}
node fr FR-NCEN national && node wcd WCO-CEN global &&
	node de DE-NCEN national
tap_result $? "three nodes"
ok "FR registers the global database and DE, with agreements" sh -c "
	ncenctl -d '$T/fr' partner add WCO-CEN --role global \
	  --url https://127.0.0.1:1/icomm --cert '$T/wcd/node.crt' &&
	ncenctl -d '$T/fr' agreement add --partner WCO-CEN --dir out \
	  --level partner --from 2020-01-01 --to 2099-12-31 --basis CEN &&
	ncenctl -d '$T/fr' partner add DE-NCEN --role national \
	  --url https://127.0.0.1:1/icomm --cert '$T/de/node.crt' &&
	ncenctl -d '$T/fr' agreement add --partner DE-NCEN --dir out \
	  --level partner --from 2020-01-01 --to 2099-12-31 --basis MAA"

# A dump of one case with a seizure, a person, a business and a
# conveyance linked to it, made from the forms: every text field without
# a pattern or check holds a marker (LEAKMARK-FORM.FIELD, or LKMnnn where
# that does not fit); text with a pattern holds a value of its shape,
# with a check a valid identifier; the fields a submission needs are
# there.  The reporting officer is an account, named like a marker.
python3 - "$F" "$T/leak.dump" "$T/markers" "$T/identifiers" <<'PY' ||
import re, sys
forms, dump, markers, idents = sys.argv[1:]
shapes = {"hs": "090121", "time": "14:05", "utc-offset": "+01:00"}
checks = {"imo": "9074729", "iso6346": "CSQU3054383",
          "vin": "1M8GDM9AXKP042788"}
needed = {
    "case": [("date", "2026-11-02"), ("office", "FRCDG01"),
             ("country", "FR"), ("direction", "IMP")],
    "seizure": [("case", "1"), ("commodity", "DRUG"),
                ("commodity_type", "DRUG-COC"), ("quantity", "3.200"),
                ("unit", "KGM")],
    "person": [("sex", "1"), ("nationality", "FR")],
    "business": [("country", "FR")],
    "conveyance": [("kind", "VESSEL"), ("flag", "PA")],
}
out = ["ncen-dump 1"]
mk, ids, short = [], [], 0
for form in ("case", "seizure", "person", "business", "conveyance"):
    out.append("record %s 1 1 1795770000 leakmark-officer" % form)
    out += ["field %s %s" % fv for fv in needed[form]]
    for line in open("%s/%s.form" % (forms, form), encoding="utf-8"):
        m = re.match(r"field (\w+) text\((\d+)\)(.*)", line)
        if not m:
            continue
        name, size, rest = m.group(1), int(m.group(2)), m.group(3)
        p = re.search(r"\bpattern (\S+)", rest)
        c = re.search(r"\bcheck (\S+)", rest)
        if p:
            v = shapes[p.group(1)]
        elif c:
            v = checks[c.group(1)]
            ids.append(v)
        elif form == "case" and name == "officer":
            v = "leakmark-officer"
            mk.append(v)
        else:
            v = "LEAKMARK-%s.%s" % (form, name)
            if len(v) > size:
                short += 1
                v = "LKM%03d" % short
            mk.append(v)
        out.append("field %s %s" % (name, v))
out += ["link case 1 person 1 COURIER", "link case 1 business 1 OWNER",
        "link case 1 conveyance 1 CARRIER"]
open(dump, "w", encoding="utf-8").write("\n".join(out) + "\n")
open(markers, "w").write("\n".join(mk) + "\n")
open(idents, "w").write("\n".join(ids) + "\n")
PY
	{ echo "Bail out! the dump"; exit 1; }
[ "$(wc -l <"$T/markers")" -ge 30 ]
tap_result $? "$(wc -l <"$T/markers") free-text fields hold a marker"
sed 's/^/# /' "$T/markers" | head -3

ok "FR loads them" ncenctl -d "$T/fr" load "$T/leak.dump"
has "five records, three links" "loaded 5 records and 3 links"
ncenctl -d "$T/fr" user add leakmark-officer --roles officer >/dev/null
ncenctl -d "$T/fr" user add sue --roles supervisor >/dev/null
ok "the case is submitted" ncenctl -d "$T/fr" case submit 1 --as leakmark-officer
ok "and validated" ncenctl -d "$T/fr" case validate 1 --as sue

# open NAME: the batch $T/NAME.p7 as its receiver reads it, into
# $T/NAME.json: FR's signature checked with FR's certificate, inflated.
open_batch() {
	openssl cms -verify -inform DER -in "$T/$1.p7" -binary \
		-CAfile "$T/fr/node.crt" -out "$T/$1.z" 2>"$T/$1.verify" &&
	python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1], "rb").read()))' \
		"$T/$1.z" >"$T/$1.json"
}

ok "a batch packed for the global database" \
	ncen-icomm -d "$T/fr" pack WCO-CEN -o "$T/wco.p7"
ok "opened as the global database would" open_batch wco
ok "it carries the case" grep -q '"entity":"case"' "$T/wco.json"

# check FILE WANT: what the decoded batch holds of the markers, the
# identifiers and the person's and business's ids, one line each; the
# lines go to $T/out.
check() {
	python3 - "$T/$1.json" "$T/markers" "$T/identifiers" <<'PY' >"$T/out" 2>&1
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
doc = json.loads(text)
marks = [m for m in open(sys.argv[2]).read().split("\n") if m]
ids = [m for m in open(sys.argv[3]).read().split("\n") if m]
low = text.lower()
found = [m for m in marks if m.lower() in low]
print("markers %d of %d" % (len(found), len(marks)))
for m in found:
    print("marker " + m)
print("leakmark anywhere: %s" % ("leakmark" in low))
print("identifiers %d of %d" % (sum(i in text for i in ids), len(ids)))
for item in doc["items"]:
    for r in item.get("records", []):
        if r["entity"] in ("person", "business"):
            i = r["id"]
            print("%s id %s" % (r["entity"], "pseudonym" if
                isinstance(i, str) and re.fullmatch("[0-9a-f]{32}", i)
                else "local %s" % i))
    for l in item.get("links", []):
        for end in (l["from"], l["to"]):
            e, _, i = end.partition(":")
            if e in ("person", "business"):
                print("link %s %s" % (e, "pseudonym" if
                    re.fullmatch("[0-9a-f]{32}", i) else "local " + i))
PY
}

check wco
sed 's/^/# /' "$T/out"
has "no marker reached the global database" "markers 0 of"
has "not even a piece of one" "leakmark anywhere: False"
has "nor an IMO, container or VIN number" "identifiers 0 of 3"
has "the person goes under a pseudonym" "person id pseudonym"
has "so does the business" "business id pseudonym"
has "and the links name them so" "link person pseudonym"
! grep -q "local" "$T/out"
tap_result $? "no id of this node's person or business"

# Packed again (the entries are still queued): the same pseudonyms.
grep -o '"person:[0-9a-f]*"' "$T/wco.json" >"$T/pseudo1"
ok "packed again" ncen-icomm -d "$T/fr" pack WCO-CEN -o "$T/wco.p7"
ok "opened" open_batch wco
grep -o '"person:[0-9a-f]*"' "$T/wco.json" >"$T/pseudo2"
[ -s "$T/pseudo1" ] && cmp -s "$T/pseudo1" "$T/pseudo2"
tap_result $? "the same person, the same pseudonym"
s=$(stat -c %a "$T/fr/node.secret" 2>/dev/null)
[ "$s" = 600 ]
tap_result $? "the node secret was made, mode 0600 ($s)"

# The control: at partner level the markers and ids do travel.
ok "a batch packed for DE" ncen-icomm -d "$T/fr" pack DE-NCEN -o "$T/de.p7"
ok "opened as DE would" open_batch de
check de
has "DE gets the person's name marker" "marker LEAKMARK-person.family_name"
has "and FR's id of the person" "person id local 1"
! grep -q "marker LEAKMARK-case.narrative" "$T/out"
tap_result $? "but not the narrative (local)"
grep -o '"person:[0-9]*"' "$T/de.json" | sort -u >"$T/de-person"
grep -q '"person:1"' "$T/de-person"
tap_result $? "DE's links name FR's person 1"

finish
