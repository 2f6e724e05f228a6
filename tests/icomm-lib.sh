# tests/icomm-lib.sh - what the Icomm end-to-end tests share: generated
# certificates, data directories with a node identity each, lighttpd on
# a loopback port terminating mutual TLS in front of ncen-icomm as a CGI
# program (one URL per receiving data directory), and a relay that
# counts bytes and cuts connections.  Source it after lib.sh.

unset NCEN_HOME NCEN_KEYFILE
F=$top_builddir/forms
LIGHTTPD=$(command -v lighttpd 2>/dev/null || echo /usr/sbin/lighttpd)
[ -x "$LIGHTTPD" ] || skip_all "lighttpd is not installed (sh .ci/deps test)"
for m in /usr/lib/lighttpd/mod_openssl.so /usr/lib/lighttpd/mod_cgi.so; do
	[ -f "$m" ] || skip_all "$m is missing (lighttpd-mod-openssl)"
done
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

# A free loopback port.
icomm_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(icomm_port)

# A test CA and the web server's certificate for 127.0.0.1, and a rogue
# self-signed client certificate no one registered.
icomm_certs() {
	(
	cd "$T" || exit 1
	k="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
	# shellcheck disable=SC2086
	openssl req -x509 $k -keyout ca.key -out ca.crt -days 2 \
		-subj "/CN=ncen test CA" &&
	# shellcheck disable=SC2086
	openssl req $k -keyout server.key -out server.csr \
		-subj "/CN=localhost" &&
	printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
		'extendedKeyUsage=serverAuth' >server.ext &&
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
		-CAcreateserial -days 2 -extfile server.ext -out server.crt &&
	cat server.crt ca.crt >server-chain.pem &&
	# shellcheck disable=SC2086
	openssl req -x509 $k -keyout rogue.key -out rogue.crt -days 2 \
		-subj "/CN=rogue"
	) >"$T/certs.log" 2>&1
}

# A data directory $T/NAME with a node identity: icomm_node NAME ID ROLE.
icomm_node() {
	ncenctl -d "$T/$1" init --forms "$F" >/dev/null &&
	ncenctl -d "$T/$1" node init --id "$2" --role "$3" >/dev/null
}

# The CGI program a URL /NAME/icomm runs: icomm_cgi NAME [OPTIONS].
# While $T/NAME/lose-receipt exists, a batch is received but its receipt
# is lost (a 502 goes back instead), once per file.
icomm_cgi() {
	name=$1; shift
	mkdir -p "$T/www/$name"
	{
		echo '#!/bin/sh'
		echo "if [ -f '$T/$name/lose-receipt' ]; then"
		echo "	rm -f '$T/$name/lose-receipt'"
		echo "	'$top_builddir/src/ncen-icomm' -d '$T/$name' $* >/dev/null"
		echo "	printf 'Status: 502 Bad Gateway\\r\\n\\r\\n'"
		echo "	exit 0"
		echo "fi"
		echo "exec '$top_builddir/src/ncen-icomm' -d '$T/$name' $*"
	} >"$T/www/$name/icomm"
	chmod +x "$T/www/$name/icomm"
}

# Start lighttpd; the client certificates it lets in are the files given.
icomm_lighttpd_start() {
	cat "$@" >"$T/clients.pem"
	sed -e "s|@ROOT@|$T/www|; s|@PORT@|$port|; s|@DIR@|$T|g" \
		"$top_srcdir/contrib/lighttpd-icomm.conf" >"$T/lighttpd.conf"
	cat >>"$T/lighttpd.conf" <<CONF
server.pid-file = "$T/lighttpd.pid"
server.errorlog = "$T/lighttpd.log"
server.upload-dirs = ( "$T" )
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $port
ssl.pemfile = "$T/server-chain.pem"
ssl.privkey = "$T/server.key"
ssl.verifyclient.ca-file = "$T/clients.pem"
CONF
	"$LIGHTTPD" -tt -f "$T/lighttpd.conf" >"$T/lighttpd.check" 2>&1 || {
		sed 's/^/# /' "$T/lighttpd.check"
		echo "Bail out! the lighttpd configuration is refused"
		exit 1
	}
	"$LIGHTTPD" -D -f "$T/lighttpd.conf" >>"$T/lighttpd.out" 2>&1 &
	lighttpd_pid=$!
	i=0
	until curl -s -o /dev/null --cacert "$T/ca.crt" \
	    "https://127.0.0.1:$port/" 2>/dev/null ||
	    grep -q "server started" "$T/lighttpd.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! kill -0 "$lighttpd_pid" 2>/dev/null; then
			sed 's/^/# /' "$T/lighttpd.log" "$T/lighttpd.out"
			echo "Bail out! lighttpd did not start"
			exit 1
		fi
		sleep 0.1
	done
}

# Stop a process this test started, by the variable holding its pid.
icomm_kill() {
	eval "pid=\${$1:-}"
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	eval "$1="
}

# Stop the lighttpd this test started.
icomm_lighttpd_stop() {
	icomm_kill lighttpd_pid
}

# Start the relay on $rport towards the web server: icomm_relay_start [OPTS].
icomm_relay_start() {
	rport=${rport:-$(icomm_port)}
	rm -f "$T/relay.out"	# an earlier relay's "listening" must not count
	python3 "$top_srcdir/tests/icomm-relay.py" "$rport" "$port" \
		"$T/relay.count" "$@" >"$T/relay.out" 2>&1 &
	relay_pid=$!
	i=0
	until grep -q listening "$T/relay.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "Bail out! the relay did not start"; exit 1; }
		sleep 0.1
	done
}

# Stop the relay.
icomm_relay_stop() {
	icomm_kill relay_pid
}

# shellcheck disable=SC2016 # expanded by lib.sh's trap
tap_cleanup='icomm_relay_stop; icomm_lighttpd_stop'

# Register partner ID (data directory NAME) in data directory IN:
# icomm_partner IN ID NAME ROLE URL.
icomm_partner() {
	ncenctl -d "$T/$1" partner add "$2" --role "$4" --url "$5" \
		--cert "$T/$3/node.crt" --tls-ca "$T/ca.crt" >/dev/null
}

# An agreement: icomm_agreement IN PARTNER DIR LEVEL [GROUPS].
icomm_agreement() {
	ncenctl -d "$T/$1" agreement add --partner "$2" --dir "$3" \
		--level "$4" --groups "${5:-all}" --from 2020-01-01 \
		--to 2099-12-31 --basis "Mutual assistance agreement of 2020-01-01" \
		>/dev/null
}

# Load the small fixture into NAME and take case 1 to validated.
icomm_cases() {
	ncenctl -d "$T/$1" load "$top_srcdir/tests/fixtures/ctl/small.dump" \
		>/dev/null &&
	ncenctl -d "$T/$1" user add alice --roles officer >/dev/null &&
	ncenctl -d "$T/$1" user add bob --roles officer >/dev/null &&
	ncenctl -d "$T/$1" user add sue --roles supervisor >/dev/null
}
