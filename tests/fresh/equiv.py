#!/usr/bin/env python3
"""equiv.py: an empty database upgraded through the history's snapshot
(runtime/src/fresh.c) ends exactly as one upgraded statement by statement
(RETORT_REPLAY=1).

usage: equiv.py --dialect sqlite|postgresql --retort RETORT --work DIR
                [--pgdir PGDIR] [--random N --seed S] -- CC INCLUDE LIBS...
                [--histories ROOT ...]

For every history (a directory holding .rev files under each ROOT, or N
random histories written by gen_random.py), compiled and linked into a
migrator as an application would (a `call` gets a stub that does
nothing), on fresh databases of the dialect:
  - `upgrade heads` then `downgrade base` on the same databases, and
    `upgrade <rev>` to the fold point and to the revision after it (unless
    that is the single head again), once through the snapshot and once
    with RETORT_REPLAY=1;
  - after each: the same exit status, the same schema dump, the same rows
    of every table, the same version rows and the same rows of retort's
    own table (revision, checksum, state, branches: applied_at is a time);
  - wherever the target applies the whole folded prefix, the snapshot run
    must say that it used the snapshot (else this would compare a replay
    with itself); below the fold point (the first revision) it must not
    use it (both ways replay there: the states are not compared).
Schema dumps: PostgreSQL's is `pg_dump` as it is, schema and data, but for
pg_dump's \\restrict lines (a random key per run) and the order of rows.
SQLite's sqlite_schema text differs after ALTER TABLE ADD COLUMN (the
column is spliced in after the table constraints, with the ALTER's
spacing), so its dump is normalised: each table's column definitions
and table constraints, split at top-level commas with white space
collapsed, in their order, with the text after the closing parenthesis;
PRAGMA table_xinfo, index_list, index_xinfo and foreign_key_list; and
the SQL of indexes, views and triggers as stored.  Rows: a timestamp of today or yesterday (UTC) is
written by the run itself (a CURRENT_TIMESTAMP default) and differs
between any two runs: it reads <now> in both; nothing else is changed.

A history that does not compile (the error cases of tests/sema and
others) or does not target the dialect is skipped with the reason
printed.  Exit 1 on any difference, with the diff.
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env=None, cwd=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, cwd=cwd, text=True)
    return p.returncode, p.stdout, p.stderr


# ---- building a migrator ---------------------------------------------

def build(args, hist, work, need_snapshot=True):
    """(path of the migrator, migrations.c text) or (None, reason)."""
    os.makedirs(work, exist_ok=True)
    mc = os.path.join(work, "migrations.c")
    rc, out, err = run([args.retort, "compile", hist, "-o", mc])
    if rc != 0:
        first = (err.strip().splitlines() or ["?"])[0]
        return None, "does not compile (%s)" % first[:120]
    text = open(mc).read()
    # Without a snapshot both ways are the same replay: comparing them would
    # only cost time (this test's PostgreSQL run took 17 minutes that way).
    if need_snapshot and snapshot_of(text) is None:
        return None, "nothing folds (no snapshot in migrations.c): both ways replay"
    stubs = os.path.join(work, "stubs.c")
    with open(stubs, "w") as f:
        f.write("#include <retort/retort.h>\n")
        for name in re.findall(r"^int (\w+)\(retort_call \*\w*\);", text, re.M):
            f.write("int %s(retort_call *ctx);\nint %s(retort_call *ctx) "
                    "{ (void)ctx; return 0; }\n" % (name, name))
    exe = os.path.join(work, "migrate")
    cc = args.rest
    rc, out, err = run([cc[0], "-o", exe, mc, stubs, "-I" + cc[1]] + cc[2:])
    if rc != 0:
        raise SystemExit("cannot link the migrator of %s:\n%s" % (hist, err))
    return exe, text


def snapshot_of(text):
    """(fold revision index, count) from migrations.c, or None."""
    m = re.search(r"static const retort_snapshot snapshots\[\] = \{\s*\{(\d+), (\d+),", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def revision_ids(text):
    return re.findall(r"^    /\* \d+: (\w+) \*/$", text, re.M)


# ---- databases ------------------------------------------------------------

class Sqlite:
    def __init__(self, work):
        self.work = work

    def fresh(self, name):
        path = os.path.join(self.work, re.sub(r"[^A-Za-z0-9_]", "_", name) + ".db")
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        open(path, "w").close()
        return path

    def url(self, h):
        return "sqlite:///" + h

    def reset(self, h):
        return self.fresh(os.path.basename(h)[:-3])

    def drop(self, h):
        os.remove(h)

    def dump(self, h):
        con = sqlite3.connect(h)
        out = []
        objs = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                           "ORDER BY type, name").fetchall()
        for typ, name, tbl, sql in objs:
            out.append("%s %s on %s" % (typ, name, tbl))
            if typ == "table":
                out += ["  " + x for x in split_table(sql or "")]
                for pragma in ("table_xinfo", "index_list", "foreign_key_list"):
                    rows = con.execute("SELECT * FROM pragma_%s(?)" % pragma,
                                       (name,)).fetchall()
                    if pragma == "index_list":
                        rows = sorted(r[1:] for r in rows)   # seq: creation order
                    out += ["  %s %r" % (pragma, r) for r in rows]
            elif typ == "index":
                out.append("  sql %r" % sql)
                out += ["  index_xinfo %r" % (r,) for r in
                        con.execute("SELECT * FROM pragma_index_xinfo(?)", (name,))]
            else:
                out.append("  sql %r" % sql)
        con.close()
        return out

    def tables(self, h):
        con = sqlite3.connect(h)
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
        con.close()
        return names

    def rows(self, h, table, cols=None):
        con = sqlite3.connect(h)
        sel = ", ".join(cols) if cols else "*"
        rows = con.execute('SELECT %s FROM "%s"' % (sel, table.replace('"', '""'))).fetchall()
        con.close()
        return sorted(repr(r) for r in rows)


def split_table(sql):
    """A CREATE TABLE text as its parts: each column definition or table
    constraint (top-level commas), white space collapsed, then the text
    after the closing parenthesis."""
    start = sql.find("(")
    if start < 0:
        return ["text " + sql]
    parts, depth, cur, i, quote = [], 0, [], start + 1, None
    while i < len(sql):
        ch = sql[i]
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
            cur.append(ch)
        elif ch == "(":
            depth += 1
            cur.append(ch)
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
            cur.append(ch)
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    norm = [" ".join(p.split()) for p in parts]
    return ["part " + p for p in norm] + ["after " + " ".join(sql[i + 1:].split())]


class Postgres:
    def __init__(self, pgdir, tag):
        env = {}
        for line in open(os.path.join(pgdir, "env")):
            m = re.match(r"(\w+)=(.*)", line.strip())
            if m:
                env[m.group(1)] = m.group(2).strip("'\"")
        self.sock, self.port = env["PGC_SOCK"], env["PGC_PORT"]
        self.tag = tag
        self.env = dict(os.environ, PGHOST=self.sock, PGPORT=self.port,
                        PGUSER="postgres",
                        PGOPTIONS="-c client_min_messages=warning")
        for k in ("PGDATABASE", "PGPASSWORD", "PGSERVICE"):
            self.env.pop(k, None)

    def psql(self, db, sql):
        rc, out, err = run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-d", db, "-c", sql], env=self.env)
        if rc != 0:
            raise SystemExit("psql failed: %s: %s" % (sql, err))
        return out

    def fresh(self, name):
        db = re.sub(r"[^a-z0-9_]", "_", ("fresh_%s_%s" % (self.tag, name)).lower())[:60]
        self.psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % db)
        self.psql("postgres", 'CREATE DATABASE "%s"' % db)
        return db

    def reset(self, db):
        """Empty again, without the cost of CREATE DATABASE: every schema
        but the catalogs dropped, public made anew as initdb makes it."""
        self.psql(db, "DO $$DECLARE s name; BEGIN FOR s IN SELECT nspname FROM "
                      "pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
                      "'information_schema' LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); "
                      "END LOOP; END$$; CREATE SCHEMA public AUTHORIZATION pg_database_owner; "
                      "COMMENT ON SCHEMA public IS 'standard public schema'; "
                      "GRANT USAGE ON SCHEMA public TO PUBLIC")
        return db

    def url(self, db):
        return "postgresql:///%s?host=%s&port=%s&user=postgres" % (db, self.sock, self.port)

    def drop(self, db):
        self.psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % db)

    def dump(self, db, data=False):
        rc, out, err = run(["pg_dump", "-d", db] + ([] if data else ["--schema-only"]),
                           env=self.env)
        if rc != 0:
            raise SystemExit("pg_dump failed: " + err)
        return [l for l in out.splitlines()
                if not l.startswith("\\restrict ") and not l.startswith("\\unrestrict ")]


# ---- one comparison ---------------------------------------------------------

def rows_timeless(lines):
    """The rows part (after the first "== rows" line) without the times
    the run wrote; the schema part as it is."""
    for i, l in enumerate(lines):
        if l.startswith("== rows"):
            return lines[:i] + timeless(lines[i:])
    return lines


def state(dbk, h):
    """Everything compared on SQLite: the schema dump, then the rows of every table
    (retort's own without applied_at)."""
    out = ["== schema"] + dbk.dump(h)
    for t in dbk.tables(h):
        bare = t.split(".")[-1].strip('"')
        cols = ["revision", "checksum", "state", "branches"] if bare.endswith("_retort") else None
        out.append("== rows of %s" % t)
        out += dbk.rows(h, t, cols)
    return out


def pg_state(dbk, h):
    """state() in one run of pg_dump, schema and rows together: the rows
    of each COPY block sorted (their physical order is no part of the
    result), retort's own table with its applied_at (a time of this run:
    timeless() makes it <now>)."""
    out, block = ["== rows (pg_dump: schema and data)"], None
    for line in dbk.dump(h, data=True):
        if block is not None:
            if line == "\\.":
                out += sorted(block)
                out.append(line)
                block = None
            else:
                block.append(line)
            continue
        out.append(line)
        if line.startswith("COPY ") and line.endswith(" FROM stdin;"):
            block = []
    return out


NOW_DATES = set()


def now_dates():
    """Today's and yesterday's UTC dates: a row's timestamp on one of them
    was written by the run (a CURRENT_TIMESTAMP default), and truly
    differs between two runs; the histories write no such literal."""
    import datetime
    if not NOW_DATES:
        today = datetime.datetime.now(datetime.timezone.utc).date()
        for d in (today, today - datetime.timedelta(days=1)):
            NOW_DATES.add(d.isoformat())
    return NOW_DATES


def timeless(lines):
    def sub(m):
        return "<now>" if m.group(1) in now_dates() else m.group(0)
    return [re.sub(r"(\d{4}-\d\d-\d\d)[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00)?", sub, l)
            for l in lines]


def compare(what, a, b):
    a, b = rows_timeless(a), rows_timeless(b)
    if a == b:
        return True
    sys.stdout.writelines(difflib.unified_diff(
        [l + "\n" for l in b], [l + "\n" for l in a],
        "replayed", "through the snapshot", n=2))
    print("FAIL: %s: the database built through the snapshot differs from the "
          "replayed one (--- replayed, +++ snapshot)" % what)
    return False


def upgrade(h, replay, dbk, exe, target):
    """Runs `upgrade TARGET` on h: (exit code, whether the snapshot was
    used)."""
    rc, out, err = run([exe, "--url", dbk.url(h), "-v", "upgrade", target],
                       env=replay_env(dbk, replay))
    return rc, "built from the schema at" in err + out


def down_base(h, replay, dbk, exe):
    """Runs `downgrade base` on h: its exit code."""
    return run([exe, "--url", dbk.url(h), "downgrade", "base"],
               env=replay_env(dbk, replay))[0]


def replay_env(dbk, replay):
    env = dict(dbk.env)
    env.pop("RETORT_REPLAY", None)
    if replay:
        env["RETORT_REPLAY"] = "1"
    return env


def heads_of(args, hist):
    """The history's heads, as `retort heads` prints them."""
    rc, out, err = run([args.retort, "heads", hist])
    return [l.split()[0] for l in out.splitlines() if l.strip()] if rc == 0 else []


def both(pool, fn, pair, *args):
    """fn(h, replay, *args) on both databases of the pair at once (the
    snapshot side, then the replayed one): most of a run is waiting for
    the server, so the two overlap."""
    futures = [pool.submit(fn, h, replay, *args) for h, replay in zip(pair, (False, True))]
    return [f.result() for f in futures]


def check_history(args, dbk, pool, pair, hist, work, label):
    """Compares the two ways on `pair` (two databases, made empty here and
    left in any state): True, False, or None when the history is skipped."""
    exe, text = build(args, hist, work)
    if exe is None:
        print("skip %s: %s" % (label, text))
        return None
    both(pool, lambda h, replay: dbk.reset(h), pair)
    ids = revision_ids(text)
    snap = snapshot_of(text)
    rc, out, err = run([exe, "--url", dbk.url(pair[0]), "current"], env=dbk.env)
    if rc != 0 and "targets" in err:
        print("skip %s: %s" % (label, err.strip().splitlines()[-1][:120]))
        return None
    # `heads` (then `downgrade base` on the same databases); the fold
    # point and the revision after it (a target at the snapshot, and one
    # replayed on top of it), unless that is the single head again.
    # Below the fold point both ways replay: only that the snapshot is
    # not used there is checked, not the states.
    heads = heads_of(args, hist)
    targets = ["heads"]
    for i in (snap[0], snap[0] + 1):
        if i < len(ids) and [ids[i]] != heads and ids[i] not in targets:
            targets.append(ids[i])
    ok, folded = True, 0

    def step(what, codes, used=False):
        nonlocal ok, folded
        folded += used
        if codes[0] != codes[1]:
            print("FAIL: %s: exit code %r through the snapshot, %r replayed"
                  % (what, codes[0], codes[1]))
            ok = False
        ok &= compare(what, *both(pool, lambda h, replay: dbk.state(h), pair))

    for n, target in enumerate(targets):
        if n:
            both(pool, lambda h, replay: dbk.reset(h), pair)
        (rc_s, used), (rc_r, _) = both(pool, upgrade, pair, dbk, exe, target)
        step("%s (upgrade %s)" % (label, target), (rc_s, rc_r), used)
        if target == "heads":
            step("%s (upgrade heads, downgrade base)" % label,
                 both(pool, down_base, pair, dbk, exe))
    if snap[0] > 0:
        dbk.reset(pair[0])
        rc, used = upgrade(pair[0], False, dbk, exe, ids[0])
        if used:
            print("FAIL: %s (upgrade %s): the snapshot of %d revisions was used for "
                  "a target below its fold point" % (label, ids[0], snap[1]))
            ok = False
    # `heads` applies the whole folded prefix: the snapshot must have been
    # used there at least, else this compared a replay with itself.
    if folded == 0:
        print("FAIL: %s: the history has a snapshot of %d revisions but no "
              "upgrade used it" % (label, snap[1]))
        ok = False
    print("%s %s: %d revisions, %d folded (%d of %d compared runs through the snapshot)"
          % ("ok  " if ok else "FAIL", label, len(ids), snap[1], folded, len(targets)))
    return ok


def histories(roots):
    found = []
    for root in roots:
        for d, subdirs, files in os.walk(root):
            subdirs.sort()
            if any(f.endswith(".rev") for f in files):
                found.append(d)
    return sorted(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dialect", required=True, choices=["sqlite", "postgresql"])
    ap.add_argument("--retort", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--pgdir")
    ap.add_argument("--random", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--histories", nargs="*", default=[])
    ap.add_argument("--source-root", default="")
    ap.add_argument("rest", nargs="+", help="CC INCLUDE LIBS...")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    tag = "%s%s" % (args.dialect[0], "r" if args.random else "h")
    dbk = Sqlite(args.work) if args.dialect == "sqlite" else Postgres(args.pgdir, tag)
    if args.dialect == "sqlite":
        dbk.env = dict(os.environ)
        dbk.state = lambda h: state(dbk, h)
    else:
        dbk.state = lambda h: pg_state(dbk, h)
    todo = [(h, os.path.relpath(h, args.source_root) if args.source_root else h)
            for h in histories(args.histories)]
    if args.random:
        gen = os.path.join(HERE, "gen_random.py")
        for k in range(args.random):
            d = os.path.join(args.work, "random", "h%03d" % k)
            rc, out, err = run([sys.executable, gen, str(args.seed + k), d, args.dialect])
            if rc != 0:
                raise SystemExit("gen_random.py failed: " + err)
            todo.append((d, "random seed %d" % (args.seed + k)))
    failures, checked, skipped = 0, 0, 0
    # One pair of databases for the whole run, made empty again for each
    # history: CREATE and DROP DATABASE cost more than the rest.
    pair = [dbk.fresh("s"), dbk.fresh("r")]
    pool = concurrent.futures.ThreadPoolExecutor(2)
    for i, (hist, label) in enumerate(todo):
        r = check_history(args, dbk, pool, pair, hist,
                          os.path.join(args.work, "b%03d" % i), label)
        if r is None:
            skipped += 1
        else:
            checked += 1
            failures += not r
    for h in pair:
        dbk.drop(h)
    print("%d histories compared, %d skipped, %d failed" % (checked, skipped, failures))
    if checked == 0:
        print("FAIL: nothing was compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
