#!/bin/sh
# ctl-user.sh - ncenctl user and audit from the command line: accounts,
# the password policy, keys in authorized_keys (malformed ones refused,
# lines ncenctl did not write untouched), del that disables, ncenctl
# case --as with the account's roles, and the audit log's verify and
# show.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE NCEN_AUTHORIZED_KEYS
F=$top_builddir/forms
X=$T/x
AK=$T/ak

ok "init" ncenctl -d "$X" init --forms "$F"
ok "add an officer" ncenctl -d "$X" user add bob --roles officer
echo "correct horse battery" >"$T/pw"
ok "add a supervisor with a first password" ncenctl -d "$X" user add sue \
	--roles supervisor --offices FRCDG01 --password-stdin <"$T/pw"
fails_with 1 "the same name twice" ncenctl -d "$X" user add bob \
	--roles officer
has "it says so" "account 'bob' already exists"
fails_with 2 "an unknown role" ncenctl -d "$X" user add amy --roles chief
has "it names the roles" "bad roles 'chief'"
fails_with 2 "a bad user name" ncenctl -d "$X" user add "Amy X" \
	--roles analyst
echo "short" >"$T/short"
fails_with 1 "a short password" ncenctl -d "$X" user passwd bob <"$T/short"
has "it says how long" "at least 12"
echo "bob-the-builder-1" >"$T/named"
fails_with 1 "a password holding the user name" ncenctl -d "$X" user \
	passwd bob <"$T/named"
ok "an admin sets bob's password" ncenctl -d "$X" user passwd bob <"$T/pw"
ok "mod" ncenctl -d "$X" user mod bob --roles officer,analyst
ok "lock" ncenctl -d "$X" user lock sue
ok "list" ncenctl -d "$X" user list
has "bob's roles and password state" "officer,analyst  offices=all  must-change-password"
has "sue's office and lock" "supervisor  offices=FRCDG01  locked"
ok "unlock" ncenctl -d "$X" user unlock sue

# Keys.
ssh-keygen -q -t ed25519 -N '' -C bob@pc -f "$T/k" </dev/null || exit 1
echo "# kept: written by hand" >"$AK"
ok "key add" ncenctl -d "$X" user key add bob "$T/k.pub" \
	--authorized-keys "$AK" --ncen /usr/bin/ncen
fp=$(ssh-keygen -l -f "$T/k.pub" | cut -d' ' -f2)
has "it names the fingerprint ssh-keygen gives" "$fp"
grep -qx "# kept: written by hand" "$AK"
tap_result $? "the hand-written line is kept"
grep -q "^restrict,pty,command=\"/usr/bin/ncen -d $(cd "$X" && pwd -P) --as bob\" ssh-ed25519 AAAA[^ ]* ncen:bob\$" "$AK"
tap_result $? "the forced command line"
[ "$(stat -c %a "$AK")" = 600 ]
tap_result $? "authorized_keys is mode 0600"
echo "ssh-ed25519 AAAAnotakey bob@pc" >"$T/bad.pub"
fails_with 1 "a malformed key is refused" ncenctl -d "$X" user key add bob \
	"$T/bad.pub" --authorized-keys "$AK"
has "it says what is wrong" "bad.pub: the key"
echo "ssh-dss AAAAB3NzaC1kc3MAAACBAP bob@pc" >"$T/dss.pub"
fails_with 1 "a key type sshd does not take" ncenctl -d "$X" user key add \
	bob "$T/dss.pub" --authorized-keys "$AK"
fails_with 1 "a key for an account that is not there" ncenctl -d "$X" user \
	key add zed "$T/k.pub" --authorized-keys "$AK"
NCEN_AUTHORIZED_KEYS=$AK ok "key list (file from the environment)" \
	ncenctl -d "$X" user key list bob
has "the line" "ncen:bob"
fails_with 1 "key del of a key not there" ncenctl -d "$X" user key del sue \
	--authorized-keys "$AK"
ok "key del" ncenctl -d "$X" user key del bob "$T/k.pub" \
	--authorized-keys "$AK"
[ "$(cat "$AK")" = "# kept: written by hand" ]
tap_result $? "only the hand-written line is left"

# ncenctl case --as: the account's roles decide.
printf '%s\n' 'ncen-dump 1' 'record case 1 1 1795770000 carol' \
	'field status draft' 'field date 2026-11-05' 'field office FRCDG01' \
	'field country FR' 'field direction IMP' >"$T/case.dump"
ok "load a case" ncenctl -d "$X" load "$T/case.dump"
fails_with 1 "a step as an unknown account" ncenctl -d "$X" case submit 1 \
	--as zed
has "it says so" "no account 'zed'"
fails_with 1 "bob may not validate" ncenctl -d "$X" case validate 1 --as bob
ok "bob submits" ncenctl -d "$X" case submit 1 --as bob
ok "sue validates" ncenctl -d "$X" case validate 1 --as sue
ok "history" ncenctl -d "$X" case history 1
has "with the role from her account" "submitted -> validated  by sue (supervisor)"

# del: bob's name is in the audit log, so he is disabled; a fresh
# account nothing names is deleted.
ok "del bob" ncenctl -d "$X" user del bob
has "disabled, not deleted" "bob: disabled"
ok "add zoe" ncenctl -d "$X" user add zoe --roles analyst
ok "del zoe" ncenctl -d "$X" user del zoe
has "deleted" "zoe: deleted"

# The audit log.
ok "audit verify" ncenctl -d "$X" audit verify
has "the chain is intact" "the chain is intact"
ok "audit show by record" ncenctl -d "$X" audit show --record case:1
has "the validation's change of fields" "sue record.update case:1 changed: status"
has "the workflow step" "sue workflow.validate case:1 submitted -> validated"
ok "audit show by action prefix" ncenctl -d "$X" audit show --action account.
has "account changes, under the login that ran ncenctl" "$(id -un) account.lock account:sue"
ok "audit show by time" ncenctl -d "$X" audit show --until 2000-01-01
[ ! -s "$T/out" ]
tap_result $? "nothing before 2000"
fails_with 2 "a bad time" ncenctl -d "$X" audit show --since soon

finish
