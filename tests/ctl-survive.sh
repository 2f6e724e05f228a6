#!/bin/bash
# ctl-survive.sh - what ncenctl's exit status promises when another
# process dies beside it: a command that committed exits 0 (a warning
# is fine), one that exits 2 or 75 changed nothing, and a script that
# runs a failed import again ends with its rows exactly once.
#
# Each round starts a long import, kills it with SIGKILL once it is
# writing (inside or between library calls, as it falls), while a
# smaller import runs beside it and a third command opens the data
# directory (and so recovers it under the survivor).  A reader killed
# by a closed pipe (ncenctl dump | head) is the other case: ncenctl
# ignores SIGPIPE, stops, closes the store and exits 2.  Tunables:
# SURVIVE_ROUNDS (5), SURVIVE_SEED (random).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# A survivor reopens its environment after another process panicked it:
# libdb's close functions refuse to run on the panicked handles, which
# stay allocated by design (tests/fixtures/crash/lsan.supp).
LSAN_OPTIONS="suppressions=$top_srcdir/tests/fixtures/crash/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

unset NCEN_HOME NCEN_KEYFILE
command -v timeout >/dev/null 2>&1 || skip_all "timeout not installed"

ROUNDS=${SURVIVE_ROUNDS:-5}
RANDOM=${SURVIVE_SEED:-$$}
echo "# seed ${SURVIVE_SEED:-$$}, rounds $ROUNDS"
F=$top_builddir/forms
[ -d "$F" ] || F=$top_srcdir/forms
D=$T/data
NBIG=60000
NSMALL=5000

# A person CSV of N rows named PREFIX0, PREFIX1...: rows PREFIX N.
rows() {
	awk -v p="$1" -v n="$2" 'BEGIN {
		print "family_name,given_names"
		for (i = 0; i < n; i++) printf "%s%d,Survivor\n", p, i
	}'
}

# How many persons' family names start with PREFIX: count PREFIX.
count() {
	ncenctl -d "$D" export person 2>/dev/null |
	    awk -F, -v p="$1" 'index($2, p) == 1 { n++ } END { print n + 0 }'
}

# The pid's journal appeared: it has started writing (up to 10 s).
writing() {
	i=0
	while ! ls "$D"/import-*.journal >/dev/null 2>&1; do
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.01
		i=$((i + 1))
		[ $i -lt 1000 ] || return 1
	done
}

ok "init" ncenctl -d "$D" init --forms "$F"
rows BIG "$NBIG" >"$T/big.csv"

declare -a status bigst
for n in $(seq "$ROUNDS"); do
	rows "S${n}x" "$NSMALL" >"$T/s$n.csv"
	# Its own pid (no timeout wrapper): it is killed in any case.
	ncenctl -d "$D" import person "$T/big.csv" >"$T/big$n.out" 2>&1 &
	big=$!
	writing "$big"
	# The survivor, held still at a random moment of its work (or as
	# it closes, once it has printed its result): meanwhile the other
	# dies and a third process opens the data directory, recovering it
	# under the survivor, which finds its environment needing recovery
	# wherever it was.
	ncenctl -d "$D" import person "$T/s$n.csv" >"$T/s$n.out" 2>&1 &
	small=$!
	if [ $((n % 2)) -eq 0 ]; then
		i=0
		while ! grep -q imported "$T/s$n.out" && [ $i -lt 2000 ] &&
		    kill -0 "$small" 2>/dev/null; do
			i=$((i + 1))
		done
	else
		sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
	fi
	kill -STOP "$small" 2>/dev/null
	kill -KILL "$big" 2>/dev/null
	{ wait "$big"; } 2>/dev/null
	bigst[n]=$?	# 0 when it finished before the kill: whole, it stays
	# Killed while closing, once it has said what it imported (after
	# its last commit and its journal's removal): whole too.
	grep -q "^imported " "$T/big$n.out" && bigst[n]=0
	timeout -s KILL 60 ncenctl -d "$D" stats >"$T/stats$n.out" 2>&1
	kill -CONT "$small" 2>/dev/null
	wait "$small"
	status[n]=$?
	echo "# round $n: survivor exit ${status[n]}: $(tr '\n' ' ' <"$T/s$n.out" | cut -c1-200)"
done

# What the next import does first: undo imports that died or failed.
ok "the killed imports are rolled back" timeout 60 ncenctl -d "$D" import --rollback
whole=0
for n in $(seq "$ROUNDS"); do
	[ "${bigst[n]}" -eq 0 ] && whole=$((whole + 1))
done
echo "# $whole of $ROUNDS big imports finished before their kill"
[ "$(count BIG)" -eq $((whole * NBIG)) ]
tap_result $? "no row of a killed import is left (only whole ones that finished)"

for n in $(seq "$ROUNDS"); do
	c=$(count "S${n}x")
	case ${status[n]} in
	0) [ "$c" -eq "$NSMALL" ] ;;
	2|75) [ "$c" -eq 0 ] ;;
	*) false ;;
	esac
	tap_result $? "round $n: exit ${status[n]} and $c of $NSMALL rows (0: all, 2 or 75: none)"
done

# A script runs again what did not exit 0: every import once, no more.
for n in $(seq "$ROUNDS"); do
	[ "${status[n]}" -eq 0 ] && continue
	ok "round $n: the import run again succeeds" \
	    timeout 60 ncenctl -d "$D" import person "$T/s$n.csv"
done
bad=0
for n in $(seq "$ROUNDS"); do
	[ "$(count "S${n}x")" -eq "$NSMALL" ] || bad=$((bad + 1))
done
[ $bad -eq 0 ]
tap_result $? "every survivor's rows are there exactly once ($bad rounds wrong)"
ok "verify is clean" timeout 60 ncenctl -d "$D" verify
ok "the audit log verifies" timeout 60 ncenctl -d "$D" audit verify
ok "every import's audit entry is there" \
    ncenctl -d "$D" audit show --action import.csv
n=$(grep -c "import.csv" "$T/out")
[ "$n" -ge "$ROUNDS" ]
tap_result $? "at least one import.csv entry per round ($n)"

# A reader that goes away: ncenctl is not killed inside the library.
# A temporary journal (made, not yet locked and renamed) goes once its
# import is dead, and stays while that process lives: another import's
# cleanup took one being made and failed it ("cannot make the import's
# journal").
sh -c 'exit 0' & dead=$!
wait "$dead"
: >"$D/.import-$dead.tmp"
: >"$D/.import-$$.tmp"
ok "rollback beside two temporary journals" \
    timeout 60 ncenctl -d "$D" import --rollback
[ ! -e "$D/.import-$dead.tmp" ] && [ -e "$D/.import-$$.tmp" ]
tap_result $? "the dead import's temporary journal is gone, a live one's stays"
rm -f "$D/.import-$$.tmp"

ok "demo data" ncenctl -d "$D" demo --cases 50 --seed 3
ok "a dump before" ncenctl -d "$D" dump -o "$T/before.dump"
for n in 1 2 3; do
	ncenctl -d "$D" dump 2>"$T/dump.err" | head -c 100 >/dev/null
	st=${PIPESTATUS[0]}
	[ "$st" -eq 2 ] && grep -q "Broken pipe\|writing the dump" "$T/dump.err"
	tap_result $? "dump | head -c 100 ($n): exit $st, not killed by SIGPIPE (141)"
done
ncenctl -d "$D" export person 2>"$T/export.err" | head -c 10 >/dev/null
st=${PIPESTATUS[0]}
[ "$st" -ne 141 ]
tap_result $? "export | head: exit $st, not killed by SIGPIPE"
ok "a dump after" ncenctl -d "$D" dump -o "$T/after.dump"
cmp -s "$T/before.dump" "$T/after.dump"
tap_result $? "the dumps cut short changed nothing"
ok "verify is clean after the dumps" ncenctl -d "$D" verify
finish
