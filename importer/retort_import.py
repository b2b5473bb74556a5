#!/usr/bin/env python3
"""retort_import.py: `retort import ALEMBIC_DIR -o DIR [--pg-url URL]
[--dialect D] [--python-path P]`, an Alembic history as retort revision files.

`retort import` execs this program with the user's Python (RETORT_PYTHON,
else python3), since it needs the project's own Alembic, SQLAlchemy and
application modules.  It runs the history on a scratch SQLite database (and
a scratch PostgreSQL database created on the server of --pg-url; with
--dialect, on that one database only), records
each revision (rimp_record.py), and writes one .rev per revision
(rimp_write.py).  Errors are one line, `retort import: FILE:LINE: ...`,
exit 1, and nothing is written; usage errors exit 2.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

USAGE = ("usage: retort import ALEMBIC_DIR -o DIR [--pg-url URL] "
         "[--dialect sqlite|postgresql] [--python-path P]...\n")


from rimp_base import Failure  # noqa: E402


def parse_args(argv):
    opts = {"src": None, "out": None, "pg_url": None, "paths": [], "dialect": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if a in ("-o", "--pg-url", "--python-path", "--dialect"):
            if i + 1 >= len(argv):
                usage("%s needs a value" % a)
            v = argv[i + 1]
            i += 2
            if a == "-o":
                opts["out"] = v
            elif a == "--pg-url":
                opts["pg_url"] = v
            elif a == "--dialect":
                if v not in ("sqlite", "postgresql"):
                    usage("--dialect is sqlite or postgresql, not '%s'" % v)
                opts["dialect"] = v
            else:
                opts["paths"] += [p for p in v.split(os.pathsep) if p]
            continue
        if a.startswith("-"):
            usage("unknown option '%s'" % a)
        if opts["src"]:
            usage("unexpected argument '%s'" % a)
        opts["src"] = a
        i += 1
    if not opts["src"]:
        usage("import needs an Alembic directory")
    if not opts["out"]:
        usage("import needs -o DIR")
    # A history for PostgreSQL alone is recorded there, so it needs the
    # server; one for SQLite alone has no use for it.
    if opts["dialect"] == "postgresql" and not opts["pg_url"]:
        usage("--dialect postgresql needs --pg-url (the history is recorded there)")
    if opts["dialect"] == "sqlite" and opts["pg_url"]:
        usage("--dialect sqlite records no PostgreSQL run: drop --pg-url")
    return opts


def usage(msg):
    sys.stderr.write("retort: %s\n%s" % (msg, USAGE))
    sys.exit(2)


def main(argv):
    opts = parse_args(argv)
    try:
        import alembic  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        raise Failure("%s cannot import Alembic (%s); set RETORT_PYTHON to "
                      "the Python of the project" % (sys.executable, exc))
    import rimp_project
    import rimp_write
    out = os.path.abspath(opts["out"])
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        raise Failure("%s: exists and is not an empty directory" % opts["out"])
    for p in reversed(opts["paths"]):
        sys.path.insert(0, os.path.abspath(p))
    project = rimp_project.load(opts["src"])
    dialects = [opts["dialect"]] if opts["dialect"] else \
        ["sqlite"] + (["postgresql"] if opts["pg_url"] else [])
    result = rimp_project.record(project, opts["pg_url"], dialects)
    report = rimp_write.write(project, result, out, opts["dialect"])
    for line in report:
        sys.stderr.write(line + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as exc:
        sys.stderr.write("retort import: %s\n" % exc)
        sys.exit(1)
    except Exception as exc:  # a bug here: still one line, and exit 1
        if os.environ.get("RETORT_IMPORT_DEBUG"):
            raise
        sys.stderr.write("retort import: internal error: %s: %s (set "
                         "RETORT_IMPORT_DEBUG=1 for the traceback)\n" % (
                             type(exc).__name__, exc))
        sys.exit(1)
