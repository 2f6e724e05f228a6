# tests/ui-lib.sh - drive the real ncen in tmux (source after lib.sh).
#
# Each script gets a private tmux server on a socket in $T, started with
# -f /dev/null and LC_ALL=C.UTF-8 (the server takes UTF-8 mode from its
# own locale), killed on exit.  ui_start runs a command in a new window
# of SIZE (default 80x24) with TERM (default vt100); ui_keys types
# (tmux key names, or -l for literal text); ui_wait polls the screen for
# a fixed string (no fixed sleeps); ui_screen saves the screen to $T/out
# so that lib.sh's `has` can look at it.
#
#   ui_start NAME [-x COLS] [-y LINES] [-t TERM] [-e VAR=VALUE]... -- CMD...
#   ui_keys NAME KEY...            ui_type NAME TEXT (literal)
#   ui_wait NAME STRING [SECONDS]  (0 when seen; the screen is in $T/out)
#   ui_gone NAME [SECONDS]         (0 when the window's program ended)
#   ui_screen NAME                 (the screen into $T/out)

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
UI_SOCK=$T/tmux.sock
export LC_ALL=C.UTF-8
ui_tmux() { tmux -S "$UI_SOCK" -f /dev/null "$@"; }
tap_cleanup="${tap_cleanup:+$tap_cleanup; }tmux -S '$UI_SOCK' kill-server 2>/dev/null"

# Start CMD in a new tmux session NAME; the pane stays after it exits.
ui_start() {
	name=$1; shift
	cols=80; lines=24; term=vt100; envs=
	while [ $# -gt 0 ]; do
		case $1 in
		-x) cols=$2; shift 2 ;;
		-y) lines=$2; shift 2 ;;
		-t) term=$2; shift 2 ;;
		-e) envs="$envs $2"; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2086 # envs is a list of VAR=VALUE words
	ui_tmux new-session -d -s "$name" -x "$cols" -y "$lines" \
		env TERM="$term" $envs "$@" &&
	ui_tmux set-option -t "$name" remain-on-exit on >/dev/null
}

ui_keys() { name=$1; shift; ui_tmux send-keys -t "$name" "$@"; }
ui_type() { ui_tmux send-keys -t "$1" -l -- "$2"; }
ui_screen() { ui_tmux capture-pane -p -t "$1" >"$T/out" 2>&1; }

# Wait up to SECONDS (default 10) for STRING on the screen.
ui_wait() {
	name=$1; want=$2; secs=${3:-10}
	i=0
	while [ $i -lt $((secs * 20)) ]; do
		ui_screen "$name"
		grep -qF -- "$want" "$T/out" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# waited $secs s for: $want" >&2
	return 1
}

# Wait for the program in NAME's pane to end.
ui_gone() {
	name=$1; secs=${2:-10}
	i=0
	while [ $i -lt $((secs * 20)) ]; do
		[ "$(ui_tmux display-message -p -t "$name" '#{pane_dead}')" = 1 ] &&
			return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# ok-style check that STRING shows within SECONDS: ui_see NAME TESTNAME STRING.
ui_see() {
	if ui_wait "$1" "$3" "${4:-10}" 2>/dev/null; then
		tap_result 0 "$2"
	else
		tap_result 1 "$2"
		echo "# wanted on screen: $3"
		sed 's/^/# | /' "$T/out"
	fi
}

# Wait until the screen stops changing (0.3 s unchanged, 10 s at most):
# a screen read just after its title changed may not have its rows yet.
ui_settle() {
	ui_screen "$1"
	cp "$T/out" "$T/settle"
	same=0; i=0
	while [ $same -lt 6 ] && [ $i -lt 200 ]; do
		sleep 0.05
		ui_screen "$1"
		if cmp -s "$T/out" "$T/settle"; then
			same=$((same + 1))
		else
			same=0
			cp "$T/out" "$T/settle"
		fi
		i=$((i + 1))
	done
}
