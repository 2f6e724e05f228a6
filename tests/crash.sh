#!/bin/bash
# crash.sh - four processes insert while one at a time is killed with
# SIGKILL at random moments, between and inside library calls.
#
# Each round kills one worker (sometimes right after it started, while it
# opens and recovers the environment; sometimes mid-run, where most of
# its time is inside a commit) and starts a replacement, whose open with
# DB_REGISTER|DB_RECOVER recovers the environment under the survivors.
# The survivors must never wait longer than the watchdog bound (they
# carry on, or exit 75 with their unsaved record spooled); at the end a
# new process recovers, every record whose commit returned must be in
# the primary and in both indices, nothing half-written, and the files
# must verify.  Tunables: CRASH_ROUNDS (20), CRASH_WATCHDOG (2 s),
# CRASH_SLACK_MS (1500), CRASH_SEED (random).
#
# Then the harder schedule (tests/crash-mixed.sh, its header has its
# tunables; CRASH_MIXED=0 leaves it out): the real programs, imports,
# workflow steps, account changes, attachments, backups and an ncen
# session in tmux, with over a hundred of them killed after 5-60 ms of
# work, and every change whose command exited 0 checked afterwards
# (one to three minutes on two busy cores).  CRASH_KEEP=DIR keeps its
# data directory and logs.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh" || exit 99
[ -n "${T:-}" ] && [ -d "$T" ] || exit 99

command -v db5.3_verify >/dev/null 2>&1 ||
	skip_all "db5.3_verify not installed (apt-get install db5.3-util)"
command -v timeout >/dev/null 2>&1 || skip_all "timeout not installed"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"		# the mixed schedule's session

ROUNDS=${CRASH_ROUNDS:-20}
WATCH=${CRASH_WATCHDOG:-2}
SLACK_MS=${CRASH_SLACK_MS:-1500}
NWORKERS=4
LIFE=60				# no worker may live longer than this
RANDOM=${CRASH_SEED:-$$}
echo "# seed ${CRASH_SEED:-$$} (CRASH_SEED), rounds $ROUNDS, watchdog $WATCH s"

worker=$top_builddir/tests/crash-worker
D=$T/data
F=$D/forms
mkdir -p "$F"
cp "$top_srcdir"/tests/fixtures/crash/*.form "$F"/ || exit 1

# Workers' handles of a panicked environment leak inside libdb by design
# (see the file); only the workers get this suppression.
wlsan="suppressions=$top_srcdir/tests/fixtures/crash/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

declare -A tpid			# worker name -> pid of its timeout wrapper
live=()				# names of the workers running
started=0 kills=0 inside=0 between=0 finished=0 stalled=0 bad=0
badlist=""

# Start one more worker in the background: start_worker.
start_worker() {
	local name pause=0
	started=$((started + 1))
	name=w$started
	# Half of them pause a little between records, so that some kills
	# land between library calls; the others spin in tight commits.
	[ $((RANDOM % 2)) -eq 0 ] && pause=3000
	LSAN_OPTIONS=$wlsan timeout -s KILL "$LIFE" "$worker" run -d "$D" -f "$F" -n "$name" \
	    -s "$T/stop" -w "$WATCH" -p "$pause" 2>"$T/$name.err" &
	tpid[$name]=$!
	live+=("$name")
}

# Drop a name from the live list: forget NAME.
forget() {
	local n keep=()
	for n in "${live[@]}"; do
		[ "$n" = "$1" ] || keep+=("$n")
	done
	live=("${keep[@]}")
}

# Account for a worker that ended by itself: ended NAME STATUS.
ended() {
	case $2 in
	0) finished=$((finished + 1)) ;;
	75)
		stalled=$((stalled + 1))
		grep -h "giving up" "$T/$1.err" | sed "s/^/# $1: /"
		;;
	*)
		bad=$((bad + 1))
		badlist="$badlist $1:$2"
		sed "s/^/# $1: /" "$T/$1.err" | head -5
		;;
	esac
}

# Reap the workers that have exited and start replacements: reap.
reap() {
	local n st
	for n in "${live[@]}"; do
		kill -0 "${tpid[$n]}" 2>/dev/null && continue
		wait "${tpid[$n]}"
		st=$?
		forget "$n"
		ended "$n" "$st"
		start_worker
	done
}

# The worker's own pid, once it has written it (up to 2 s): pid_of NAME.
pid_of() {
	local i=0
	while [ ! -s "$T/$1.pid" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	cat "$T/$1.pid" 2>/dev/null
}

# Kill one worker with SIGKILL and note where it was: kill_worker NAME.
kill_worker() {
	local n=$1 pid st where
	pid=$(pid_of "$n")
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	{ wait "${tpid[$n]}"; } 2>/dev/null	# no "Killed" notice
	st=$?
	forget "$n"
	if [ "$st" -ne 137 ]; then	# it had ended by itself just before
		ended "$n" "$st"
		return
	fi
	kills=$((kills + 1))
	where=$(head -c1 "$T/$n.state" 2>/dev/null)
	case $where in
	r|p|c) inside=$((inside + 1)) ;;	# in store_run/open/close
	*) between=$((between + 1)) ;;
	esac
	echo "$n $where" >>"$T/kills"
}

ok "create the environment" timeout 30 "$worker" init -d "$D" -f "$F"

t0=$(date +%s%N)
for _ in $(seq $NWORKERS); do
	start_worker
done
for _ in $(seq "$ROUNDS"); do
	if [ $((RANDOM % 4)) -eq 0 ]; then
		# Right after start: the newest, while it opens or recovers.
		victim=${live[${#live[@]} - 1]}
		sleep "0.0$((RANDOM % 10))"
	else
		sleep "0.$((RANDOM % 600 + 100))"
		victim=${live[RANDOM % ${#live[@]}]}
	fi
	kill_worker "$victim"
	start_worker
	reap
done
: >"$T/stop"
for n in "${live[@]}"; do
	wait "${tpid[$n]}"
	ended "$n" $?
done
t1=$(date +%s%N)

[ "$bad" -eq 0 ]
tap_result $? "every surviving worker finished (0) or stalled out cleanly (75)${badlist:+:$badlist}"

# The longest wait of a survivor: between commits, or until its exit.
maxgap=0 maxcall=0
for s in "$T"/*.status; do
	[ -e "$s" ] || continue
	g=$(sed -n 's/.* maxgap_ms=\([0-9]*\).*/\1/p' "$s")
	c=$(sed -n 's/.* maxcall_ms=\([0-9]*\).*/\1/p' "$s")
	[ "${g:-0}" -gt "$maxgap" ] && maxgap=$g
	[ "${c:-0}" -gt "$maxcall" ] && maxcall=$c
done
limit=$((WATCH * 1000 + SLACK_MS))
[ "$maxgap" -le "$limit" ]
tap_result $? "longest stall of a survivor ${maxgap} ms <= bound + slack ${limit} ms"
[ "$kills" -ge $((ROUNDS / 2)) ]
tap_result $? "enough kills ($kills of $ROUNDS rounds)"

# A new process recovers and finds every committed record.
ok "recovered: every committed record in the primary and both indices, none half-written" \
    timeout 60 "$worker" check -d "$D" -f "$F" "$T"/*.log
summary=$(head -1 "$T/out")
echo "# $summary"

vfail=0
nfiles=0
for f in "$D"/*.db "$D"/*.idx; do
	[ -e "$f" ] || continue
	nfiles=$((nfiles + 1))
	if ! timeout 60 db5.3_verify -h "$D" "$(basename "$f")" >"$T/out" 2>&1; then
		vfail=$((vfail + 1))
		sed "s|^|# $(basename "$f"): |" "$T/out" | head -10
	fi
done
[ "$vfail" -eq 0 ] && [ "$nfiles" -gt 0 ]
tap_result $? "db5.3_verify clean on all $nfiles .db and .idx files"

# ncenctl verify, once ncenctl has the command.
if ncenctl verify --help >/dev/null 2>&1; then
	ok "ncenctl verify clean" timeout 60 ncenctl -d "$D" verify
else
	echo "# ncenctl verify not available yet: store_verify ran in the check above"
fi

spooled=$(cat "$T"/*.spool 2>/dev/null | wc -l)
echo "# runs $started workers in $ROUNDS rounds over $(((t1 - t0) / 1000000)) ms," \
    "kills $kills ($inside inside store calls, $between between)," \
    "finished $finished, stalled out $stalled, spooled $spooled"
commits=$(cat "$T"/*.log | grep -c '^C ')
echo "# commits $commits, longest stall $(awk "BEGIN { printf \"%.2f\", $maxgap / 1000 }") s," \
    "longest store call $(awk "BEGIN { printf \"%.2f\", $maxcall / 1000 }") s"

# The harder schedule: the real programs, mixed, killed after 5-60 ms.
if [ "${CRASH_MIXED:-1}" = 1 ]; then
	# shellcheck source=tests/crash-mixed.sh
	. "$(dirname "$0")/crash-mixed.sh"
else
	echo "# the harder schedule left out (CRASH_MIXED=0)"
fi
finish
