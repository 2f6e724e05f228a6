#!/bin/sh
# store-sync.sh - what a read-only command pays in fdatasync and fsync.
#
# ncenctl export that finds nothing commits its audit entry (one
# fdatasync of the log).  While another process has the data directory
# open (registered in __db.register: a session, here an import waiting
# on a pipe), its close makes no checkpoint: that one call is all it may
# make.  Alone, it is the last
# process out and checkpoints before the regions go: the commit, then
# the log records written since (the person form's handles open at its
# first use, after the audit entry), audit.db and the checkpoint's own
# record, and no second sync per file at the close of the handles.  Either way the audit entry must survive: after the other
# process closes (the regions removed) and after it is killed (the next
# open recovers from the log).  Counted with strace -f -c.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh" || exit 99

command -v strace >/dev/null 2>&1 ||
	skip_all "strace not installed (apt-get install strace)"
strace -f -o /dev/null true 2>/dev/null ||
	skip_all "strace cannot trace here (ptrace not permitted)"

FORMS=$top_builddir/forms
D=$T/data
holder_pid=""

# A result from a status: check NAME STATUS (0 passes).
check() {
	tap_result "$2" "$1"
}

tap_cleanup='exec 3>&- 2>/dev/null; [ -n "$holder_pid" ] && kill -9 "$holder_pid" 2>/dev/null'

# The fdatasync and fsync calls of a command and its children: syncs CMD...
# (LeakSanitizer does not work under ptrace: off for the traced command
# of an --enable-asan build.)
syncs() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -c -o "$T/strace" -e trace=fdatasync,fsync "$@" \
	    >"$T/out" 2>"$T/err" || return 1
	awk '$NF == "fdatasync" || $NF == "fsync" { n += $4 }
	    END { print n + 0 }' "$T/strace"
}

# Start a process that keeps the data directory open: an import reading
# a pipe that stays empty until fd 3 closes; wait until it registered.
hold() {
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	ncenctl -d "$D" import person - <"$T/fifo" >"$T/holder.out" 2>&1 &
	holder_pid=$!
	exec 3>"$T/fifo"
	i=0
	while [ $i -lt 200 ]; do
		grep -q " $holder_pid\$" "$D/__db.register" 2>/dev/null &&
			return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# The audit entries of exports: exports.
exports() {
	ncenctl -d "$D" audit show --action export.csv 2>&1 | grep -c "Nobody"
}

ok "init" ncenctl -d "$D" init --forms "$FORMS"
ok "demo cases" ncenctl -d "$D" demo --cases 20

n=$(syncs ncenctl -d "$D" export --where family_name=Nobody person)
echo "# alone: ${n:-failed} calls"
check "alone: the commit and the checkpoint of audit.db and the log (${n:-failed} <= 4)" \
    "$([ -n "$n" ] && [ "$n" -le 4 ]; echo $?)"
check "alone: the regions are removed at close" \
    "$([ ! -e "$D/__db.001" ]; echo $?)"

ok "another process holds the directory" hold
n=$(syncs ncenctl -d "$D" export --where family_name=Nobody person)
echo "# beside another process: ${n:-failed} calls"
check "beside another process: at most one (${n:-failed} <= 1)" \
    "$([ -n "$n" ] && [ "$n" -le 1 ]; echo $?)"
has "the export ran" "id,family_name"
check "no checkpoint is left owed" \
    "$([ ! -e "$D/checkpoint.pending" ]; echo $?)"

# The other process closes last: it checkpoints, the regions go.
exec 3>&-
wait "$holder_pid"
holder_pid=""
check "the last process removed the regions" \
    "$([ ! -e "$D/__db.001" ]; echo $?)"
check "both exports are audited" "$([ "$(exports)" -eq 2 ]; echo $?)"
ok "verify after the last close" ncenctl -d "$D" verify

# The other process dies instead: the next open recovers the entry.
ok "another process holds the directory again" hold
n=$(syncs ncenctl -d "$D" export --where family_name=Nobody person)
check "beside it again: at most one (${n:-failed} <= 1)" \
    "$([ -n "$n" ] && [ "$n" -le 1 ]; echo $?)"
kill -9 "$holder_pid"
wait "$holder_pid" 2>/dev/null
holder_pid=""
exec 3>&-
check "the export is audited after the other process was killed" \
    "$([ "$(exports)" -eq 3 ]; echo $?)"
ok "audit chain intact" ncenctl -d "$D" audit verify
ok "verify after recovery" ncenctl -d "$D" verify

# Closes at once, each after its own commits: whichever leaves its
# checkpoint to the others must find one that writes it.  Six imports
# read their rows from pipes that are all closed together, three rounds,
# and an export checks each as it ends, beside the others still
# closing: every import succeeds and has its rows.  (A close that read
# the registry through a descriptor of its own dropped its slot lock
# with it: the next open took it for dead and panicked the others.)
round=0 lost=0 stored=0
while [ $round -lt 3 ]; do
	round=$((round + 1))
	k=0
	while [ $k -lt 6 ]; do
		k=$((k + 1))
		rm -f "$T/f$k"
		mkfifo "$T/f$k"
		ncenctl -d "$D" import person - <"$T/f$k" >"$T/i$k.out" 2>&1 &
		eval "pid$k=\$!"
	done
	k=0
	while [ $k -lt 6 ]; do
		k=$((k + 1))
		awk -v p="r${round}w$k" 'BEGIN { print "family_name"
		    for (i = 0; i < 200; i++) printf "%s_%d\n", p, i }' \
		    >"$T/f$k" &
	done
	k=0
	while [ $k -lt 6 ]; do
		k=$((k + 1))
		eval "wait \$pid$k"
		[ $? -eq 0 ] || { echo "# round $round writer $k failed:";
		    sed 's/^/#   /' "$T/i$k.out" | head -3; lost=1; continue; }
		stored=$((stored + 200))
		n=$(ncenctl -d "$D" export --where family_name="r${round}w${k}_1" \
		    person 2>/dev/null | grep -c "r${round}w${k}_1,")
		[ "$n" -eq 1 ] || { echo "# round $round writer $k: $n"; lost=1; }
	done
	wait
done
check "concurrent closes: every import succeeded and is there" "$lost"
n=$(ncenctl -d "$D" export person 2>/dev/null | grep -c '^[0-9]*,r[0-9]w[0-9]_')
check "concurrent closes: all $stored rows stored ($n)" \
    "$([ "$n" -eq "$stored" ] && [ "$stored" -gt 0 ]; echo $?)"
ok "verify after concurrent closes" ncenctl -d "$D" verify

finish
