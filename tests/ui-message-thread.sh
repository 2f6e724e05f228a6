#!/bin/sh
# tests/ui-message-thread.sh - a message thread between two nodes, driven
# in ncen in tmux: FR's NCP writes a message of several lines citing a
# validated case; DE receives it, reads it whole, opens the cited case
# from it and replies; FR receives the reply in the same thread.  A
# message to a partner no agreement covers is refused at once, in
# ncen and by ncen-icomm, and nothing is written or queued.  The
# database is checked after each step.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ui-lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
FR=$T/fr
DE=$T/de
URL=https://127.0.0.1:9/icomm	# nothing listens on the discard port

node() {
	ncenctl -d "$T/$1" init --forms "$F" >/dev/null &&
	ncenctl -d "$T/$1" node init --id "$2" --role national >/dev/null
}
# partner NODE PARTNER-ID PARTNER-DIR DIR: registered, under an agreement.
partner() {
	ncenctl -d "$T/$1" partner add "$2" --role national --url "$URL" \
		--cert "$T/$3/node.crt" >/dev/null &&
	ncenctl -d "$T/$1" agreement add --partner "$2" --dir "$4" \
		--level partner --groups all --from 2020-01-01 \
		--to 2099-12-31 --basis "Mutual assistance agreement of 2020" \
		>/dev/null
}
node fr FR-NCEN && node de DE-NCEN && node it IT-NCEN &&
	partner fr DE-NCEN de both && partner de FR-NCEN fr both &&
	ncenctl -d "$FR" partner add IT-NCEN --role national --url "$URL" \
		--cert "$T/it/node.crt" >/dev/null
tap_result $? "FR and DE under an agreement both ways; IT a partner of FR without one"
ok "accounts" sh -c "ncenctl -d '$FR' user add nina --roles ncp &&
	ncenctl -d '$FR' user add sue --roles supervisor &&
	ncenctl -d '$DE' user add dora --roles ncp"
ok "FR's cases" ncenctl -d "$FR" load "$top_srcdir/tests/fixtures/ctl/small.dump"
ok "case 1 submitted" ncenctl -d "$FR" case submit 1 --as sue
ok "and validated, so that it may travel" ncenctl -d "$FR" case validate 1 --as sue

# No agreement with IT: ncen-icomm refuses at once, nothing written.
ncenctl -d "$FR" dump -o "$T/before" || exit 1
fails_with 1 "ncen-icomm refuses a message no agreement covers" \
	ncen-icomm -d "$FR" message IT-NCEN --as nina --subject "Hello"
has "in words" "no agreement in force lets a message go to IT-NCEN: it is not written"
ncenctl -d "$FR" dump -o "$T/after" || exit 1
ok "FR's database is unchanged" cmp "$T/before" "$T/after"
ok "ncen-icomm status" ncen-icomm -d "$FR" status
! grep -q "IT-NCEN.*queued [1-9]" "$T/out"
tap_result $? "nothing queued for IT"

ui_start N -- ncen -d "$FR" --as nina --idle 0
ui_wait N "Main menu" >/dev/null
ui_keys N m
ui_wait N "No messages." >/dev/null
ui_keys N C-n
ui_wait N "To partner node:" >/dev/null
ui_type N "IT-NCEN"; ui_keys N Enter
ui_wait N "Subject:" >/dev/null
ui_type N "Hello"; ui_keys N Enter
ui_wait N "Text, line 1" >/dev/null
ui_type N "Anyone there?"; ui_keys N Enter
ui_wait N "Text, line 2" >/dev/null
ui_keys N Enter
ui_wait N "Cited cases" >/dev/null
ui_keys N Enter
ui_see N "ncen refuses it when written, in words" \
	"Not written: no agreement in force lets a message go to IT-NCEN"
ncenctl -d "$FR" dump -o "$T/after" || exit 1
ok "FR's database is still unchanged" cmp "$T/before" "$T/after"

# FR writes to DE: three lines, citing case 1 by its number.
ui_keys N C-n
ui_wait N "To partner node:" >/dev/null
ui_type N "DE-NCEN"; ui_keys N Enter
ui_wait N "Subject:" >/dev/null
ui_type N "Cocaine in reefers"; ui_keys N Enter
ui_wait N "Text, line 1" >/dev/null
ui_type N "Dear colleagues,"; ui_keys N Enter
ui_wait N "Text, line 2" >/dev/null
ui_type N "two reefers from Santos held 40 kg."; ui_keys N Enter
ui_wait N "Text, line 3" >/dev/null
ui_type N "Do you know the consignee?"; ui_keys N Enter
ui_wait N "Text, line 4" >/dev/null
ui_keys N Enter
ui_wait N "Cited cases" >/dev/null
ui_type N "FR-CDG01-2026-000001"; ui_keys N Enter
ui_see N "queued" "queued for DE-NCEN"
ok "the message is a record" ncenctl -d "$FR" dump message
has "its text keeps its lines" "Dear colleagues,\\ntwo reefers from Santos held 40 kg.\\nDo you know the consignee?"
has "citing the case" "field cites case:1"
has "in a thread" "field thread "
ok "packed for DE" ncen-icomm -d "$FR" pack DE-NCEN -o "$T/b1.p7"
ok "DE receives it" ncen-icomm -d "$DE" receive "$T/b1.p7" -o "$T/r1.p7"
ok "FR takes the receipt" ncen-icomm -d "$FR" receipt "$T/r1.p7"

# DE reads it whole, opens the cited case, replies.
ui_start D -- ncen -d "$DE" --as dora --idle 0
ui_wait D "Main menu" >/dev/null
ui_keys D m
ui_wait D "Cocaine in reefers" >/dev/null
ui_keys D Enter
ui_wait D "Message 1" >/dev/null
ui_keys D C-a
ui_wait D "Read it whole" >/dev/null
ui_keys D 1
ui_see D "the text in the pager, line by line" "two reefers from Santos held 40 kg."
has "its first line on its own" "Dear colleagues,"
has "who sent it" "From FR-NCEN"
ui_keys D C-x
ui_wait D "Message 1" >/dev/null
ui_keys D C-a
ui_wait D "Open the cited case" >/dev/null
ui_keys D 3
ui_see D "the cited case opens" "Cocaine (hydrochloride)"
has "the case screen" "Customs office: FRCDG01"
ui_keys D C-x
ui_wait D "Message 1" >/dev/null
ui_keys D C-a
ui_wait D "Reply" >/dev/null
ui_keys D 2
ui_wait D "Subject (empty" >/dev/null
ui_keys D Enter
ui_wait D "Text, line 1" >/dev/null
ui_type D "Yes: a shell company in Hamburg."; ui_keys D Enter
ui_wait D "Text, line 2" >/dev/null
ui_keys D Enter
ui_wait D "Cited cases" >/dev/null
ui_keys D Enter
ui_see D "the reply is queued for FR" "queued for FR-NCEN"
ok "DE's messages" ncenctl -d "$DE" dump message
has "the reply's subject" "field subject Re: Cocaine in reefers"
thread=$(sed -n 's/^field thread //p' "$T/out" | sort -u)
[ "$(echo "$thread" | wc -l)" -eq 1 ] && [ -n "$thread" ]
tap_result $? "the message and its reply share one thread ($thread)"
ok "packed for FR" ncen-icomm -d "$DE" pack FR-NCEN -o "$T/b2.p7"
ok "FR receives it" ncen-icomm -d "$FR" receive "$T/b2.p7" -o "$T/r2.p7"
ok "FR's messages" ncenctl -d "$FR" dump message
has "FR keeps the reply in the same thread" "field thread $thread"

# FR reads the reply with its thread.
ui_keys N C-l
ui_wait N "Re: Cocaine in reefers" >/dev/null
ui_keys N Home Enter
ui_wait N "Subject: Re: Cocaine in reefers" >/dev/null
ui_keys N C-a
ui_wait N "Read it whole" >/dev/null
ui_keys N 1
ui_see N "the reply whole" "Yes: a shell company in Hamburg."
has "the thread lists the first message" "to DE-NCEN  Cocaine in reefers"
has "and the reply" "from DE-NCEN  Re: Cocaine in reefers"
finish
