"""rimp_project.py: find the Alembic project, load its revisions, and run
them (rimp_record.py) on the scratch databases.

env.py is never run: it would connect to the application's own database.
The importer builds Alembic's EnvironmentContext itself, on its scratch
connection, so `op`, `context.config` and `op.get_bind()` work as they do
under `alembic upgrade`.
"""
import ast
import os
import re
import sys
import tempfile
import traceback
import uuid

from rimp_base import Failure, shown

_ID = re.compile(r"[A-Za-z0-9_]{1,32}")


class Project:
    def __init__(self, config, script_dir, root):
        self.config = config
        self.script_dir = script_dir
        self.root = root                # where paths in messages start
        self.revisions = []             # alembic Script objects, parents first
        self.version_dirs = []


def _rel(path):
    return shown(path)


def _culprit(exc, dirs):
    """'file:line' inside the history where `exc` was raised, or None."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return "%s:%s" % (_rel(exc.filename), exc.lineno or 0)
    found = None
    for fs in traceback.extract_tb(exc.__traceback__):
        p = os.path.abspath(fs.filename)
        if any(p.startswith(d + os.sep) for d in dirs):
            found = "%s:%d" % (_rel(p), fs.lineno)
    return found


def _first_line(exc):
    s = str(exc).strip()
    return "%s: %s" % (type(exc).__name__, s.splitlines()[0] if s else "")


def load(src):
    """The project of `src`: the folder of alembic.ini (its script_location),
    or a script folder itself (env.py beside versions/)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    src = os.path.abspath(src)
    if not os.path.isdir(src):
        raise Failure("%s: no such directory" % _rel(src))
    ini = os.path.join(src, "alembic.ini")
    here = os.path.isfile(os.path.join(src, "env.py")) and \
        os.path.isdir(os.path.join(src, "versions"))
    if os.path.isfile(ini):
        config = Config(ini)
        loc = config.get_main_option("script_location")
        if not loc and here:
            # Flask-Migrate's layout: alembic.ini beside env.py, and the
            # script location set by the application at run time.
            config.set_main_option("script_location", src)
        elif not loc:
            raise Failure("%s: no script_location in [alembic]" % _rel(ini))
        # Alembic resolves a relative script_location from where it runs,
        # which is the folder of alembic.ini in practice.
        os.chdir(src)
    elif here:
        config = Config()
        config.set_main_option("script_location", src)
    else:
        raise Failure("%s: not an Alembic project (no alembic.ini, and no "
                      "env.py beside a versions/ folder)" % _rel(src))
    try:
        script_dir = ScriptDirectory.from_config(config)
    except Exception as exc:
        raise Failure("%s: %s" % (_rel(src), _first_line(exc)))
    if not os.path.isdir(script_dir.dir):
        raise Failure("%s: script_location %s is not a directory" % (
            _rel(src), script_dir.dir))
    project = Project(config, script_dir, src)
    project.version_dirs = [os.path.abspath(d) for d in script_dir._version_locations]
    dirs = project.version_dirs + [os.path.abspath(script_dir.dir)]
    try:
        scripts = list(script_dir.walk_revisions("base", "heads"))
    except Exception as exc:
        where = _culprit(exc, dirs) or _rel(script_dir.dir)
        raise Failure("%s: cannot load the revision: %s" % (where, _first_line(exc)))
    if not scripts:
        raise Failure("%s: the history has no revisions" % _rel(script_dir.dir))
    for s in scripts:
        if not _ID.fullmatch(s.revision):
            raise Failure("%s: revision id '%s' is not 1 to 32 letters, digits "
                          "or _" % (_rel(s.path), s.revision))
    project.revisions = _order(scripts)
    return project


def _order(scripts):
    """Parents (and depends_on) before children; ties by file name."""
    by_id = {s.revision: s for s in scripts}
    deps = {}
    for s in scripts:
        d = set(getattr(s, "_all_down_revisions", None) or s._versioned_down_revisions)
        deps[s.revision] = {x for x in d if x in by_id}
    done, out = set(), []
    pending = sorted(scripts, key=lambda s: s.path)
    while pending:
        ready = [s for s in pending if deps[s.revision] <= done]
        if not ready:
            raise Failure("%s: the revisions form a cycle" % _rel(pending[0].path))
        s = ready[0]
        out.append(s)
        done.add(s.revision)
        pending.remove(s)
    return out


def conditions(path, fn_name):
    """Lines of `if` / `try` statements that hold op calls in fn_name():
    the recording took one path through them."""
    try:
        tree = ast.parse(open(path, encoding="utf-8").read(), path)
    except (OSError, SyntaxError, ValueError):
        return []
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == fn_name:
            for sub in ast.walk(node):
                if isinstance(sub, (ast.If, ast.Try)) and _has_op_call(sub):
                    out.append(sub.lineno)
    return sorted(set(out))


def _has_op_call(node):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            v = sub.func.value
            if isinstance(v, ast.Name) and v.id in ("op", "batch_op"):
                return True
    return False


class RevisionRecord:
    def __init__(self, script):
        self.script = script
        self.up = {}            # dialect -> entries
        self.down = {}
        self.notes = []         # (where, text)
        self.no_transaction = False
        self.down_broken = None  # the error of a downgrade() that raised
        self.down_restores = True


def record(project, pg_url, dialects):
    """Runs every revision on each of `dialects` ("sqlite", "postgresql";
    PostgreSQL in a scratch database on the server of pg_url); returns
    [RevisionRecord], in project.revisions order.  The notes are the first
    dialect's (the two runs would say the same things twice)."""
    import sqlalchemy as sa
    from rimp_record import Recorder, RevisionFailed, snapshot, sqlite_engine
    records = [RevisionRecord(s) for s in project.revisions]
    tmp = tempfile.mkdtemp(prefix="retort-import-")
    runs = []
    if "sqlite" in dialects:
        runs.append(("sqlite", sqlite_engine(os.path.join(tmp, "scratch.db")), None))
    admin = scratch = None
    if "postgresql" in dialects:
        admin, scratch, engine = _pg_scratch(sa, pg_url)
        runs.append(("postgresql", engine, None))
    try:
        for dialect, engine, _ in runs:
            with engine.connect() as conn:
                rec = Recorder(dialect, conn, project.config, project.script_dir)
                for r in records:
                    try:
                        before = snapshot(conn)
                        e, n, nt, after = rec.run(r.script, "upgrade", True)
                    except RevisionFailed as exc:
                        hint = ""
                        if dialect == "sqlite":
                            hint = ("; if the project runs on PostgreSQL only, "
                                    "import with --dialect postgresql --pg-url URL")
                        raise Failure("%s (on %s)%s" % (exc, dialect, hint))
                    r.up[dialect] = e
                    if dialect == dialects[0]:
                        r.notes += n
                    r.no_transaction |= nt
                    try:
                        e, n, nt, back = rec.run(r.script, "downgrade", False)
                        r.down[dialect] = e
                        if dialect == dialects[0]:
                            r.notes += n
                        if back != before:
                            r.down_restores = False
                    except RevisionFailed as exc:
                        r.down_broken = "%s (on %s)" % (exc, dialect)
                        r.down[dialect] = None
                    del after
    finally:
        for _, engine, _ in runs:
            engine.dispose()
        if scratch:
            with admin.connect() as c:
                c.exec_driver_sql('DROP DATABASE IF EXISTS "%s"' % scratch)
            admin.dispose()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return records


def _pg_scratch(sa, url):
    """A fresh database on the server of `url`, dropped at the end."""
    u = sa.engine.make_url(url)
    if u.drivername in ("postgres", "postgresql"):
        u = u.set(drivername="postgresql+psycopg2")
    try:
        admin = sa.create_engine(u, isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        name = "retort_import_%s" % uuid.uuid4().hex[:12]
        with admin.connect() as c:
            c.exec_driver_sql('CREATE DATABASE "%s"' % name)
    except Exception as exc:
        raise Failure("--pg-url: cannot create a scratch database: %s" %
                      _first_line(exc))
    engine = sa.create_engine(u.set(database=name), poolclass=sa.pool.NullPool)
    return admin, name, engine


__all__ = ["load", "record", "conditions", "Failure", "sys"]
