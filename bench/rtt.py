#!/usr/bin/env python3
"""rtt.py: PostgreSQL over a slow link -- client round trips per revision.

    python3 bench/rtt.py [--build DIR] [--rtt-ms MS] [--sizes 200,400]
                         [--wall N] [--no-alembic]

A deploy box or CI rarely sits next to its database.  What an upgrade costs
there is mostly the number of times the client waits for the server.  This
script puts a delay proxy (written here, below) between each client and a
throwaway PostgreSQL cluster (tests/lib/pg_cluster.sh). The proxy adds half
the round-trip time in each direction and counts the round trips: the times
the client sends after it has received something.  It then runs, on the
linear history of bench/gen_history.py:

  * the migrator (`upgrade head`), built from the .rev files with retort;
  * psql -f on the migrator's offline script, one transaction per revision
    (what a hand-run SQL deploy costs);
  * Alembic (Debian's python3-alembic with psycopg2), when installed.

For each tool it prints the round trips of N = each of --sizes, their
marginal cost per revision ((RT(b) - RT(a)) / (b - a): connection set-up
and start-up cancel out), and with --wall N the wall time of the whole
upgrade at N revisions through --rtt-ms of delay, side by side, with the
ratio to psql.  Every database is fresh.  Only the standard library is used
(psycopg2 by Alembic itself).
"""
import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


# ---------------------------------------------------------------------------
# the delay proxy

class Proxy:
    """Listens on 127.0.0.1, forwards to a unix socket, delays each direction
    by rtt/2 (keeping order) and counts round trips."""

    def __init__(self, target_sock, rtt):
        self.target = target_sock
        self.half = rtt / 2.0
        self.round_trips = 0
        self.port = None
        self._ready = threading.Event()
        self._loop = None
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait()

    def reset(self):
        self.round_trips = 0

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, c_reader, c_writer):
        try:
            s_reader, s_writer = await asyncio.open_unix_connection(self.target)
        except OSError:
            c_writer.close()
            return
        # "Who spoke last" decides when a client send starts a round trip.
        state = {"server_spoke": True}

        async def pump(reader, writer, from_client):
            queue = asyncio.Queue()

            async def deliver():
                while True:
                    at, data = await queue.get()
                    if data is None:
                        break
                    delay = at - self._loop.time()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    writer.write(data)
                    await writer.drain()
                writer.close()

            task = asyncio.ensure_future(deliver())
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if from_client:
                    if state["server_spoke"]:
                        self.round_trips += 1
                    state["server_spoke"] = False
                else:
                    state["server_spoke"] = True
                queue.put_nowait((self._loop.time() + self.half, data))
            queue.put_nowait((0, None))
            await task

        await asyncio.gather(pump(c_reader, s_writer, True),
                             pump(s_reader, c_writer, False),
                             return_exceptions=True)


# ---------------------------------------------------------------------------
# the cluster and the histories

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def cluster_start(work):
    d = os.path.join(work, "pg")
    run(["sh", os.path.join(ROOT, "tests/lib/pg_cluster.sh"), "start", d])
    env = {}
    for line in open(os.path.join(d, "env")):
        k, _, v = line.strip().partition("=")
        env[k] = v.strip("'")
    return d, env


def cluster_stop(d):
    subprocess.run(["sh", os.path.join(ROOT, "tests/lib/pg_cluster.sh"), "stop", d],
                   capture_output=True)


def admin(env, sql, db="postgres"):
    run(["psql", "-qX", "-v", "ON_ERROR_STOP=1",
         "postgresql:///%s?host=%s&port=%s&user=postgres" % (db, env["PGC_SOCK"], env["PGC_PORT"]),
         "-c", sql])


def fresh_db(env, name):
    admin(env, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
    admin(env, "CREATE DATABASE %s" % name)


def build_migrator(build, hist, out):
    retort = os.path.join(build, "compiler/retort")
    c = out + ".c"
    run([retort, "compile", os.path.join(hist, "retort"), "-o", c])
    run(["cc", "-O2", "-o", out, c, "-I", os.path.join(ROOT, "runtime/include"),
         os.path.join(build, "runtime/libretort.a"), "-lsqlite3", "-ldl", "-lm"])
    return out


def per_revision_script(migrator, n):
    """The migrator's offline script with one transaction per revision, as
    the migrator runs online (the offline script is one transaction)."""
    script = run([migrator, "upgrade", "--sql", "--dialect", "postgresql", "head"]).stdout
    body = script.replace("BEGIN;\n", "", 1)
    body = body[:body.rstrip().rfind("COMMIT;")]
    parts = body.split("-- Running upgrade")
    out = [parts[0]]
    for p in parts[1:]:
        out.append("BEGIN;\n-- Running upgrade" + p + "COMMIT;\n\n")
    return "".join(out)


# ---------------------------------------------------------------------------
# the tools

def tcp_url(proxy, db):
    return "postgresql://postgres@127.0.0.1:%d/%s" % (proxy.port, db)


def run_migrator(proxy, env, tag, migrator, n):
    db = "rtt_m_%s_%d" % (tag, n)
    fresh_db(env, db)
    proxy.reset()
    t = time.monotonic()
    run([migrator, "-q", "--url", tcp_url(proxy, db), "upgrade", "head"])
    return proxy.round_trips, time.monotonic() - t


def run_psql(proxy, env, tag, script, n):
    db = "rtt_p_%s_%d" % (tag, n)
    fresh_db(env, db)
    proxy.reset()
    t = time.monotonic()
    run(["psql", "-qX", "-v", "ON_ERROR_STOP=1", "-f", script, tcp_url(proxy, db)])
    return proxy.round_trips, time.monotonic() - t


def run_alembic(proxy, env, tag, hist, n):
    db = "rtt_a_%s_%d" % (tag, n)
    fresh_db(env, db)
    cfg = os.path.join(hist, "alembic", "alembic.ini")
    e = dict(os.environ, DATABASE_URL="postgresql+psycopg2://postgres@127.0.0.1:%d/%s"
             % (proxy.port, db))
    proxy.reset()
    t = time.monotonic()
    run([PY, "-m", "alembic", "-c", cfg, "-x", "url=" + e["DATABASE_URL"], "upgrade", "head"],
        env=e, cwd=os.path.join(hist, "alembic"))
    return proxy.round_trips, time.monotonic() - t


def have_alembic():
    return subprocess.run([PY, "-c", "import alembic, psycopg2"],
                          capture_output=True).returncode == 0


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rtt-ms", type=float, default=1.0)
    ap.add_argument("--sizes", default="200,400")
    ap.add_argument("--wall", type=int, default=0,
                    help="also time the whole upgrade at this N through the delay")
    ap.add_argument("--no-alembic", action="store_true")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        sys.exit("rtt.py: --sizes takes two sizes, smaller first")
    alembic = not args.no_alembic and have_alembic()
    work = tempfile.mkdtemp(prefix="retort-rtt.")
    pgdir = None
    try:
        pgdir, env = cluster_start(work)
        proxy = Proxy(os.path.join(env["PGC_SOCK"], ".s.PGSQL.%s" % env["PGC_PORT"]), 0.0)
        # The counts do not depend on the delay: measure them without it.
        counts = {"retort": [], "psql -f": [], "alembic": []}
        ns = sizes + ([args.wall] if args.wall else [])
        built = {}
        for n in ns:
            hist = os.path.join(work, "h%d" % n)
            run([sys.executable, os.path.join(HERE, "gen_history.py"), str(n), hist])
            mig = build_migrator(args.build, hist, os.path.join(work, "m%d" % n))
            script = os.path.join(work, "s%d.sql" % n)
            with open(script, "w") as f:
                f.write(per_revision_script(mig, n))
            built[n] = (hist, mig, script)
        for n in sizes:
            hist, mig, script = built[n]
            counts["retort"].append(run_migrator(proxy, env, "c", mig, n)[0])
            counts["psql -f"].append(run_psql(proxy, env, "c", script, n)[0])
            if alembic:
                counts["alembic"].append(run_alembic(proxy, env, "c", hist, n)[0])
        a, b = sizes
        print("Round trips through the proxy (fresh database each run)")
        print("%-10s %10s %10s %14s" % ("tool", "N=%d" % a, "N=%d" % b, "per revision"))
        for tool, c in counts.items():
            if len(c) == 2:
                print("%-10s %10d %10d %14.2f" % (tool, c[0], c[1], (c[1] - c[0]) / (b - a)))
        if args.wall:
            n = args.wall
            hist, mig, script = built[n]
            proxy.half = args.rtt_ms / 2000.0
            rows = [("retort", run_migrator(proxy, env, "w", mig, n)),
                    ("psql -f", run_psql(proxy, env, "w", script, n))]
            if alembic:
                rows.append(("alembic", run_alembic(proxy, env, "w", hist, n)))
            floor = rows[1][1][1]
            print("\nupgrade head, N=%d, %.1f ms round trip added" % (n, args.rtt_ms))
            print("%-10s %10s %10s %14s" % ("tool", "seconds", "trips", "vs psql -f"))
            for tool, (trips, secs) in rows:
                print("%-10s %10.2f %10d %13.2fx" % (tool, secs, trips, secs / floor))
    finally:
        if pgdir:
            cluster_stop(pgdir)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
