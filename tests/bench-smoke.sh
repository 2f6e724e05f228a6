#!/bin/sh
# bench-smoke.sh - bench/store, bench/terminal and bench/sessions still
# build and run, at a tiny size.
#
# Benchmarks are run by hand (see bench/README); this only proves that
# the programs work on the project's forms and print their tables.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

if [ -x "$top_builddir/bench/store" ]; then
	ok "bench/store runs at 200 cases" timeout 120 \
	    "$top_builddir/bench/store" \
	    --sizes 200 --dir "$T/bench" --forms "$top_builddir/forms" \
	    --writers 1,2 --writer-records 20
	has "it prints the durable insert row" "durable inserts, cases/s"
	has "it prints the size row" "size on disk, MB"
	has "it prints the peak RSS row" "peak RSS, MB"
	has "both sides ran" "200 cases"
	has "it prints the table of writers" "concurrent writers"
	grep -Eq '^2 +[0-9]+ +[0-9.]+ +[0-9]+$' "$T/out"
	tap_result $? "two writers ran: records/s, ratio, deadlocks"
else
	tap_result 0 "bench/store # SKIP not built (needs libsqlite3-dev)"
fi

ok "bench/alerts runs at 40 saves and 200 cases" timeout 300 \
    "$top_builddir/bench/alerts" --forms "$top_builddir/forms" \
    --dir "$T/alerts" --saves 40 --rounds 2 --hunt-cases 200
has "bench/alerts: it prints the save with 10000 watch entries" \
    "50 rules, 10000 watch entries"
has "bench/alerts: it prints the retro-hunt rate" "200 cases in"

# bench/terminal runs from the build directory, quick (unpaced, three
# start-up runs), on 200 demo cases.
# shellcheck disable=SC2016 # the inner shell's arguments
ok "bench/terminal runs at 200 cases" timeout 300 sh -c \
    'cd "$1" && sh "$2/bench/terminal" -q -c 200 -d "$3"' sh \
    "$top_builddir" "$top_srcdir" "$T/term"
has "bench/terminal: it built the data directory" "built in"
has "bench/terminal: it prints the task's total row" "total "
has "bench/terminal: the task made its records" \
	"task check: created 1 case, 2 seizure lines, 1 person"
has "bench/terminal: and submitted the case" "is submitted"
has "bench/terminal: the form task made its records" \
	"form task check: created 1 case, 1 seizure line, 1 conveyance, 1 person;"
has "bench/terminal: it prints every task's bytes at 960 B/s" \
	"every task at 960 bytes/s"
awk '$1 ~ /^(list|search|form)$/ && $2 > 0 && $3 == "bytes" { n++ }
    END { exit n != 3 }' "$T/out"
tap_result $? "bench/terminal: the list, search and form tasks wrote bytes"
has "bench/terminal: it prints the start-up time" "start-up to the main menu: median"
has "bench/terminal: it prints the private memory" "signed in: private"
has "bench/terminal: it checks the targets" "targets: task under 16384 bytes"
awk '$1 == "total" && $3 > 0 { found = 1 } END { exit !found }' "$T/out"
tap_result $? "bench/terminal: the task wrote bytes"

# bench/sessions: three sessions on 200 demo cases, their memory summed,
# each its own process, then through a session server.
# shellcheck disable=SC2016 # the inner shell's arguments
ok "bench/sessions runs three sessions at 200 cases" timeout 300 sh -c \
    'cd "$1" && sh "$2/bench/sessions" -n 3 -c 200 -d "$3"' sh \
    "$top_builddir" "$top_srcdir" "$T/sess"
has "bench/sessions: it names its sessions" "3 ncen sessions on ptys"
has "bench/sessions: then through a session server" \
	"server: sessions forked by ncen --server"
# The heap, the regions and the total, each at the menu and with the
# list open, in Pss and private MB: four figures above zero a row, in
# both tables.
awk '/^(anonymous|Berkeley DB regions|total without)/ { n++; k = 0
	line = $0
	while (match(line, /[0-9]+\.[0-9]/)) {
		if (substr(line, RSTART, RLENGTH) + 0 > 0)
			k++
		line = substr(line, RSTART + RLENGTH)
	}
	if (k == 4)
		good++
    } END { exit !(n == 6 && good == 6) }' "$T/out"
tap_result $? "bench/sessions: anonymous, regions and totals measured"
# The clients and the server are counted; sharing costs less in all.
# (first figure of a row: its Pss with the menu.)
awk '/^(the clients|the server)/ && match($0, /[0-9]+\.[0-9]/) {
	if (substr($0, RSTART, RLENGTH) + 0 > 0) n++ }
    END { exit !(n == 2) }' "$T/out"
tap_result $? "bench/sessions: the clients and the server counted"
awk '/^total without/ && match($0, /[0-9]+\.[0-9]/) {
	own[++k] = substr($0, RSTART, RLENGTH) + 0 }
    END { exit !(k == 2 && own[2] < own[1]) }' "$T/out"
tap_result $? "bench/sessions: through the server the sessions take less Pss"
finish
