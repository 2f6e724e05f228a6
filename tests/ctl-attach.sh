#!/bin/sh
# ctl-attach.sh - ncenctl attach: the file is stored once under its
# SHA-256 beside the database, each attachment is a record linked to
# its record, refusals change nothing, and verify notices a lost file.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
X=$T/x

ok "init" ncenctl -d "$X" init --forms "$F"
printf '%s\n' 'ncen-dump 1' 'record case 1 1 1795770000 carol' \
	'field date 2026-11-05' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'record person 1 1 1795770000 carol' \
	'field family_name Okafor' >"$T/base.dump"
ok "load a case and a person" ncenctl -d "$X" load "$T/base.dump"

# A small PNG (its signature and an IHDR chunk are enough for the type).
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$T/x-ray.png"
sum=$(sha256sum "$T/x-ray.png" | cut -d' ' -f1)
dir=$(printf '%s' "$sum" | cut -c1-2)

ok "attach a picture to the case" ncenctl -d "$X" attach case:1 \
	"$T/x-ray.png" --caption "Holdalls behind the doors" --kind XRAY
has "it names the record, type and hash" \
	"attachment 1: case 1, image/png, 20 bytes, sha256 $sum"
[ -f "$X/attachments/$dir/$sum" ]
tap_result $? "the file is stored under its SHA-256"
ok "the stored copy is the file" cmp "$T/x-ray.png" "$X/attachments/$dir/$sum"
ok "attach the same file to the person" ncenctl -d "$X" attach person:1 \
	"$T/x-ray.png"
has "it says the content was there" "attachment 2: person 1, image/png, 20 bytes, sha256 $sum (content already stored)"
[ "$(find "$X/attachments" -type f | wc -l)" -eq 1 ]
tap_result $? "the same content is stored once"
ok "dump" ncenctl -d "$X" dump attachment case person
has "the first record" "field caption Holdalls behind the doors"
has "its kind" "field kind XRAY"
has "its media type" "field media_type image/png"
has "its size" "field size 20"
has "its file name" "field file_name x-ray.png"
has "the second record guessed a photo" "field kind PHOTO"
has "the link to the case" "link case 1 attachment 1 attachment"
has "the link to the person" "link person 1 attachment 2 attachment"

printf '%%PDF-1.4\n%%\342\343\n' >"$T/report.pdf"
ok "a PDF" ncenctl -d "$X" attach case:1 "$T/report.pdf"
has "is application/pdf" "application/pdf"
printf 'plain text\n' >"$T/notes.txt"
ok "anything else" ncenctl -d "$X" attach case:1 "$T/notes.txt"
has "is application/octet-stream" "application/octet-stream"

# A refused attachment: exit status, message, nothing changed at all.
refused() {
	name=$1; want=$2; msg=$3; shift 3
	ncenctl -d "$X" dump -o "$T/before" || return 1
	find "$X/attachments" | sort >"$T/files-before"
	fails_with "$want" "$name is refused" ncenctl -d "$X" attach "$@"
	has "$name: says why" "$msg"
	ncenctl -d "$X" dump -o "$T/after" || return 1
	ok "$name: the database is unchanged" cmp "$T/before" "$T/after"
	find "$X/attachments" | sort >"$T/files-after"
	ok "$name: no file added" cmp "$T/files-before" "$T/files-after"
}

printf 'new content\n' >"$T/new.txt"
refused "a missing record" 1 "cannot attach to case 9" case:9 "$T/new.txt"
refused "a missing file" 2 "$T/none.jpg: No such file or directory" \
	case:1 "$T/none.jpg"
refused "a directory" 2 "$T: not a regular file" case:1 "$T"
if [ "$(id -u)" -ne 0 ]; then
	cp "$T/new.txt" "$T/locked.txt"
	chmod 000 "$T/locked.txt"
	refused "an unreadable file" 2 "Permission denied" case:1 \
		"$T/locked.txt"
fi
refused "a file over the limit" 1 "over the limit of 4 bytes" \
	--max-size 4 case:1 "$T/new.txt"
refused "a caption too long" 1 "caption: expected at most 200" \
	--caption "$(printf '%0300d' 0)" case:1 "$T/new.txt"
refused "an unknown kind" 1 "kind:" --kind SELFIE case:1 "$T/new.txt"
refused "an unknown entity" 2 "cannot attach a file to a record of kind 'vessel'" \
	vessel:1 "$T/new.txt"
refused "a bad reference" 2 "expected ENTITY:ID" case1 "$T/new.txt"
refused "one argument" 2 "expected ENTITY:ID and FILE" case:1

# --as USER: the account's roles and the record decide (the role matrix).
printf '%s\n' 'ncen-dump 1' 'record case 7 1 1795770000 carol' \
	'field date 2026-11-05' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'field officer carol' >"$T/carol.dump"
ok "load carol's case" ncenctl -d "$X" load "$T/carol.dump"
ok "accounts" sh -c "ncenctl -d '$X' user add carol --roles officer &&
	ncenctl -d '$X' user add dan --roles officer &&
	ncenctl -d '$X' user add ana --roles analyst &&
	ncenctl -d '$X' user add sue --roles supervisor --offices FRCDG02"
refused "an analyst" 1 "account 'ana' (analyst) may not attach" \
	--as ana case:7 "$T/new.txt"
refused "an officer on another's case" 1 \
	"account 'dan' (officer) may not attach on case 7" \
	--as dan case:7 "$T/new.txt"
refused "a supervisor of another office" 1 \
	"account 'sue' (supervisor) may not attach on case 7" \
	--as sue case:7 "$T/new.txt"
refused "an account that is not there" 1 "zed" --as zed case:7 "$T/new.txt"
refused "--as on a record that is not there" 1 "case 9" \
	--as carol case:9 "$T/new.txt"
ok "the officer whose case it is may" ncenctl -d "$X" attach --as carol \
	case:7 "$T/new.txt"
ok "the audit log" ncenctl -d "$X" audit show --user carol
has "the attachment is hers" "record.create attachment:"

ok "verify with the files in place" ncenctl -d "$X" verify
rm "$X/attachments/$dir/$sum"
fails_with 1 "verify notices a missing file" ncenctl -d "$X" verify
has "it names the attachment and the file" "attachment 1: $X/attachments/$dir/$sum"

finish
