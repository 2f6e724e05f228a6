#!/bin/sh
# ctl-backup.sh - ncenctl backup while another process writes, restore
# into a new directory, verify; refusals; recover.  A backup carries
# what a node needs beside its databases: attachments and its Icomm
# identity (private key included) come back byte for byte with their
# modes; a damaged attachment in a backup is named and nothing is
# restored; verify checks every database file (audit.db too).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FX=$top_srcdir/tests/fixtures/ctl
X=$T/x
B=$T/backup
R=$T/restored
N=100000	# at most this many loads by the writer

# Load one small case after another until told to stop; count them.
writer() {
	i=0
	while [ ! -e "$T/stop" ] && [ $i -lt $N ]; do
		i=$((i + 1))
		printf 'ncen-dump 2\nrecord case %d 1 1795770000 writer\nfield date 2026-11-05\nfield office FRCDG01\nfield country FR\nfield direction IMP\nfield narrative load %d\n' \
		    $((100 + i)) "$i" >"$T/w.body"
		{ cat "$T/w.body"; printf 'end 1 0 %s\n' \
		    "$(sha256sum <"$T/w.body" | cut -c1-64)"; } >"$T/w.dump"
		if ncenctl -d "$X" load "$T/w.dump" >/dev/null 2>>"$T/writer.err"; then
			# Renamed into place, so a reader never sees it empty.
			echo "$i" >"$T/writer.n.new"
			mv "$T/writer.n.new" "$T/writer.n"
		else
			echo "load $i failed" >>"$T/writer.err"
		fi
	done
}

# How many cases the writer has loaded so far.
writer_n() {
	cat "$T/writer.n" 2>/dev/null || echo 0
}

# Wait until the writer has loaded at least $1 cases (at most 60 s).
wait_writer() {
	k=0
	while [ "$(writer_n)" -lt "$1" ] && [ $k -lt 600 ]; do
		sleep 0.1
		k=$((k + 1))
	done
}

ok "init" ncenctl -d "$X" init --forms "$F"
ok "load the fixture" ncenctl -d "$X" load "$FX/small.dump"
ok "the node's Icomm identity" ncenctl -d "$X" node init --id FR-NCEN
# The secret pseudonyms are keyed with, as the uploader makes it.
(umask 077 && openssl rand -hex 32 >"$X/node.secret")
tap_result $? "the node's pseudonym secret"
# A photograph (PNG magic, then bytes of every value) and a document.
{ printf '\211PNG\r\n\032\n'; awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", i % 256 }'; } \
	>"$T/photo.png"
printf '%%PDF-1.4 statement\n' >"$T/statement.pdf"
ok "attach a photograph to case 1" \
	ncenctl -d "$X" attach --caption "false bottom" case:1 "$T/photo.png"
ok "and a document" ncenctl -d "$X" attach case:2 "$T/statement.pdf"
photo=$(sha256sum "$T/photo.png" | cut -c1-64)
photo_rel=attachments/$(echo "$photo" | cut -c1-2)/$photo
[ -f "$X/$photo_rel" ]; tap_result $? "the photograph is kept as $photo_rel"

: >"$T/writer.err"
writer &
wpid=$!
tap_cleanup="touch '$T/stop'; kill $wpid 2>/dev/null; wait"
wait_writer 5
ok "backup while a writer loads" ncenctl -d "$X" backup "$B"
has "backup ran catastrophic recovery in the copy" "catastrophic recovery"
n_at_backup=$(writer_n)
wait_writer $((n_at_backup + 5))
touch "$T/stop"
wait $wpid
tap_cleanup=
n_end=$(writer_n)
echo "# the writer loaded $n_at_backup cases before the backup ended, $n_end in all"
[ ! -s "$T/writer.err" ]; tap_result $? "every load of the writer succeeded"
[ -s "$T/writer.err" ] && sed 's/^/# /' "$T/writer.err"
[ "$n_end" -gt "$n_at_backup" ]; tap_result $? "the writer kept writing after the backup"
ok "the data directory still verifies" ncenctl -d "$X" verify
[ -f "$B/MANIFEST" ] && [ -f "$B/forms/case.form" ]
tap_result $? "the backup has a manifest and the forms"
[ "$(stat -c %a "$B")" = 700 ]; tap_result $? "the backup directory is 0700"
[ "$(stat -c %a "$B/node.key")" = 600 ]
tap_result $? "the node's private key is in it, 0600"
ok "the manifest lists the key" grep -q '^file node.key [0-9]* [0-9a-f]* 0600$' "$B/MANIFEST"
ok "and the photograph" grep -q "^file $photo_rel 4104 $photo 0600\$" "$B/MANIFEST"
ok "and the certificate" grep -q '^file node.crt ' "$B/MANIFEST"
ok "and the pseudonym secret" grep -q '^file node.secret 65 [0-9a-f]* 0600$' "$B/MANIFEST"

ok "restore into a new directory" ncenctl -d "$R" restore "$B"
ok "the restored copy verifies" ncenctl -d "$R" verify
has "verify checked the audit log's database" "audit.db: structure ok"
has "and the accounts'" "accounts.db: structure ok"
has "and Icomm's" "icomm.db: structure ok"
for f in node.key node.crt node.secret "$photo_rel"; do
	cmp -s "$X/$f" "$R/$f"
	tap_result $? "$f came back byte for byte"
	[ "$(stat -c %a "$X/$f")" = "$(stat -c %a "$R/$f")" ]
	tap_result $? "$f has its mode ($(stat -c %a "$R/$f" 2>/dev/null))"
done
n_att=$(find "$X/attachments" -type f ! -name '.*' | wc -l)
[ "$n_att" -eq 2 ] && [ "$(find "$R/attachments" -type f | wc -l)" -eq 2 ]
tap_result $? "both attachments came back"
ok "the restored node has its identity" ncenctl -d "$R" node show
has "the same node id" "FR-NCEN"
ok "dump the restored copy" ncenctl -d "$R" dump -o "$T/r.dump"
ok "the fixture's records are there" grep -qx 'record case 2 1 1795856400 bob' "$T/r.dump"
cases=$(grep -c '^record case ' "$T/r.dump")
echo "# the backup holds $cases cases"
[ "$cases" -ge $((2 + 5)) ] && [ "$cases" -le $((2 + n_end)) ]
tap_result $? "it holds the cases loaded before it began, and no more than all"
# Each writer's load is one transaction: a case is whole or absent.
whole=$(grep -c '^field narrative load ' "$T/r.dump")
[ "$whole" -eq $((cases - 2)) ]; tap_result $? "no case is half there"
ok "init another directory" ncenctl -d "$T/s" init --forms "$F"
ok "the restored dump loads there" ncenctl -d "$T/s" load "$T/r.dump"
ok "dump it again" ncenctl -d "$T/s" dump -o "$T/s.dump"
ok "and it is the same" cmp "$T/r.dump" "$T/s.dump"

fails_with 1 "restore over a data directory refuses" ncenctl -d "$R" restore "$B"
has "it says to use --force" "--force"
ok "restore --force replaces it" ncenctl -d "$R" restore --force "$B"
ok "the result verifies" ncenctl -d "$R" verify
fails_with 1 "backup into a directory that is not empty" ncenctl -d "$X" backup "$R"
has "it says so" "not empty"
fails_with 2 "backup of a missing data directory" ncenctl -d "$T/none" backup "$T/b2"
fails_with 1 "restore of something that is not a backup" ncenctl -d "$T/r2" restore "$T/s"
has "it names the manifest" "MANIFEST"

cp -R "$B" "$T/damaged"
printf 'X' | dd of="$T/damaged/case.db" bs=1 seek=100 conv=notrunc 2>/dev/null
fails_with 1 "restore of a damaged backup" ncenctl -d "$T/r3" restore "$T/damaged"
has "it names the damaged file" "case.db: does not match the manifest"

cp -R "$B" "$T/damaged2"
printf 'X' | dd of="$T/damaged2/$photo_rel" bs=1 seek=2000 conv=notrunc 2>/dev/null
fails_with 1 "restore of a backup with a damaged attachment" \
	ncenctl -d "$T/r4" restore "$T/damaged2"
has "it names the attachment" "$photo_rel: does not match the manifest"
[ ! -e "$T/r4" ]; tap_result $? "and nothing was restored"
rm -f "$T/damaged2/node.key"
fails_with 1 "restore of a backup that lost the node's key" \
	ncenctl -d "$T/r4" restore "$T/damaged2"
has "it names the key" "damaged2/node.key: named by the manifest but missing"
[ ! -e "$T/r4" ]; tap_result $? "and nothing was restored either"

# verify reads every database file: damage to audit.db is found.
cp -R "$R" "$T/v"
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
	dd of="$T/v/audit.db" bs=1 seek=8200 conv=notrunc 2>/dev/null
fails_with 1 "verify finds a damaged audit.db" ncenctl -d "$T/v" verify
has "and names it" "problem: audit.db: DB->verify"

ok "dump before recovery" ncenctl -d "$X" dump -o "$T/x1.dump"
ok "recover" ncenctl -d "$X" recover
has "recover reports" "normal recovery"
ok "recover --catastrophic" ncenctl -d "$X" recover --catastrophic
has "catastrophic recover reports" "catastrophic recovery"
ok "dump after recovery" ncenctl -d "$X" dump -o "$T/x2.dump"
ok "recovery lost nothing" cmp "$T/x1.dump" "$T/x2.dump"
ok "verify after recovery" ncenctl -d "$X" verify

finish
