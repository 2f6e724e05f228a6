#!/bin/bash
# crash-alerts.sh - the alert checker killed mid-run: no alert lost or
# doubled.
#
# 300 cases wait to be checked, each meeting one watch entry and one
# rule.  Each round starts two checkers (ncenctl alerts check) at once
# and kills one of them with SIGKILL after 20 to 400 ms, inside or
# between library calls; the other finishes, or exits 75 when the dead
# one held a lock (recovery happens at the next open).  At the end one
# more check empties the queue: every case has exactly its two alerts,
# each raise audited once, and the files verify.  CRASH_ROUNDS (12),
# CRASH_SEED (random).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh" || exit 99
command -v db5.3_verify >/dev/null 2>&1 ||
	skip_all "db5.3_verify not installed (apt-get install db5.3-util)"

ROUNDS=${CRASH_ROUNDS:-12}
N=300
RANDOM=${CRASH_SEED:-$$}
echo "# seed ${CRASH_SEED:-$$} (CRASH_SEED), rounds $ROUNDS"
unset NCEN_HOME NCEN_KEYFILE
X=$T/x
ok "init" ncenctl -d "$X" init --forms "$top_builddir/forms"
ok "a watch entry" ncenctl -d "$X" watch add --kind PERSON \
	--name Kuznetsov --owner ann --reason wanted
printf '%s\n' 'ncen-rules 1' 'rule cdg' '  title "CDG"' \
	'  when case.office = FRCDG01' >"$T/r.rules"
ok "a rule" ncenctl -d "$X" rules install "$T/r.rules"
{
	echo 'ncen-dump 1'
	i=1
	while [ $i -le $N ]; do
		printf '%s\n' "record case $i 1 1795770000 bob" \
			'field status draft' 'field date 2026-06-01' \
			'field office FRCDG01' 'field country FR' \
			'field direction IMP' "record person $i 1 1795770000 bob" \
			'field family_name Кузнецов' "link case $i person $i SUSPECT"
		i=$((i + 1))
	done
} >"$T/cases.dump"
ok "$N cases" ncenctl -d "$X" load "$T/cases.dump"
ok "waiting" ncenctl -d "$X" alerts pending
has "all of them" "$N cases waiting"

kills=0 stalls=0 round=0
while [ $round -lt "$ROUNDS" ]; do
	round=$((round + 1))
	ncenctl -d "$X" alerts check --max 120 >/dev/null 2>&1 &
	a=$!
	ncenctl -d "$X" alerts check --max 120 >/dev/null 2>&1 &
	b=$!
	sleep "0.$(printf '%03d' $((20 + RANDOM % 380)))"
	if [ $((RANDOM % 2)) -eq 0 ]; then v=$a; s=$b; else v=$b; s=$a; fi
	kill -9 "$v" 2>/dev/null && kills=$((kills + 1))
	wait "$v" 2>/dev/null
	wait "$s"
	st=$?
	[ $st -eq 75 ] && stalls=$((stalls + 1))
	if [ $st -ne 0 ] && [ $st -ne 75 ]; then
		echo "# round $round: the survivor exited $st"
	fi
done
echo "# $kills checkers killed, $stalls survivors stalled (exit 75)," \
	"$(ncenctl -d "$X" alerts pending 2>/dev/null) after them"
ok "a last check after the kills" ncenctl -d "$X" alerts check
has "leaves nothing waiting" " 0 cases waiting"
ncenctl -d "$X" alerts list >"$T/list"
ok "every case has its two alerts: none lost" test \
	"$(wc -l <"$T/list")" -eq $((2 * N))
ok "none doubled" test "$(cut -f4,5 "$T/list" | sort -u | wc -l)" -eq \
	$((2 * N))
ok "each raise audited once" test "$(ncenctl -d "$X" audit show \
	--action alert.raise | grep -c .)" -eq $((2 * N))
ok "the audit chain holds" ncenctl -d "$X" audit verify
ok "the files verify" ncenctl -d "$X" verify
finish
