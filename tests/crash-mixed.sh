# shellcheck shell=bash disable=SC2154 # lib.sh sets top_srcdir, T...
# tests/crash-mixed.sh - the harder schedule of tests/crash.sh (sourced
# by it after lib.sh and ui-lib.sh): the real programs write side by side
# while one after another is killed with SIGKILL after 5-60 ms of work.
#
# Six lanes run at once on one data directory, each one command after
# another, each command's exit status, time and output kept in $L:
#
#   import    ncenctl import person of a CSV whose rows all carry the
#             family name MIXIMP-K (1 to 2500 rows, so up to three
#             transactions); some are killed 5-60 ms after start, some
#             5-60 ms after their journal appeared (between batches)
#   workflow  ncenctl case submit --as bob, then validate --as sue
#   user      ncenctl user add uK --roles officer, then user mod to
#             officer,supervisor
#   attach    ncenctl attach case:1 of a new file, caption MIXATT-K
#   backup    ncenctl backup into a new directory
#   session   one ncen in tmux editing person 1's given names and saving
#             (^W), never killed: the survivor beside everything else
#
# About half of the ncenctl commands are killed (5-60 ms after start, or
# for imports after their journal appeared); the lanes run for at least
# CRASH_MIXED_MIN seconds (default 30) and until CRASH_KILLS kills
# (default 120), CRASH_MIXED_SECONDS (default 150) at most.
# Then a fresh process recovers (import --rollback, which also undoes
# what killed imports left) and the database must hold: every import
# that exited 0 whole, every killed one whole or absent, every other
# absent; every step, account, role change and attachment (record and
# file) whose command exited 0, none of those that failed without being
# killed (an exit 2 or 75 must mean nothing changed: scripts run the
# command again); every save the session showed ("Person 1, version V")
# at least at that version, and after a session stalled at a save, its
# typing offered at the next sign-in; every backup that exited 0
# restores, verifies and holds each import whole or absent (and all
# those finished before it began); `verify`, `audit verify` and
# db5.3_verify clean.  Survivors end with 0, 2 or 75 (a session: 75 or
# signed out), none waiting longer than its watchdog bound for each of
# its open and its change, plus CRASH_MIXED_SLACK seconds (default 8;
# an import that waited for a backup, plus the backup's bound).
# CRASH_KEEP=DIR keeps the data
# directory, the logs and the dump there for a look afterwards.

MX_KILLS=${CRASH_KILLS:-120}
MX_SECONDS=${CRASH_MIXED_SECONDS:-150}
MX_MIN=${CRASH_MIXED_MIN:-30}
MX_SLACK=${CRASH_MIXED_SLACK:-8}
MX_WATCH=10			# ncenctl's and ncen's watchdog, seconds
MX_HANG=200			# a survivor still running then is hung
MX_SEED=${CRASH_SEED:-$$}
M=$T/mixed			# the data directory
L=$T/mlog			# what every command did
mkdir -p "$L"
echo "# mixed writers: seed $MX_SEED, until $MX_KILLS kills, 3 saves of the session and a backup, or $MX_SECONDS s"

# Survivors of a panicked environment leak libdb's handles (see phase 1).
mx_lsan="suppressions=$top_srcdir/tests/fixtures/crash/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# Milliseconds on the wall clock (bash's own, no process).
mx_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# Seconds for sleep(1) from milliseconds: mx_sec MS.
mx_sec() {
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# Run one command of a lane, maybe killing it, and log what happened:
# mx_run LANE ID MODE CMD...  MODE is "-" (never killed), "t" (SIGKILL
# 5-60 ms after start) or "j" (5-60 ms after its import journal
# appeared).  Appends "ID MODE DELAY STATUS KILLED MS END" to LANE.log
# (END: when it ended, in ms), the output goes to LANE.ID.out; returns
# the status.  KILLED is 1 when it was killed, 2 when it said its
# change "may or may not have been kept" (its commit was made but the
# watchdog stopped it before the log reached the disk), else 0: either
# outcome is right for those two.
mx_run() {
	local lane=$1 id=$2 mode=$3 delay=0 p st killed=0 t0 t1 i=0 j
	shift 3
	[ "$mode" = - ] || delay=$((5 + RANDOM % 56))
	t0=$(mx_ms)
	if [ "$mode" = - ]; then
		LSAN_OPTIONS=$mx_lsan timeout -s KILL "$MX_HANG" "$@" \
		    >"$L/$lane.$id.out" 2>&1 &
	else
		LSAN_OPTIONS=$mx_lsan "$@" >"$L/$lane.$id.out" 2>&1 &
	fi
	p=$!
	if [ "$mode" = j ]; then
		# Its journal is DIR/import-PID-TIME.journal (ctl-journal.c).
		while kill -0 "$p" 2>/dev/null && [ $i -lt 2000 ]; do
			for j in "$M"/import-"$p"-*.journal; do
				[ -e "$j" ] && break 2
			done
			sleep 0.002
			i=$((i + 1))
		done
	fi
	if [ "$mode" != - ]; then
		sleep "$(mx_sec "$delay")"
		kill -KILL "$p" 2>/dev/null
	fi
	{ wait "$p"; } 2>/dev/null
	st=$?
	t1=$(mx_ms)
	[ "$mode" != - ] && [ "$st" -eq 137 ] && killed=1
	[ "$killed" -eq 0 ] &&
		grep -q "may or may not have been kept" "$L/$lane.$id.out" &&
		killed=2
	echo "$id $mode $delay $st $killed $((t1 - t0)) $t1" >>"$L/$lane.log"
	return "$st"
}

# Whether the next command is to be killed: mx_mode PERCENT sets mx_m to
# "t" that often, else to "-" (no command substitution: a subshell's
# RANDOM would not follow the seed).
mx_mode() {
	if [ $((RANDOM % 100)) -lt "$1" ]; then
		mx_m=t
	else
		mx_m=-
	fi
}

# The import lane: CSVs of person rows marked MIXIMP-K.
mx_lane_import() {
	local k=0 n r mode
	RANDOM=$((MX_SEED + 1))
	while [ ! -e "$L/stop" ]; do
		k=$((k + 1))
		r=$((RANDOM % 100))
		if [ $r -lt 55 ]; then
			n=$((1 + RANDOM % 60))
		elif [ $r -lt 80 ]; then
			n=$((200 + RANDOM % 600))
		else
			n=$((1200 + RANDOM % 1300))
		fi
		awk -v k="$k" -v n="$n" 'BEGIN { print "family_name,given_names";
		    for (i = 1; i <= n; i++) printf "MIXIMP-%d,row %d\n", k, i }' \
		    >"$L/import.$k.csv"
		r=$((RANDOM % 100))
		if [ $r -lt 30 ]; then
			mode=t
		elif [ $r -lt 55 ]; then
			mode=j
		else
			mode=-
		fi
		echo "$k $n $(mx_ms)" >>"$L/import.rows"
		mx_run import "$k" "$mode" ncenctl -d "$M" import person \
		    "$L/import.$k.csv"
	done
}

# The workflow lane: submit each prepared case, then validate it.
mx_lane_workflow() {
	local c
	RANDOM=$((MX_SEED + 2))
	for c in $(seq 2 $((MX_CASES + 1))); do
		[ -e "$L/stop" ] && break
		mx_mode 50
		mx_run submit "$c" "$mx_m" ncenctl -d "$M" case submit \
		    "$c" --as bob || continue
		mx_mode 50
		mx_run validate "$c" "$mx_m" ncenctl -d "$M" case \
		    validate "$c" --as sue
	done
}

# The user lane: a new account, then its roles changed.
mx_lane_user() {
	local k=0
	RANDOM=$((MX_SEED + 3))
	while [ ! -e "$L/stop" ]; do
		k=$((k + 1))
		mx_mode 50
		mx_run useradd "$k" "$mx_m" ncenctl -d "$M" user add \
		    "u$k" --roles officer || continue
		mx_mode 50
		mx_run usermod "$k" "$mx_m" ncenctl -d "$M" user mod \
		    "u$k" --roles officer,supervisor
	done
}

# The attachment lane: a new file each time, attached to case 1.
mx_lane_attach() {
	local k=0
	RANDOM=$((MX_SEED + 4))
	while [ ! -e "$L/stop" ]; do
		k=$((k + 1))
		printf 'attachment %d of seed %s\n' "$k" "$MX_SEED" \
		    >"$L/attach.$k.txt"
		mx_mode 50
		mx_run attach "$k" "$mx_m" ncenctl -d "$M" attach \
		    case:1 "$L/attach.$k.txt" --caption "MIXATT-$k"
	done
}

# The backup lane: a backup now and then; those that finish are checked
# at the end.
mx_lane_backup() {
	local k=0 t mb mb2
	RANDOM=$((MX_SEED + 5))
	while [ ! -e "$L/stop" ]; do
		k=$((k + 1))
		# When it began, and its watchdog's bound: the open and the
		# checkpoint 10 s each, then the copy 60 s and one more per MB
		# of the store's files by their sizes (regions and logs too:
		# store-backup.c), which recovery and new logs change while it
		# runs: the larger of before and after.
		t=$(mx_ms)
		mb=$(du -sm --apparent-size "$M" 2>/dev/null | cut -f1)
		mx_mode 50
		mx_run backup "$k" "$mx_m" ncenctl -d "$M" backup "$L/b$k"
		mb2=$(du -sm --apparent-size "$M" 2>/dev/null | cut -f1)
		[ "${mb2:-0}" -gt "${mb:-0}" ] && mb=$mb2
		echo "$k $t $((80 + ${mb:-0}))" >>"$L/backup.start"
		sleep "0.$((RANDOM % 5))"
	done
}

# The session's screen into a file: mx_ui_screen FILE.
mx_ui_screen() {
	ui_tmux capture-pane -p -t S >"$1" 2>/dev/null
}

# Wait at most SECONDS for one of the STRINGs on the session's screen:
# mx_ui_wait SECONDS STRING...  0 when one is seen (its number, from 1,
# in mx_seen), 1 when none is, 2 when ncen ended.
mx_ui_wait() {
	local end=$(($(mx_ms) + $1 * 1000)) i want
	shift
	mx_seen=0
	while [ "$(mx_ms)" -lt $end ]; do
		mx_ui_screen "$L/ui.screen"
		i=0
		for want in "$@"; do
			i=$((i + 1))
			grep -qF -- "$want" "$L/ui.screen" || continue
			mx_seen=$i
			return 0
		done
		if [ "$(ui_tmux display-message -p -t S '#{pane_dead}' 2>/dev/null)" = 1 ]; then
			mx_ui_screen "$L/ui.screen"	# with its last words
			return 2
		fi
		sleep 0.02
	done
	return 1
}

# Save the form on the screen (^W), answering a conflict over a version
# the session itself wrote by putting the typing on it: mx_ui_save K.
# Logs "save K VERSION MS" when the screen confirmed it, else "fail K
# WHY MS"; returns 0 when saved.
mx_ui_save() {
	local t0 v w
	t0=$(mx_ms)
	ui_keys S C-w
	mx_ui_wait $((MX_WATCH + MX_SLACK)) "Given names: Edit $1" \
	    " saved (version " "Put your changes on version"
	w=$?
	if [ $w -eq 0 ] && [ $mx_seen -eq 3 ]; then
		echo "conflict $1" >>"$L/session.txt"
		ui_keys S y
		mx_ui_wait 5 "check them" >/dev/null
		ui_keys S C-w
		mx_ui_wait $((MX_WATCH + MX_SLACK)) "Given names: Edit $1" \
		    " saved (version "
		w=$?
	fi
	if [ $w -ne 0 ]; then
		echo "fail $1 $w $(($(mx_ms) - t0))" >>"$L/session.txt"
		return 1
	fi
	v=$(sed -n -e 's/^Person 1, version \([0-9]*\),.*/\1/p' \
	    -e 's/^Person 1 saved (version \([0-9]*\)).*/\1/p' "$L/ui.screen")
	echo "save $1 ${v:-?} $(($(mx_ms) - t0))" >>"$L/session.txt"
}

# Start (or restart) the session on person 1's screen: 0 when there.
# A draft left by a session that stalled is resumed and saved first;
# the typing of the save it was at (PENDING, else 0) must be the one
# offered: mx_ui_open N PENDING.
mx_ui_open() {
	local n=$1 pending=$2 k tries=0
	mx_resumed=0
	ui_tmux kill-session -t S 2>/dev/null
	# The tmux server may still be exiting (its last session gone): a
	# new session then fails; try again.
	until ui_start S -- sh -c "LSAN_OPTIONS='$mx_lsan' ncen -d '$M' --as ed; echo \$? >'$L/ui.exit.$n'"; do
		tries=$((tries + 1))
		[ $tries -lt 20 ] || return 1
		sleep 0.1
	done
	: >"$L/ui.screen"
	mx_ui_wait 20 "Main menu" "Unsaved drafts" || return 1
	if [ $mx_seen -eq 2 ]; then
		ui_keys S Enter
		mx_ui_wait 20 "Given names[" || return 1
		k=$(sed -n 's/^  Given names\[Edit \([0-9]*\) .*/\1/p' \
		    "$L/ui.screen")
		echo "resumed ${k:-?} for $pending" >>"$L/session.txt"
		mx_ui_save "${k:-?}" || return 1
		mx_resumed=1		# the typing is saved: none is due
		mx_ui_wait 20 "Main menu" || return 1
	elif [ "$pending" != 0 ]; then
		echo "no draft offered for $pending" >>"$L/session.txt"
	fi
	ui_keys S p
	mx_ui_wait 20 "AAA-SESSION" || return 1
	ui_keys S Enter
	mx_ui_wait 20 "Person 1, version"
}

# Why the session is not where it should be, into session.txt: mx_ui_lost
# WHAT N.  A session still running there is stuck: where each of its
# threads is (gdb, when installed) goes in too, after "| ".
mx_ui_lost() {
	local st pane pid
	st=$(cat "$L/ui.exit.$2" 2>/dev/null)
	echo "lost $1 session=$2 exit=${st:-running}" >>"$L/session.txt"
	sed 's/^/| /' "$L/ui.screen" >>"$L/session.txt"
	[ -z "$st" ] || return 0
	pane=$(ui_tmux list-panes -t S -F '#{pane_pid}' 2>/dev/null | head -1)
	for pid in $(pgrep -P "${pane:-0}" 2>/dev/null); do
		{
			echo "pid $pid: $(cut -d' ' -f3,14,15 "/proc/$pid/stat" 2>/dev/null) (state utime stime)," \
			    "wchan $(cat "/proc/$pid/wchan" 2>/dev/null)"
			command -v gdb >/dev/null &&
			    timeout 30 gdb -p "$pid" -batch -nx \
				-ex 'thread apply all bt 12' 2>/dev/null |
			    grep -E '^(#|Thread)'
		} | sed 's/^/| /' >>"$L/session.txt"
	done
}

# The session lane: edit person 1's given names and save, again and
# again; session.txt gets "try K" then "save K VERSION MS" for each save
# the screen confirmed.  A session that ended (or is stuck) is noted
# and started again; ten starts in a row that do not reach the person
# end the lane.
mx_lane_session() {
	local k=0 n=0 fails=0 pending=0 st
	while [ ! -e "$L/stop" ]; do
		n=$((n + 1))
		if ! mx_ui_open $n $pending; then
			# A draft it resumed and saved before it ended is
			# no longer due at the next sign-in.
			[ "$mx_resumed" = 1 ] && pending=0
			sleep 0.5
			mx_ui_lost open $n
			fails=$((fails + 1))
			[ $fails -lt 10 ] && continue
			echo "gave up" >>"$L/session.txt"
			return
		fi
		echo "open $n" >>"$L/session.txt"
		fails=0 pending=0
		while [ ! -e "$L/stop" ]; do
			k=$((k + 1))
			echo "try $k $(mx_ms)" >>"$L/session.txt"
			ui_keys S C-e
			mx_ui_wait 20 "Given names[" || break
			ui_keys S Down C-u
			ui_type S "Edit $k"
			mx_ui_save $k || { pending=$k; break; }
		done
		[ -e "$L/stop" ] && break
		# Ended (75 after a stall is allowed) or stuck: note it.
		sleep 0.5
		mx_ui_lost "at save $k" $n
		st=$(cat "$L/ui.exit.$n" 2>/dev/null)
		[ "$st" = 75 ] || pending=0
	done
	# It signs out, or it is stalled at that moment and leaves with 75
	# once its watchdog fires (the checks below count that as an end).
	ui_keys S C-x C-x C-x
	mx_ui_wait $((MX_WATCH + MX_SLACK)) "no such text"
	[ $? -eq 2 ] || echo "the session did not sign out" >>"$L/session.txt"
}

# Count the kills so far.
mx_kills() {
	cat "$L"/*.log 2>/dev/null | awk '$5 == 1 { n++ } END { print n + 0 }'
}

# --- the data directory: cases to submit, case 1, person 1, accounts.
MX_CASES=600
ok "mixed: init" ncenctl -d "$M" init --forms "$top_builddir/forms"
awk -v n="$MX_CASES" 'BEGIN {
	print "ncen-dump 1"
	for (i = 1; i <= n + 1; i++) {
		printf "record case %d 1 1795770000 carol\n", i
		print "field status draft"
		print "field date 2026-11-05"
		print "field office FRCDG01"
		print "field country FR"
		print "field direction IMP"
	}
	print "record person 1 1 1795770000 carol"
	print "field family_name AAA-SESSION"
	print "field given_names Start"
}' >"$T/mixed.dump"
ok "mixed: load $MX_CASES draft cases and the session's person" \
    ncenctl -d "$M" load "$T/mixed.dump"
ok "mixed: accounts" sh -c "ncenctl -d '$M' user add bob --roles officer &&
	ncenctl -d '$M' user add sue --roles supervisor &&
	ncenctl -d '$M' user add ed --roles supervisor"

# --- the storm.
: >"$L/session.txt"
t0=$(mx_ms)
mx_lane_session &
mx_pids=$!
for lane in import workflow user attach backup; do
	"mx_lane_$lane" &
	mx_pids="$mx_pids $!"
done
tap_cleanup="${tap_cleanup:+$tap_cleanup; }touch '$L/stop'"
[ -n "${CRASH_KEEP:-}" ] &&
	tap_cleanup="$tap_cleanup; mkdir -p '$CRASH_KEEP' && cp -R '$M' '$L' '$T/m.dump' '$CRASH_KEEP'/"
# The storm lasts until enough kills, MX_MIN seconds, a few saves the
# session showed and a backup that finished (a loaded machine can keep
# them stalled for a while: a backup's bound is a minute), and at most
# MX_SECONDS.
while { [ "$(mx_kills)" -lt "$MX_KILLS" ] ||
    [ $(($(mx_ms) - t0)) -lt $((MX_MIN * 1000)) ] ||
    [ "$(grep -c '^save ' "$L/session.txt")" -lt 3 ] ||
    [ "$(cat "$L/backup.log" 2>/dev/null |
	awk '$4 == 0 && $5 == 0 { n++ } END { print n + 0 }')" -lt 1 ]; } &&
    [ $(($(mx_ms) - t0)) -lt $((MX_SECONDS * 1000)) ]; do
	sleep 0.5
done
touch "$L/stop"
t2=$(mx_ms)
# shellcheck disable=SC2086 # a list of pids
wait $mx_pids
t1=$(mx_ms)

# --- the kills and how the survivors ended.
kills=0
for f in "$L"/*.log; do
	awk -v lane="$(basename "$f" .log)" '
	{ n++; if ($5 == 1) k++; else s[$4]++ }
	END {
		line = sprintf("# %-9s %4d commands, %3d killed, survivors exited:",
		    lane, n, k)
		for (st in s) line = line sprintf(" %s:%d", st, s[st])
		print line
	}' "$f"
done
kills=$(mx_kills)
echo "# $kills kills in $(((t1 - t0) / 1000)) s (the lanes stopped after $(((t2 - t0) / 1000)) s)"
[ "$kills" -ge "$MX_KILLS" ]
tap_result $? "mixed: at least $MX_KILLS kills ($kills)"

# A survivor ends with 0, 75 after a stall, or 2 naming the error (the
# checks below make sure that a 2 or a 75 changed nothing); anything
# else (1, a signal, the hang cap) is named.
odd=0
: >"$T/exit2"
for f in "$L"/*.log; do
	lane=$(basename "$f" .log)
	while read -r id mode _ st killed _; do
		[ "$killed" = 1 ] && continue
		case $st in
		0|75) continue ;;
		2)
			grep -v '^imported\|rolled back\|waiting for' \
			    "$L/$lane.$id.out" | tail -1 | sed -e "s|$T/[^:]*: ||g" -e 's/ (.*//' \
			    -e "s/^/$lane: /" >>"$T/exit2"
			continue
			;;
		esac
		odd=$((odd + 1))
		[ $odd -le 12 ] &&
			echo "# $lane $id (mode $mode) exit $st: $(head -c 300 "$L/$lane.$id.out" | tr '\n' ' ')"
	done <"$f"
done
[ "$odd" -eq 0 ]
tap_result $? "mixed: every survivor exited 0, 2 or 75 ($odd did not)"
echo "# survivors that exited 2, by message:"
sort "$T/exit2" | uniq -c | sort -rn | head -12 | cut -c1-200 | sed 's/^/# /'

# No survivor waited past its watchdog bound plus slack: 10 s for a
# database call, and a command makes two in a row that may each wait
# that long when a process dies at the wrong moment (its open, then its
# change); a backup's copy is one call, with its own bound.  An import
# that waited for a backup under way (which holds imports out while it
# copies) may add the longest backup's bound.
bshort=$(((2 * MX_WATCH + MX_SLACK) * 1000))
blong=$(awk '$3 > m { m = $3 } END { print (m + 0) * 1000 }' "$L/backup.start")
grep -l "waiting for the backup under way" "$L"/import.*.out 2>/dev/null |
    sed 's/.*import\.\([0-9]*\)\.out$/\1/' >"$T/waited"
for f in "$L"/*.log; do
	awk -v b=$bshort -v blong="$blong" -v slack=$((MX_SLACK * 1000)) \
	    -v lane="$(basename "$f" .log)" '
	FILENAME == ARGV[1] { long[$1] = $3 * 1000 + slack; next }
	FILENAME == ARGV[2] { waited[$1] = 1; next }
	{
		bound = lane == "backup" ? long[$1] : b
		if (lane == "import" && ($1 in waited))
			bound += blong
	}
	$5 == 0 && $6 > bound {
		printf "%s %s took %d ms (bound %d), exit %s\n", lane, $1, $6,
		    bound, $4
	}' "$L/backup.start" "$T/waited" "$f"
done >"$T/slow"
longest=$(cat "$L"/*.log | awk '$5 == 0 && $6 > m { m = $6 } END { print m + 0 }')
s75=$(cat "$L"/*.log | awk '$5 == 0 && $4 == 75 { n++ } END { print n + 0 }')
head -12 "$T/slow" | sed 's/^/# /'
[ ! -s "$T/slow" ]
tap_result $? "mixed: no survivor waited past its bound, $((bshort / 1000)) s, a backup 80 s + 1 s/MB (longest $longest ms, $s75 exited 75)"

# --- afterwards: a fresh process recovers, then the database must hold.

# Each import of a dump whole or absent, as its command's status says:
# mx_check_imports DUMP [BACKUP-START-MS].  With a backup's start, every
# import that exited 0 before it must be whole in it, any other whole or
# absent.  Prints one line per problem and "imports: W whole, A absent".
mx_check_imports() {
	awk -v since="${2:-}" '
	FILENAME == ARGV[1] { rows[$1] = $2; next }
	FILENAME == ARGV[2] {
		st[$1] = $4; killed[$1] = $5; end[$1] = $7; next
	}
	/^field family_name MIXIMP-/ { sub(/.*MIXIMP-/, ""); have[$0]++ }
	END {
		for (k in st) {
			n = have[k] + 0
			if (n != 0 && n != rows[k]) {
				printf "import %s: %d of its %d rows\n", k, n, rows[k]
				bad++
			} else if (since == "" && killed[k] == 0 &&
			    st[k] == 0 && n != rows[k]) {
				printf "import %s exited 0 but is absent\n", k
				bad++
			} else if (since == "" && killed[k] == 0 &&
			    st[k] != 0 && n != 0) {
				printf "import %s exited %s but is there\n", k, st[k]
				bad++
			} else if (since != "" && killed[k] == 0 && st[k] == 0 &&
			    end[k] < since + 0 && n != rows[k]) {
				printf "import %s ended before the backup began but is absent\n", k
				bad++
			}
			if (n == 0) absent++; else whole++
		}
		printf "imports: %d whole, %d absent, %d problems\n",
		    whole, absent, bad
		exit bad > 0
	}' "$L/import.rows" "$L/import.log" "$1"
}

ok "mixed: a fresh process recovers and rolls back killed imports" \
    timeout 120 ncenctl -d "$M" import --rollback
sed 's/^/# /' "$T/out" | head -5
ok "mixed: dump" timeout 120 ncenctl -d "$M" dump -o "$T/m.dump"
! ls "$M"/import-*.journal >/dev/null 2>&1
tap_result $? "mixed: no import journal is left"
mx_check_imports "$T/m.dump" >"$T/imports"
tap_result $? "mixed: every import whole or absent, as its exit status says"
sed 's/^/# /' "$T/imports" | tail -13

# Workflow steps: a step that exited 0 is there once, one that failed
# unkilled is not, and each case's status is its last step's.
awk '
/^record / { ent = $2; id = $3; next }
!/^field / { ent = ""; next }
ent == "transition" && $2 == "case" { c[id] = $3 }
ent == "transition" && $2 == "to" { to[id] = $3 }
ent == "case" && $2 == "status" { print "status", id, $3 }
END { for (t in c) print "step", c[t], to[t] }' "$T/m.dump" >"$T/steps"
awk '
FILENAME == ARGV[1] { if ($1 == "step") n[$2 " " $3]++; else status[$2] = $3; next }
FILENAME == ARGV[2] { sub_st[$1] = $4; sub_k[$1] = $5; next }
FILENAME == ARGV[3] { val_st[$1] = $4; val_k[$1] = $5; next }
END {
	for (c in sub_st) {
		s = n[c " submitted"] + 0; v = n[c " validated"] + 0
		if (s > 1 || v > 1) { print "case " c ": a step twice"; bad++ }
		if (sub_k[c] == 0 && sub_st[c] == 0 && s != 1) {
			print "case " c ": submit exited 0, no step"; bad++
		}
		if (sub_k[c] == 0 && sub_st[c] != 0 && s != 0) {
			print "case " c ": submit exited " sub_st[c] ", but it is there"; bad++
		}
		if (c in val_st && val_k[c] == 0 && val_st[c] == 0 && v != 1) {
			print "case " c ": validate exited 0, no step"; bad++
		}
		if (c in val_st && val_k[c] == 0 && val_st[c] != 0 && v != 0) {
			print "case " c ": validate exited " val_st[c] ", but it is there"; bad++
		}
		want = v ? "validated" : s ? "submitted" : "draft"
		if (status[c] != want) {
			print "case " c ": status " status[c] ", its steps say " want; bad++
		}
		steps += s + v
	}
	printf "steps: %d cases tried, %d steps stored, %d problems\n",
	    length(sub_st), steps, bad
	exit bad > 0
}' "$T/steps" "$L/submit.log" "$L/validate.log" >"$T/wf"
tap_result $? "mixed: every workflow step that exited 0 is stored, no failed one"
sed 's/^/# /' "$T/wf" | tail -13

# Accounts: added (exit 0) is there, with the roles of its last known
# change; a failed add leaves no account.
ncenctl -d "$M" user list >"$T/users" 2>&1
awk '
FILENAME == ARGV[1] { roles[$1] = $2; next }
FILENAME == ARGV[2] { add_st["u" $1] = $4; add_k["u" $1] = $5; next }
FILENAME == ARGV[3] { mod_st["u" $1] = $4; mod_k["u" $1] = $5; next }
END {
	for (u in add_st) {
		r = u in roles ? roles[u] : "absent"
		if (add_k[u] == 0 && add_st[u] != 0) want = "absent"
		else if (!(u in mod_st)) want = add_k[u] ? "absent|officer" : "officer"
		else if (mod_k[u]) want = "officer|officer,supervisor"
		else if (mod_st[u] == 0) want = "officer,supervisor"
		else want = "officer"
		if (r !~ "^(" want ")$") {
			printf "%s: %s, expected %s\n", u, r, want; bad++
		}
		if (r != "absent") there++
	}
	printf "accounts: %d tried, %d there, %d problems\n", length(add_st), there, bad
	exit bad > 0
}' "$T/users" "$L/useradd.log" "$L/usermod.log" >"$T/acc"
tap_result $? "mixed: every account and role change that exited 0 is stored, no failed one"
sed 's/^/# /' "$T/acc" | tail -13

# Attachments: the record and its file.
awk '
/^record / { ent = $2; cap = sha = ""; next }
!/^field / { ent = ""; next }
ent == "attachment" && $2 == "caption" { cap = $3 }
ent == "attachment" && $2 == "sha256" { sha = $3 }
ent == "attachment" && cap != "" && sha != "" { print cap, sha; cap = sha = "" }
' "$T/m.dump" | sort >"$T/att-there"
awk -v dir="$M/attachments" '
FILENAME == ARGV[1] { k = $1; sub(/MIXATT-/, "", k); n[k]++; sha[k] = $2; next }
{
	k = $1
	if (n[k] > 1) { print "attachment " k " is there " n[k] " times"; bad++ }
	if ($5 == 0 && $4 == 0 && !n[k]) { print "attachment " k " exited 0, no record"; bad++ }
	if ($5 == 0 && $4 != 0 && n[k]) { print "attachment " k " exited " $4 ", but it is there"; bad++ }
	if (n[k]) {
		f = dir "/" substr(sha[k], 1, 2) "/" sha[k]
		if (system("test -f " f) != 0) { print "attachment " k ": no file " f; bad++ }
		there++
	}
	tried++
}
END {
	printf "attachments: %d tried, %d there, %d problems\n", tried, there, bad
	exit bad > 0
}' "$T/att-there" "$L/attach.log" >"$T/att"
tap_result $? "mixed: every attachment that exited 0 is stored with its file, no failed one"
sed 's/^/# /' "$T/att" | tail -13

# The session: every save it showed is stored, at least at that version.
pv=$(awk '/^record person 1 / { print $4 }' "$T/m.dump")
pg=$(awk '/^record / { p = ($2 == "person" && $3 == 1) }
	p && $2 == "given_names" { sub(/^field given_names /, ""); print }' "$T/m.dump")
saves=$(grep -c '^save ' "$L/session.txt")
lastk=$(awk '$1 == "save" && $2 ~ /^[0-9]+$/ { k = $2 } END { print k + 0 }' "$L/session.txt")
lastv=$(awk '$1 == "save" { v = $3 } END { print v + 0 }' "$L/session.txt")
triedk=$(awk '$1 == "try" { k = $2 } END { print k + 0 }' "$L/session.txt")
pk=${pg#Edit }
[ "$saves" -gt 0 ] && [ "${pv:-0}" -ge "$lastv" ] && [ "$pg" != "$pk" ] &&
    [ "$pk" -ge "$lastk" ] && [ "$pk" -le "$triedk" ]
tap_result $? "mixed: the session's $saves saves are stored (last shown: Edit $lastk, version $lastv; stored: $pg, version ${pv:-none})"
awk '$1 == "save" && ($3 !~ /^[0-9]+$/ || $3 <= v) { print; bad++ } { if ($1 == "save") v = $3 }
	END { exit bad > 0 }' "$L/session.txt" >"$T/out"
tap_result $? "mixed: each save showed a newer version"
# Every session that ended before the last one ended 75 (a stall), and
# the last one signed out; none got stuck.
nses=$(grep -c '^open ' "$L/session.txt")
last=$(find "$L" -name 'ui.exit.*' | sed 's/.*\.//' | sort -n | tail -1)
sbad=0
for f in "$L"/ui.exit.*; do
	[ -e "$f" ] || continue
	st=$(cat "$f")
	[ "${f##*.}" = "$last" ] && [ "$st" = 0 ] && continue
	[ "$st" = 75 ] || sbad=$((sbad + 1))
done
stuck=$(grep -c '^lost.* exit=running' "$L/session.txt")
sbad=$((sbad + stuck))
lost=$(grep -c '^lost' "$L/session.txt")
[ "$sbad" -eq 0 ] && ! grep -q '^gave up\|did not sign out' "$L/session.txt"
tap_result $? "mixed: the session survived, or left with 75 and came back ($lost ends, $sbad of them not 75)"
if [ "$sbad" -ne 0 ]; then
	awk '/^lost/ && !/exit=75/ { p = 1; print; next } /^\| / && p { if ($0 !~ /^\| *$/) print; next } { p = 0 }' \
	    "$L/session.txt" | head -90 | sed 's/^/# /'
fi
# A session that stalled at a save kept the typing: the next sign-in
# offered it.
resumed=$(grep -c '^resumed ' "$L/session.txt")
# (None is due when the save it was at had committed: the next save
# shown is then two versions on.)
awk '$1 == "save" && missing != "" {
		if ($3 != v + 2) { print "no draft offered for " missing; bad++ }
		missing = ""
	}
	$1 == "save" { v = $3 }
	/^no draft offered/ { missing = $5 }
	$1 == "resumed" && $4 != 0 && $2 != $4 { print; bad++ }
	END { exit bad > 0 }' "$L/session.txt" >"$T/out"
tap_result $? "mixed: after each stall at a save, the next sign-in offered the typing ($resumed resumed)"
sed 's/^/# /' "$T/out" | head -5
echo "# session: $nses sign-ins, $saves saves shown of $triedk tries," \
    "longest save $(awk '$1 == "save" && $4 > m { m = $4 } END { print m + 0 }' "$L/session.txt") ms"

# Every backup that exited 0 restores, verifies, and holds each import
# whole or absent (and all those finished before it began).
nb=0 bbad=0
while read -r k _ _ st killed _ _; do
	if [ "$killed" != 0 ] || [ "$st" != 0 ]; then
		continue
	fi
	nb=$((nb + 1))
	since=$(awk -v k="$k" '$1 == k { print $2 }' "$L/backup.start")
	R=$L/r$k
	for step in "restore $L/b$k" verify "import --rollback" \
	    "dump -o $R.dump"; do
		# shellcheck disable=SC2086 # the step is words
		timeout 120 ncenctl -d "$R" $step >"$T/out" 2>&1 && continue
		bbad=$((bbad + 1))
		echo "# backup $k: $step failed:"
		grep -v 'structure ok\|checked\|^copied\|^ran ' "$T/out" |
		    head -6 | sed 's/^/#   /'
		continue 2
	done
	if ! mx_check_imports "$R.dump" "$since" >"$T/out"; then
		bbad=$((bbad + 1))
		echo "# backup $k:"
		head -8 "$T/out" | sed 's/^/#   /'
	fi
	rm -rf "$R" "$R.dump"
done <"$L/backup.log"
# (None finished when the first one met a dead process's lock: it then
# waits for its whole bound, past the storm.  Nothing to check then.)
if [ "$nb" -eq 0 ]; then
	tap_result 0 "mixed: backups that exited 0 restore # SKIP none finished this time"
else
	[ "$bbad" -eq 0 ]
	tap_result $? "mixed: each of the $nb backups that exited 0 restores, verifies, holds every import whole or absent ($bbad did not)"
fi

timeout 120 ncenctl -d "$M" verify >"$T/out" 2>&1
r=$?
tap_result $r "mixed: ncenctl verify clean"
[ $r -eq 0 ] || grep -v 'structure ok\|checked' "$T/out" | head -10 | sed 's/^/# /'
ok "mixed: ncenctl audit verify clean" timeout 120 ncenctl -d "$M" audit verify
vfail=0 nfiles=0
for f in "$M"/*.db "$M"/*.idx; do
	[ -e "$f" ] || continue
	nfiles=$((nfiles + 1))
	if ! timeout 60 db5.3_verify -h "$M" "$(basename "$f")" >"$T/out" 2>&1; then
		vfail=$((vfail + 1))
		sed "s|^|# $(basename "$f"): |" "$T/out" | head -5
	fi
done
[ "$vfail" -eq 0 ] && [ "$nfiles" -gt 0 ]
tap_result $? "mixed: db5.3_verify clean on all $nfiles database files"
