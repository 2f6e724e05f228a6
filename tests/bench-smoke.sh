#!/bin/sh
# bench-smoke.sh - bench/store still builds and runs, at a tiny size.
#
# Benchmarks are run by hand (see bench/README); this only proves that
# the program works on the project's forms and prints its table.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

[ -x "$top_builddir/bench/store" ] ||
	skip_all "bench/store not built (needs libsqlite3-dev)"

ok "bench/store runs at 200 cases" timeout 120 "$top_builddir/bench/store" \
    --sizes 200 --dir "$T/bench" --forms "$top_builddir/forms"
has "it prints the durable insert row" "durable inserts, cases/s"
has "it prints the size row" "size on disk, MB"
has "it prints the peak RSS row" "peak RSS, MB"
has "both sides ran" "200 cases"
finish
