# tests/lib.sh - shared by the scripted end-to-end tests (TAP output).
#
# Source it, call `ok NAME COMMAND...` or `check NAME CONDITION-STATUS`,
# and end with `finish`.  Every test gets its own scratch directory $T
# (removed on exit) and the built programs on $PATH.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
PATH=$top_builddir/src:$top_builddir/bench:$PATH
export PATH
T=$(mktemp -d "${TMPDIR:-/tmp}/ncen-t.XXXXXX")
tap_n=0
tap_failed=0
tap_cleanup=""
trap 'eval "$tap_cleanup"; tap_shm_clean "$T"; rm -rf "$T"' EXIT

# Remove the System V shared memory segments of the data directories
# under DIR, which processes killed by a test leave behind: each
# __db.001 names the first segment by its id (after two 8-byte words),
# whose key is the base of its slot's 64 keys (src/store-space.c):
# tap_shm_clean DIR.
tap_shm_clean() {
	command -v ipcs >/dev/null 2>&1 || return 0
	find "$1" -name __db.001 -size -4096c 2>/dev/null | while read -r ref; do
		id=$(od -An -t d4 -j 16 -N 4 "$ref" 2>/dev/null | tr -d ' ')
		base=$(ipcs -m | awk -v id="${id:-x}" '$2 == id { print $1 }')
		[ -n "$base" ] || continue
		base=$((base))
		ipcs -m | while read -r k s _; do
			case $k in
			0x*) [ $((k)) -ge $base ] && [ $((k)) -lt $((base + 64)) ] &&
				ipcrm -m "$s" 2>/dev/null ;;
			esac
		done
	done
}

# Report one result: tap_result STATUS NAME.
tap_result() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# Run a command; the test passes when it exits 0.  Output goes to $T/out.
ok() {
	name=$1; shift
	"$@" >"$T/out" 2>&1
	st=$?
	tap_result $st "$name"
	[ $st -eq 0 ] || sed 's/^/# /' "$T/out" | head -40
	return $st
}

# Run a command that must exit with the given status: fails_with N NAME CMD...
fails_with() {
	want=$1; name=$2; shift 2
	"$@" >"$T/out" 2>&1
	st=$?
	[ $st -eq "$want" ]
	r=$?
	tap_result $r "$name (exit $st, want $want)"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/out" | head -40
	return $r
}

# The last command's output contains a fixed string: has NAME STRING.
has() {
	grep -qF -- "$2" "$T/out"
	r=$?
	tap_result $r "$1"
	[ $r -eq 0 ] || { echo "# wanted: $2"; sed 's/^/# /' "$T/out" | head -40; }
	return $r
}

# Skip the whole script (a tool is truly absent): skip_all REASON.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# Print the plan and exit with the number of failures (capped).
finish() {
	echo "1..$tap_n"
	[ $tap_failed -eq 0 ]
	exit $?
}
