#!/usr/bin/env python3
"""icomm-relay.py - a TCP relay on loopback between the uploader and the
web server: it counts the bytes that cross it (TLS included) and can cut
connections the way a thin link drops them.

usage: icomm-relay.py LISTEN_PORT TARGET_PORT COUNT_FILE [--cut-up N]
       [--cuts K]
  --cut-up N   close a connection once N bytes went up (mid-upload)
  --cuts K     cut the first K connections that way (default 1)
COUNT_FILE gets "up DOWN connections" after every connection."""
import socket
import sys
import threading

args = sys.argv[1:]
listen, target, count_file = int(args[0]), int(args[1]), args[2]
cut_up = None
cuts = 1
i = 3
while i < len(args):
    if args[i] == "--cut-up":
        cut_up = int(args[i + 1])
        i += 2
    elif args[i] == "--cuts":
        cuts = int(args[i + 1])
        i += 2
    else:
        sys.exit("icomm-relay.py: unknown option " + args[i])

lock = threading.Lock()
totals = {"up": 0, "down": 0, "conns": 0}


def pump(src, dst, way, state):
    """Copy one direction until it ends or the connection is cut."""
    try:
        while True:
            data = src.recv(4096)
            if not data:
                break
            if state["cut"] and way == "up" and cut_up is not None:
                room = cut_up - state["up"]
                if room <= len(data):
                    dst.sendall(data[:max(room, 0)])
                    with lock:
                        totals["up"] += max(room, 0)
                    raise ConnectionAbortedError
            dst.sendall(data)
            state[way] += len(data)
            with lock:
                totals[way] += len(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client):
    """Relay one connection."""
    with lock:
        totals["conns"] += 1
        n = totals["conns"]
    state = {"up": 0, "down": 0, "cut": n <= cuts and cut_up is not None}
    try:
        upstream = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    t = threading.Thread(target=pump, args=(upstream, client, "down", state))
    t.start()
    pump(client, upstream, "up", state)
    t.join()
    client.close()
    upstream.close()
    with lock:
        with open(count_file, "w") as f:
            f.write("%d %d %d\n" % (totals["up"], totals["down"],
                                    totals["conns"]))


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", listen))
s.listen(16)
print("listening", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
