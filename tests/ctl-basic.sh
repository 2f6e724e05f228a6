#!/bin/sh
# ctl-basic.sh - ncenctl: options, help, usage errors, init, verify,
# forms check, stats and db5.3_verify on a fresh data directory.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/ctl
X=$T/data

# The last output has a line "NAME COUNT ...": line_is NAME COUNT.
line_is() {
	awk -v k="$1" -v v="$2" '$1 == k && $2 == v { f = 1 } END { exit !f }' \
	    "$T/out"
	r=$?
	tap_result $r "stats: $1 is $2"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/out"
}

# A listing of a directory that changes when any file does: snapshot DIR.
snapshot() {
	(cd "$1" && find . -type f ! -name '__db.*' | sort | xargs md5sum)
}

# Run db5.3_verify on every database file of a data directory.
# shellcheck disable=SC2317  # called through ok
db_verify_all() {
	for f in "$1"/*.db "$1"/*.idx; do
		db5.3_verify -h "$1" "$(basename "$f")" || return 1
	done
}

ok "help lists the commands" ncenctl help
for c in init verify recover backup restore stats dump load forms; do
	has "help lists $c" "  $c "
done
ok "-h lists the commands" ncenctl -h
has "-h names -d" "-d DIR"
fails_with 2 "no command is a usage error" ncenctl
has "no command: message" "ncenctl: no command given"
fails_with 2 "unknown command" ncenctl frobnicate
has "unknown command: message" "ncenctl: frobnicate: unknown command"
fails_with 2 "bad global option" ncenctl -x verify

for c in init verify recover backup restore stats dump load forms help; do
	ok "$c --help" ncenctl "$c" --help
	has "$c --help has a usage line" "usage: ncenctl [-d DIR] [-k KEYFILE] $c"
done
ok "help init" ncenctl help init
has "help init explains --encrypt" "--encrypt"
fails_with 2 "help of an unknown command" ncenctl help frobnicate

fails_with 2 "verify without a data directory" ncenctl verify
has "it names -d and NCEN_HOME" "ncenctl: verify: no data directory: give -d DIR or set NCEN_HOME"
fails_with 2 "verify of a missing directory" ncenctl -d "$T/nowhere" verify
has "it says so" "no such data directory"
fails_with 2 "init with a bad option" ncenctl -d "$X" init --bogus
fails_with 2 "init with an extra argument" ncenctl -d "$X" init extra
fails_with 2 "verify with an extra argument" ncenctl -d "$X" verify extra
fails_with 2 "backup without a directory" ncenctl -d "$X" backup
fails_with 2 "load without a file" ncenctl -d "$X" load
fails_with 2 "forms without a subcommand" ncenctl forms
fails_with 2 "forms with an unknown subcommand" ncenctl forms lint x
fails_with 2 "forms check without files" ncenctl forms check
[ -e "$X" ]; tap_result $((! $?)) "usage errors created nothing"

fails_with 2 "init without forms anywhere" ncenctl -d "$X" init --forms "$T/noforms"
[ -e "$X" ]; tap_result $((! $?)) "a failed init leaves nothing"
mkdir "$T/badforms"
cp "$FX/broken.form" "$T/badforms/"
fails_with 1 "init with broken forms" ncenctl -d "$X" init --forms "$T/badforms"
has "it names file:line:col" "broken.form:7:"
[ -e "$X" ]; tap_result $((! $?)) "a refused init leaves nothing"

ok "init" ncenctl -d "$X" init --forms "$F"
has "init says which forms it used" "from $F"
[ -f "$X/forms/case.form" ]; tap_result $? "init copied the forms"
ok "verify a fresh data directory" ncenctl -d "$X" verify
has "verify reports" "no problems found"
ok "NCEN_HOME names the data directory" env NCEN_HOME="$X" ncenctl verify

snapshot "$X" >"$T/before"
fails_with 1 "init twice refuses" ncenctl -d "$X" init --forms "$F"
has "init twice: message" "already exists"
snapshot "$X" >"$T/after"
ok "init twice changed nothing" cmp "$T/before" "$T/after"

if command -v db5.3_verify >/dev/null 2>&1; then
	ok "db5.3_verify is clean on a fresh init" db_verify_all "$X"
else
	echo "# db5.3_verify not installed (apt-get install db5.3-util)"
fi

ok "forms check of the shipped forms" ncenctl forms check "$F"/*.form "$F"/*.codes
has "forms check reports" "no problems found"
ok "forms check of a good file" ncenctl forms check "$FX/vessel.form"
fails_with 1 "forms check of a bad file" ncenctl forms check "$FX/broken.form"
has "bad file: file:line:col: message" "$FX/broken.form:7:"
fails_with 1 "forms check of a missing file" ncenctl forms check "$T/none.form"

ok "load the small fixture" ncenctl -d "$X" load "$FX/small.dump"
has "load reports" "loaded 6 records and 3 links"
ok "stats" ncenctl -d "$X" stats
line_is case 2
line_is person 2
line_is seizure 2
line_is records 6
line_is links 3
has "stats counts log files" "log files"
has "stats gives the size on disk" "on disk"
ok "verify after a load" ncenctl -d "$X" verify

finish
