#!/bin/sh
# tests/ui-report.sh - printing a case from its screen, and the short
# statistical form, in the real ncen at 80x24 on a vt100.
#
# ^Z on the case screen writes the case report (what the officer may
# see: a linked investigation of another officer's case is left out and
# counted) where the administrator said: $NCEN_PRINT a directory, then
# "|COMMAND" a print command, then the first line of DIR/print; the
# status line says where it went; the printing is audited under the
# officer's name; a destination that cannot be written is said in words.
# Then the main menu's statistical return: a short form whose saving
# makes a case of kind statistical with its seizure line, shown at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_PRINT
X=$T/data
F=$top_builddir/forms
ok "init" ncenctl -d "$X" init --forms "$F"
ok "officer ivan" ncenctl -d "$X" user add ivan --roles officer
ok "officer olga" ncenctl -d "$X" user add olga --roles officer
printf '%s\n' 'ncen-dump 1' \
	'record case 1 1 1795770000 ivan' 'field number FR-CDG01-2026-000007' \
	'field date 2026-11-25' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'field officer ivan' \
	'field narrative Holdalls behind the door panels of the van.' \
	'record case 2 1 1795770000 olga' 'field date 2026-11-26' \
	'field office FRLND01' 'field country FR' 'field direction EXP' \
	'field officer olga' \
	'record seizure 1 1 1795770000 ivan' 'field case 1' \
	'field commodity DRUG' 'field commodity_type DRUG-COC' \
	'field quantity 12.000' 'field unit KGM' \
	'record person 1 1 1795770000 ivan' 'field family_name Okafor' \
	'record investigation 1 1 1795770000 olga' \
	'field title Operation Nightjar' 'field status OPEN' \
	'field opened 2026-11-01' 'field officers olga' 'field cases 2' \
	'link case 1 person 1 COURIER' 'link case 1 investigation 1 OTHER' \
	>"$T/base.dump"
ok "load the cases" ncenctl -d "$X" load "$T/base.dump"

# Open ivan's case in a session whose prints go to DEST (no blanks:
# ui_start splits its -e values).
open_case() {
	ui_start "$1" -e "NCEN_PRINT=$2" -- ncen -d "$X" --as ivan
	ui_wait "$1" "Cases" >/dev/null
	ui_keys "$1" c
	ui_wait "$1" "2026-11-25" >/dev/null
	ui_keys "$1" Enter
	ui_see "$1" "the case screen" "Seizures (1)"
}

#
# 1. Into a directory.
#
open_case A "$T/printed"
ui_screen A
grep -q "\^Z Print" "$T/out"
tap_result $? "the key line offers ^Z Print"
ui_keys A C-z
ui_see A "the status line says where it went" "Printed to $T/printed/"
set -- "$T"/printed/case-FR-CDG01-2026-000007*.txt
[ -f "$1" ]
tap_result $? "the report is a file named after the case"
R=$1
cp "$R" "$T/out"
has "the case report" "Case report FR-CDG01-2026-000007"
has "the seizure line" "Cocaine (hydrochloride)"
has "the courier, by role" "Courier: Person 1"
has "his name" "Okafor"
has "the narrative" "Holdalls behind the door panels of the van."
has "it says what was left out" "1 linked record is left out: not yours to see."
! grep -q "Operation Nightjar" "$R"
tap_result $? "the investigation of olga's case is not in it"
[ "$(wc -L <"$R")" -le 80 ]
tap_result $? "no line is wider than 80 columns"
[ "$(stat -c %a "$T/printed")" = 700 ] && [ "$(stat -c %a "$R")" = 600 ]
tap_result $? "the directory and the report are the service account's only"
ok "the audit log" ncenctl -d "$X" audit show --action case.print
has "printing names the officer and the case" "ivan case.print case:1"
# ESC p is the same key on terminals that cannot send ^Z.
ui_keys A Escape p
i=0
while [ ! -f "$T/printed/case-FR-CDG01-2026-000007-2.txt" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -f "$T/printed/case-FR-CDG01-2026-000007-2.txt" ] && cmp -s "$R" \
	"$T/printed/case-FR-CDG01-2026-000007-2.txt"
[ $? -ne 0 ] || [ "$(ls "$T/printed" | wc -l)" -eq 2 ]
tap_result $? "ESC p prints again, into a new file (none overwritten)"
ui_keys A C-x C-x C-x
ui_gone A
tap_result $? "ivan signs out"

#
# 2. Into a print command, and from DIR/print.
#
open_case B "|cat>$T/lp.out"
ui_keys B C-z
ui_see B "the status line names the command" "Printed to cat>$T/lp.out"
grep -q "Case report FR-CDG01-2026-000007" "$T/lp.out"
tap_result $? "the command got the report"
ui_keys B C-x C-x C-x
ui_gone B
printf '|cat >%s\n' "$T/lp2.out" >"$X/print"
open_case C ""
ui_keys C C-z
ui_see C "without NCEN_PRINT, DIR/print says where" "Printed to cat >$T/lp2.out"
grep -q "Okafor" "$T/lp2.out"
tap_result $? "the command of DIR/print got the report"
ui_keys C C-x C-x C-x
ui_gone C
rm -f "$X/print"

#
# 3. A destination that cannot be written.
#
: >"$T/afile"
open_case D "$T/afile/sub"
ui_keys D C-z
ui_see D "the failure is said in words" "Not printed:"
[ ! -e "$T/afile/sub" ]
tap_result $? "nothing was written"
ui_keys D C-x C-x C-x
ui_gone D

#
# 4. The short statistical form, from the main menu.
#
ncenctl -d "$X" dump case seizure >"$T/before" 2>&1
ui_start S -- ncen -d "$X" --as ivan
ui_see S "the main menu offers the statistical return" \
	"Statistical return (short form)"
ui_keys S u
ui_see S "its form" "New Statistical return"
field() { ui_type S "$1"; ui_keys S Tab; }
for v in 2026-03-01 FRCDG01 FR IMP 4 CO FR XRAY AMONG-GOODS DRUG \
    DRUG-COC 2.5 KGM; do
	field "$v"
done
ui_keys S C-w
ui_see S "saving shows the case it made" "Seizures (1)"
ui_see S "a statistical one" "Statistical return"
ui_see S "numbered as any case" "FR-CDG01-2026-0"
ui_keys S C-x C-x C-x C-x
ui_gone S
ok "dump" ncenctl -d "$X" dump case seizure
has "the case is of kind statistical" "field kind statistical"
has "with its fields" "field detection XRAY"
has "and ivan as its officer" "field officer ivan"
has "its seizure line" "field commodity_type DRUG-COC"
has "with the quantity" "field quantity 2.500"
! grep -q "^record statcase" "$T/out"
tap_result $? "no statcase record is kept"
finish
