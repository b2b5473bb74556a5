#!/usr/bin/env python3
"""schema_equiv.py: `retort schema --dialect D [--at REV]` loaded into an
empty database gives the schema that the compiled migrator gives when it
upgrades an empty database to the same revision, statement by statement
(RETORT_REPLAY=1: what an existing database goes through).

usage: schema_equiv.py --dialect sqlite|postgresql --retort RETORT --work DIR
                       [--pgdir PGDIR] --histories ROOT ... -- CC INCLUDE LIBS...

For every history under each ROOT that compiles and targets the dialect,
for `heads` and (unless --heads-only) for every revision: the two databases' schema dumps
(equiv.py's: pg_dump --schema-only on PostgreSQL, the normalised
sqlite_schema and PRAGMAs on SQLite) must be the same, once the
migrator's own tables (the version table and NAME_retort, with their
indexes) are dropped: `retort schema` prints the schema a
history makes, not the migrator's bookkeeping.  A target whose upgrade
fails (a history testing a failing data statement) is reported as not
compared, with the migrator's message; a history that does not compile or
does not target the dialect is skipped with the reason, as in equiv.py.
Exit 1 on any difference, with the diff.

The known differences are listed in KNOWN, by history and dialect,
each with its reason and the one normalisation it allows; a listed
difference that no longer shows is a failure too (the list stays true).
"""
import argparse
import difflib
import os
import re
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import equiv  # noqa: E402  (the builder, the databases and their dumps)


# (history, dialect) -> [(normalisation, argument, reason)]
KNOWN = {
    ("tests/downgrades/names", "sqlite"): [
        ("rowid_unique", ("users", "id"),
         "`id integer primary key unique`: SQLite makes an index for the "
         "UNIQUE, as an INTEGER PRIMARY KEY is the rowid, not an index; the "
         "model merges the UNIQUE into the key, as PostgreSQL does, so both "
         "dialects agree once the key is dropped (r2), and retort schema "
         "leaves out the redundant index"),
        ("table_unique_text", None,
         "SQLite keeps the CREATE TABLE text as written, a UNIQUE repeated "
         "(`unique (a, b)` twice, `unique (email)` beside `email ... unique`), "
         "and makes one index for the repeats; retort schema prints each key "
         "once.  The indexes (index_list, index_xinfo) are still compared."),
    ],
    ("tests/rebuild/renamed", "sqlite"): [
        ("rename_quotes", None,
         "SQLite's ALTER TABLE RENAME writes the new name quoted into the "
         "stored text of every index and foreign key naming the table; "
         "retort schema writes it bare"),
    ],
    ("tests/render/revs", "sqlite"): [
        ("rename_quotes", None,
         "SQLite's ALTER TABLE RENAME writes the new name quoted into the "
         "stored text of the index on the renamed table"),
    ],
    ("tests/pipeline/hist", "postgresql"): [
        ("raw_objects", ["raw_t"],
         "a table made by raw SQL (execute): the compiler does not read it, "
         "so retort schema cannot print it"),
    ],
    ("tests/objects/views", "postgresql"): [
        ("load_fails", "function audit_item() does not exist",
         "a trigger runs a function made by raw SQL (execute), which retort "
         "schema cannot print: its output does not load, and nothing is "
         "compared there"),
        ("raw_objects", ["audit_item()"],
         "the function made by raw SQL (execute), before a trigger uses it"),
    ],
    ("tests/sema/raw_index", "postgresql"): [
        ("raw_objects", ["kept"],
         "an index made by raw SQL whose column was renamed since: its "
         "statement is stale, and retort schema says so in a comment"),
    ],
    ("tests/sema/valid", "postgresql"): [
        ("raw_objects", ["citext"],
         "an extension made by raw SQL (execute): the compiler does not read "
         "it, so retort schema cannot print it"),
    ],
    ("tests/rebuild/keep", "sqlite"): [
        ("raw_objects", ["tr_items_qty", "tr_owners_gone", "v_items"],
         "triggers and a view made by raw SQL (execute): the compiler does "
         "not read them, so retort schema cannot print them"),
    ],
    ("tests/sema/raw_index", "sqlite"): [
        ("raw_objects", ["kept"],
         "an index made by raw SQL whose column was renamed since: its "
         "statement is stale, and retort schema says so in a comment"),
        ("rename_quotes", None,
         "SQLite's ALTER TABLE RENAME writes the new name quoted into the "
         "stored text of the index on the renamed table"),
    ],
}


def rowid_unique(table, column, dump):
    """The dump without the autoindex of `table` on `column` alone and the
    UNIQUE word of that column; the other autoindexes of `table` named by
    their columns (their numbers shift with the one left out)."""
    blocks, cur = [], None
    for l in dump:
        if not l.startswith(" "):
            cur = [l]
            blocks.append(cur)
        else:
            cur.append(l)
    prefix = "sqlite_autoindex_%s_" % table
    names, gone = {}, set()
    for b in blocks:
        m = re.match(r"index (%s\d+) on " % re.escape(prefix), b[0])
        if m:
            cols = tuple(re.findall(r"index_xinfo \(\d+, \d+, '([^']*)', \d+, '\w+', 1\)",
                                    "\n".join(b)))
            if cols == (column,):
                gone.add(m.group(1))
            names[m.group(1)] = "%s(%s)" % (prefix, ",".join(cols))
    out = []
    for b in blocks:
        m = re.match(r"index (\S+) on ", b[0])
        if m and m.group(1) in gone:
            continue
        nb = []
        for l in b:
            if any("'%s'" % g in l for g in gone) and "index_list" in l:
                continue
            if l.startswith("  part %s " % column) and b[0].startswith("table %s " % table):
                l = re.sub(r" UNIQUE\b", "", l)
            for old, new in names.items():
                l = l.replace(old, new)
            nb.append(l)
        out.append(nb)
    out.sort(key=lambda b: b[0])
    return [l for b in out for l in b]


def normalise(how, arg, dump):
    """The dump with the one difference `how` allows taken out."""
    if how == "table_unique_text":
        return [l for l in dump if not re.match(r"  part UNIQUE \(", l)]
    if how == "rowid_unique":
        return rowid_unique(arg[0], arg[1], dump)
    if how == "rename_quotes":
        return [re.sub(r'"([A-Za-z_][A-Za-z0-9_]*)"', r"\1", l)
                if l.startswith("  sql ") or l.startswith("  part ") else l
                for l in dump]
    if how == "raw_objects" and any(
            l.startswith("-- PostgreSQL database dump") for l in dump):
        # pg_dump: each object is a block that starts with `--`, `-- Name:
        # NAME; Type: ...` (NAME is "table object" for what a table owns).
        out, skip = [], False
        for i, l in enumerate(dump):
            if l == "--" and i + 1 < len(dump) and dump[i + 1].startswith("-- Name: "):
                name = dump[i + 1][len("-- Name: "):].split(";")[0]
                skip = any(n in arg for n in name.split(" "))
            elif l == "--" and i + 1 < len(dump) and dump[i + 1].startswith(
                    "-- PostgreSQL database dump complete"):
                skip = False
            if not skip:
                out.append(l)
        # pg_dump's SET lines go before the first object of their kind,
        # which may be the one taken out; the blank lines with them.
        return [l for l in out if l and not l.startswith("SET ")]
    if how == "raw_objects":
        out, skip = [], False
        for l in dump:
            if not l.startswith(" "):
                skip = l.split(" ")[1] in arg
            if skip or any(re.match(r"  index_list \('%s'" % re.escape(n), l)
                           for n in arg):
                continue
            out.append(l)
        return out
    raise SystemExit("unknown normalisation " + how)


def version_table(hist):
    """The version table retort.conf names, else Alembic's default."""
    conf = os.path.join(hist, "retort.conf")
    if os.path.exists(conf):
        for line in open(conf):
            m = re.match(r"\s*version_table\s+(\S+)", line)
            if m:
                return m.group(1)
    return "alembic_version"


def drop_bookkeeping(args, dbk, h, vt):
    names = [vt + "_retort", vt]     # NAME_retort_markers is an index of one
    if args.dialect == "sqlite":
        con = sqlite3.connect(h)
        for n in names:
            con.execute('DROP TABLE IF EXISTS "%s"' % n.replace('"', '""'))
        con.commit()
        con.close()
    else:
        dbk.psql(h, "; ".join('DROP TABLE IF EXISTS "%s"' % n.replace('"', '""')
                              for n in names))


def load_sqlite(h, sql):
    """Runs the text of `retort schema` on SQLite file h: None, or the error."""
    try:
        con = sqlite3.connect(h)
        con.executescript(sql)
        con.close()
    except sqlite3.Error as e:
        return str(e)
    return None


def load_pg(dbk, h, path):
    # The server may speak another language (scripts/test.sh's second
    # pass); KNOWN matches this tool's load errors by their English text,
    # so this psql alone asks for it.  The migrator keeps the server's.
    env = dict(dbk.env, PGOPTIONS=dbk.env.get("PGOPTIONS", "") + " -c lc_messages=C")
    rc, out, err = equiv.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", h,
                              "-f", path], env=env)
    return None if rc == 0 else err.strip()


def check_target(args, dbk, pair, hist, exe, work, label, target, used):
    """True (same), False (differs or fails) or None (upgrade failed:
    nothing to compare).  Adds to `used` the known differences that
    were needed."""
    at = [] if target == "heads" else ["--at", target]
    rc, sql, err = equiv.run([args.retort, "schema", hist, "--dialect", args.dialect] + at)
    what = "%s (%s)" % (label, target)
    if rc != 0:
        print("FAIL: %s: retort schema failed: %s" % (what, err.strip()))
        return False
    migrated, loaded = [dbk.reset(h) for h in pair]
    env = dict(dbk.env, RETORT_REPLAY="1")
    rc, out, uerr = equiv.run([exe, "--url", dbk.url(migrated), "upgrade", target], env=env)
    if rc != 0:
        print("not compared: %s: the upgrade fails: %s"
              % (what, (uerr.strip().splitlines() or ["?"])[-1][:160]))
        return None
    drop_bookkeeping(args, dbk, migrated, version_table(hist))
    if args.dialect == "sqlite":
        bad = load_sqlite(loaded, sql)
    else:
        path = os.path.join(work, "schema.sql")
        with open(path, "w") as f:
            f.write(sql)
        bad = load_pg(dbk, loaded, path)
    known_bad = [(k, reason) for k, (how, arg, reason)
                 in enumerate(KNOWN.get((label, args.dialect), []))
                 if how == "load_fails" and bad and arg in bad]
    if known_bad:
        used.add(known_bad[0][0])
        print("known difference: %s (load_fails): %s" % (what, known_bad[0][1]))
        ok = None
    elif bad:
        print("FAIL: %s: the output of retort schema does not load: %s" % (what, bad))
        ok = False
    else:
        a, b = dbk.dump(loaded), dbk.dump(migrated)
        for k, (how, arg, reason) in enumerate(KNOWN.get((label, args.dialect), [])):
            if a != b and how != "load_fails":
                na, nb = normalise(how, arg, a), normalise(how, arg, b)
                if (na, nb) != (a, b):
                    used.add(k)
                    print("known difference: %s (%s): %s" % (what, how, reason))
                a, b = na, nb
        ok = a == b
        if not ok:
            sys.stdout.writelines(difflib.unified_diff(
                [l + "\n" for l in b], [l + "\n" for l in a],
                "upgraded by the migrator", "loaded from retort schema", n=2))
            print("FAIL: %s: `retort schema` differs from the upgraded database "
                  "(--- migrator, +++ retort schema)" % what)
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dialect", required=True, choices=["sqlite", "postgresql"])
    ap.add_argument("--retort", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--pgdir")
    ap.add_argument("--histories", nargs="*", default=[])
    ap.add_argument("--source-root", default="")
    # PostgreSQL pays a server round of reset, replay, load and two
    # pg_dumps per target: every revision of every history took 6 to 14
    # minutes there, so its run compares each history at its heads.
    ap.add_argument("--heads-only", action="store_true")
    ap.add_argument("rest", nargs="+", help="CC INCLUDE LIBS...")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    if args.dialect == "sqlite":
        dbk = equiv.Sqlite(args.work)
        dbk.env = dict(os.environ)
    else:
        # The process id: two runs on one cluster do not share databases.
        dbk = equiv.Postgres(args.pgdir, "se%d" % os.getpid())
    # Two databases, made empty again for each comparison (cheaper than
    # CREATE DATABASE on PostgreSQL).
    pair = [dbk.fresh("m"), dbk.fresh("l")]
    checked, skipped, failures, targets, uncompared = 0, 0, 0, 0, 0
    for i, hist in enumerate(equiv.histories(args.histories)):
        label = os.path.relpath(hist, args.source_root) if args.source_root else hist
        work = os.path.join(args.work, "b%03d" % i)
        exe, text = equiv.build(args, hist, work, need_snapshot=False)
        if exe is None:
            print("skip %s: %s" % (label, text))
            skipped += 1
            continue
        # Asked on one of the pair made empty: cheaper than a database
        # of its own (CREATE and DROP DATABASE on PostgreSQL).
        probe = dbk.reset(pair[0])
        rc, out, err = equiv.run([exe, "--url", dbk.url(probe), "current"], env=dbk.env)
        if rc != 0 and "targets" in err:
            print("skip %s: %s" % (label, err.strip().splitlines()[-1][:120]))
            skipped += 1
            continue
        ok, used, compared = True, set(), 0
        for target in ["heads"] + ([] if args.heads_only else equiv.revision_ids(text)):
            r = check_target(args, dbk, pair, hist, exe, work, label, target, used)
            targets += 1
            uncompared += r is None
            compared += r is not None
            ok &= r is not False
        for k, (how, arg, reason) in enumerate(KNOWN.get((label, args.dialect), [])):
            # Only a history compared somewhere can show that a listed
            # difference is gone (--heads-only may leave none compared).
            if k not in used and compared:
                print("FAIL: %s: the known difference %s no longer shows: "
                      "take it out of KNOWN" % (label, how))
                ok = False
        checked += 1
        failures += not ok
        print("%s %s" % ("ok  " if ok else "FAIL", label))
    for h in pair:
        dbk.drop(h)
    print("%d histories compared (%d targets, %d not compared: the upgrade fails "
          "or a known output does not load), "
          "%d skipped, %d failed" % (checked, targets, uncompared, skipped, failures))
    if checked == 0 or targets == uncompared:
        print("FAIL: nothing was compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
