#!/bin/sh
# bench/csv.sh - import and export rates of ncenctl for N cases with their
# persons and the links between them, as CSV.
#
# usage: bench/csv.sh [-n CASES] [-p PERSONS-PER-CASE] [-f FORMSDIR]
#            [-d WORKDIR] [-k]
#   -n  cases (default 100000)
#   -p  persons linked to each case (default 2)
#   -f  the forms (default: the build tree's forms/, else the source's)
#   -d  a directory for the files and the data directories (default: a
#       new one under ${TMPDIR:-/tmp}, removed at the end unless -k)
#   -k  keep the work directory
#
# It writes case.csv, person.csv and links.csv with awk (the values cycle
# through the shipped code lists; every case gets a narrative of about
# 200 characters), imports them in that order into a new data directory
# with the real ncenctl, exports each back, then imports the exports into
# a second data directory and exports again to check that the round trip
# gives the same bytes.  It prints one table row per step: rows, seconds
# and rows per second.  Run it on a quiet machine, ncenctl built without
# --enable-debug.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
n=100000
per=2
forms=
work=
keep=0
while getopts n:p:f:d:k opt; do
	case $opt in
	n) n=$OPTARG ;;
	p) per=$OPTARG ;;
	f) forms=$OPTARG ;;
	d) work=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '4,12s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done

ncenctl=$top_builddir/src/ncenctl
[ -x "$ncenctl" ] || ncenctl=$(command -v ncenctl) || {
	echo "bench/csv.sh: no ncenctl: run it from the build directory" >&2
	exit 2
}
if [ -z "$forms" ]; then
	if [ -d "$top_builddir/forms" ]; then
		forms=$top_builddir/forms
	else
		forms=$top_srcdir/forms
	fi
fi
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/ncen-csv-bench.XXXXXX")
	[ "$keep" -eq 1 ] || trap 'rm -rf "$work"' EXIT
else
	mkdir -p "$work"
fi

# The codes of a list, one a line.
codes() {
	grep -v '^#' "$forms/$1.codes" | awk 'NR > 2 && NF { print $1 }'
}

now() {
	date +%s.%N
}

# One table row: step rows start end.
row() {
	awk -v s="$1" -v r="$2" -v a="$3" -v b="$4" 'BEGIN {
		t = b - a
		printf "%-28s %9d %9.2f %11.0f\n", s, r, t, (t > 0 ? r / t : 0)
	}'
}

codes office >"$work/office"
codes country >"$work/country"
codes direction >"$work/direction"
codes transport >"$work/transport"
codes detection >"$work/detection"
codes sex >"$work/sex"

awk -v n="$n" -v w="$work" '
function pick(a, k) { return a[(k % a[0]) + 1] }
function load(name, a,    l) {
	a[0] = 0
	while ((getline l < (w "/" name)) > 0)
		a[++a[0]] = l
}
BEGIN {
	load("office", off); load("country", cty); load("direction", dir)
	load("transport", tr); load("detection", det)
	print "id,date,time,office,country,place,direction,transport," \
	    "detection,departure,transit,destination,officer,narrative"
	for (i = 1; i <= n; i++) {
		d = sprintf("20%02d-%02d-%02d", 16 + i % 10, 1 + i % 12,
		    1 + i % 28)
		printf "%d,%s,%02d:%02d,%s,FR,\"Terminal %d, gate %d\",%s,%s,%s,%s,%s;%s,FR,officer%03d,\"Passenger %d stopped at the green channel with two suitcases; the X-ray showed a false bottom holding %d packages of white powder, \"\"cocaine\"\" by the field test.\"\n",
		    i, d, i % 24, i % 60, pick(off, i), i % 4 + 1, i % 40,
		    pick(dir, i), pick(tr, i), pick(det, i), pick(cty, i),
		    pick(cty, i + 7), pick(cty, i + 13), i % 500, i, i % 9 + 1
	}
}' >"$work/case.csv"

awk -v n="$n" -v per="$per" -v w="$work" '
function pick(a, k) { return a[(k % a[0]) + 1] }
function load(name, a,    l) {
	a[0] = 0
	while ((getline l < (w "/" name)) > 0)
		a[++a[0]] = l
}
BEGIN {
	load("country", cty); load("sex", sx)
	print "id,family_name,given_names,aliases,birth_date,birth_place," \
	    "sex,nationality,document_number,address,phone"
	for (i = 1; i <= n * per; i++)
		printf "%d,Family%d,Given %d,Alias%d;Nick %d,19%02d-%02d-%02d,Town %d,%s,%s,P%09d,\"%d rue de la Paix, 75002 Paris\",+33 1 %08d\n",
		    i, i % 20000, i % 3000, i % 777, i, 40 + i % 60,
		    1 + i % 12, 1 + i % 28, i % 900, pick(sx, i),
		    pick(cty, i), i, i % 200 + 1, i
}' >"$work/person.csv"

awk -v n="$n" -v per="$per" 'BEGIN {
	print "from_entity,from_id,to_entity,to_id,role"
	for (i = 1; i <= n; i++)
		for (j = 1; j <= per; j++)
			printf "case,%d,person,%d,%s\n", i, (i - 1) * per + j,
			    j == 1 ? "SUSPECT" : "COURIER"
}' >"$work/links.csv"

a=$work/a
b=$work/b
rm -rf "$a" "$b"
"$ncenctl" -d "$a" init --forms "$forms" >/dev/null
"$ncenctl" -d "$b" init --forms "$forms" >/dev/null

echo "ncenctl import/export: $n cases, $((n * per)) persons, $((n * per)) links"
printf '%-28s %9s %9s %11s\n' step rows seconds rows/s
for e in case person links; do
	rows=$(($(wc -l <"$work/$e.csv") - 1))
	t0=$(now)
	"$ncenctl" -d "$a" import "$e" "$work/$e.csv" >/dev/null
	t1=$(now)
	row "import $e" "$rows" "$t0" "$t1"
done
for e in case person links; do
	rows=$(($(wc -l <"$work/$e.csv") - 1))
	t0=$(now)
	"$ncenctl" -d "$a" export -o "$work/$e.out.csv" "$e" 2>/dev/null
	t1=$(now)
	row "export $e" "$rows" "$t0" "$t1"
done
for e in case person links; do
	"$ncenctl" -d "$b" import "$e" "$work/$e.out.csv" >/dev/null
	"$ncenctl" -d "$b" export -o "$work/$e.again.csv" "$e" 2>/dev/null
	cmp -s "$work/$e.out.csv" "$work/$e.again.csv" || {
		echo "bench/csv.sh: $e: the round trip changed the data" >&2
		exit 1
	}
done
echo "round trip (export, import elsewhere, export): the same bytes"
du -sk "$a" | awk '{ printf "data directory: %.1f MB\n", $1 / 1024 }'
