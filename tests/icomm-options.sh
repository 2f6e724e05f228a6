#!/bin/sh
# tests/icomm-options.sh - ncen-icomm's command table: each command takes
# its own options and refuses the others' before it opens anything, and
# the three programs answer --version with configure's version.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/fr
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
	"$top_builddir/config.h")

for p in ncen ncenctl ncen-icomm; do
	ok "$p --version" "$p" --version
	has "$p --version says $p $version" "$p $version"
done

# A node with a partner, records, an account that may write to
# partners and what it wrote waiting in the outbox.
ncenctl -d "$X" init --forms "$F" >/dev/null &&
ncenctl -d "$X" node init --id FR-NCEN >/dev/null &&
ncenctl -d "$T/de" init --forms "$F" >/dev/null &&
ncenctl -d "$T/de" node init --id DE-NCEN >/dev/null &&
ncenctl -d "$X" partner add DE-NCEN --role national \
	--url https://127.0.0.1:9/icomm --cert "$T/de/node.crt" >/dev/null &&
ncenctl -d "$X" agreement add --partner DE-NCEN --dir both \
	--level partner --basis "test agreement" --from 2000-01-01 \
	--to 2099-12-31 >/dev/null &&
ncenctl -d "$X" user add nina --roles ncp >/dev/null &&
ncenctl -d "$X" demo --cases 3 --seed 4 >/dev/null &&
ncen-icomm -d "$X" message DE-NCEN --as nina --subject one >/dev/null &&
ncen-icomm -d "$X" message DE-NCEN --as nina --subject two >/dev/null
tap_result $? "a node with a partner, records and two messages queued"

# What the refusals must leave as it is: the records, the outbox.
state() {
	ncenctl -d "$X" dump >"$1" 2>&1
	ncen-icomm -d "$X" status | grep -v "last " >>"$1" 2>&1
}
state "$T/before"

# refused CMD OPTION ARGS...: exit 2, OPTION named; nothing changes.
refused() {
	cmd=$1; opt=$2
	fails_with 2 "$cmd refuses $opt" ncen-icomm -d "$X" "$@"
	has "$cmd: it names $opt" "$cmd: $opt is not an option of this command"
}
refused send --subject foo --cite 3 --encrypt
refused send --cite case:1
refused send --encrypt
refused send -o "$T/x"
refused run --as nina
refused status --partner DE-NCEN
refused status --interval 5
refused receive --batch 3 "$T/b"
refused receive --encrypt "$T/b"
refused receipt -o "$T/x" "$T/b"
refused pack --subject hello DE-NCEN -o "$T/b"
refused pack --partner DE-NCEN DE-NCEN -o "$T/b"
refused message --encrypt DE-NCEN --as nina --subject hi
refused message --batch 2 DE-NCEN --as nina --subject hi
refused message -o "$T/x" DE-NCEN --as nina --subject hi
fails_with 2 "pack without -o is refused" ncen-icomm -d "$X" pack DE-NCEN
has "it says -o is needed" "pack: -o is needed"
fails_with 2 "message without --subject is refused" \
	ncen-icomm -d "$X" message DE-NCEN --as nina
has "it says --subject is needed" "message: --subject is needed"
fails_with 2 "status takes no operand" ncen-icomm -d "$X" status DE-NCEN
fails_with 2 "receive needs its FILE" ncen-icomm -d "$X" receive
fails_with 2 "an unknown command" ncen-icomm -d "$X" sned
has "it is named" "sned: unknown command"
fails_with 2 "a command option before the command" \
	ncen-icomm -d "$X" --batch 3 status
[ ! -e "$T/x" ] && [ ! -e "$T/b" ]
tap_result $? "no file was written"
state "$T/after"
cmp -s "$T/before" "$T/after"
tap_result $? "records and outbox unchanged by the refusals"
grep -q "queued [1-9]" "$T/after"
tap_result $? "(the outbox has entries to lose)"

# Each command's own options still work.
ok "status" ncen-icomm -d "$X" status
has "status names the partner" "DE-NCEN (national"
ok "pack with its options" ncen-icomm -d "$X" pack DE-NCEN --encrypt \
	--batch 1 -o "$T/b"
has "a batch of at most 1 entry" "1 entries"
ok "message with its options" ncen-icomm -d "$X" message DE-NCEN \
	--as nina --subject hello --body "a test"
has "it is queued" "queued for DE-NCEN"
ok "send --help" ncen-icomm send --help
has "it prints the usage" "usage: ncen-icomm"
finish
