#!/bin/sh
# ctl-umask.sh - whatever umask the caller has, what ncenctl, ncen and
# ncen-icomm make is the service account's alone: under umask 022 a data
# directory is made, loaded, imported into, attached to, given an Icomm
# identity, recovered (new Berkeley DB regions), backed up, dumped and
# exported, and no file or directory made is group- or world-accessible.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/x
B=$T/backup
O=$T/out.d	# where the exports go, made by the test with umask 022

umask 022
mkdir "$O" || exit 1

# Everything under the directories given that group or others may use.
open_files() { find "$@" -perm /077; }

# The test passes when nothing under the directories is open to others.
closed() {
	name=$1; shift
	open_files "$@" >"$T/open" 2>&1
	[ ! -s "$T/open" ]
	r=$?
	tap_result $r "$name"
	[ $r -eq 0 ] || { ls -ld $(cat "$T/open") | sed 's/^/# /'; } 2>/dev/null
}

ok "init under umask 022" ncenctl -d "$X" init --forms "$F"
ok "load a dump" ncenctl -d "$X" load "$top_srcdir/tests/fixtures/ctl/small.dump"
printf 'place,direction,narrative\nQuai 3,IMP,imported\n' >"$T/cases.csv"
ok "import a CSV" ncenctl -d "$X" import case "$T/cases.csv"
printf '%%PDF-1.4 statement\n' >"$T/statement.pdf"
ok "attach a document" ncenctl -d "$X" attach case:1 "$T/statement.pdf"
ok "the node's Icomm identity" ncenctl -d "$X" node init --id FR-NCEN
ok "an account" ncenctl -d "$X" user add bob --roles officer
ok "recovery makes the regions anew" ncenctl -d "$X" recover
# ncen opens the store and signs in before it needs a terminal.
fails_with 1 "ncen opens the directory (then wants a terminal)" \
	ncen -d "$X" --as bob </dev/null
has "it did sign in" "ncen needs a terminal"
ok "ncen-icomm opens it too" ncen-icomm -d "$X" status
ok "a backup" ncenctl -d "$X" backup "$B"
ok "a dump to a file" ncenctl -d "$X" dump -o "$O/all.dump"
ok "an export to a file" ncenctl -d "$X" export -o "$O/cases.csv" case
ok "the data directory still verifies" ncenctl -d "$X" verify

[ -n "$(find "$X" -type f -name '__db.*')" ] &&
	[ -n "$(find "$X/attachments" -type f)" ] &&
	[ -n "$(find "$B" -type f -path '*forms*')" ]
tap_result $? "regions, attachments and backed-up forms were made"
closed "nothing in the data directory is open to others" "$X"
closed "nothing in the backup is" "$B"
closed "nor the dump and the export" "$O/all.dump" "$O/cases.csv"
[ "$(stat -c %a "$O")" = 755 ]
tap_result $? "the caller's own directory kept its umask 022 mode"

finish
