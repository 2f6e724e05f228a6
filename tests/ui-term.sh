#!/bin/sh
# tests/ui-term.sh - terminal discipline (issue 4): the main menu on
# vt100 and xterm-256color at 80x24, both help keys and both back keys,
# a resize to 100x40 and back, shrinking below 80x24 and growing back,
# a terminal too small at start, NO_COLOR, no output while idle, line
# drawing on vt100, and no terminal at all.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NO_COLOR
D=$T/data
KEYLINE="^G Help"		# the key line starts with help everywhere
MENU=" ncen  Main menu"		# the main menu's title row
ESC=$(printf '\033')
SO=$(printf '\016')
SI=$(printf '\017')

# shellcheck disable=SC2016 # the inner shell's arguments
ok "a demo data directory with the analyst demo" sh -c '
	ncenctl -d "$1" init --forms "$2" &&
	ncenctl -d "$1" demo --cases 20 --seed 1 &&
	ncenctl -d "$1" user add demo --roles analyst &&
	ncenctl -d "$1" user add lina --roles officer &&
	printf "%s\n%s\n" date,time,utc_offset,office,country,place,direction,officer \
		2026-11-20,10:00,+01:00,FRCDG01,FR,Gate\ 3,IMP,lina >"$3" &&
	ncenctl -d "$1" import case "$3"' sh "$D" \
	"$top_builddir/forms" "$T/lina.csv"

# Row N of the last screen ($T/out) contains STRING:
# row_has TESTNAME N STRING.
row_has() {
	sed -n "$2p" "$T/out" | grep -qF -- "$3"
	r=$?
	tap_result $r "$1"
	[ $r -eq 0 ] || { echo "# wanted on row $2: $3"; sed 's/^/# | /' "$T/out"; }
	return $r
}

# Wait up to 10 s for STRING on row N: row_see TESTNAME NAME N STRING.
row_see() {
	i=0
	while [ $i -lt 200 ]; do
		ui_screen "$2"
		sed -n "$3p" "$T/out" | grep -qF -- "$4" && break
		sleep 0.05
		i=$((i + 1))
	done
	row_has "$1" "$3" "$4"
}

# The screen of session NAME holds no line-drawing letters drawn as
# text (a vt100's line drawing is q, x, l, k... in the graphics
# character set; capture-pane -e marks those cells with SO ... SI, and
# plain capture shows them as the letters) and no escape sequence
# printed as text: clean NAME TESTNAME.  The screen without the
# graphics cells and escapes is left in $T/plain.
clean() {
	ui_tmux capture-pane -e -p -t "$1" >"$T/acs"
	# The graphics set lasts from SO to SI, across lines.
	awk -v so="$SO" -v si="$SI" '{
		out = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == so)
				g = 1
			else if (c == si)
				g = 0
			else if (!g)
				out = out c
		}
		print out
	}' "$T/acs" | sed "s/${ESC}\\[[0-9;:]*m//g" >"$T/plain"
	grep -nE 'qqq|[lmtuwv]qq|qq[kjtuwv]|^ *x .* x *$|\[[0-9]+(;[0-9]+)*[HJKm]' \
		"$T/plain" >"$T/garbage"
	[ ! -s "$T/garbage" ]
	r=$?
	tap_result $r "$2"
	[ $r -eq 0 ] || sed 's/^/# | /' "$T/garbage"
}

# The SGR colour parameters (30-38, 40-48, 90-97, 100-107) in a screen
# captured with escapes; 39 and 49 (the default colours) are tmux's own.
colours() {
	grep -o "${ESC}\\[[0-9;]*m" "$1" | tr -d "${ESC}[m" | tr ';' '\n' |
		grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}

# Nothing written to the terminal of session NAME for SECONDS once its
# screen has settled (tmux pipe-pane copies the pane's output to a
# file; the wait is the measurement): idle NAME SECONDS TESTNAME.
idle() {
	ui_settle "$1"
	: >"$T/idle"
	ui_tmux pipe-pane -o -t "$1" "cat >>'$T/idle'"
	sleep "$2"
	ui_tmux pipe-pane -t "$1"
	n=$(wc -c <"$T/idle")
	[ "$n" -eq 0 ]
	tap_result $? "$3 ($n bytes)"
}

# ncen's exit status in session NAME, written by the shell that ran it
# (tmux 3.3a sometimes leaves a dead pane's process unreaped, so
# #{pane_dead_status} can stay empty): run_ncen NAME [ui_start
# options] -- ncen's arguments; exit_of NAME once the pane is gone.
run_ncen() {
	rn=$1; shift
	opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts="$opts $1"; shift
	done
	shift
	# shellcheck disable=SC2086,SC2016 # opts: options; $1 is sh's
	ui_start "$rn" $opts -- sh -c 'f=$1; shift; ncen "$@"; echo $? >"$f"' \
		sh "$T/exit.$rn" "$@"
}
exit_of() {
	cat "$T/exit.$1" 2>/dev/null || echo none
}

# A session that outlives the others, so that killing one never ends
# the server.
ui_start keep -- sleep 600

for term in vt100 xterm-256color; do
	s=m-$term
	run_ncen "$s" -t "$term" -- -d "$D" --as demo
	row_see "$term: the main menu draws its title" "$s" 1 "$MENU"
	ui_settle "$s"
	has "$term: the title names the account" "demo"
	has "$term: the Cases entry" "c  Cases"
	has "$term: the Persons entry" "p  Persons"
	row_has "$term: the status line says who signed in" 23 \
		"Signed in as demo."
	row_has "$term: the key line is on row 24" 24 "$KEYLINE"
	row_has "$term: the key line offers Back" 24 "^X Back"

	ui_keys "$s" C-g
	row_see "$term: ^G opens the help screen" "$s" 1 "Help: main menu"
	ui_settle "$s"
	has "$term: the help screen lists the key table" "ESC 1"
	ui_keys "$s" Escape Escape
	row_see "$term: ESC ESC goes back to the menu" "$s" 1 "$MENU"
	ui_keys "$s" Escape 1
	row_see "$term: ESC 1 opens the help screen" "$s" 1 "Help: main menu"
	ui_keys "$s" C-x
	row_see "$term: ^X goes back to the menu" "$s" 1 "$MENU"
	ui_settle "$s"
	has "$term: the entries are back" "c  Cases"

	# Larger: the whole screen is laid out again for 100x40.
	ui_tmux set-option -t "$s" window-size manual >/dev/null
	ui_tmux resize-window -t "$s" -x 100 -y 40
	row_see "$term: at 100x40 the key line moves to row 40" "$s" 40 \
		"$KEYLINE"
	ui_settle "$s"
	row_has "$term: at 100x40 the title is redrawn" 1 "$MENU"
	title=$(sed -n 1p "$T/out")
	[ "${#title}" -ge 99 ] && [ "${title%demo}" != "$title" ]
	tap_result $? "$term: at 100x40 the account name moves right (${#title} columns)"
	row_has "$term: at 100x40 the menu is still there" 4 "c  Cases"
	ui_tmux resize-window -t "$s" -x 80 -y 24
	row_see "$term: back at 80x24 the key line is on row 24" "$s" 24 \
		"$KEYLINE"
	[ "$(wc -l <"$T/out")" -eq 24 ]
	tap_result $? "$term: back at 80x24 the screen has 24 rows"

	# Smaller than 80x24 while running: a message, then the screen back.
	ui_tmux resize-window -t "$s" -x 70 -y 20
	ui_see "$s" "$term: shrunk to 70x20 it says the terminal is too small" \
		"The terminal is 70x20; ncen needs 80x24."
	ui_settle "$s"
	[ "$(grep -c '[^ ]' "$T/out")" -eq 1 ]
	tap_result $? "$term: shrunk, nothing else is drawn"
	ui_tmux resize-window -t "$s" -x 80 -y 24
	row_see "$term: grown back, the menu title returns" "$s" 1 "$MENU"
	ui_settle "$s"
	has "$term: grown back, the entries return" "c  Cases"
	row_has "$term: grown back, the key line returns" 24 "$KEYLINE"
	! grep -q "needs 80x24" "$T/out"
	tap_result $? "$term: grown back, the message is gone"

	# Idle: not one byte while nobody types.
	idle "$s" 2 "$term: no output in 2 s at the idle main menu"

	ui_keys "$s" C-x
	ui_gone "$s"
	tap_result $? "$term: ^X at the main menu signs out"
	st=$(exit_of "$s")
	[ "$st" = 0 ]
	tap_result $? "$term: signing out exits 0 (status $st)"
	ui_tmux kill-session -t "$s"
done

# Line drawing on vt100: in the graphics character set (or as UTF-8 box
# characters, or plain ASCII), never as the letters q and x, on every
# screen the menu opens and their first records.
s=acs
ui_start "$s" -t vt100 -- ncen -d "$D" --as demo
row_see "vt100 line drawing: the menu" "$s" 1 "$MENU"
clean "$s" "vt100 line drawing: the main menu is clean"
ui_keys "$s" C-g
row_see "vt100 line drawing: the help screen" "$s" 1 "Help: main menu"
clean "$s" "vt100 line drawing: the help screen is clean"
ui_keys "$s" C-x
row_see "vt100 line drawing: back at the menu" "$s" 1 "$MENU"
# The entries' letters, as the menu shows them ("> c  Cases").
ui_settle "$s"
letters=$(sed -n 's/^ *\(> \)\{0,1\}\([a-z]\)  [A-Z].*/\2/p' "$T/out")
[ "$(echo "$letters" | wc -w)" -ge 6 ]
tap_result $? "vt100: the menu has its entries ($(echo "$letters" | tr '\n' ' '))"
for k in $letters; do
	ui_keys "$s" "$k"
	ui_settle "$s"
	clean "$s" "vt100 line drawing: the screen of menu entry $k is clean"
	if ! sed -n 1p "$T/out" | grep -qF "$MENU"; then
		# A list: open its first record too.
		ui_keys "$s" Enter
		ui_settle "$s"
		clean "$s" "vt100 line drawing: entry $k's first record is clean"
		n=0
		while [ $n -lt 3 ] && ! sed -n 1p "$T/out" | grep -qF "$MENU"
		do
			ui_keys "$s" C-x
			ui_settle "$s"
			n=$((n + 1))
		done
		row_has "vt100: ^X from entry $k goes back to the menu" 1 "$MENU"
	fi
done
ui_tmux kill-session -t "$s"

# The link chooser draws a box: officer lina's draft case, ^K.
s=box
ui_start "$s" -t vt100 -- ncen -d "$D" --as lina
row_see "vt100 line drawing: lina's menu" "$s" 1 "$MENU"
ui_keys "$s" c
ui_wait "$s" "FRCDG01" >/dev/null
ui_keys "$s" Enter
ui_see "$s" "vt100 line drawing: lina's draft case" "Place of the event: Gate 3"
ui_keys "$s" C-k
ui_see "$s" "vt100 line drawing: ^K opens the link chooser" "Link what?"
clean "$s" "vt100 line drawing: the link chooser's box is not drawn as letters"
grep -q "${SO}[lqkxmj]*qqq" "$T/acs"
tap_result $? "vt100 line drawing: its box is in the graphics character set"
ui_tmux kill-session -t "$s"

# Resizing on the other screens: lina's list, her case, its edit form
# are each laid out again at 100x40, say the terminal is too small at
# 70x20, and come back at 80x24; each writes nothing while idle and has
# its help on both keys.
s=resize
ui_start "$s" -t vt100 -- ncen -d "$D" --as lina
ui_tmux set-option -t "$s" window-size manual >/dev/null
row_see "resize: lina's menu" "$s" 1 "$MENU"
for scr in list case form; do
	case $scr in
	list) ui_keys "$s" c; title="Cases (" ;;
	case) ui_keys "$s" Enter; title="Case " ;;
	form) ui_keys "$s" C-e; title="version 1" ;;
	esac
	row_see "resize: the $scr screen" "$s" 1 "$title"
	ui_settle "$s"
	keyline=$(sed -n 24p "$T/out")
	[ -n "$keyline" ]
	tap_result $? "resize: the $scr screen has a key line ($keyline)"
	ui_tmux resize-window -t "$s" -x 100 -y 40
	row_see "resize: the $scr screen's key line moves to row 40" "$s" 40 \
		"$keyline"
	ui_settle "$s"
	row_has "resize: the $scr screen's title is kept" 1 "$title"
	ui_tmux resize-window -t "$s" -x 70 -y 20
	ui_see "$s" "resize: the $scr screen shrunk says it is too small" \
		"The terminal is 70x20; ncen needs 80x24."
	ui_tmux resize-window -t "$s" -x 80 -y 24
	row_see "resize: the $scr screen's key line is back on row 24" "$s" \
		24 "$keyline"
	ui_settle "$s"
	row_has "resize: the $scr screen's title is back" 1 "$title"
	idle "$s" 1 "the $scr screen writes nothing in 1 s idle"
	# Its help: ^G and ESC 1 open it, ESC ESC and ^X come back.
	ui_keys "$s" C-g
	row_see "the $scr screen: ^G opens its help" "$s" 1 "Help"
	ui_keys "$s" Escape Escape
	row_see "the $scr screen: ESC ESC comes back from help" "$s" 1 \
		"$title"
	ui_keys "$s" Escape 1
	row_see "the $scr screen: ESC 1 opens its help" "$s" 1 "Help"
	ui_keys "$s" C-x
	row_see "the $scr screen: ^X comes back from help" "$s" 1 "$title"
done
# A question on the status line when the size changes: it stays, alone
# with its key line at the new size, and the screen under it is laid
# out again once it is answered.
ui_keys "$s" C-x C-x
row_see "resize under a question: the list" "$s" 1 "Cases ("
ui_keys "$s" C-o
row_see "resize under a question: ^O asks for a page" "$s" 23 "Go to page"
ui_tmux resize-window -t "$s" -x 100 -y 40
row_see "resize under a question: the question moves to row 39" "$s" 39 \
	"Go to page"
row_see "resize under a question: its key line is on row 40" "$s" 40 "^X Back"
ui_settle "$s"
rows=$(grep -c . "$T/out")
[ "$rows" -eq 2 ]
tap_result $? "resize under a question: nothing of the old layout is left ($rows rows written)"
ui_keys "$s" C-x
row_see "resize under a question: back, the list is laid out at 100x40" \
	"$s" 1 "Cases ("
row_see "resize under a question: with its key line on row 40" "$s" 40 "^O"
ui_tmux resize-window -t "$s" -x 80 -y 24
row_see "resize under a question: and again at 80x24" "$s" 24 "^O"
ui_tmux kill-session -t "$s"

# NO_COLOR on a colour terminal: no colour on any screen, even the
# error line (red where colour is allowed: asking the case list for a
# page it does not have).  Without NO_COLOR the same keys show red.
# capture_colours NAME: the colour parameters on its screen, added to
# $T/colours.
capture_colours() {
	ui_tmux capture-pane -e -p -t "$1" >"$T/esc"
	colours "$T/esc" >>"$T/colours"
}
for nc in 1 0; do
	s=colour-$nc
	if [ $nc = 1 ]; then
		ui_start "$s" -t xterm-256color -e NO_COLOR=1 -- \
			ncen -d "$D" --as demo
	else
		ui_start "$s" -t xterm-256color -- ncen -d "$D" --as demo
	fi
	row_see "xterm-256color NO_COLOR=$nc: the menu" "$s" 1 "$MENU"
	: >"$T/colours"
	capture_colours "$s"
	ui_keys "$s" C-g
	ui_wait "$s" "Help: main menu" >/dev/null
	capture_colours "$s"
	ui_keys "$s" C-x
	row_see "xterm-256color NO_COLOR=$nc: back from help" "$s" 1 "$MENU"
	ui_keys "$s" c
	ui_wait "$s" "Cases (" >/dev/null
	capture_colours "$s"
	ui_keys "$s" C-o
	ui_wait "$s" "Go to page" >/dev/null
	ui_type "$s" 999
	ui_keys "$s" Enter
	ui_see "$s" "xterm-256color NO_COLOR=$nc: an error on the status line" \
		"There is no page '999'"
	capture_colours "$s"
	ui_keys "$s" C-x
	row_see "xterm-256color NO_COLOR=$nc: back from the list" "$s" 1 \
		"$MENU"
	if [ $nc = 1 ]; then
		[ ! -s "$T/colours" ]
		tap_result $? "NO_COLOR=1: no colour escape on any screen"
		[ -s "$T/colours" ] && sed 's/^/# SGR /' "$T/colours" | sort -u
	else
		[ -s "$T/colours" ]
		tap_result $? "without NO_COLOR the error line is in colour"
	fi
	ui_tmux kill-session -t "$s"
done

# Too small at the start: a clear refusal on stderr, exit status not 0,
# nothing else on the screen.  The shell keeps the pane open to read it.
for term in vt100 xterm-256color; do
	s=small-$term
	# shellcheck disable=SC2016 # the inner shell's arguments
	ui_start "$s" -t "$term" -x 70 -y 20 -- sh -c \
		'ncen -d "$1" --as demo; echo "[exit $?]"; exec sleep 60' \
		sh "$D"
	ui_see "$s" "$term: started at 70x20 ncen refuses in words" \
		"the terminal is 70x20; ncen needs at least 80x24"
	ui_wait "$s" "[exit" 2>/dev/null
	has "$term: started at 70x20 ncen exits 1" "[exit 1]"
	[ "$(grep -c '[^ ]' "$T/out")" -eq 2 ]
	r=$?
	tap_result $r "$term: started at 70x20 nothing else is drawn"
	[ $r -eq 0 ] || sed 's/^/# | /' "$T/out"
	ui_tmux kill-session -t "$s"
done

# A form shrunk while a field is being typed in: the field keeps what
# was typed, and keys typed while "too small" shows go nowhere.
s=shrink
ui_start "$s" -t vt100 -- ncen -d "$D" --as lina
ui_tmux set-option -t "$s" window-size manual >/dev/null
row_see "shrink: lina's menu" "$s" 1 "$MENU"
ui_keys "$s" p
ui_wait "$s" "Persons (" >/dev/null
ui_keys "$s" C-n
ui_see "$s" "shrink: a new person" "New Person"
ui_type "$s" "Zedkowski"
ui_see "$s" "shrink: the family name typed" "Zedkowski"
ui_tmux resize-window -t "$s" -x 60 -y 20
ui_see "$s" "shrink: 60x20 is too small" "The terminal is 60x20"
ui_type "$s" "QQ"
ui_keys "$s" Tab
ui_tmux resize-window -t "$s" -x 80 -y 24
row_see "shrink: back at 80x24, the form again" "$s" 1 "New Person"
ui_settle "$s"
grep -q "Zedkowski" "$T/out" && ! grep -q "ZedkowskiQQ\|QQ" "$T/out"
tap_result $? "shrink: the field kept Zedkowski, and QQ went nowhere"
ui_keys "$s" C-x
ui_see "$s" "shrink: Back asks about the typing" "as a draft"
ui_keys "$s" n
row_see "shrink: the list again" "$s" 1 "Persons ("
ui_tmux kill-session -t "$s"

# No terminal: stdin not a tty (in the tmux pane, so stdout is one),
# then neither.
s=notty
# shellcheck disable=SC2016 # the inner shell's arguments
ui_start "$s" -- sh -c \
	'ncen -d "$1" --as demo </dev/null; echo "[exit $?]"; exec sleep 60' \
	sh "$D"
ui_see "$s" "stdin not a terminal: ncen says it needs one" \
	"ncen needs a terminal"
ui_wait "$s" "[exit" 2>/dev/null
has "stdin not a terminal: ncen exits 1" "[exit 1]"
ui_tmux kill-session -t "$s"
fails_with 1 "no terminal at all: ncen exits 1" \
	ncen -d "$D" --as demo </dev/null
has "no terminal at all: it says it needs one" "ncen needs a terminal"

finish
