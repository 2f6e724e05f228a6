#!/bin/sh
# ctl-demo.sh - ncenctl demo: the same seed gives the same data, another
# seed other data; the result verifies, every code is in its list, names
# come in three scripts, and repeat offenders link several cases.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms

# A dump without the store's own time stamps (they differ run to run),
# nor its end line (its checksum covers them).
stamped() {
	ncenctl -d "$1" dump |
	    sed -E -e '/^end /d' -e 's/^(record [a-z_]+ [0-9]+ [0-9]+) -?[0-9]+ /\1 T /'
}

for d in a b c; do
	ok "init $d" ncenctl -d "$T/$d" init --forms "$F"
done
ok "demo of 300 cases, seed 7" ncenctl -d "$T/a" demo --cases 300 --seed 7
has "it says what it made" "300 cases,"
ok "again into another directory" ncenctl -d "$T/b" demo --cases 300 \
	--seed 7 --batch 64
ok "another seed" ncenctl -d "$T/c" demo --cases 300 --seed 8
stamped "$T/a" >"$T/a.dump"
stamped "$T/b" >"$T/b.dump"
stamped "$T/c" >"$T/c.dump"
ok "the same seed gives the same dump (batches of any size)" \
	cmp "$T/a.dump" "$T/b.dump"
! cmp -s "$T/a.dump" "$T/c.dump"
tap_result $? "another seed gives another dump"
# The generator draws in the same order from one version to the next: a
# change to this data set is a change to this line.
sum=$(for e in case seizure person; do ncenctl -d "$T/a" export "$e"; done |
	sha256sum | cut -c1-16)
[ "$sum" = cc13d7bb004b9fdd ]
tap_result $? "seed 7 gives the data set it always gave ($sum)"
ok "verify passes" ncenctl -d "$T/a" verify
ok "the dump loads into a fresh directory (every record passes its form)" \
	sh -c "ncenctl -d '$T/l' init --forms '$F' >/dev/null &&
	    ncenctl -d '$T/a' dump -o '$T/full.dump' &&
	    ncenctl -d '$T/l' load '$T/full.dump'"

D=$T/a.dump
[ "$(grep -c '^record case ' "$D")" -eq 300 ]
tap_result $? "300 cases"
for e in seizure person business conveyance transition; do
	grep -q "^record $e " "$D"
	tap_result $? "there are ${e} records"
done

# Names in the three scripts.
grep '^field family_name ' "$D" | grep -q 'field family_name [A-Z]'
tap_result $? "Latin family names"
# Arabic letters are U+0600-U+06FF (UTF-8 lead bytes 0xD8-0xDB),
# Cyrillic ones U+0400-U+04FF (0xD0-0xD3): byte patterns need no locale.
LC_ALL=C grep -q "^field family_name $(printf '[\330-\333]')" "$D"
tap_result $? "Arabic family names"
LC_ALL=C grep -q "^field family_name $(printf '[\320-\323]')" "$D"
tap_result $? "Cyrillic family names"
grep -q '^field aliases ' "$D"
tap_result $? "transliterations as aliases"

# Repeat offenders: a person linked to two cases or more.
grep '^link case [0-9]* person ' "$D" | awk '{print $5}' | sort | uniq -c |
	awk '$1 >= 2 { n++ } END { exit !(n >= 3) }'
tap_result $? "at least three persons are linked to two cases or more"

# Every code value is in its list: the loaded forms say which fields
# hold codes of which list.
awk -v forms="$F" '
	FNR == 1 && FILENAME != "-" && FILENAME ~ /\.form$/ { form = "" }
	FILENAME ~ /\.form$/ && $1 == "form" { form = $2 }
	FILENAME ~ /\.form$/ && $1 == "field" && $3 ~ /^code:/ {
		list[form "." $2] = substr($3, 6)
	}
	FILENAME ~ /\.codes$/ && $1 == "list" { l = $2; next }
	FILENAME ~ /\.codes$/ && NF >= 2 && $1 !~ /^#/ && $1 != "ncen-codes" {
		code[l "|" $1] = 1
	}
	FILENAME == "-" && $1 == "record" { form = $2 }
	FILENAME == "-" && $1 == "field" && ((form "." $2) in list) {
		if (!((list[form "." $2] "|" $3) in code)) {
			print "not in " list[form "." $2] ": " form "." $2 " " $3
			bad++
		}
		checked++
	}
	FILENAME == "-" && $1 == "link" && $2 == "case" && $6 != "CARRIER" {
		if (!(("role|" $6) in code)) { print "role " $6; bad++ }
	}
	END { print checked " code values checked"; exit bad > 0 || checked < 1000 }
' "$F"/*.form "$F"/*.codes - <"$D" >"$T/out" 2>&1
st=$?
tap_result $st "every code value is in its list"
[ $st -eq 0 ] || head -20 "$T/out" | sed 's/^/# /'
grep -q '^link case [0-9]* conveyance [0-9]* CARRIER$' "$D"
tap_result $? "conveyances are linked as CARRIER (a role of role.codes)"
grep -q '^link person [0-9]* conveyance [0-9]* DRIVER$' "$D"
tap_result $? "drivers are linked to their vehicles"

# Statuses and history: mostly validated or closed, some drafts.
for s in draft submitted validated closed; do
	grep -q "^field status $s$" "$D"
	tap_result $? "some cases are $s"
done
v=$(grep -c '^field status \(validated\|closed\)$' "$D")
[ "$v" -ge 200 ]
tap_result $? "most cases are validated or closed ($v)"

fails_with 2 "demo needs --cases" ncenctl -d "$T/a" demo
fails_with 2 "a bad count" ncenctl -d "$T/a" demo --cases 0
fails_with 2 "no data directory" ncenctl demo --cases 1

# --as USER: demo data is a bulk load, so the import cell of the role
# matrix decides (ncp, admin); what it links is audited under USER.
ok "init d" ncenctl -d "$T/d" init --forms "$F"
ok "accounts" sh -c "ncenctl -d '$T/d' user add bob --roles officer &&
	ncenctl -d '$T/d' user add root1 --roles admin"
fails_with 1 "an officer may not make demo data" ncenctl -d "$T/d" demo \
	--cases 2 --as bob
has "it says why" "demo: refused: account 'bob' (officer) may not import"
ok "nothing was made" ncenctl -d "$T/d" stats
! grep -q "^case  *[1-9]" "$T/out"
tap_result $? "no case"
ok "an admin may" ncenctl -d "$T/d" demo --cases 2 --as root1
ok "the audit log" ncenctl -d "$T/d" audit show --user root1
has "the links are the admin's" "record.link case:1"

finish
