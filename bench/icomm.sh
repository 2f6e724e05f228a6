#!/bin/sh
# bench/icomm.sh - Icomm on the wire: bytes and seconds to send N
# validated cases (demo data: each with its seizures, persons, businesses
# and conveyances) from one node to a partner through a real lighttpd
# with mutual TLS, at full speed and with the uploader capped to
# 9600 bit/s (--max-rate 1200), and the receiver's import rate.
#
# usage: bench/icomm.sh [-n CASES] [-c CAPPED-CASES] [-b BATCH]
#   -n  cases sent at full speed and imported (default 1000)
#   -c  cases sent at 9600 bit/s (default: as -n; each 1000 take a few
#       minutes)
#   -b  entries per batch (default 100)
# Run from the build tree (top_builddir, default .), ncen-icomm built
# without --enable-debug.  Bytes on the wire are counted by a relay
# between the uploader and lighttpd (TLS records and handshakes both
# ways); "HTTP" bytes are what curl reports (bodies and headers).

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
export top_srcdir top_builddir
n=1000
capn=
batch=100
while getopts n:c:b: opt; do
	case $opt in
	n) n=$OPTARG ;;
	c) capn=$OPTARG ;;
	b) batch=$OPTARG ;;
	*) sed -n '8,13s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
capn=${capn:-$n}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$top_srcdir/tests/icomm-lib.sh"
PATH=$top_builddir/bench:$PATH

die() { echo "bench/icomm.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }

icomm_certs || die "openssl failed"
icomm_relay_start
# Two pairs of nodes: one run at full speed, one capped; each sender
# has its own cases, validated through the workflow (which queues them).
for p in full cap; do
	icomm_node "s$p" "FR-$p" national && icomm_node "r$p" "DE-$p" national ||
		die "node init"
	icomm_partner "s$p" "DE-$p" "r$p" national \
		"https://127.0.0.1:$rport/r$p/icomm" &&
	icomm_agreement "s$p" "DE-$p" out partner &&
	icomm_partner "r$p" "FR-$p" "s$p" national "https://127.0.0.1:1/" &&
	icomm_agreement "r$p" "FR-$p" in partner || die "partners"
	icomm_cgi "r$p"
done
# The importer gets the same cases in one file (queued for it too).
icomm_node imp DE-imp national &&
	icomm_partner imp FR-full sfull national "https://127.0.0.1:1/" &&
	icomm_agreement imp FR-full in partner &&
	icomm_partner sfull DE-imp imp national "https://127.0.0.1:1/" &&
	icomm_agreement sfull DE-imp out partner || die "importer"
icomm_lighttpd_start "$T/sfull/node.crt" "$T/scap/node.crt"

# The demo leaves some drafts incomplete: make a fifth more than needed.
ncenctl -d "$T/sfull" demo --cases $((n + n / 5 + 10)) --seed 1 >/dev/null ||
	die "demo"
ncenctl -d "$T/scap" demo --cases $((capn + capn / 5 + 10)) --seed 2 \
	>/dev/null || die "demo"
set -- $(icomm-validate "$T/sfull" "$n") || die "validate"
vn=$1 vs=$2
icomm-validate "$T/scap" "$capn" >/dev/null || die "validate"

# send LABEL NODE CASES [OPTIONS]: one pass, a table row.
send() {
	label=$1 node=$2 cases=$3; shift 3
	before=$(cat "$T/relay.count" 2>/dev/null || echo "0 0 0")
	t0=$(now)
	ncen-icomm -d "$T/$node" send --batch "$batch" "$@" >"$T/send.out" 2>&1 ||
		{ cat "$T/send.out" >&2; die "send failed"; }
	t1=$(now)
	sleep 0.3
	after=$(cat "$T/relay.count")
	# shellcheck disable=SC2086
	set -- $before $after
	up=$(($4 - $1)) down=$(($5 - $2)) conns=$(($6 - $3))
	http=$(awk '{print $5 + $8}' "$T/send.out")
	awk -v l="$label" -v c="$cases" -v t0="$t0" -v t1="$t1" -v up="$up" \
	    -v down="$down" -v http="$http" -v k="$conns" 'BEGIN {
		s = t1 - t0
		printf "%-30s %6d %9.2f %11d %9d %9d %10.1f %8.2f %5d\n", l, c, s,
		    up + down, up, down, (up + down) / c, s * 1000 / c, k }'
}

printf '%-30s %6s %9s %11s %9s %9s %10s %8s %5s\n' "step" "cases" "seconds" \
	"TLS bytes" "up" "down" "bytes/case" "s/1000" "conns"
awk -v n="$vn" -v s="$vs" 'BEGIN { printf "%-30s %6d %9.2f %11s %9s %9s %10s %8.2f\n",
	"validate + queue (workflow)", n, s, "-", "-", "-", "-", s * 1000 / n }'
send "send, full speed" sfull "$n" --partner DE-full
send "send, 9600 bit/s (1200 B/s)" scap "$capn" --max-rate 1200
# The receiver's import rate: the same cases packed into one file.
ncen-icomm -d "$T/sfull" pack DE-imp --batch "$n" -o "$T/all.p7" >/dev/null ||
	die "pack"
t0=$(now)
ncen-icomm -d "$T/imp" receive "$T/all.p7" >/dev/null || die "receive"
t1=$(now)
recs=$(ncenctl -d "$T/imp" dump | grep -c '^record ')
bytes=$(wc -c <"$T/all.p7")
awk -v n="$n" -v r="$recs" -v t0="$t0" -v t1="$t1" -v b="$bytes" 'BEGIN {
	s = t1 - t0
	printf "%-30s %6d %9.2f %11s %9s %9s %10.1f %8.2f   (%d records, %.0f records/s; one %d-byte batch)\n",
	    "receive from a file (import)", n, s, "-", "-", "-", b / n,
	    s * 1000 / n, r, r / s, b }'
icomm_relay_stop
icomm_lighttpd_stop
