#!/bin/sh
# tests/man-lint.sh - every man page in doc/ is mdoc and passes
# mandoc -Tlint without a warning (style notes, such as references to
# pages not installed on this machine, are not counted).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v mandoc >/dev/null 2>&1 ||
	skip_all "mandoc is not installed (sh .ci/deps test)"
n=0
for page in "$top_srcdir"/doc/*.[0-9]; do
	name=${page##*/}
	n=$((n + 1))
	ok "$name: mandoc -Tlint finds no warning" \
		mandoc -Tlint -Wwarning "$page"
	grep -q '^\.Dd ' "$page" && grep -q '^\.Dt ' "$page" &&
		! grep -q '^\.TH ' "$page"
	tap_result $? "$name is mdoc"
done
[ "$n" -ge 7 ]
tap_result $? "the pages were found ($n)"
finish
