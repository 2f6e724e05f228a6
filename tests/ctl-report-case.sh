#!/bin/sh
# ctl-report-case.sh - ncenctl report case: the whole case (fields with
# their labels, seizure lines, linked records with roles, workflow
# history, attachments) as text for a line printer (80 columns, a header
# on each page, form feeds between pages), need to know with --as (an
# unseen linked record left out and counted, an unseen case refused),
# the case.print audit entry, refusals that change nothing, and PDF
# through groff.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_PRINT
export LC_ALL=C.UTF-8 LANG=C.UTF-8
F=$top_builddir/forms
X=$T/x

ok "init" ncenctl -d "$X" init --forms "$F"
for u in "carol officer" "dave officer" "ana analyst" "adm admin"; do
	set -- $u
	ok "account $1" ncenctl -d "$X" user add "$1" --roles "$2"
done
ok "supervisor sam of FRCDG01" ncenctl -d "$X" user add sam \
	--roles supervisor --offices FRCDG01

# Case 1 is carol's, with two seizure lines, a person, a business and a
# conveyance; an investigation of dave's case 2 is linked to it too,
# which carol does not see (she is not among its officers and does not
# see case 2).  The narrative is long, with accents and a word longer
# than a line.
long=$(printf 'X%.0s' $(seq 1 95))
narr="Le conteneur déchargé du navire a été contrôlé au scanner; les agents ont trouvé des paquets de cocaïne cachés derrière une fausse paroi, répartis en trente-six briques scellées. $long Fin du récit."
printf '%s\n' 'ncen-dump 1' \
	'record case 1 1 1795770000 carol' 'field number FR-CDG01-2026-000007' \
	'field date 2026-11-05' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'field transport 1' 'field departure CO' \
	'field officer carol' "field narrative $narr" \
	'record case 2 1 1795770000 dave' 'field date 2026-11-06' \
	'field office FRLND01' 'field country FR' 'field direction EXP' \
	'field officer dave' \
	'record seizure 1 1 1795770000 carol' 'field case 1' \
	'field commodity DRUG' 'field commodity_type DRUG-COC' \
	'field quantity 36.000' 'field unit KGM' \
	'record seizure 2 1 1795770000 carol' 'field case 1' \
	'field commodity TOB' 'field quantity 2000.000' 'field unit C62' \
	'record seizure 3 1 1795770000 dave' 'field case 2' \
	'field commodity ALC' 'field quantity 12.000' 'field unit LTR' \
	'record person 1 1 1795770000 carol' 'field family_name Okafor' \
	'field given_names Chidi' 'field nationality NG' \
	'record business 1 1 1795770000 carol' \
	'field name Silverline Shipping SARL' \
	'record conveyance 1 1 1795770000 carol' 'field kind CONTAINER' \
	'field name Golden Horizon' \
	'record investigation 1 1 1795770000 dave' \
	'field title Operation Nightjar' 'field status OPEN' \
	'field opened 2026-11-01' 'field officers dave' 'field cases 2' \
	'link case 1 person 1 SUSPECT' 'link case 1 business 1 CONSIGNEE' \
	'link case 1 conveyance 1 CARRIER' 'link case 1 investigation 1 OTHER' \
	>"$T/base.dump"
ok "load the cases" ncenctl -d "$X" load "$T/base.dump"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$T/x-ray.png"
ok "attach an X-ray image to case 1" ncenctl -d "$X" attach case:1 \
	"$T/x-ray.png" --caption "Bricks behind the false wall" --kind XRAY
ok "carol submits" ncenctl -d "$X" case submit 1 --as carol
ok "sam validates" ncenctl -d "$X" case validate 1 --as sam
ok "sam reopens, with a reason" ncenctl -d "$X" case reopen 1 --as sam \
	--reason "Purity to check by the laboratory"

# The database and the audit log as they are, to compare after refusals.
state() {
	ncenctl -d "$X" dump >"$1" &&
	ncenctl -d "$X" audit show | grep -v ' case\.print ' >>"$1"
}
prints() { ncenctl -d "$X" audit show --action case.print | wc -l; }

#
# 1. The whole case, by the service account.
#
ok "report case 1" ncenctl -d "$X" report case 1 -o "$T/r.txt"
R=$T/r.txt
cp "$R" "$T/out"
has "the page header names the case" "Case report FR-CDG01-2026-000007"
has "every page numbered" "Page 1 of "
has "the printer and the time" "Printed "
has "field labels" "Customs office:"
has "code labels, not codes" "Example airport, passenger terminal"
! grep -q "FRCDG01" "$R"
tap_result $? "the office's code is not printed, its label is"
has "the status as a label" "Status:                           Draft"
has "the mode of transport's label" "Maritime transport"
has "the country's name" "Colombia"
has "both seizure lines" "Seizure lines (2)"
has "the first with its commodity type" "Cocaine"
has "the second" "Seizure line 2 (record 2)"
has "the cigarettes' unit" "One (unit)"
! grep -q "Alcohol\|12.000" "$R"
tap_result $? "not the seizure line of another case"
has "the person, with the role's label" "Suspect: Person 1"
has "her fields" "Okafor"
has "the business" "Consignee: Business 1"
has "its name" "Silverline Shipping SARL"
has "the conveyance" "Carrier: Conveyance 1"
has "the investigation linked" "Operation Nightjar"
has "the attachments list" "Attachments (1)"
has "the attachment's caption" "Bricks behind the false wall"
has "its size" "20"
has "the workflow history" "Workflow history (3)"
has "who took the first step, in which role" \
	"Draft -> Submitted by carol (officer)"
has "the validation" "Submitted -> Validated by sam (supervisor)"
has "the reopening" "Validated -> Draft by sam (supervisor)"
has "and why" "Why: Purity to check by the laboratory"
has "the end" "End of the case report."

# Line printer shape.
w=$(wc -L <"$R")
[ "$w" -le 80 ]
tap_result $? "no line is wider than 80 columns (widest: $w)"
pages=$(grep -c "Page [0-9]* of " "$R")
ff=$(tr -cd '\f' <"$R" | wc -c)
[ "$pages" -ge 2 ] && [ "$ff" -eq $((pages - 1)) ]
tap_result $? "$pages pages, a form feed between each two ($ff)"
# Each page starts with its header: the first line, and after each \f.
heads=$(awk 'NR == 1 || /^\f/' "$R" | grep -c "Case report FR-CDG01-2026-000007 .*Page [0-9]* of $pages\$")
[ "$heads" -eq "$pages" ]
tap_result $? "each page starts with the case number and page N of $pages"
long_ok=$(awk -v RS='\f' '{ n = split($0, l, "\n"); if (n > 67) bad = 1 } END { print bad + 0 }' "$R")
[ "$long_ok" -eq 0 ]
tap_result $? "no page is longer than 66 lines"
# The narrative wraps at blanks: joined again it is the text.
sed -n '/^  Narrative:$/,/^$/p' "$R" | sed '1d;$d' | sed 's/^ *//' |
	tr '\n' ' ' | sed 's/ $//' >"$T/narr"
printf '%s' "$narr" | tr -s ' ' >"$T/narr-want"
tr -d ' ' <"$T/narr" >"$T/a"; tr -d ' ' <"$T/narr-want" >"$T/b"
cmp -s "$T/a" "$T/b"
tap_result $? "the narrative is all there, wrapped"
grep -q "^    Le conteneur déchargé" "$R"
tap_result $? "the narrative is below its label, indented"

ok "the audit log" ncenctl -d "$X" audit show --action case.print
has "printing nominal data is audited" "case.print case:1"
has "with the case number and the pages" "number FR-CDG01-2026-000007, text, $pages pages"

#
# 2. Need to know: carol sees her case but not dave's investigation.
#
ok "report case 1 --as carol" ncenctl -d "$X" report case 1 --as carol \
	-o "$T/carol.txt"
has "it says what was left out" "1 linked record left out (not seen by carol)"
cp "$T/carol.txt" "$T/out"
has "the report says how many were left out" \
	"1 linked record is left out: not yours to see."
! grep -q "Operation Nightjar" "$T/carol.txt"
tap_result $? "the investigation is not in carol's report"
has "her own records are" "Okafor"
has "and the attachments" "Bricks behind the false wall"
ok "the audit log" ncenctl -d "$X" audit show --action case.print \
	--user carol
has "carol's printing is audited under her name" "carol case.print case:1"
has "with what was left out" "1 linked record left out"
ok "an analyst sees it all" ncenctl -d "$X" report case 1 --as ana
has "the investigation too" "Operation Nightjar"
! grep -q "left out: not yours" "$T/out"
tap_result $? "nothing left out for the analyst"

#
# 3. Refusals change nothing: no output, no audit entry, same database.
#
state "$T/before"
n0=$(prints)
fails_with 1 "dave may not print carol's case" ncenctl -d "$X" report \
	case 1 --as dave -o "$T/dave.txt"
has "and is told why" "may not view on case 1"
[ ! -e "$T/dave.txt" ]
tap_result $? "no file written for dave"
fails_with 1 "an administrator sees no case data" ncenctl -d "$X" report \
	case 1 --as adm
fails_with 1 "an unknown account" ncenctl -d "$X" report case 1 --as nobody
fails_with 1 "an unknown case" ncenctl -d "$X" report case 99 -o "$T/99.txt"
has "says it is not there" "99"
[ ! -e "$T/99.txt" ]
tap_result $? "no file for an unknown case"
fails_with 2 "a bad id" ncenctl -d "$X" report case x
fails_with 2 "a bad format" ncenctl -d "$X" report case 1 --format rtf
has "names the formats" "text or pdf"
fails_with 2 "an unknown report" ncenctl -d "$X" report nothing 1
fails_with 2 "no report named" ncenctl -d "$X" report
state "$T/after"
cmp -s "$T/before" "$T/after"
tap_result $? "the database and the audit log are unchanged"
[ "$(prints)" -eq "$n0" ]
tap_result $? "no case.print entry for a refused report"

#
# 4. PDF: groff's pdf device, a page of PDF a page of text.
#
ok "the help names the formats" ncenctl report --help
has "text and pdf" "--format F"
n1=$(prints)
fails_with 2 "without groff, PDF is refused" env PATH="$top_builddir/src" \
	ncenctl -d "$X" report case 1 --format pdf -o "$T/none.pdf"
has "naming what to install" "Debian package groff"
[ ! -e "$T/none.pdf" ]
tap_result $? "and no file is left"
[ "$(prints)" -eq "$n1" ]
tap_result $? "nor a case.print entry: nothing was printed"
if command -v groff >/dev/null 2>&1 &&
    printf 'x\n' | groff -Tpdf >/dev/null 2>&1; then
	ok "report case 1 as PDF" ncenctl -d "$X" report case 1 \
		--format pdf -o "$T/r.pdf"
	head -c 5 "$T/r.pdf" | grep -q '^%PDF-'
	tap_result $? "it is a PDF"
	np=$(grep -ac '/Type /Page$' "$T/r.pdf")
	[ "$np" -eq "$pages" ]
	tap_result $? "one PDF page per page of text ($np, $pages)"
	ok "the audit log" ncenctl -d "$X" audit show --action case.print
	has "the PDF is audited too" "pdf, $pages pages"
else
	for t in "PDF" "its pages" "its audit"; do
		echo "ok $((tap_n + 1)) # SKIP $t: groff's pdf device is not installed (Debian package groff)"
		tap_n=$((tap_n + 1))
	done
fi

#
# 5. French labels follow LANG.
#
ok "report case 1 in French" env LANG=fr_FR.UTF-8 LC_ALL= LANGUAGE=fr \
	ncenctl -d "$X" report case 1
has "the French header" "Rapport d'affaire FR-CDG01-2026-000007"
has "French page numbers" "Page 1 sur "
has "French field labels" "Bureau de douane:"
has "French code labels" "Aéroport (exemple), terminal passagers"
has "French role labels" "Suspect"

ok "verify" ncenctl -d "$X" verify
finish
