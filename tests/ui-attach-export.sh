#!/bin/sh
# tests/ui-attach-export.sh - attachments from ncen, driven in tmux: the
# case screen lists an attachment with its caption, kind and size; a
# supervisor exports it (^A on it) to the administrator's outgoing
# folder, set by ncenctl attach outbox and never typed in ncen; the copy
# is whole, audited, never over another file; without a folder, or for
# a stored file that no longer matches its SHA-256, nothing is written;
# an officer is not offered the export.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ui-lib.sh
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_IDLE
X=$T/x
OUT=$T/outgoing
mkdir "$OUT" || exit 1
ncenctl -d "$X" init --forms "$top_builddir/forms" >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
ok "accounts" sh -c "ncenctl -d '$X' user add sue --roles supervisor \
	--offices FRCDG01 && ncenctl -d '$X' user add olga --roles officer &&
	ncenctl -d '$X' user add adm --roles admin"
printf '%s\n' 'ncen-dump 1' 'record case 1 1 1795000000 olga' \
	'field date 2026-11-01' 'field office FRCDG01' 'field country FR' \
	'field direction IMP' 'field officer olga' 'field status draft' \
	>"$T/case.dump"
ok "a case" ncenctl -d "$X" load "$T/case.dump"
printf '\211PNG\r\n\032\nthe suitcase, opened' >"$T/photo of it.png"
ok "a photograph attached" ncenctl -d "$X" attach case:1 \
	"$T/photo of it.png" --caption "The suitcase, opened" --as olga

# Open case 1's attachment as NAME (session S).
open_attachment() {
	ui_start "$1" -- ncen -d "$X" --as "$2" --idle 0
	ui_wait "$1" "Main menu" >/dev/null
	ui_keys "$1" c
	ui_wait "$1" "Cases (1)" >/dev/null
	ui_keys "$1" Enter
	ui_wait "$1" "Attachments (1)" >/dev/null
}

open_attachment S sue
ui_see S "the case screen lists the attachment with its caption" \
	"The suitcase, opened"
has "its kind" "Photograph"
has "and its size" "28 bytes"
ui_keys S End Enter
ui_see S "Enter opens the attachment" "Attachment 1"
has "a supervisor is offered Actions" "^A Actions"

# No outgoing folder yet: refused in words, nothing written.
ncenctl -d "$X" dump -o "$T/before" || exit 1
ui_keys S C-a
ui_wait S "Export it to the outgoing folder" >/dev/null
ui_keys S 1
ui_see S "no folder: refused in words" \
	"Not exported: no outgoing folder for attachments is set"
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is unchanged" cmp "$T/before" "$T/after"

# Only an administrator sets the folder, and only to a directory.
fails_with 1 "an officer may not set the folder" \
	ncenctl -d "$X" attach outbox "$OUT" --as olga
has "says why" "only an administrator may set it"
fails_with 1 "a relative path is refused" \
	ncenctl -d "$X" attach outbox outgoing --as adm
has "says why" "must be an absolute path"
fails_with 1 "a missing folder is refused" \
	ncenctl -d "$X" attach outbox "$T/none" --as adm
ncenctl -d "$X" dump -o "$T/after" || exit 1
ok "the database is still unchanged" cmp "$T/before" "$T/after"
ok "the administrator sets it" ncenctl -d "$X" attach outbox "$OUT" --as adm
ok "and it reads back" ncenctl -d "$X" attach outbox
has "the folder" "outgoing folder: $OUT"

# The supervisor exports it: asked, copied whole, audited.
ui_keys S C-a
ui_wait S "Export it to the outgoing folder" >/dev/null
ui_keys S 1
ui_see S "asked first, naming the folder" "Export attachment 1 to $OUT? (y/n)"
ui_keys S y
ui_see S "exported" "Exported to $OUT/attachment-1-photo_of_it.png."
ok "the copy is whole" cmp "$T/photo of it.png" "$OUT/attachment-1-photo_of_it.png"
ok "the audit log" ncenctl -d "$X" audit show --action attachment.export
has "has the export, by sue" "sue"
has "with where it went" "to $OUT/attachment-1-photo_of_it.png"
ui_keys S C-a
ui_wait S "Export it to the outgoing folder" >/dev/null
ui_keys S 1
ui_wait S "(y/n)" >/dev/null
ui_keys S y
ui_see S "a second export never overwrites the first" \
	"Exported to $OUT/attachment-1-photo_of_it.png-2."

# A stored file that no longer matches its SHA-256 is not exported.
sha=$(sed -n 's/^field sha256 //p' "$T/before" | head -1)
chmod u+w "$X/attachments/$(echo "$sha" | cut -c1-2)/$sha" 2>/dev/null
printf 'tampered' >>"$X/attachments/$(echo "$sha" | cut -c1-2)/$sha"
ui_keys S C-a
ui_wait S "Export it to the outgoing folder" >/dev/null
ui_keys S 1
ui_wait S "(y/n)" >/dev/null
ui_keys S y
ui_see S "a damaged file is refused" \
	"Not exported: its stored file does not match its SHA-256"
[ "$(ls "$OUT" | wc -l)" -eq 2 ]
tap_result $? "nothing more in the folder"

# An officer: no export offered.
open_attachment O olga
ui_keys O End Enter
ui_wait O "Attachment 1" >/dev/null
ui_settle O
! grep -q "Actions" "$T/out"
tap_result $? "an officer is not offered the export"
finish
