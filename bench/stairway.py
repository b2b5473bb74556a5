#!/usr/bin/python3
"""The stairway test, timed: `MIGRATOR verify` next to Alembic's.

A stairway test walks a scratch database from base to head one revision
at a time, and at each step goes down one and up again, so that every
downgrade runs once.  pytest-alembic ships it as `test_up_down_consistency`
/ the stairway; retort builds it in as `verify`, which also compares the
live schema with what the compiler expects after every step (Alembic's
walk compares nothing).

For each N this writes the generated history of bench/gen_history.py,
builds its migrator, and times on a fresh SQLite file in /dev/shm:

- retort: `MIGRATOR --url sqlite:////dev/shm/... verify`
- Alembic: the same walk in one Python process, as pytest-alembic runs
  it (one ScriptDirectory, one EnvironmentContext per step: upgrade to
  the revision, downgrade to its parent, upgrade again).

Runs alternate (retort, Alembic, retort, ...); medians are printed with the
ratio.  Not a test: the machine is shared, so read the ratio, not the times.

usage: python3 bench/stairway.py [--build build-bench] [--sizes 100,1000] [--runs 3]
"""
import argparse
import os
import sqlite3
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ALEMBIC_WALK = r'''
import sys
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.runtime.environment import EnvironmentContext

url = sys.argv[1]
cfg = Config("alembic.ini")
cfg.set_main_option("sqlalchemy.url", url)
script = ScriptDirectory.from_config(cfg)
revs = list(reversed(list(script.walk_revisions("base", "heads"))))

def step(dest, up):
    def fn(rev, context):
        if up:
            return script._upgrade_revs(dest, rev)
        return script._downgrade_revs(dest, rev)
    with EnvironmentContext(cfg, script, fn=fn, destination_rev=dest):
        script.run_env()

for r in revs:
    step(r.revision, True)
    step(r.down_revision or "base", False)
    step(r.revision, True)
print(len(revs))
'''


def sh(cmd, cwd=None):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def timed(cmd, cwd=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("stairway: %s failed:\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    return dt


def at_head(db, n):
    """Outside the timing: the walk ended at the head, every table there."""
    c = sqlite3.connect(db)
    try:
        tables = c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'alembic_version%' "
                           "AND name <> 'sqlite_sequence'").fetchone()[0]
        version = c.execute("SELECT count(*) FROM alembic_version").fetchone()[0]
    finally:
        c.close()
    if tables < n or version != 1:
        sys.exit("stairway: %s ended with %d tables, %d version rows" % (db, tables, version))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    retort = os.path.join(args.build, "compiler", "retort")
    lib = os.path.join(args.build, "runtime", "libretort.a")
    for p in (retort, lib):
        if not os.path.exists(p):
            sys.exit("stairway: %s is missing; build first (bench/README.md)" % p)
    work = tempfile.mkdtemp(prefix="retort-stairway.", dir="/var/tmp")
    shm = tempfile.mkdtemp(prefix="retort-stairway.", dir="/dev/shm")
    rows = []
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            d = os.path.join(work, str(n))
            sh([sys.executable, os.path.join(HERE, "gen_history.py"), str(n), d])
            mc, mig = os.path.join(d, "m.c"), os.path.join(d, "migrate")
            sh([retort, "compile", os.path.join(d, "retort"), "-o", mc])
            sh(["cc", "-O2", mc, "-I", os.path.join(ROOT, "runtime", "include"), lib,
                "-lsqlite3", "-ldl", "-lpthread", "-o", mig])
            walk = os.path.join(d, "walk.py")
            with open(walk, "w") as f:
                f.write(ALEMBIC_WALK)
            ours, theirs = [], []
            for i in range(args.runs):
                db = os.path.join(shm, "r%d_%d.db" % (n, i))
                ours.append(timed([mig, "--url", "sqlite:///" + db, "verify"]))
                at_head(db, n)
                db = os.path.join(shm, "a%d_%d.db" % (n, i))
                theirs.append(timed(["/usr/bin/python3", walk, "sqlite:///" + db],
                                    cwd=os.path.join(d, "alembic")))
                at_head(db, n)
            rows.append((n, statistics.median(ours), statistics.median(theirs)))
            print("N=%d: retort verify %.2f s, Alembic stairway %.2f s (medians of %d)"
                  % (n, rows[-1][1], rows[-1][2], args.runs), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(shm, ignore_errors=True)
    print("| N | retort `verify` (walk + schema compared at every step) | "
          "Alembic stairway walk (no comparison) | Alembic / retort |")
    print("|---|---|---|---|")
    for n, a, b in rows:
        print("| %d | %.2f s | %.2f s | %.1fx |" % (n, a, b, b / a))
    return 0


sys.exit(main())
