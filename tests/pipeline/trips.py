#!/usr/bin/env python3
"""trips.py MIGRATOR PGDIR: counts, never times, what the migrator asks of
PostgreSQL over a link.

A proxy (below) sits between the migrator and the `pg` fixture's cluster
and counts, on each connection:
  * round trips: the times the client sends after the server has spoken
    (what a slow link makes the client wait for);
  * queries: the client's Query ('Q') and Sync ('S') messages, one per
    simple query or per extended-protocol statement.
MIGRATOR is the 30 plain revisions k01..k30 (tests/pipeline/tests.cmake).
Asserted:
  * an upgrade's marginal round trips per revision, (RT(base -> k30) -
    RT(base -> k10)) / 20 on fresh databases, is at most 1.2 (a revision
    in one round trip; it was 6: BEGIN, three statements, the bookkeeping,
    COMMIT);
  * `current` and `status` read their state in one query: two queries in
    all, the other being the search_path check every connection makes (it
    was five);
  * a downgrade's marginal round trips per revision is at most 1.2 too.
"""
import os
import socket
import subprocess
import sys
import threading

STARTUP = 196608          # protocol 3.0
NEGOTIATIONS = (80877103, 80877104)   # SSLRequest, GSSENCRequest

failures = 0


def check(what, ok, detail):
    global failures
    if ok:
        print("ok: %s (%s)" % (what, detail))
    else:
        failures += 1
        print("FAIL: %s (%s)" % (what, detail), file=sys.stderr)


class Counter:
    """What the proxy has seen since the last reset(), over all
    connections."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.round_trips = 0
            self.queries = 0


def client_messages(buf, state):
    """Consumes the whole messages of buf (the client's stream), returning
    the rest and the number of queries among them."""
    queries = 0
    while True:
        if not state["started"]:
            if len(buf) < 8:
                return buf, queries
            n = int.from_bytes(buf[0:4], "big")
            if len(buf) < n:
                return buf, queries
            code = int.from_bytes(buf[4:8], "big")
            if code not in NEGOTIATIONS:
                state["started"] = True
            buf = buf[n:]
            continue
        if len(buf) < 5:
            return buf, queries
        n = int.from_bytes(buf[1:5], "big")
        if len(buf) < 1 + n:
            return buf, queries
        if buf[0:1] in (b"Q", b"S"):
            queries += 1
        buf = buf[1 + n:]


def serve(conn, target, counter):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(target)
    shared = {"server_spoke": True}

    def from_client():
        state = {"started": False}
        buf = b""
        while True:
            data = conn.recv(65536)
            if not data:
                break
            buf, queries = client_messages(buf + data, state)
            with counter.lock:
                if shared["server_spoke"]:
                    counter.round_trips += 1
                shared["server_spoke"] = False
                counter.queries += queries
            server.sendall(data)
        server.shutdown(socket.SHUT_WR)

    def from_server():
        while True:
            data = server.recv(65536)
            if not data:
                break
            # Said before the client can have it: its answer then counts.
            with counter.lock:
                shared["server_spoke"] = True
            conn.sendall(data)
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    t = threading.Thread(target=from_server, daemon=True)
    t.start()
    try:
        from_client()
    except OSError:
        pass
    t.join()
    conn.close()
    server.close()


def proxy(target, counter):
    lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsn.bind(("127.0.0.1", 0))
    lsn.listen(16)

    def accept():
        while True:
            c, _ = lsn.accept()
            threading.Thread(target=serve, args=(c, target, counter), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return lsn.getsockname()[1]


def main():
    migrator, pgdir = sys.argv[1], sys.argv[2]
    env = {}
    for line in open(os.path.join(pgdir, "env")):
        k, _, v = line.strip().partition("=")
        env[k] = v.strip("'")
    base = open(os.path.join(pgdir, "url")).read().strip()
    target = os.path.join(env["PGC_SOCK"], ".s.PGSQL.%s" % env["PGC_PORT"])
    counter = Counter()
    port = proxy(target, counter)

    def admin(sql):
        subprocess.run(["psql", "-qX", "-v", "ON_ERROR_STOP=1", base, "-c", sql],
                       check=True, capture_output=True)

    def migrate(db, *args):
        url = "postgresql://postgres@127.0.0.1:%d/%s?sslmode=disable&gssencmode=disable" % (port, db)
        counter.reset()
        p = subprocess.run([migrator, "-q", "--url", url] + list(args),
                           capture_output=True, text=True)
        with counter.lock:
            got = (counter.round_trips, counter.queries)
        if p.returncode != 0:
            check("%s %s" % (db, " ".join(args)), False, p.stderr.strip())
        return got, p.stdout

    trips = {}
    for n, target_rev in ((10, "k10"), (30, "k30")):
        db = "pl_trips_%d" % n
        admin("DROP DATABASE IF EXISTS %s" % db)
        admin("CREATE DATABASE %s" % db)
        trips[n], _ = migrate(db, "upgrade", target_rev)
        print("upgrade base -> %s: %d round trips, %d queries" % (target_rev, trips[n][0], trips[n][1]))
    per_rev = (trips[30][0] - trips[10][0]) / 20.0
    check("round trips per plain revision <= 1.2", per_rev <= 1.2, "%.2f" % per_rev)

    (rt, queries), out = migrate("pl_trips_30", "current")
    print("current: %d round trips, %d queries" % (rt, queries))
    check("current says where the database is", out.strip() == "k30 (head)", out.strip())
    check("current: the state in one query (and the connection's search_path check)",
          queries == 2, "%d queries" % queries)

    (rt, queries), out = migrate("pl_trips_30", "status")
    print("status: %d round trips, %d queries" % (rt, queries))
    check("status: the state in one query (and the connection's search_path check)",
          queries == 2, "%d queries" % queries)

    # Down too: k30 -> k20 against k30 -> k25 (no `if`: nothing to read first).
    down = {}
    for n, target_rev in ((5, "k25"), (10, "k20")):
        (rt, queries), _ = migrate("pl_trips_30", "downgrade", target_rev)
        down[n] = rt
        print("downgrade -> %s: %d round trips, %d queries" % (target_rev, rt, queries))
        migrate("pl_trips_30", "upgrade", "k30")
    per_rev = (down[10] - down[5]) / 5.0
    check("round trips per plain revision down <= 1.2", per_rev <= 1.2, "%.2f" % per_rev)

    for n in (10, 30):
        admin("DROP DATABASE IF EXISTS pl_trips_%d" % n)
    if failures:
        print("%d failure(s)" % failures, file=sys.stderr)
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
