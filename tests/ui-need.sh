#!/bin/sh
# tests/ui-need.sh - need to know, as users meet it, with two offices:
# a person, business or conveyance is seen through the cases it is
# linked to (or by whoever recorded it, while it is in no case).  In
# ncen (tmux, 80x24, vt100): list counts and rows, opening a record,
# the link picker, Search with its "hit, no hit" line and the audit of
# the hidden hit.  Through ncenctl --as: export, dump, attach.  The
# database is compared afterwards: nothing refused changed anything.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# Case 1 is olga's at FRCDG01, case 2 marc's at FRMRS01.  Person 1
# (Kowalski) is in marc's case, person 2 (Dupont) in olga's, person 3
# (Orphelin) is marc's and in no case; business 1 in marc's case,
# conveyance 1 in olga's.
cat >"$T/world.dump" <<'EOF'
ncen-dump 1
record case 1 1 1795770000 olga
field date 2026-11-20
field office FRCDG01
field country FR
field direction IMP
field officer olga
field status draft
record case 2 1 1795770000 marc
field date 2026-11-21
field office FRMRS01
field country FR
field direction IMP
field officer marc
field status draft
record person 1 1 1795770000 marc
field family_name Kowalski
field given_names Jan
field birth_date 1980-02-03
field document_number ZX123456
field recorded_by marc
record person 2 1 1795770000 olga
field family_name Dupont
field recorded_by olga
record person 3 1 1795770000 marc
field family_name Orphelin
field recorded_by marc
record business 1 1 1795770000 marc
field name Kestrel Trading
field recorded_by marc
record conveyance 1 1 1795770000 olga
field kind VEHICLE
field plate AB-123-CD
field recorded_by olga
link case 2 person 1 SUSPECT
link case 1 person 2 COURIER
link case 2 business 1 CONSIGNEE
link case 1 conveyance 1 CARRIER
EOF
ok "two offices' cases and what is linked to them" \
	ncenctl -d "$X" load "$T/world.dump"
for u in "olga officer FRCDG01" "marc officer FRMRS01" \
    "sue supervisor FRMRS01" "ana analyst -"; do
	set -- $u
	if [ "$3" = - ]; then
		ncenctl -d "$X" user add "$1" --roles "$2" >/dev/null
	else
		ncenctl -d "$X" user add "$1" --roles "$2" --offices "$3" \
		    >/dev/null
	fi || { echo "Bail out! user add $1 failed"; exit 1; }
done
ncenctl -d "$X" dump >"$T/before.dump"

# A command refused with exit 1 and a message: refused NAME STRING CMD...
refused() {
	name=$1; want=$2; shift 2
	"$@" >"$T/cmd" 2>&1
	st=$?
	[ $st -eq 1 ] && grep -q "$want" "$T/cmd"
	r=$?
	tap_result $r "$name (exit $st)"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/cmd" | head -10
}

# Lines 3..22 of the screen: the rows of a list.
rows() { sed -n '3,22p' "$T/out" | grep -v '^ *$'; }
absent() { ! grep -q "$1" "$T/out"; }

# --- olga, officer at FRCDG01 ---
ui_start o -- ncen -d "$X" --as olga --idle 0
ui_wait o "Main menu" >/dev/null
ui_keys o p
ui_see o "olga's Persons count what she sees" "Persons (1)"
ui_wait o "^X Back" >/dev/null
ui_settle o
has "her courier Dupont" "Dupont"
absent Kowalski
tap_result $? "not marc's suspect Kowalski"
absent Orphelin
tap_result $? "nor marc's unlinked person"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null
ui_keys o b
ui_see o "no business of hers" "Businesses (0)"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null
ui_keys o v
ui_see o "the car of her case" "Conveyances (1)"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null
ui_keys o c
ui_see o "her one case" "Cases (1)"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null

# Search: Kowalski matches, is not shown, and the line says where.
ui_keys o s
ui_wait o "Find" >/dev/null
ui_type o "Kowal"
ui_keys o Enter
ui_see o "hit, no hit: where the match lies" \
	"1 Person in a case of FRMRS01 matches: ask its supervisor."
absent "Jan"
tap_result $? "without the name or anything of it"
absent "ZX123456"
tap_result $? "nor the document"
ui_keys o C-f
ui_wait o "Find" >/dev/null
ui_type o "Orph"
ui_keys o Enter
ui_see o "an unlinked person of marc's: another officer's" \
	"1 more, another officer's and in no case yet."
ui_keys o C-f
ui_wait o "Find" >/dev/null
ui_type o "Dup"
ui_keys o Enter
ui_see o "her own person is found" "Dupont"
absent "matches: ask"
tap_result $? "and no hidden line when nothing is hidden"
ui_keys o C-x
ui_wait o "Main menu" >/dev/null

# The link picker on her case lists only what she sees.
ui_keys o c
ui_wait o "Cases (1)" >/dev/null
ui_settle o
ui_keys o Enter
ui_wait o "Case 1" >/dev/null
ui_keys o C-k
ui_wait o "Link what?" >/dev/null
ui_keys o 1
ui_wait o "Link an existing one" >/dev/null
ui_keys o 1
ui_see o "the picker counts her persons" "Choose the Person to link (1)"
ui_settle o
absent Kowalski
tap_result $? "marc's suspect is not offered"
ui_keys o C-x
ui_settle o
ui_keys o C-x C-x C-x
ui_gone o
tap_result $? "olga signs out"

ncenctl -d "$X" audit show --user olga --action search.hidden >"$T/hidden"
grep -q "person:1" "$T/hidden"
tap_result $? "the hidden hit on Kowalski is audited"
grep -q "person:3" "$T/hidden"
tap_result $? "so is the one on the unlinked person"
! grep -q "person:2" "$T/hidden"
tap_result $? "her own is not a hidden hit"

# --- marc and his supervisor, and an analyst ---
ui_start m -- ncen -d "$X" --as marc --idle 0
ui_wait m "Main menu" >/dev/null
ui_keys m p
ui_see m "marc sees his suspect and his unlinked person" "Persons (2)"
ui_settle m
has "Kowalski" "Kowalski"
has "Orphelin" "Orphelin"
ui_keys m C-x C-x
ui_gone m
ui_start s -- ncen -d "$X" --as sue --idle 0
ui_wait s "Main menu" >/dev/null
ui_keys s p
ui_see s "sue sees the persons of her office's cases" "Persons (1)"
ui_settle s
has "Kowalski" "Kowalski"
absent Orphelin
tap_result $? "not marc's person while it is in no case"
ui_keys s C-x C-x
ui_gone s
ui_start a -- ncen -d "$X" --as ana --idle 0
ui_wait a "Main menu" >/dev/null
ui_keys a p
ui_see a "an analyst sees every person" "Persons (3)"
ui_keys a C-x C-x
ui_gone a

# --- ncenctl --as ---
ncenctl -d "$X" export person --as sue -o "$T/sue.csv" 2>"$T/err"
tap_result $? "sue exports persons"
grep -q Kowalski "$T/sue.csv"
tap_result $? "her office's suspect is in it"
! grep -q "Dupont\|Orphelin" "$T/sue.csv"
tap_result $? "no one outside her office's cases"
ncenctl -d "$X" export links --as sue -o "$T/links.csv" 2>/dev/null
[ "$(grep -c ',' "$T/links.csv")" -eq 3 ]
tap_result $? "her links: the header and case 2's two links"
ncenctl -d "$X" dump --as sue >"$T/sue.dump" 2>"$T/err"
tap_result $? "sue dumps"
grep -q "^record person 1 " "$T/sue.dump" &&
	! grep -q "^record person [23] " "$T/sue.dump" &&
	! grep -q "^record case 1 " "$T/sue.dump"
tap_result $? "her dump holds her office's records only"
! grep -q "^link case 1 " "$T/sue.dump"
tap_result $? "and no link of olga's case"
grep -q "left out" "$T/err"
tap_result $? "the dump says what it left out"
[ "$(tail -n 1 "$T/sue.dump" | cut -d' ' -f1-3)" = "end $(grep -c '^record ' "$T/sue.dump") $(grep -c '^link ' "$T/sue.dump")" ]
tap_result $? "its end line counts what it holds, not what was left out"
[ "$(tail -n 1 "$T/sue.dump" | cut -d' ' -f4)" = "$(head -n -1 "$T/sue.dump" | sha256sum | cut -c1-64)" ]
tap_result $? "with the SHA-256 of the lines before it"
refused "an officer may not dump" "may not export" \
	ncenctl -d "$X" dump --as olga
echo photo >"$T/photo.jpg"
refused "olga may not attach to marc's suspect" "refused" \
	ncenctl -d "$X" attach person:1 "$T/photo.jpg" --as olga
refused "nor to marc's unlinked person" "refused" \
	ncenctl -d "$X" attach person:3 "$T/photo.jpg" --as olga
ok "marc may" ncenctl -d "$X" attach person:1 "$T/photo.jpg" --as marc
ncenctl -d "$X" dump >"$T/after.dump"
grep -c "^record attachment " "$T/after.dump" | grep -qx 1
tap_result $? "one attachment: marc's, none of olga's"
# Without marc's attachment, the data are what they were.
noatt() { awk '/^end /{next} /^record /{skip = ($2 == "attachment")}
	/^link /{skip = ($4 == "attachment")} !skip' "$1"; }
noatt "$T/after.dump" >"$T/a"
noatt "$T/before.dump" >"$T/b"	# the end lines differ: left out
diff "$T/b" "$T/a" >"$T/diff"
tap_result $? "no record changed by what was refused or read"
sed 's/^/# /' "$T/diff" | head -20

finish
