#!/bin/sh
# ctl-backup-import.sh - a hot backup holds each CSV import whole or not
# at all.  A backup started while a 6000-row import is part way waits
# for it (and says so), and new imports wait for the backup: the
# restored copy holds all of the first import and none of the second,
# three times over, once with --partial.  backup --wait 0 refuses at
# once and makes nothing.  An import killed part way leaves its journal:
# the backup carries it and restore rolls that import back.  Every
# restored copy passes verify and audit verify.
#
# The import is stopped (SIGSTOP) with a batch or more committed while
# the backup starts, so that the backup surely meets it; nothing reads
# the store while it is stopped (it may hold locks).  While the backup
# copies, a probe tries the imports' lock again and again: it must stay
# held until the backup's MANIFEST is written (Berkeley DB's hot backup
# opens every file of the data directory, and closing a descriptor of
# the lock file used to drop the backup's locks, letting imports in).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
ROWS=6000

# ROWS persons; with an argument, row $1 has a date no form takes.
people() {
	awk -v n=$ROWS -v bad="${1:-0}" 'BEGIN {
		print "family_name,given_names,birth_date"
		for (i = 1; i <= n; i++)
			printf "Backup%05d,Row %d,%s\n", i, i,
			    i == bad ? "31/02/x" : "1980-01-01"
	}'
}
people >"$T/people.csv"
people 3000 >"$T/partial.csv"

# Persons in a data directory, as stats counts them.
persons() {
	ncenctl -d "$1" stats 2>/dev/null | awk '$1 == "person" { print $2 }'
}

# Wait until the import into $1 (process $2) has committed a batch: its
# journal lists a second one (flushed before that one commits).
wait_batch() {
	k=0
	while [ $k -lt 1000 ]; do
		[ "$(cat "$1"/import-*.journal 2>/dev/null | grep -c '^record ')" -ge 2000 ] &&
			return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.01
		k=$((k + 1))
	done
	return 1
}

# While process $3 backs up into $2, try the imports' lock $1 shared
# (it must stay held from the moment $2 appears until $2/MANIFEST does);
# prints how many tries found it held.
lock_probe() {
	python3 -c '
import fcntl, os, sys, time
lock, dest, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
held = 0
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    if not os.path.isdir(dest) or os.path.exists(dest + "/MANIFEST"):
        time.sleep(0.001)
        continue
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, 1)
    except OSError:
        held += 1
        os.close(fd)
        continue
    os.close(fd)
    if not os.path.exists(dest + "/MANIFEST"):
        print("free while copying, after", held, "tries found it held")
        sys.exit(1)
print(held)
sys.exit(held == 0)' "$@"
}

# Wait until file $1 holds the text $2 (at most 20 s).
wait_text() {
	k=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		[ $k -ge 2000 ] && return 1
		sleep 0.01
		k=$((k + 1))
	done
}

# A restored copy $1 holds $2 persons and verifies, audit log included.
restored() {
	n=$(persons "$1")
	[ "$n" = "$2" ]; tap_result $? "$3: the restored copy holds $2 persons (it has $n)"
	ok "$3: it verifies" ncenctl -d "$1" verify
	ok "$3: its audit log verifies" ncenctl -d "$1" audit verify
}

tap_cleanup='for p in $imp $imp2 $bk $probe; do kill -CONT $p; kill -KILL $p; done 2>/dev/null'
imp= imp2= bk= probe=

# A backup during an import, an import during the backup.
for round in 1 2 3; do
	X=$T/x$round B=$T/b$round R=$T/r$round
	csv=$T/people.csv want=$ROWS partial=
	if [ $round = 3 ]; then
		csv=$T/partial.csv want=$((ROWS - 1))
		partial="--partial $T/rejects$round.csv"
	fi
	ncenctl -d "$X" init --forms "$F" >/dev/null 2>&1
	# shellcheck disable=SC2086
	ncenctl -d "$X" import $partial person "$csv" >"$T/imp$round.out" 2>&1 &
	imp=$!
	wait_batch "$X" $imp; tap_result $? "round $round: the import has committed a batch"
	# Stopped, maybe inside a transaction: nothing may read the store
	# until it goes on (nor for longer than the watchdog's 10 s).
	kill -STOP $imp
	ncenctl -d "$X" backup "$B" >"$T/bk$round.out" 2>&1 &
	bk=$!
	lock_probe "$X/locks/imports.lock" "$B" $bk >"$T/probe$round.out" 2>&1 &
	probe=$!
	wait_text "$T/bk$round.out" "waiting for the import under way (process $imp)"
	tap_result $? "round $round: the backup waits for the import, naming it"
	[ ! -e "$B" ]; tap_result $? "round $round: and has not begun copying"
	ncenctl -d "$X" import person "$T/people.csv" >"$T/imp2$round.out" 2>&1 &
	imp2=$!
	wait_text "$T/imp2$round.out" "waiting for the backup under way (process $bk)"
	tap_result $? "round $round: a second import waits for the backup"
	kill -CONT $imp
	wait $imp; st=$?
	[ $st = $((round == 3)) ]; tap_result $? "round $round: the first import ends (exit $st)"
	wait $bk; st=$?
	[ $st = 0 ]; tap_result $? "round $round: the backup ends (exit $st)"
	[ $st = 0 ] || sed 's/^/# /' "$T/bk$round.out"
	wait $probe
	tap_result $? "round $round: imports stayed locked out while it copied ($(cat "$T/probe$round.out"))"
	wait $imp2; st=$?
	[ $st = 0 ]; tap_result $? "round $round: then the second import (exit $st)"
	imp= imp2= bk=
	[ "$(persons "$X")" = $((want + ROWS)) ]
	tap_result $? "round $round: the data directory holds both imports"
	ok "round $round: restore the backup" ncenctl -d "$R" restore "$B"
	restored "$R" $want "round $round"
done
grep -q "^Backup03000," "$T/rejects3.csv"
tap_result $? "round 3: --partial rejected its bad row, the rest came whole"

# --wait 0: an import under way refuses the backup at once.
X=$T/x1
ncenctl -d "$X" import person "$T/people.csv" >/dev/null 2>&1 &
imp=$!
wait_batch "$X" $imp
kill -STOP $imp
fails_with 75 "backup --wait 0 during an import" ncenctl -d "$X" backup --wait 0 "$T/b0"
has "it says an import is under way" "an import is still under way (process $imp) after 0 s: no backup taken"
[ ! -e "$T/b0" ]; tap_result $? "and made no backup directory"
fails_with 2 "--wait takes seconds" ncenctl -d "$X" backup --wait soon "$T/b0"
kill -CONT $imp
wait $imp; tap_result $? "the import goes on"
imp=

# An import killed part way: the backup carries its journal, restore
# rolls it back.
X=$T/k
ncenctl -d "$X" init --forms "$F" >/dev/null 2>&1
ncenctl -d "$X" import person "$T/people.csv" >/dev/null 2>&1 &
imp=$!
wait_batch "$X" $imp
kill -KILL $imp
wait $imp 2>/dev/null
imp=
n=$(persons "$X")
[ "$n" -ge 1000 ] && [ "$n" -lt $ROWS ]
tap_result $? "an import killed part way left $n persons"
ok "backup after it" ncenctl -d "$X" backup "$T/kb"
has "it says it holds a dead import's journal" "the backup holds the journal of 1 import that died part way"
grep -q '^file import-[0-9]*-[0-9]*\.journal [0-9]* [0-9a-f]* 0600$' "$T/kb/MANIFEST"
tap_result $? "the manifest lists the journal"
ok "restore it" ncenctl -d "$T/kr" restore "$T/kb"
has "restore rolls the import back" "rolled back an interrupted import of $T/people.csv: $n records and 0 links removed"
! ls "$T"/kr/import-*.journal >/dev/null 2>&1
tap_result $? "and removes its journal"
restored "$T/kr" 0 "after a dead import"
ok "the audit log of the copy says so" ncenctl -d "$T/kr" audit show
has "an import.rollback entry" "import.rollback"
ok "import --rollback in the data directory" ncenctl -d "$X" import --rollback
[ "$(persons "$X")" = 0 ]; tap_result $? "which holds none of it either"

finish
