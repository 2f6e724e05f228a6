#!/bin/sh
# tests/layers.sh - the layers of src/ hold: reading the #include lines
# of src/*.c and include/*.h, no module includes the header of a layer
# above its own, every module has a layer, and the store's internals
# (store-int.h, Berkeley DB's <db.h>) stay in src/store-*.c.  The checker
# is first run on a small tree that breaks each rule, so that it can fail.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# The layers, lowest first: a module may include its own layer's headers
# and those of the layers below.  Names are file names without .c or .h;
# NAME-* stands for every name that begins with NAME-, and a name listed
# whole wins over a prefix.  store-outbox and store-partner are the
# records ncen and ncen-icomm share: built on store-kv.h, they audit
# what they write, so they stand with the audit log.
layers='
0 base		buf error xmalloc i18n utf8 csv match config
1 schema	schema schema-* validate record
2 store		store store-*
3 audit		audit auth auth-* store-outbox store-partner
4 search	search search-* rules rules-*
5 features	workflow workflow-* alert alert-* attach attach-* merge retention report report-* stats stats-* statcase demo
6 icomm		icomm icomm-*
7 programs	ui ui-* ctl ctl-* ncen ncen-client ncenctl ncen-icomm session session-*
'

# Print one line per broken rule for the tree under DIR (src/, include/).
layers_check() {
	for f in "$1"/src/*.c "$1"/include/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^#[ 	]*include[ 	]*\([<"][^>"]*[>"]\).*/\1/p' "$f" |
		    sed "s|^|${f#"$1"/} |"
	done | awk -v layers="$layers" '
	BEGIN {
		n = split(layers, line, "\n")
		for (i = 1; i <= n; i++) {
			k = split(line[i], w, /[ \t]+/)
			for (j = 3; j <= k; j++) {
				if (w[j] ~ /-\*$/)
					prefix[substr(w[j], 1, length(w[j]) - 1)] = w[1]
				else
					exact[w[j]] = w[1]
				lname[w[1]] = w[2]
			}
		}
	}
	# The rank of a module, or -1 when no line of the table names it.
	function rank(m,    p, best, r) {
		if (m in exact)
			return exact[m]
		best = ""; r = -1
		for (p in prefix)
			if (index(m, p) == 1 && length(p) > length(best)) {
				best = p; r = prefix[p]
			}
		return r
	}
	function module(path) {
		sub(/.*\//, "", path)
		sub(/\.[ch]$/, "", path)
		return path
	}
	{
		file = $1; inc = $2; m = module(file)
		if (!(m in seen)) {
			seen[m] = 1
			if (rank(m) < 0)
				print file ": no layer in the table"
		}
		if (inc == "<db.h>" && file !~ /^src\/store-[^\/]*\.c$/ &&
		    file != "include/store-int.h")
			print file ": Berkeley DB (<db.h>) outside src/store-*.c"
		if (inc !~ /^"/)
			next
		h = inc; gsub(/"/, "", h); hm = module(h)
		if (hm == "store-int" && file !~ /^src\/store-[^\/]*\.c$/) {
			print file ": store internals (store-int.h) outside src/store-*.c"
			next
		}
		if (hm == "store-int" || hm == m)
			next
		if (rank(hm) < 0)
			print file ": " h " has no layer in the table"
		else if (rank(m) >= 0 && rank(hm) > rank(m))
			print file " (" lname[rank(m)] ") includes " h " (" lname[rank(hm)] ")"
	}'
}

# A tree that breaks each rule once.
bad=$T/bad
mkdir -p "$bad/src" "$bad/include"
printf '#include "workflow.h"\n' >"$bad/src/store-x.c"
printf '#include "store-int.h"\n#include <db.h>\n' >"$bad/src/audit.c"
printf '#include "buf.h"\n' >"$bad/src/newthing.c"
printf '#include "store.h"\n' >"$bad/src/ncen.c"
layers_check "$bad" >"$T/out"
has "a store module including the workflow is refused" \
	"src/store-x.c (store) includes workflow.h (features)"
has "store-int.h outside the store is refused" \
	"src/audit.c: store internals (store-int.h) outside src/store-*.c"
has "<db.h> outside the store is refused" \
	"src/audit.c: Berkeley DB (<db.h>) outside src/store-*.c"
has "a module with no layer is refused" "src/newthing.c: no layer in the table"
[ "$(wc -l <"$T/out")" -eq 4 ]
tap_result $? "a program including the store is not ($(wc -l <"$T/out") lines)"

# The tree itself.
[ "$(ls "$top_srcdir"/src/*.c | wc -l)" -gt 100 ]
tap_result $? "the sources were found"
layers_check "$top_srcdir" >"$T/out"
[ ! -s "$T/out" ]
tap_result $? "src/ and include/ hold the layers"
sed 's/^/# /' "$T/out"
finish
