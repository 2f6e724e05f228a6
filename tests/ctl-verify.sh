#!/bin/sh
# ctl-verify.sh - ncenctl verify finds an index entry removed by hand;
# an encrypted data directory opens with its key and names a wrong one.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in db5.3_dump db5.3_load db5.3_verify; do
	command -v $tool >/dev/null 2>&1 ||
		skip_all "$tool not installed (apt-get install db5.3-util)"
done

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/ctl
X=$T/x
E=$T/e

# Rewrite an index of a data directory without its first entry.
# shellcheck disable=SC2317  # called through ok
drop_first_entry() {
	db5.3_dump -h "$1" "$2" >"$T/idx.txt" || return 1
	awk '/^HEADER=END/ { print; body = 1; next }
	    body && n < 2 { n++; next }
	    { print }' "$T/idx.txt" >"$T/idx2.txt" || return 1
	rm -f "$1/$2.new"
	db5.3_load -f "$T/idx2.txt" "$1/$2.new" && mv "$1/$2.new" "$1/$2"
}

ok "init" ncenctl -d "$X" init --forms "$F"
ok "load the fixture" ncenctl -d "$X" load "$FX/small.dump"
ok "verify is clean" ncenctl -d "$X" verify
# A checkpoint after the last change, so that opening replays nothing.
ok "recover (leaves a checkpoint)" ncenctl -d "$X" recover
ok "remove an entry of case-office.idx by hand" drop_first_entry "$X" case-office.idx
ok "db5.3_verify still finds the file well formed" db5.3_verify -h "$X" case-office.idx
fails_with 1 "ncenctl verify finds the missing entry" ncenctl -d "$X" verify
has "it names the index" "case-office.idx"

ok "init --encrypt with a key path" ncenctl -d "$E" -k "$T/e.key" init --encrypt --forms "$F"
has "it says where the key is" "$T/e.key"
[ "$(stat -c %a "$T/e.key")" = 600 ]; tap_result $? "the key file has mode 0600"
ok "load with the key" ncenctl -d "$E" -k "$T/e.key" load "$FX/small.dump"
ok "verify with the key" ncenctl -d "$E" -k "$T/e.key" verify
ok "NCEN_KEYFILE gives the key" env NCEN_KEYFILE="$T/e.key" ncenctl -d "$E" verify
ok "db5.3_verify -P with the key" db5.3_verify -h "$E" -P "$(cat "$T/e.key")" case.db
grep -q 'Passenger from' "$E/case.db"; tap_result $((! $?)) "the records are not in clear text"
(umask 077 && echo 00112233445566778899aabbccddeeff >"$T/wrong.key")
fails_with 2 "verify with a wrong key" ncenctl -d "$E" -k "$T/wrong.key" verify
has "it says wrong encryption key" "wrong encryption key"
fails_with 2 "dump with a wrong key" ncenctl -d "$E" -k "$T/wrong.key" dump
has "it says wrong encryption key" "wrong encryption key"
fails_with 2 "dump without a key" ncenctl -d "$E" dump
has "it asks for the key" "encrypted: give its key file"
fails_with 2 "backup without a key" ncenctl -d "$E" backup "$T/nokey"
has "it asks for the key" "encrypted: give its key file"
fails_with 2 "backup with a wrong key" ncenctl -d "$E" -k "$T/wrong.key" backup "$T/wrongkey"
has "it says wrong encryption key" "wrong encryption key"
ok "the right key still works after that" ncenctl -d "$E" -k "$T/e.key" dump -o "$T/e.dump"
grep -v '^#' "$FX/small.dump" >"$T/fixture"
ok "and the records are all there" cmp "$T/fixture" "$T/e.dump"
ok "backup of the encrypted directory" ncenctl -d "$E" -k "$T/e.key" backup "$T/eb"
ok "restore it" ncenctl -d "$T/er" -k "$T/e.key" restore "$T/eb"
ok "verify the restored copy" ncenctl -d "$T/er" -k "$T/e.key" verify
fails_with 1 "init --encrypt will not replace a key" ncenctl -d "$T/e2" -k "$T/e.key" init --encrypt --forms "$F"
[ -e "$T/e2" ]; tap_result $((! $?)) "and made no data directory"
ok "init --encrypt puts the key beside the directory" ncenctl -d "$T/e3" init --encrypt --forms "$F"
[ -f "$T/e3.key" ]; tap_result $? "as DIR.key"

finish
