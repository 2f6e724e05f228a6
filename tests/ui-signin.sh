#!/bin/sh
# tests/ui-signin.sh - console sign-in and the idle lock, in tmux.
#
# ncen without --as asks for a user name and a password: a wrong one is
# refused in words, an administrator's password must be changed first
# (the policy's refusals shown), five failures in a row lock the
# password (audited) but not the key: the account still signs in with
# --as (what an authorized_keys line forces) while the console refuses
# it; an administrator's lock refuses both.  After a wrong password the
# next try waits the policy's delay (1 s, then 2 s...), counted down,
# in the session and in the next one.  An idle session draws nothing
# until it locks; the password unlocks it and the form under the lock
# comes back as typed; wrong passwords at the lock count, and the one
# that locks the password ends the session, its draft saved and offered
# at the next sign-in.  A session without a password (SSH keys) ends
# when idle.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE NCEN_SIGNIN_DELAY_MAX
# No delay between wrong passwords but where it is tested.
NCEN_SIGNIN_DELAY=0
export NCEN_SIGNIN_DELAY
X=$T/x
PW1=first-pass-0001
PW2=second-pass-002
PW3=third-pass-0003

ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }

# Type a line (literal text, then Enter) into a session.
line() { ui_type "$1" "$2"; ui_keys "$1" Enter; }

# Start a console ncen as session NAME (more env with -e VAR=VALUE).
console() { name=$1; shift; ui_start "$name" "$@" -- ncen -d "$X"; }

# From the main menu of NAME, a new case with DATE typed in its first field.
new_case() {
	ui_keys "$1" c
	ui_wait "$1" "Cases (" >/dev/null
	ui_keys "$1" C-n
	ui_wait "$1" "New Case" >/dev/null
	ui_type "$1" "$2"
	ui_keys "$1" Tab
}

# Sign in on session NAME as USER with PASSWORD, from the first prompt.
signin() {
	ui_wait "$1" "User name:" >/dev/null 2>&1
	line "$1" "$2"
	ui_wait "$1" "Password:" >/dev/null 2>&1
	line "$1" "$3"
}

fails_with 2 "a bad --idle is refused" ncen -d "$X" --idle soon
has "in words" "bad idle time 'soon'"
fails_with 2 "a bad NCEN_IDLE too" env NCEN_IDLE=99999999 ncen -d "$X"
has "with the range" "from 0 (never lock) to 86400"

ok "alice's account, with a first password" sh -c \
	"echo $PW1 | ncenctl -d '$X' user add alice --roles officer \
	--password-stdin"

# A wrong password, then the right one: the forced change.
console s1
ui_see s1 "the console asks for a user name" "User name:"
has "it says what to do" "Type your user name, then your password"
signin s1 alice not-her-password
ui_see s1 "a wrong password is refused in words" \
	"Refused: wrong user name or password."
signin s1 alice "$PW1"
ui_see s1 "a password an administrator set must be changed" \
	"Change your password"
has "the rule is shown" "At least 12 characters"
line s1 short; line s1 short
ui_see s1 "a short password is refused with the reason" \
	"the password is too short"
line s1 "$PW2"; line s1 "${PW2}x"
ui_see s1 "two different passwords are refused" "The two passwords differ"
line s1 "alice-$PW2"; line s1 "alice-$PW2"
ui_see s1 "one that contains the user name is refused" \
	"contains the user name"
line s1 "$PW2"; line s1 "$PW2"
ui_see s1 "the changed password leads to the main menu" "Main menu"
has "signed in as alice" "Signed in as alice."
ui_keys s1 C-x
ui_gone s1
tap_result $? "^X at the main menu signs out"

ok "the change is audited" ncenctl -d "$X" audit show --user alice \
	--action account.password
has "changed by its user" "changed by its user"

# The new password signs in without a change.
console s2
signin s2 alice "$PW2"
ui_see s2 "the new password goes straight to the main menu" "Main menu"
! grep -q "Change your password" "$T/out"
tap_result $? "no change asked this time"
ui_keys s2 C-x
ui_gone s2

# An administrator's reset forces a change again.
ok "an administrator resets the password" sh -c \
	"echo $PW1 | ncenctl -d '$X' user passwd alice"
console s3
signin s3 alice "$PW2"
ui_see s3 "the old password no longer works" "Refused: wrong user name"
signin s3 alice "$PW1"
ui_see s3 "the reset password forces a change" "Change your password"
line s3 "$PW3"; line s3 "$PW3"
ui_see s3 "then the main menu" "Main menu"
ui_keys s3 C-x
ui_gone s3

# Five failures lock bob: three on one console, two on the next.
ok "bob's account" sh -c "echo $PW1 | ncenctl -d '$X' user add bob \
	--roles officer --password-stdin"
console s4
for i in 1 2 3; do
	signin s4 bob "wrong-$i"
	[ $i -lt 3 ] && ui_wait s4 "Refused: wrong" >/dev/null
done
ui_gone s4
tap_result $? "three refusals end the console session"
ui_see s4 "it says so" "3 sign-ins failed; the last: wrong user name"
console s5
signin s5 bob wrong-4
ui_wait s5 "Refused: wrong" >/dev/null
signin s5 bob wrong-5
ui_wait s5 "User name:" >/dev/null
signin s5 bob "$PW1"
ui_gone s5
ui_see s5 "after five failures even the right password is refused" \
	"the last: the password of 'bob' is locked until"
console s5b
signin s5b bob "$PW1"
ui_see s5b "a locked password cannot sign in on the console" \
	"Refused: the password of 'bob' is locked until"
has "the whole reason is shown, over two rows" "failed sign-ins."
ui_keys s5b C-x
ui_gone s5b
ok "the failures are audited" ncenctl -d "$X" audit show --user bob \
	--action signin.fail
[ "$(grep -c 'signin.fail' "$T/out")" -eq 5 ]
tap_result $? "five failures in the log"
ok "the lock is audited" ncenctl -d "$X" audit show --user bob \
	--action account.lock
has "after five failed sign-ins" "after 5 failed sign-ins"
has "it is the password's lock" "password locked for 900 seconds"
ok "ncenctl user list after the failures" ncenctl -d "$X" user list
grep -q "^bob  *officer  offices=all  password-locked until 20[0-9T:Z-]*  must-change-password  failures=5$" "$T/out"
tap_result $? "bob's password is locked, after five failures"
! grep "^bob " "$T/out" | grep -q "  locked"
tap_result $? "bob's account is not (no administrator's lock)"

# The key is another credential: the password's lock leaves it alone.
ui_start s5c -- ncen -d "$X" --as bob --idle 0
ui_see s5c "with the password locked, bob still signs in with --as" \
	"Signed in as bob."
has "to the main menu" "Main menu"
ui_keys s5c C-x
ui_gone s5c
tap_result $? "and signs out"
ok "the key sign-in is audited" ncenctl -d "$X" audit show --user bob \
	--action signin.key
has "as a key sign-in" "signin.key account:bob"
console s5d
signin s5d bob "$PW1"
ui_see s5d "the key sign-in did not unlock the password" \
	"Refused: the password of 'bob' is locked until"
ui_keys s5d C-x
ui_gone s5d
ok "ncenctl user list after the key sign-in" ncenctl -d "$X" user list
grep -q "^bob .*password-locked until .*failures=5" "$T/out"
tap_result $? "the password is still locked, its failures kept"

# An administrator's lock refuses both.
ok "an administrator locks bob" ncenctl -d "$X" user lock bob
ok "ncenctl user list shows both locks" ncenctl -d "$X" user list
grep -q "^bob .*offices=all  locked  password-locked until " "$T/out"
tap_result $? "locked, and password-locked until"
fails_with 1 "an account an administrator locked cannot sign in with --as" \
	ncen -d "$X" --as bob
has "ncen says why" "account 'bob' is locked by an administrator"
console s5e
signin s5e bob "$PW1"
ui_see s5e "nor on the console" \
	"Refused: account 'bob' is locked by an administrator."
ui_keys s5e C-x
ui_gone s5e
ok "unlock bob" ncenctl -d "$X" user unlock bob
ok "ncenctl user list after the unlock" ncenctl -d "$X" user list
grep -q "^bob  *officer  offices=all  must-change-password$" "$T/out"
tap_result $? "no lock and no failures left"
console s5f
signin s5f bob "$PW1"
ui_see s5f "the unlock frees the password too" "Change your password"
ui_keys s5f C-x
ui_gone s5f
ok "the audit log verifies" ncenctl -d "$X" audit verify

# After a wrong password the next try waits, doubling: 1 s, then 2 s.
ok "erin's account" sh -c "echo $PW1 | ncenctl -d '$X' user add erin \
	--roles officer --password-stdin"
now() { date +%s%N | cut -c1-13; }	# milliseconds
console sd -e NCEN_SIGNIN_DELAY=1 -e NCEN_SIGNIN_DELAY_MAX=2
signin sd erin wrong-1
t0=$(now)
ui_see sd "a wrong password is refused" "Refused: wrong user name or"
has "and the next try counted down" "The next try in 1 s..."
ui_wait sd "User name:" >/dev/null
t1=$(now)
[ $((t1 - t0)) -ge 1000 ]
tap_result $? "the next try is asked after 1 s ($((t1 - t0)) ms)"
signin sd erin wrong-2
t0=$(now)
ui_see sd "the second wrong password doubles the wait" "The next try in 2 s"
ui_wait sd "User name:" >/dev/null
t1=$(now)
[ $((t1 - t0)) -ge 2000 ]
tap_result $? "the next try is asked after 2 s ($((t1 - t0)) ms)"
ui_tmux kill-session -t sd

# The delay is the account's: a new console does not start afresh.  Two
# wrong passwords ask 6 s under this policy, a few of them gone.
console se -e NCEN_SIGNIN_DELAY=3 -e NCEN_SIGNIN_DELAY_MAX=6
signin se erin "$PW1"
ui_see se "even the right password, too soon in another session, is refused" \
	"Refused: too many wrong passwords in a row: try again in"
ui_see se "and that session waits the rest" "The next try in"
ok "the early try is audited, not counted" ncenctl -d "$X" audit show \
	--user erin --action signin.
has "as refused too soon" "too soon after 2 wrong ones in a row"
[ "$(grep -c 'signin.fail' "$T/out")" -eq 2 ]
tap_result $? "two failures in the log, not three"
signin se erin "$PW1"
ui_see se "after the wait the right password signs in" "Change your password"
ui_tmux kill-session -t se

# The idle lock over a new case with typing in it: nothing drawn while
# idle, then the lock screen; the password brings the form back as it was.
console s6 -e NCEN_IDLE=3
signin s6 alice "$PW3"
ui_see s6 "signed in with a 3 s idle lock" "Main menu"
new_case s6 2026-11-20
ui_see s6 "a date typed in a new case" "Local time at the office"
ui_tmux pipe-pane -t s6 -o "cat >>'$T/idle.bytes'"
: >>"$T/idle.bytes"
sleep 1.5
[ ! -s "$T/idle.bytes" ]
tap_result $? "an idle session sends no bytes before the lock"
ui_see s6 "the idle session locks" "This session is locked"
has "it says who must unlock it" "Signed in as alice."
! grep -q "2026-11-20" "$T/out"
tap_result $? "the lock covers the form"
[ -s "$T/idle.bytes" ]
tap_result $? "the lock screen was drawn"
line s6 not-her-password
ui_see s6 "a wrong password is refused at the lock" \
	"Refused: wrong user name or password."
line s6 "$PW3"
ui_see s6 "the password unlocks" "New Case"
has "the typing is back" "Date of the event[2026-11-2"
! grep -q "locked" "$T/out"
tap_result $? "no trace of the lock screen"
ui_type s6 10:15	# in the time field, not left: only in memory
ui_see s6 "a time typed, and left idle again" "This session is locked"
ui_tmux kill-session -t s6	# a hang-up at the lock screen
ui_start s6b -- ncen -d "$X" --as alice --idle 0
ui_see s6b "the next sign-in offers the draft" "Unsaved drafts"
ui_keys s6b Enter
ui_see s6b "the time typed before the hang-up at the lock was saved" \
	"Time of the event[10:15"
ui_tmux kill-session -t s6b

# Wrong passwords at the lock lock the account and end the session; the
# draft it leaves is offered at the next sign-in.
ok "dora signs in by key and has a password" sh -c "echo $PW1 |
	ncenctl -d '$X' user add dora --roles officer --password-stdin"
ui_start s7 -e NCEN_IDLE=2 -- ncen -d "$X" --as dora
ui_wait s7 "Main menu" >/dev/null
new_case s7 2026-11-21
ui_see s7 "dora types a date in a new case" "Local time at the office"
ui_see s7 "her idle session locks" "This session is locked"
for i in 1 2 3 4 5; do
	line s7 "wrong-$i"	# typed ahead: each waits for the one before
done
ui_gone s7 30
tap_result $? "five wrong passwords at the lock end the session"
ui_see s7 "it says the password is locked and the draft saved" \
	"the password of 'dora' is locked until"
has "and that the typing was saved" "your typing was saved as a draft"
ok "unlock dora" ncenctl -d "$X" user unlock dora
ui_start s9 -- ncen -d "$X" --as dora --idle 0
ui_see s9 "her next sign-in offers the draft" "Unsaved drafts"
has "the new case" "Case, new"
ui_keys s9 Enter
ui_see s9 "resuming it brings the typing back" "Date of the event[2026-11-2"
ui_tmux kill-session -t s9

# An SSH session (no password) ends when idle, saying so.
ok "carol has no password (SSH keys only)" ncenctl -d "$X" user add carol \
	--roles analyst
ui_start s8 -e NCEN_IDLE=2 -- ncen -d "$X" --as carol
ui_see s8 "carol is signed in by --as" "Signed in as carol."
ui_gone s8 5
tap_result $? "her idle session ends"
ui_see s8 "it says why" "the session was idle for 2 seconds"

ok "the audit log still verifies" ncenctl -d "$X" audit verify
finish
