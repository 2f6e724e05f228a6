#!/bin/sh
# tests/ui-messages.sh - Messages in ncen: a message received from a
# partner (a batch carried by hand, ncen-icomm receive FILE) shows in
# the menu as unread until the officer opens it, the read mark is kept
# per user in the database; the NCP writes a message in ncen and it is
# queued in the outbox; the NCP's Partners screen shows a failed send's
# error in words.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FR=$T/fr
DE=$T/de
URL=https://127.0.0.1:9/icomm	# nothing listens on the discard port

# node NAME ID PARTNER-ID PARTNER-NAME DIR: a data directory with a node
# identity, the other as its partner, an agreement in DIR.
node() {
	ncenctl -d "$T/$1" init --forms "$F" >/dev/null &&
	ncenctl -d "$T/$1" node init --id "$2" --role national >/dev/null
}
partner() {
	ncenctl -d "$T/$1" partner add "$2" --role national --url "$URL" \
		--cert "$T/$3/node.crt" >/dev/null &&
	ncenctl -d "$T/$1" agreement add --partner "$2" --dir "$4" \
		--level partner --groups all --from 2020-01-01 \
		--to 2099-12-31 --basis "Mutual assistance agreement of 2020" \
		>/dev/null
}
node fr FR-NCEN && node de DE-NCEN && partner fr DE-NCEN de out &&
	partner de FR-NCEN fr in
tap_result $? "FR and DE, partners under an agreement"
ok "accounts" sh -c "ncenctl -d '$FR' user add nina --roles ncp >/dev/null &&
	ncenctl -d '$DE' user add olga --roles officer >/dev/null &&
	ncenctl -d '$DE' user add otto --roles officer >/dev/null"
ok "FR's NCP writes to DE" ncen-icomm -d "$FR" message DE-NCEN --as nina \
	--subject "Seizure at Le Havre" --body "Please check container MSKU 1234."
ok "a batch carried by hand" ncen-icomm -d "$FR" pack DE-NCEN -o "$T/b.p7"
ok "DE receives it" ncen-icomm -d "$DE" receive "$T/b.p7" -o "$T/r.p7"

# 1. The unread count, and opening the message marks it read.
ui_start A -- ncen -d "$DE" --as olga
ui_see A "the menu counts the unread message" "m  Messages (1 unread)"
ui_keys A m
ui_see A "the Messages list shows it" "Seizure at Le Havre"
has "marked unread" "* "
has "with its title counting it" "1 unread"
ui_keys A C-n
ui_see A "an officer may not write to partners" "Your roles may not write"
ui_keys A Enter
ui_see A "opening it shows the text" "Please check container MSKU 1234."
has "and the subject" "Seizure at Le Havre"
ui_keys A C-x
ui_see A "back on the list, no longer unread" "0 unread"
ui_keys A C-x
ui_wait A "Main menu" >/dev/null
cp "$T/out" "$T/menu"
ok "the menu has no unread count now" sh -c "grep -q 'm  Messages\$' '$T/menu' &&
	! grep -q unread '$T/menu'"
ui_keys A C-x
ui_gone A
db5.3_dump -p "$DE/icomm.db" >"$T/icomm.dump" 2>&1
ok "the read mark is in the database" grep -q 'read\\00olga\\00' "$T/icomm.dump"
ui_start B -- ncen -d "$DE" --as otto
ui_see B "another officer still has it unread" "m  Messages (1 unread)"
ui_keys B C-x
ui_gone B

# 2. The NCP writes a message in ncen; it is queued in FR's outbox
# (the first one left it when DE's receipt came back), citing a case
# typed by its number.
ok "DE's receipt empties FR's outbox" ncen-icomm -d "$FR" receipt "$T/r.p7"
ok "ncen-icomm status" ncen-icomm -d "$FR" status
has "nothing queued" "queued 0,"
ok "FR's cases" ncenctl -d "$FR" load "$top_srcdir/tests/fixtures/ctl/small.dump"
ui_start C -- ncen -d "$FR" --as nina
ui_see C "FR's menu" "m  Messages"
ui_keys C m
ui_see C "the sent message is listed" "Seizure at Le Havre"
ui_keys C C-n
ui_wait C "To partner node:" >/dev/null
ui_type C "DE-NCEN"; ui_keys C Enter
ui_wait C "Subject:" >/dev/null
ui_type C "Follow-up from the terminal"; ui_keys C Enter
ui_wait C "Text, line 1" >/dev/null
ui_type C "Second container found."; ui_keys C Enter
ui_wait C "Text, line 2" >/dev/null
ui_keys C Enter
ui_wait C "Cited cases" >/dev/null
ui_type C "FR-CDG01-2026-000001"; ui_keys C Enter
ui_see C "the screen says it is queued" "queued for DE-NCEN"
has "and lists it" "Follow-up from the terminal"
ok "the message is a record" ncenctl -d "$FR" dump message
has "with its subject" "field subject Follow-up from the terminal"
has "citing the case typed by its number" "field cites case:1"
ok "ncen-icomm status" ncen-icomm -d "$FR" status
has "one more queued for DE" "queued 1,"

# 3. The Partners screen: a failed send's error in words.
for i in 1 2 3; do
	fails_with 1 "send $i where nothing listens fails" ncen-icomm -d "$FR" \
		send --tries 1
done
ui_keys C C-x
ui_see C "the NCP's menu offers Partners" "Partners"
ui_keys C t
ui_see C "the partner is listed" "DE-NCEN"
has "with its role" "DE-NCEN (national)"
has "with its queue" "queued 1"
has "and the last error in words" "Failed to connect to 127.0.0.1 port 9"
has "marked as failing three times" ">! DE-NCEN"
has "with the count" "failures in a row: 3"
ui_keys C Enter
ui_see C "its agreements" "Mutual assistance agreement of 2020"
has "with direction, level and groups" "direction out, level partner, groups all"
has "under its role and endpoint" "DE-NCEN (national) https://127.0.0.1:9/icomm"
has "and the whole error" "Couldn't connect to server"
ui_keys C C-x
ui_see C "back on the Partners screen" "Partners (1)"
ui_keys C C-n
ui_wait C "Legal basis" >/dev/null
ui_type C "Protocol of 2026-11-01"; ui_keys C Enter
ui_wait C "Direction" >/dev/null
ui_type C "out"; ui_keys C Enter
ui_wait C "Highest level" >/dev/null
ui_type C "cen"; ui_keys C Enter
ui_wait C "Commodity groups" >/dev/null
ui_type C "DRUG TOB"; ui_keys C Enter
ui_wait C "Valid from" >/dev/null
ui_type C "2026-11-01"; ui_keys C Enter
ui_wait C "Valid to" >/dev/null
ui_type C "2030-12-31"; ui_keys C Enter
ui_see C "the NCP added an agreement" "Agreement 2 added with DE-NCEN."
ok "ncenctl agreement list" ncenctl -d "$FR" agreement list
has "lists it as typed" "2	DE-NCEN	out	cen	2026-11-01..2030-12-31	DRUG,TOB"
ui_keys C Enter
ui_see C "the Partners screen shows it" "direction out, level cen, groups DRUG TOB"
ui_keys C C-x
ui_see C "back on the Partners screen again" "Partners (1)"
ui_keys C C-d
ui_wait C "End which agreement" >/dev/null
ui_type C "1"; ui_keys C Enter
ui_wait C "End agreement 1" >/dev/null
ui_type C "y"
ui_see C "the NCP ended the agreement" "Agreement 1 ended."
ok "ncenctl agreement list" ncenctl -d "$FR" agreement list
has "shows it ended" "ended"
ok "the audit log" ncenctl -d "$FR" audit show --action icomm.agreement.end
has "names the NCP ending it" "nina"
ui_keys C C-x C-x
ui_gone C
finish
