#!/bin/sh
# ncen-print.sh - the interim ncen prints a data directory's records with
# the forms' labels in the officer's language, and refuses bad usage.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/x

ok "init" ncenctl -d "$X" init --forms "$F"
ok "load two cases" ncenctl -d "$X" load "$top_srcdir/tests/fixtures/ctl/small.dump"
ok "an analyst account" ncenctl -d "$X" user add alice --roles analyst

LANG=C.UTF-8 ok "ncen prints the records" ncen -d "$X" --as alice
has "it says who signed in" "Signed in as alice."
has "an English form label" "== Case"
has "an English field label with its value" "Customs office: FRCDG01"
has "the record heading names the last editor" "Case 1 (version 2, alice)"
has "UTF-8 values come through" "Seán"

LANG=fr_FR.UTF-8 ok "ncen in French" ncen -d "$X" --as alice
has "a French form label" "== Affaire"
has "a French field label" "Bureau de douane: FRCDG01"

NCEN_HOME=$X ok "NCEN_HOME is the default data directory" ncen --as alice
has "records from NCEN_HOME" "== Case"

fails_with 2 "no data directory is a usage error" ncen
has "the message names both ways to give it" "give -d DIR or set NCEN_HOME"
fails_with 2 "an unknown option is a usage error" ncen -x
fails_with 2 "a data directory that is not one" ncen -d "$T/nothing" --as alice
has "the message names the directory" "$T/nothing"

fails_with 1 "no --as: console sign-in waits for the screens" ncen -d "$X"
has "it says so" "console sign-in needs the terminal screens"
fails_with 1 "an unknown account is refused" ncen -d "$X" --as mallory
has "it says why" "mallory: sign-in refused: no such account"
ok "the displays of nominal fields are audited" \
	ncenctl -d "$X" audit show --user alice --action view.nominal
has "one entry per record shown" "alice view.nominal case:1"

# The quick start's steps (.ci/demo), at a small size.
Q=$T/demo
ok "quick start: init" ncenctl -d "$Q" init --forms "$F"
ok "quick start: demo data" ncenctl -d "$Q" demo --cases 30 --seed 1
ok "quick start: the demo account" ncenctl -d "$Q" user add demo --roles analyst
LANG=C.UTF-8 ok "quick start: ncen signs in as demo" ncen -d "$Q" --as demo
has "quick start: the cases are shown" "Case 30 "

finish
