#!/bin/sh
# tests/ui-server.sh - sessions through the session server: `ncen
# --server -d DIR` runs, and each `ncen` in tmux is a small client that
# hands its terminal to a session the server forks.  A session signs in,
# stores a person (checked with ncenctl), is resized and keeps its
# typing, is hung up (tmux kill-session) or terminated or loses its
# client (kill -9) and keeps its draft; the client ends with ncen's
# status (0, 1, 2).  A bad message and another uid are refused in words
# and the server goes on; changed forms are parsed again, broken ones
# refused; a session outlives the server, and without one ncen runs as
# before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"
command -v db5.3_dump >/dev/null 2>&1 || skip_all "db5.3_dump is not installed"
command -v pgrep >/dev/null 2>&1 || skip_all "pgrep is not installed"
PY=/usr/bin/python3
[ -x $PY ] || skip_all "python3 is not installed"

D=$T/data
ncenctl -d "$D" init --forms "$top_builddir/forms" >/dev/null 2>&1 &&
ncenctl -d "$D" demo --cases 10 --seed 1 >/dev/null 2>&1 &&
ncenctl -d "$D" user add alice --roles officer >/dev/null 2>&1 &&
ncenctl -d "$D" user add bob --roles officer >/dev/null 2>&1 &&
ncenctl -d "$D" user add carol --roles officer >/dev/null 2>&1 ||
	{ echo "Bail out! cannot make the demo data directory"; exit 1; }

drafts() { db5.3_dump -p -h "$D" drafts.db >"$T/out" 2>&1; }
# Wait up to 10 s for process $1 to end.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}
# The server's sessions, one pid a line.
sessions() { pgrep -P "$spid" || :; }
nsessions() { sessions | wc -l | tr -d ' '; }
# The pid of the client (ncen) that tmux session $1's shell runs.
client_of() { pgrep -P "$(ui_tmux display-message -p -t "$1" '#{pane_pid}')"; }
# ncen's status, written by the shell, and its stderr in $T/err.NAME
# (passed to the session like the terminal; a pane that dies at once
# may not show what was written last): run_ncen NAME -- ARGS.
run_ncen() {
	rn=$1; shift 2
	# shellcheck disable=SC2016 # $1 is sh's
	ui_start "$rn" -- sh -c 'f=$1; shift; ncen "$@" 2>"$f.err"; echo $? >"$f"' \
		sh "$T/exit.$rn" "$@"
}
exit_of() { cat "$T/exit.$1" 2>/dev/null || echo none; }
wait_status() {
	i=0
	while [ ! -s "$T/exit.$1" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(exit_of "$1")" = "$2" ]
}
# Start the server; wait until it answers.
start_server() {
	ncen --server -d "$D" 2>>"$T/server.log" &
	spid=$!
	i=0
	until grep -q "serving $D" "$T/server.log" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt 400 ] || return 1
	done
}
spid=
tap_cleanup="${tap_cleanup:+$tap_cleanup; }"'[ -z "$spid" ] || kill "$spid" 2>/dev/null'

ok "ncen --server -d DIR starts" start_server
sock_ok() { [ -S "$D/session.sock" ] && [ "$(stat -c %a "$D/session.sock")" = 600 ]; }
ok "it listens on DIR/session.sock, mode 0600" sock_ok
fails_with 2 "a second server on the same directory is refused" \
	ncen --server -d "$D"
has "in words" "a session server already answers there"
ok "the first server goes on" kill -0 "$spid"

# 1. A session through the server: a person stored, a resize.
run_ncen A -- -d "$D" --as alice
ui_see A "a session through the server shows the main menu" "Main menu"
one() { [ "$(nsessions)" = 1 ]; }
ok "the session is the server's child" one
asession=$(sessions)
ui_keys A p
ui_see A "the persons list" "Persons ("
ui_keys A C-n
ui_see A "a new person" "New Person"
ui_type A "Zedkowski"
ui_wait A "Zedkowski" >/dev/null
ui_tmux resize-window -t A -x 100 -y 40
ui_see A "resized: redrawn at 100x40" "Zedkowski"
rows40() { ui_screen A; [ "$(wc -l <"$T/out")" -eq 40 ] && grep -q "Save" "$T/out" &&
	[ "$(sed -n 40p "$T/out" | grep -c Save)" -eq 1 ]; }
ok "the key line moved to row 40" rows40
ui_tmux resize-window -t A -x 80 -y 24
ui_wait A "Zedkowski" >/dev/null
rows24() { ui_screen A; [ "$(wc -l <"$T/out")" -eq 24 ] && sed -n 24p "$T/out" | grep -q Save; }
ok "back at 80x24, the typing kept" rows24
ui_keys A Tab
ui_type A "Anna"
ui_keys A C-w
ui_see A "saved" "version 1, changed"
ncenctl -d "$D" export person >"$T/out" 2>&1
has "ncenctl finds the person stored" ",Zedkowski,Anna,"
k=0		# (ui_wait counts in i)
until ui_wait A "Main menu" 1 2>/dev/null || [ $k -ge 4 ]; do
	ui_keys A C-x
	k=$((k + 1))
done
ui_see A "back at the main menu" "Main menu"
ui_keys A C-x
ok "signing out: the client exits 0" wait_status A 0
ok "and the session is gone" wait_exit "$asession"

# 2. Hung up (tmux kill-session): the draft is kept, as directly.
ui_start B -- ncen -d "$D" --as alice
ui_see B "a second session" "Main menu"
bsession=$(sessions)
ui_keys B p
ui_see B "its persons list" "Persons ("
ui_keys B C-n
ui_see B "a new person" "New Person"
ui_type B "Hangup"
ui_wait B "Hangup" >/dev/null
ui_tmux kill-session -t B
ok "the hang-up ends the session" wait_exit "$bsession"
drafts
has "drafts.db has the person typed before the hang-up" "Hangup"

# 3. SIGTERM to the client ends the session the same way, status 0.
run_ncen C -- -d "$D" --as alice
ui_see C "the draft is offered" "Person, new, started"
ui_keys C Enter
ui_see C "resumed with the typing" "Hangup"
ui_type C "Term"
ui_wait C "HangupTerm" >/dev/null
kill -TERM "$(client_of C)"
ok "SIGTERM to the client: it exits 0 as ncen does" wait_status C 0
drafts
has "the draft has what was typed since" "HangupTerm"

# 4. A client killed outright: its session hangs up, draft kept.
run_ncen E -- -d "$D" --as bob
ui_see E "bob's session" "Main menu"
esession=$(sessions)
ui_keys E p
ui_see E "bob's persons list" "Persons ("
ui_keys E C-n
ui_see E "bob's new person" "New Person"
ui_type E "Killed"
ui_wait E "Killed" >/dev/null
kill -KILL "$(client_of E)"
ok "kill -9 of the client ends its session" wait_exit "$esession"
drafts
has "the session kept bob's typing as a draft" "Killed"

# 5. Statuses: 1 for a locked account (the message on the terminal).
ncenctl -d "$D" user lock bob >/dev/null 2>&1
run_ncen F -- -d "$D" --as bob
ok "a locked account: the client exits 1" wait_status F 1
cp "$T/exit.F.err" "$T/out"
has "the session said why on ncen's stderr" "locked by an administrator"
ncenctl -d "$D" user unlock bob >/dev/null 2>&1
# A socket that leads to this server from another directory.
mkdir "$T/other" && ln -s "$D/session.sock" "$T/other/session.sock"
run_ncen G -- -d "$T/other" --as bob
ok "another data directory: exit 2" wait_status G 2
cp "$T/exit.G.err" "$T/out"
has "in words" "is not the data directory of the session server that answered"

# 6. Bad messages and another uid: refused in words, the server goes on.
cat >"$T/bad.py" <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
if sys.argv[2] == "nofds":
    try:
        s.send(b"hello")
    except OSError:
        pass    # refused before it was read: the answer is queued
elif sys.argv[2] == "greeting":
    d = os.open("/dev/null", os.O_RDWR)
    socket.send_fds(s, [b"GET / HTTP/1.0\r\n\r\n"], [d, d, d, d])
elif sys.argv[2] == "entry":
    d = os.open("/dev/null", os.O_RDWR)
    socket.send_fds(s, [b"ncen-session 1\0Ancen\0EPATH=/tmp\0"], [d, d, d, d])
s.settimeout(10)
print(s.recv(512).decode())
EOF
$PY "$T/bad.py" "$D/session.sock" nofds >"$T/out" 2>&1
has "a message without descriptors is refused" "refused a message without the 4 descriptors"
$PY "$T/bad.py" "$D/session.sock" greeting >"$T/out" 2>&1
has "a message with another greeting is refused" "refused not a message from ncen"
$PY "$T/bad.py" "$D/session.sock" entry >"$T/out" 2>&1
has "a variable a session does not take is refused" "neither an argument nor a passed variable"
cp "$T/server.log" "$T/out"
has "the server's log says so" "refused: not a message from ncen"
ok "the server goes on" kill -0 "$spid"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	# The directory (0700) is the first wall; opened here for the test.
	chmod 711 "$T" "$D" && chmod 666 "$D/session.sock"
	setpriv --reuid 65534 --regid 65534 --clear-groups \
		$PY "$T/bad.py" "$D/session.sock" nofds >"$T/out" 2>&1
	chmod 700 "$T" "$D" && chmod 600 "$D/session.sock"
	has "another uid is refused" "refused user 65534 is not the server's user"
else
	tap_result 0 "another uid is refused # SKIP not root"
fi
run_ncen H -- -d "$D" --as carol
ui_see H "after the refusals a session starts" "Main menu"
ui_keys H C-x
ok "and ends with status 0" wait_status H 0

# 7. Changed forms are parsed again; broken ones refused.
cp "$D/forms/sex.codes" "$T/sex.codes"
echo "# changed" >>"$D/forms/sex.codes"
run_ncen I -- -d "$D" --as carol
ui_see I "changed forms: a session starts" "Main menu"
ui_keys I C-x
wait_status I 0
cp "$T/server.log" "$T/out"
has "the server parsed them again" "the forms changed: parsed again"
echo "this is not a code line" >>"$D/forms/sex.codes"
run_ncen J -- -d "$D" --as carol
ok "broken forms: the client exits 2" wait_status J 2
cp "$T/exit.J.err" "$T/out"
has "it says the forms do not load" "refused: the forms do not load: "
has "where" "sex.codes:9:"
cp "$T/sex.codes" "$D/forms/sex.codes"

# 8. The server stops; a running session goes on; then ncen runs alone.
run_ncen K -- -d "$D" --as carol
ui_see K "a session before the server stops" "Main menu"
ksession=$(sessions)
kill -TERM "$spid"
ok "the server stops on SIGTERM" wait_exit "$spid"
spid=
ok "the session goes on" kill -0 "$ksession"
ui_keys K p
ui_see K "and answers keys" "Persons ("
ui_keys K C-x
ui_see K "back at its menu" "Main menu"
ui_keys K C-x
ok "signing out without a server: status 0 still" wait_status K 0
gone() { [ ! -e "$D/session.sock" ]; }
ok "the socket is gone" gone
run_ncen L -- -d "$D" --as carol
ui_see L "without a server ncen runs the full program" "Main menu"
direct() { [ "$(cat "/proc/$(client_of L)/comm")" = ncen-session ]; }
ok "itself (ncen-session, no client left)" direct
ui_keys L C-x
ok "and exits 0" wait_status L 0

finish
