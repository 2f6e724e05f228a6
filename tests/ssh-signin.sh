#!/bin/sh
# ssh-signin.sh - a real sshd on a loopback port with its own
# configuration: an officer's key line written by `ncenctl user key add`
# runs `ncen --as USER` whatever the client asks for (a shell, another
# command); five wrong passwords on the console lock the password but
# not the key, which still signs in; an administrator's lock and a
# removed key are refused.  The service account is the user running the
# test.
#
# ncen is a curses program: the sessions that get a terminal run ssh -tt
# inside tmux (ui-lib.sh) and the test reads ncen's screen; a command
# asked for without a terminal gets ncen's "needs a terminal", which
# proves it was ncen that ran and not the command.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_SIGNIN_DELAY_MAX
NCEN_SIGNIN_DELAY=0	# no wait between the wrong passwords typed below
export NCEN_SIGNIN_DELAY
F=$top_builddir/forms
X=$T/x
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || SSHD=$(command -v sshd 2>/dev/null)
if [ -z "$SSHD" ] || [ ! -x "$SSHD" ]; then
	skip_all "sshd is not installed (sh .ci/deps test)"
fi
command -v ssh >/dev/null 2>&1 || skip_all "ssh is not installed"
me=$(id -un)
shell=$(getent passwd "$me" | cut -d: -f7)
case "$shell" in
*nologin|*false|"")
	skip_all "the service account $me has no login shell ($shell)" ;;
esac

# A free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p /run/sshd 2>/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$T/host" </dev/null || exit 1
ssh-keygen -q -t ed25519 -N '' -f "$T/alice" </dev/null || exit 1
ssh-keygen -q -t ed25519 -N '' -f "$T/eve" </dev/null || exit 1
AK=$T/authorized_keys
# A line someone else wrote: ncenctl must leave it alone.
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo admin@laptop" >"$AK"
cat >"$T/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $T/host
PidFile $T/sshd.pid
AuthorizedKeysFile $AK
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AcceptEnv LANG LC_*
CONF
ok "the sshd configuration is valid" "$SSHD" -t -f "$T/sshd_config"

"$SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
sshd_pid=$!
# shellcheck disable=SC2016 # expanded by lib.sh's trap
tap_cleanup="$tap_cleanup"'; kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null'
i=0
until grep -q "Server listening" "$T/sshd.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 50 ] || ! kill -0 "$sshd_pid" 2>/dev/null; then
		sed 's/^/# /' "$T/sshd.log"
		echo "Bail out! sshd did not start"
		exit 1
	fi
	sleep 0.1
done

# ssh as the service account with a key; the rest of the arguments go
# to the server as the command.
# shellcheck disable=SC2317 # called through ok and fails_with
s() {
	key=$1; shift
	timeout 20 ssh -p "$port" -i "$key" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$T/known_hosts" -o LogLevel=ERROR \
		"$@"
}
H="$me@127.0.0.1"

# The same with a terminal, in tmux session NAME: tty NAME KEY ARGS...
tty() {
	name=$1; key=$2; shift 2
	ui_start "$name" -- ssh -tt -p "$port" -i "$key" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$T/known_hosts" -o LogLevel=ERROR \
		"$@"
}

# ncen's screen came up as alice in NAME; leave it with ^X.
ncen_as_alice() {
	ui_see "$1" "$2" "Signed in as alice." 20
	has "$3" "Main menu"
	ui_keys "$1" C-x
	ui_gone "$1"
	tap_result $? "^X ends ncen and the connection"
}

ok "init" sh -c "umask 022; mkdir '$X' && ncenctl -d '$X' init --forms '$F'"
[ "$(stat -c %a "$X")" = 700 ]
tap_result $? "the data directory is the service account's alone (0700)"
[ -z "$(find "$X" -type f -perm /077)" ]
tap_result $? "and so is every file in it (0600)"
ok "an officer account" ncenctl -d "$X" user add alice --roles officer
ok "her key goes into authorized_keys" ncenctl -d "$X" user key add \
	alice "$T/alice.pub" --authorized-keys "$AK" \
	--ncen "$top_builddir/src/ncen"
grep -q "admin@laptop" "$AK"
tap_result $? "the line ncenctl did not write is still there"

tty s1 "$T/alice" "$H"
ncen_as_alice s1 "signing in with her key runs ncen as alice" \
	"the main menu is shown"
fails_with 1 "asking for a command without a terminal still runs ncen" \
	s "$T/alice" "$H" cat /etc/passwd
has "ncen ran (it needs a terminal), not cat" "ncen needs a terminal"
! grep -q "root:x:0:0" "$T/out"
tap_result $? "the file was not shown"
tty s2 "$T/alice" "$H" cat /etc/passwd
ncen_as_alice s2 "the same command with a terminal gets ncen's screen" \
	"ncen, not cat"
! grep -q "root:x:0:0" "$T/out"
tap_result $? "the file was not shown there either"
tty s3 "$T/alice" "$H" /bin/sh -i
ncen_as_alice s3 "asking for a shell with a terminal still runs ncen" \
	"ncen, not a shell"
ok "ncen's sign-ins are audited" ncenctl -d "$X" audit show \
	--user alice --action signin.key
[ "$(grep -c 'signin.key account:alice' "$T/out")" -eq 4 ]
tap_result $? "four key sign-ins"

fails_with 255 "a key with no line is refused" s "$T/eve" "$H"

# Someone at a console types five wrong passwords for alice: her
# password locks, her key does not.
PW=her-first-pw-0001
ok "alice gets a password too" sh -c "echo $PW | ncenctl -d '$X' user \
	passwd alice"
# Sign in on the console of tmux session NAME as alice with PASSWORD.
console() {
	ui_wait "$1" "User name:" >/dev/null
	ui_type "$1" alice; ui_keys "$1" Enter
	ui_wait "$1" "Password:" >/dev/null
	ui_type "$1" "$2"; ui_keys "$1" Enter
}
ui_start c1 -- ncen -d "$X"
for i in 1 2 3; do
	console c1 "wrong-$i"
	[ $i -lt 3 ] && ui_wait c1 "Refused: wrong" >/dev/null
done
ui_gone c1
tap_result $? "three wrong passwords end a console"
ui_start c2 -- ncen -d "$X"
console c2 wrong-4
ui_wait c2 "Refused: wrong" >/dev/null
console c2 wrong-5
ui_wait c2 "Refused: wrong" >/dev/null
console c2 "$PW"
ui_gone c2
ui_see c2 "the fifth locked her password: the right one is refused" \
	"the last: the password of 'alice' is locked until"
ok "ncenctl user list" ncenctl -d "$X" user list
grep -q "^alice .*offices=all  password-locked until .*failures=5$" "$T/out"
tap_result $? "her password is locked after five failures"
! grep "^alice " "$T/out" | grep -q "  locked"
tap_result $? "her account is not"
tty s4 "$T/alice" "$H"
ncen_as_alice s4 "her key still signs her in over SSH" \
	"to the main menu"
ui_start c3 -- ncen -d "$X"
console c3 "$PW"
ui_see c3 "the console still refuses her right password" \
	"Refused: the password of 'alice' is locked until"
ui_tmux kill-session -t c3
ok "ncenctl user list after the key" ncenctl -d "$X" user list
grep -q "^alice .*password-locked until .*failures=5$" "$T/out"
tap_result $? "the key sign-in left the password's lock alone"

ok "an administrator locks alice" ncenctl -d "$X" user lock alice
fails_with 1 "a locked account is refused" s "$T/alice" "$H"
has "ncen says why" "account 'alice' is locked by an administrator"
ui_start c4 -- ncen -d "$X"
console c4 "$PW"
ui_see c4 "the console refuses her as well" \
	"Refused: account 'alice' is locked by an administrator."
ui_tmux kill-session -t c4
ok "ncenctl user list while locked" ncenctl -d "$X" user list
grep -q "^alice .*offices=all  locked  password-locked until " "$T/out"
tap_result $? "both locks are listed"
ok "unlock alice" ncenctl -d "$X" user unlock alice
ok "ncenctl user list after the unlock" ncenctl -d "$X" user list
grep -q "^alice .*offices=all  must-change-password$" "$T/out"
tap_result $? "no lock and no failure left"
ok "the sign-ins are audited" ncenctl -d "$X" audit show --user alice
[ "$(grep -c 'signin.fail account:alice' "$T/out")" -eq 5 ] &&
	[ "$(grep -c 'signin.key account:alice' "$T/out")" -eq 5 ] &&
	grep -q "account.lock account:alice password locked" "$T/out"
tap_result $? "five failures, the password's lock, five key sign-ins"
ok "remove her key" ncenctl -d "$X" user key del alice "$T/alice.pub" \
	--authorized-keys "$AK"
fails_with 255 "a removed key is refused" s "$T/alice" "$H"
grep -q "admin@laptop" "$AK"
tap_result $? "the other line survived the removal"
ok "the audit log verifies" ncenctl -d "$X" audit verify

finish
