#!/bin/sh
# store-plaintext.sh - an encrypted data directory keeps no plaintext on disk.
#
# init --encrypt, import marker strings, then grep every file under the
# data directory and its backup for the markers and for the key itself:
# while a process holds the environment open, after a backup, after
# every process has exited, and after a process was killed and the next
# one recovered.  The regions (the cache holds decrypted pages, and the
# key) live in shared memory, never in __db.* files; attachments are
# documented as not encrypted and are not part of this test.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh" || exit 99
command -v mkfifo >/dev/null 2>&1 || skip_all "mkfifo not installed"

D=$T/data
K=$T/data.key
MARK=ZqxPlainMarker
holder=""
tap_cleanup='[ -n "$holder" ] && kill -KILL $holder 2>/dev/null'

# No file under the directories holds a marker nor the key: clean NAME DIR...
clean() {
	what=$1; shift
	hits=$(grep -rlaF -e "$MARK" -e "$(cat "$K")" "$@" 2>/dev/null)
	[ -z "$hits" ]
	r=$?
	tap_result $r "$what"
	[ $r -eq 0 ] || echo "$hits" | sed 's/^/# plaintext in /'
}

# The regions are not files: __db.001 at most names a segment: regions NAME.
regions() {
	r=0
	for f in "$D"/__db.0*; do
		[ -e "$f" ] || continue
		case $f in */__db.001) ;; *) r=1 ;; esac
		[ "$(wc -c <"$f")" -le 4096 ] || r=1
	done
	tap_result $r "$1"
	[ $r -eq 0 ] || ls -l "$D"/__db.* | sed 's/^/# /'
}

# Start a process that holds the environment open (an import waiting
# for its rows on a pipe): hold.
hold() {
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	NCEN_KEYFILE=$K ncenctl -d "$D" import person - <"$T/fifo" \
	    >"$T/hold.out" 2>&1 &
	holder=$!
	exec 7>"$T/fifo"
	i=0
	while [ ! -e "$D/__db.001" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

ok "init --encrypt" ncenctl -d "$D" init --encrypt \
    --forms "$top_builddir/forms" || { finish; }
export NCEN_KEYFILE="$K"
printf 'family_name,given_names,remarks\n%s-1,Anna,%s remarks\n' \
    "$MARK" "$MARK" >"$T/m.csv"
ok "import a marker" ncenctl -d "$D" import person "$T/m.csv"
clean "no plaintext after the import" "$D"
regions "no region files after the import"

hold
ok "a process holds the environment" kill -0 "$holder"
ok "its __db.001 is there" test -e "$D/__db.001"
regions "no region files while it runs"
clean "no plaintext while it runs" "$D"
ok "backup while it runs" ncenctl -d "$D" backup "$T/b1"
clean "no plaintext in the backup" "$T/b1"
ok "the backup holds the marker (read with the key)" sh -c \
    "ncenctl -d '$T/b1' export person | grep -q '$MARK-1'"
printf 'family_name,given_names,remarks\n%s-2,Bob,%s\n' "$MARK" "$MARK" >&7
exec 7>&-
wait "$holder"
st=$?
holder=""
tap_result $st "the holder imported its row and ended"
clean "no plaintext after every process exited" "$D" "$T/b1"
ok "no regions left once every process exited" \
    sh -c "! ls '$D'/__db.0* 2>/dev/null"
ok "both rows are there" sh -c \
    "[ \$(ncenctl -d '$D' export person | grep -c '$MARK-') -eq 2 ]"

# A process killed while it holds the environment: the next open recovers.
hold
kill -KILL "$holder"
wait "$holder" 2>/dev/null
holder=""
exec 7>&-
regions "no region files after a kill"
clean "no plaintext after a kill" "$D"
ok "the next open recovers" ncenctl -d "$D" verify
ok "both rows survive" sh -c \
    "[ \$(ncenctl -d '$D' export person | grep -c '$MARK-') -eq 2 ]"
clean "no plaintext after recovery" "$D"
ok "recover" ncenctl -d "$D" recover
ok "backup after recovery" ncenctl -d "$D" backup "$T/b2"
clean "no plaintext in that backup" "$D" "$T/b2"
ok "no regions left" sh -c "! ls '$D'/__db.0* 2>/dev/null"
finish
