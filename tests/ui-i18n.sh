#!/bin/sh
# tests/ui-i18n.sh - languages (issue 4): under LANG=fr_FR.UTF-8 the main
# menu, a help screen and the case screen show French program strings
# (from the build's po/fr.gmo) and French labels (from the forms), with
# dates still ISO 8601, and a French "o" (oui) answers yes: it removes
# a seizure line, which the database then lacks ("n" keeps it); under
# LANG=en the same screens are English; ncenctl's help and errors
# follow the locale too.  The main menu's letters follow the French
# labels; a bad date and an unknown code are refused in French with
# nothing stored; the library's messages (validator, workflow, version
# conflict, sign-in refusal) come in French under fr_FR and in English
# under C, and the audit log keeps its details in English.
#
# The catalogue is not installed: the build's po/fr.gmo is copied to
# $T/locale/fr/LC_MESSAGES/ncen.mo and NCEN_LOCALEDIR points there.

# shellcheck disable=SC2016,SC2086 # sh -c scripts expand their own
# arguments; $FR and $EN are lists of VAR=VALUE words.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NO_COLOR LANGUAGE
locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8' ||
	skip_all "the fr_FR.UTF-8 locale is not generated (sh .ci/deps test)"

D=$T/data
L=$T/locale
# The French environment: LC_ALL (C.UTF-8 for the tmux server) emptied.
FR="LC_ALL= LC_MESSAGES= LANG=fr_FR.UTF-8 NCEN_LOCALEDIR=$L"
EN="LC_ALL= LC_MESSAGES= LANG=en NCEN_LOCALEDIR=$L"
ISO='[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'

# The build makes po/fr.gmo in the source tree (gettext keeps it there).
gmo=
for f in "$top_builddir/po/fr.gmo" "$top_srcdir/po/fr.gmo"; do
	[ -f "$f" ] && { gmo=$f; break; }
done
ok "the build made po/fr.gmo" test -n "$gmo"
mkdir -p "$L/fr/LC_MESSAGES"
[ -n "$gmo" ] && cp "$gmo" "$L/fr/LC_MESSAGES/ncen.mo"

ok "a demo data directory with an officer and supervisor" sh -c '
	ncenctl -d "$1" init --forms "$2" &&
	ncenctl -d "$1" demo --cases 5 --seed 1 &&
	ncenctl -d "$1" user add agent --roles officer,supervisor' sh "$D" \
	"$top_builddir/forms"

# The screen ($T/out) does not show STRING: ui_lacks TESTNAME STRING.
ui_lacks() {
	! grep -qF -- "$2" "$T/out"
	r=$?
	tap_result $r "$1"
	[ $r -eq 0 ] || { echo "# did not want: $2"; sed 's/^/# | /' "$T/out"; }
	return $r
}

# The screen ($T/out) matches a basic regular expression: ui_match NAME RE.
ui_match() {
	grep -q -- "$2" "$T/out"
	r=$?
	tap_result $r "$1"
	[ $r -eq 0 ] || { echo "# wanted to match: $2"; sed 's/^/# | /' "$T/out"; }
	return $r
}

# --- French ---------------------------------------------------------------
# shellcheck disable=SC2046
ui_start fr $(printf -- '-e %s ' $FR) -- ncen -d "$D" --as agent
ui_see fr "fr: the main menu's title" "Menu principal"
ui_see fr "fr: the status line says who signed in" \
	"Connecté en tant que agent."
ui_see fr "fr: the menu lists the cases" "Affaires"
ui_see fr "fr: and the persons" "Personnes"
ui_see fr "fr: and the conveyances" "Moyens de transport"
ui_see fr "fr: the key line" "^G Aide  ^X Retour"
ui_lacks "fr: no English title" "Main menu"

ui_keys fr C-g
ui_see fr "fr: the menu's help title" "Aide : menu principal"
ui_see fr "fr: its text" "Le menu principal liste ce que vos rôles"
ui_see fr "fr: the pager's status" "Lignes 1-"
ui_lacks "fr: no English help" "The main menu lists"
ui_keys fr C-x
ui_see fr "fr: back at the menu" "Moyens de transport"

ui_keys fr Enter
ui_see fr "fr: the list of cases (a form label)" "Affaires ("
ui_keys fr Enter
ui_see fr "fr: the case screen (labels from the forms)" "Date des faits: "
ui_see fr "fr: the seizures (a program string)" "Saisies ("
ui_see fr "fr: the persons linked" "Personnes ("
ui_keys fr NPage
ui_see fr "fr: the attachments (a page down)" "Pièces jointes ("
ui_keys fr PPage
ui_see fr "fr: a page up, the case's fields again" "Date des faits: "
ui_match "fr: dates stay ISO 8601" "Date des faits: $ISO"
ui_lacks "fr: no English label" "Date of the event"
ui_keys fr C-g
ui_see fr "fr: the case screen's help" "Aide : l'écran de l'affaire"
ui_see fr "fr: in French" "L'écran de l'affaire montre toute l'affaire"
ui_keys fr C-x
ui_see fr "fr: back on the case" "Saisies ("

# A French yes is o (oui): remove the seizure line of the draft case.
# The list is sorted by date: the draft is on row $row.
ncenctl -d "$D" export case >"$T/cases.csv"
draft=$(awk -F, 'NR > 1 && $3 == "draft" { print $1; exit }' "$T/cases.csv")
number=$(awk -F, -v id="$draft" '$1 == id { print $2 }' "$T/cases.csv")
row=$(awk -F, 'NR > 1 { print $4, $3 }' "$T/cases.csv" | sort |
	grep -n ' draft$' | head -1 | cut -d: -f1)
ok "the demo has a draft case with a seizure line" sh -c '
	test -n "$2" && ncenctl -d "$1" export seizure --where case="$2" |
	grep -q "^[0-9]*,$2,"' sh "$D" "$draft"
ui_keys fr C-x
ui_see fr "fr: back on the list" "Affaires ("
i=1
while [ "$i" -lt "${row:-1}" ]; do ui_keys fr Down; i=$((i + 1)); done
ui_keys fr Enter
ui_see fr "fr: the draft case" "Affaire $number"
ui_keys fr C-d
ui_see fr "fr: the question is French" "Supprimer la ligne de saisie"
ui_type fr n
ui_see fr "fr: n keeps it" "Rien n'a été supprimé."
ok "fr: the seizure line is still stored" sh -c '
	ncenctl -d "$1" export seizure --where case="$2" |
	grep -q "^[0-9]*,$2,"' sh "$D" "$draft"
ui_keys fr C-d
ui_see fr "fr: asked again" "Supprimer la ligne de saisie"
ui_type fr o
ui_see fr "fr: o (oui) removes it" "La ligne de saisie a été supprimée."
ok "fr: the seizure line is gone from the database" sh -c '
	! ncenctl -d "$1" export seizure --where case="$2" |
	grep -q "^[0-9]*,$2,"' sh "$D" "$draft"
ui_keys fr C-x C-x
ui_see fr "fr: back at the menu again" "Menu principal"
ui_keys fr C-x
ok "fr: ^X at the menu signs out" ui_gone fr

# --- English --------------------------------------------------------------
# shellcheck disable=SC2046
ui_start en $(printf -- '-e %s ' $EN) -- ncen -d "$D" --as agent
ui_see en "en: the main menu's title" "Main menu"
ui_see en "en: the status line" "Signed in as agent."
ui_see en "en: the menu lists the cases" "Cases"
ui_see en "en: the key line" "^G Help  ^X Back"
ui_lacks "en: no French" "Menu principal"
ui_keys en C-g
ui_see en "en: the menu's help" "The main menu lists what your roles"
ui_keys en C-x
ui_see en "en: back at the menu" "Conveyances"
ui_keys en Enter
ui_see en "en: the list of cases" "Cases ("
ui_keys en Enter
ui_see en "en: the case screen" "Date of the event: "
ui_see en "en: the seizures" "Seizures ("
ui_match "en: dates are ISO 8601" "Date of the event: $ISO"
ui_lacks "en: no French label" "Date des faits"
ui_keys en C-x C-x C-x
ok "en: signs out" ui_gone en

# --- French: the menu's letters; refusals on the status line -------------
# The letters follow the French labels; a bad date and an unknown code
# are refused in French and nothing is stored; the workflow's refusal
# (the library's words) reaches the status line in French.
ncount() { ncenctl -d "$D" stats | awk -v e="$1" '$1 == e { print $2 }'; }
persons=$(ncount person)
# shellcheck disable=SC2317 # called through ok
same_persons() { [ "$(ncount person)" -eq "$persons" ]; }
printf 'date,place\n2030-01-02,Quai incomplet\n' >"$T/inc.csv"
ok "an incomplete draft case (no office, no country)" \
	ncenctl -d "$D" import case "$T/inc.csv"
inc=$(ncenctl -d "$D" export case | awk -F, '/Quai incomplet/ { print $1 }')

# shellcheck disable=SC2046
ui_start fr2 $(printf -- '-e %s ' $FR) -- ncen -d "$D" --as agent
ui_see fr2 "fr: a for Affaires" "a  Affaires"
ui_see fr2 "fr: e for Entreprises" "e  Entreprises"
ui_see fr2 "fr: m for Moyens de transport" "m  Moyens de transport"
ui_see fr2 "fr: q for Enquêtes" "q  Enquêtes"
ui_lacks "fr: not the English letters" "c  Affaires"
ui_keys fr2 p
ui_see fr2 "fr: p opens the persons" "Personnes ("
ui_keys fr2 C-n
ui_see fr2 "fr: a new person" "Nouvelle fiche : Personne"
ui_type fr2 "Haddad"
ui_keys fr2 Tab Tab Tab
ui_type fr2 "2026-02-30"
ui_keys fr2 Tab
ui_see fr2 "fr: 2026-02-30 is refused in French" \
	"2026-02-30 n'est pas une date : tapez AAAA-MM-JJ"
ui_keys fr2 C-w
ui_see fr2 "fr: ^W keeps refusing it" "2026-02-30 n'est pas une date"
ok "fr: nothing stored with the bad date" same_persons
ui_keys fr2 C-u
ui_type fr2 "1980-05-04"
ui_keys fr2 Tab Tab
ui_type fr2 "ZZ"
ui_keys fr2 Tab
ui_see fr2 "fr: an unknown code is refused in French" \
	"« ZZ » n'est pas un code de la liste country"
ui_keys fr2 C-w
ui_see fr2 "fr: ^W keeps refusing it" "« ZZ » n'est pas un code"
ok "fr: nothing stored with the unknown code" same_persons
ui_keys fr2 C-x
ui_see fr2 "fr: asked about a draft, in French" "comme brouillon"
# The French question is longer than the status line: it is shown
# whole, on the key line too, and one key answers it (no Enter).
ui_see fr2 "fr: the whole question, to its end" "plus tard ? (o/n)"
ui_type fr2 n
ui_see fr2 "fr: back on the persons" "Personnes ("
ui_see fr2 "fr: with the key line back" "^X Retour"
ok "fr: still no new person" same_persons
ui_keys fr2 C-x
ui_see fr2 "fr: the menu" "Menu principal"
ui_keys fr2 a
ui_see fr2 "fr: a opens the cases" "Affaires ("
ui_keys fr2 End Enter
ui_see fr2 "fr: the incomplete case (the latest date)" \
	"Lieu des faits: Quai incomplet"
ui_keys fr2 C-a
ui_see fr2 "fr: the workflow step offered" "Soumettre"
ui_keys fr2 Enter
ui_see fr2 "fr: why the case is not complete, in French" \
	"Pourquoi l'affaire n'est pas complète"
ui_see fr2 "fr: the workflow's refusal, in French" \
	"l'affaire $inc est en brouillon : elle ne peut être soumise"
ui_see fr2 "fr: the validator's words, in French" \
	"office: une valeur est attendue (le champ est obligatoire)"
ui_lacks "fr: no English refusal" "cannot be submitted"
ui_keys fr2 C-x
ui_see fr2 "fr: the status line says nothing was done" \
	"L'affaire $inc n'est pas complète : rien n'a été fait."
ok "fr: the case is still a draft without a number" sh -c '
	ncenctl -d "$1" export case | grep -q "^$2,,,2030-01-02,"' sh "$D" "$inc"
ui_keys fr2 C-x C-x C-x
ok "fr: signs out" ui_gone fr2

# --- ncenctl --------------------------------------------------------------
ok "fr: ncenctl --help" env $FR ncenctl --help
has "fr: the usage line" "usage : ncenctl [-d RÉP]"
has "fr: the commands" "créer un répertoire de données et ses bases"
fails_with 2 "fr: an unknown command" env $FR ncenctl frobnicate
has "fr: says so in French" "ncenctl: frobnicate : commande inconnue"
fails_with 2 "fr: a usage error" env $FR ncenctl -d "$D" case submit
has "fr: in French" "aucun numéro d'affaire indiqué"
ok "fr: ncenctl case history" env $FR ncenctl -d "$D" case history 1
has "fr: the status line of the history" "l'affaire 1 est à l'état"
fails_with 2 "fr: a French locale not generated here (fr_CA)" \
	env LC_ALL= LC_MESSAGES= LANG=fr_CA.UTF-8 NCEN_LOCALEDIR="$L" \
	ncenctl frobnicate
has "fr_CA: still French messages" "ncenctl: frobnicate : commande inconnue"
fails_with 2 "fr: from the build tree, without NCEN_LOCALEDIR" \
	env -u NCEN_LOCALEDIR LC_ALL= LC_MESSAGES= LANG=fr_FR.UTF-8 \
	ncenctl frobnicate
has "fr: the build's locale/ is found" \
	"ncenctl: frobnicate : commande inconnue"
fails_with 2 "en: an unknown command" env $EN ncenctl frobnicate
has "en: says so in English" "ncenctl: frobnicate: unknown command"

# The library's messages follow the locale too: the validator's (an
# import with a bad row), the workflow's, a version conflict's and a
# sign-in refusal's; under C they stay English; nothing is stored.
printf 'family_name,birth_date,birth_country\nDupont,2026-02-30,ZZ\n' \
	>"$T/bad.csv"
fails_with 1 "fr: an import with a bad row" \
	env $FR ncenctl -d "$D" import person "$T/bad.csv"
has "fr: the bad date, in French" \
	"birth_date: attendu : un jour de 01 à 28 en 2026-02, trouvé : '30'"
has "fr: the unknown code, in French" \
	"birth_country: attendu : un code ou un libellé de la liste « country », trouvé : 'ZZ'"
has "fr: nothing imported" "1 sur 1 ; rien n'a été importé"
fails_with 1 "C: the same import" \
	env LC_ALL=C LANG= NCEN_LOCALEDIR="$L" ncenctl -d "$D" import person \
	"$T/bad.csv"
has "C: the bad date, in English" \
	"birth_date: expected a day from 01 to 28 in 2026-02, found '30'"
has "C: the unknown code, in English" \
	"birth_country: expected a code or label of list 'country', found 'ZZ'"
has "C: nothing imported" "1 of 1 row refused: nothing imported"
ok "nothing stored by either import" same_persons

fails_with 1 "fr: validating a draft" \
	env $FR ncenctl -d "$D" case validate --as agent "$inc"
has "fr: refused in French" \
	"l'affaire $inc est en brouillon : seule une affaire soumise peut être validée"
fails_with 1 "C: the same" \
	env LC_ALL=C LANG= ncenctl -d "$D" case validate --as agent "$inc"
has "C: refused in English" \
	"case $inc is draft: only a submitted case can be validated"

valid=$(awk -F, '$3 == "validated" { print $1; exit }' "$T/cases.csv")
ok "a validated case closed: its version 2" \
	ncenctl -d "$D" case close --as agent "$valid"
fails_with 1 "fr: reopening it from version 1" \
	env $FR ncenctl -d "$D" case reopen --as agent --version 1 \
	--reason "erreur" "$valid"
has "fr: the version conflict, in French" \
	"l'affaire $valid a été modifiée par"
has "fr: and what to do" \
	"après que vous avez ouvert la version 1 ; revoyez-la avant de la rouvrir"
fails_with 1 "C: the same" \
	env LC_ALL=C LANG= ncenctl -d "$D" case reopen --as agent --version 1 \
	--reason "error" "$valid"
has "C: in English" \
	"after you opened version 1; look at it again before you reopen it"
ok "the case is still closed" sh -c '
	ncenctl -d "$1" export case | grep -q "^$2,[^,]*,closed,"' \
	sh "$D" "$valid"

# A form file with a mistake: the parser's words in French, or English.
mkdir -p "$T/badforms"
cp "$top_builddir"/forms/*.codes "$T/badforms/" 2>/dev/null ||
	cp "$top_srcdir"/forms/*.codes "$T/badforms/"
printf 'ncen-forms 1\nform case 1\n  label en "Case"\n  label fr "Affaire"\nfield date dat required\n' \
	>"$T/badforms/case.form"
fails_with 1 "fr: a form file with a bad type" \
	env $FR ncenctl -d "$T/nodata" init --forms "$T/badforms"
has "fr: file, line and column, in French" \
	"case.form:5:12: attendu : un type (text(n), integer"
fails_with 1 "C: the same" \
	env LC_ALL=C LANG= ncenctl -d "$T/nodata" init --forms "$T/badforms"
has "C: in English" "case.form:5:12: expected a type (text(n), integer"
ok "no data directory was made" test ! -e "$T/nodata"

ok "a locked account" sh -c 'ncenctl -d "$1" user add bob --roles officer &&
	ncenctl -d "$1" user lock bob' sh "$D"
fails_with 1 "fr: its sign-in is refused" \
	env $FR ncen -d "$D" --as bob </dev/null
has "fr: why, in French" "le compte « bob » est verrouillé par un administrateur"
ok "the audit log" ncenctl -d "$D" audit show --record account:bob
has "keeps the refusal in English, the same for every reader" \
	"signin.refused account:bob account 'bob' is locked by an administrator"

# A file whose strings go through gettext must be in po/POTFILES.in, or
# its strings never reach the catalogue.
missing=$(cd "$top_srcdir" && for f in src/*.c; do
	grep -q '_("\|ngettext_(' "$f" && ! grep -qx "$f" po/POTFILES.in &&
		echo "$f"
done)
ok "po/POTFILES.in lists every source file with _() ${missing:+(not: $missing)}" \
	test -z "$missing"

# ncen-icomm keeps the C locale, so that what partner nodes and other
# readers get stays English: the receipts' reasons (the validator's and
# the store's words included), its syslog lines and the status it stores.
ok "ncen-icomm takes no locale (receipts stay English)" sh -c '
	! grep -n "i18n_init\|setlocale" "$1"/src/ncen-icomm.c "$1"/src/icomm-*.c' \
	sh "$top_srcdir"

# Dates are ISO 8601 in every language: no locale date format anywhere.
ok "no strftime with a locale's date or time format" sh -c '
	! grep -n "strftime.*%[xXcEO]" "$1"/src/*.c' sh "$top_srcdir"

finish
