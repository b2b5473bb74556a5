"""rimp_record.py: run an Alembic history on a scratch database and record
what each revision does.

Every op.* call reaches Alembic's Operations.invoke() (batch_alter_table's
operations too), so wrapping it sees each operation with its arguments
already resolved by the Python that built them: helper functions, loops
over tables, f-strings.  SQL that reaches the database while no operation
is running (connection.execute in a data migration, an inspector) is seen
by a SQLAlchemy cursor event.  One revision at a time, in the order of the
graph: upgrade() is recorded and committed; downgrade() is recorded in a
transaction that is then rolled back, so the next revision starts from the
upgraded schema again.
"""
import contextlib
import os
import re
import sys
import traceback

import sqlalchemy as sa
from alembic.operations import Operations, ops
from alembic.operations.batch import BatchOperationsImpl
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import sqltypes

from rimp_render import render_op
from rimp_base import shown
from rimp_sql import (Unmappable, compile_sql, create_enum, enum_labels,
                      enum_ddl, enum_name, ident, raw)

CURRENT = None          # the Recorder running, if any

_orig_invoke = Operations.invoke
_orig_flush = BatchOperationsImpl.flush
_orig_autocommit = MigrationContext.autocommit_block


def _invoke(self, operation):
    rec = CURRENT
    if rec is None or rec.depth or rec.suspended:
        return _orig_invoke(self, operation)
    rec.depth += 1
    rec.op_sql = []
    table = _constraint_table(operation)
    before = rec.constraint_names(table) if table else None
    try:
        result = _orig_invoke(self, operation)
    finally:
        rec.depth -= 1
    rec.given = None
    if before is not None:
        made = rec.constraint_names(table) - before
        if len(made) == 1:
            rec.given = made.pop()
    rec.on_op(self, operation, result)
    return result


_CONSTRAINT_OPS = (ops.CreateCheckConstraintOp, ops.CreateUniqueConstraintOp,
                   ops.CreateForeignKeyOp, ops.CreatePrimaryKeyOp)
# The statement of a constraint op that had no name, without the name it
# got: both runs' records of it align on this (rimp_write._key).
_NAMED = re.compile(r"^(create_(?:check_constraint|unique_constraint|foreign_key)) \S+ on ")


def _constraint_table(operation):
    """(schema, table) an operation adds a constraint to, else None."""
    if not isinstance(operation, _CONSTRAINT_OPS):
        return None
    if isinstance(operation, ops.CreateForeignKeyOp):
        return (operation.kw.get("source_schema"), operation.source_table)
    return (operation.schema, operation.table_name)


def _flush(self):
    # A batch's table rebuild runs here, after its operations were recorded.
    rec = CURRENT
    if rec is None:
        return _orig_flush(self)
    if self.recreate == "always" or self.table_kwargs:
        rec.notes.append((rec._where(), "batch_alter_table(recreate=%r, "
                          "table_kwargs=%r) rebuilds the table with options "
                          "that are not recorded" % (self.recreate,
                                                      self.table_kwargs)))
    rec.depth += 1
    try:
        return _orig_flush(self)
    finally:
        rec.depth -= 1


@contextlib.contextmanager
def _autocommit_block(self):
    # Recorded as `transaction none`; the scratch run stays in its
    # transaction (it has no concurrent readers to spare, and a downgrade's
    # run must roll back), so what PostgreSQL refuses in one is sent
    # without CONCURRENTLY there (_plain_in_block).
    if CURRENT is not None:
        CURRENT.no_transaction = True
        CURRENT.in_block += 1
        try:
            yield
        finally:
            CURRENT.in_block -= 1
    else:
        with _orig_autocommit(self):
            yield


def _wrap_enum(cls, verb):
    """Wraps cls.create / cls.drop, which a revision calls on an Enum
    (`sa.Enum(..., name="x").create(op.get_bind())`, postgresql.ENUM too)
    outside any op.  Recorded as create_enum / drop_enum on both runs,
    though SQLite gets no SQL from it: retort keeps the labels there.
    SQLAlchemy's own calls inside an operation (a table's enum types) are
    the operation's."""
    orig = getattr(cls, verb)

    def wrapper(self, bind=None, checkfirst=False):
        rec = CURRENT
        if rec is None or rec.depth or rec.suspended or enum_name(self) is None:
            return orig(self, bind=bind, checkfirst=checkfirst)
        rec.depth += 1
        try:
            result = orig(self, bind=bind, checkfirst=checkfirst)
        finally:
            rec.depth -= 1
        rec.on_enum(verb, self, checkfirst)
        return result

    setattr(cls, verb, wrapper)


for _cls in (sqltypes.SchemaType, postgresql.ENUM):
    _wrap_enum(_cls, "create")
    _wrap_enum(_cls, "drop")

Operations.invoke = _invoke
BatchOperationsImpl.flush = _flush
MigrationContext.autocommit_block = _autocommit_block

_CONCURRENTLY = re.compile(r"^(\s*(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|"
                           r"REINDEX\s+(?:\(.*?\)\s*)?\w+))\s+CONCURRENTLY\b",
                           re.I | re.S)


def _plain_in_block(conn, cursor, statement, params, context, many):
    """The statement the scratch database runs: inside an autocommit_block,
    an index built, dropped or rebuilt CONCURRENTLY is built plainly, since
    the scratch run stays in its transaction, where PostgreSQL refuses
    CONCURRENTLY.  The schema is the same; what is recorded (the operation,
    or the statement as the revision sent it) keeps CONCURRENTLY."""
    if CURRENT is not None and CURRENT.in_block:
        statement = _CONCURRENTLY.sub(r"\1", statement, count=1)
    return statement, params


_SKIP = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)
_READ = re.compile(r"\s*(SELECT|PRAGMA|SHOW|EXPLAIN|VALUES)\b", re.I)


class RevisionFailed(Exception):
    def __init__(self, where, message):
        Exception.__init__(self, "%s: %s" % (where, message))
        self.where = where


def where_in(tb_or_frames, path):
    """'file:line' of the innermost frame in `path`, else None."""
    found = None
    for fs in tb_or_frames:
        if os.path.abspath(fs.filename) == path:
            found = "%s:%d" % (shown(fs.filename), fs.lineno)
    return found


class Entry:
    """One recorded statement.  kind: 'schema' (a native retort statement),
    'execute' (raw SQL: op.execute, or an operation retort cannot say),
    'data' (SQL sent outside any op), 'read' (a query outside any op),
    'introspect' (an inspector's query), 'bulk' (bulk_insert)."""

    def __init__(self, kind, text, where, sql=None, params=False):
        self.kind = kind
        self.text = text        # retort text for schema/bulk, SQL otherwise
        self.where = where
        self.sql = sql
        self.params = params    # data: sent with values bound from Python
        self.count = 1
        self.dialect = None     # the run that recorded it
        self.anon = None        # schema: the text without the name the database gave

    def key(self):
        return (self.kind, self.text)


class Recorder:
    def __init__(self, dialect, conn, config, script_dir):
        self.dialect = dialect
        self.conn = conn
        self.config = config
        self.script_dir = script_dir
        self.depth = 0
        self.suspended = False
        self.entries = None
        self.notes = None
        self.path = None
        self.no_transaction = False
        self.op_sql = []
        self.in_block = 0
        self.enums = {}         # the enum types made so far: name -> labels
        self.given = None       # the name the database gave the last op's constraint
        # Recording first: it sees the statement as the revision sent it.
        sa.event.listen(conn.engine, "before_cursor_execute", self._on_sql)
        sa.event.listen(conn.engine, "before_cursor_execute", _plain_in_block,
                        retval=True)

    def constraint_names(self, table):
        """The names of the constraints on (schema, table) in the scratch
        PostgreSQL database, or None (SQLite keeps no names for what a
        history left unnamed).  What an op adds to this set is the name the
        database gave its constraint, numbered as PostgreSQL numbers a
        name that is taken, which no guess from the op's arguments knows."""
        if self.dialect != "postgresql":
            return None
        schema, name = table
        q = lambda x: '"%s"' % x.replace('"', '""')  # noqa: E731
        rel = (q(schema) + "." if schema else "") + q(name)
        self.suspended = True
        try:
            rows = self.conn.exec_driver_sql(
                "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s)",
                (rel,)).fetchall()
        finally:
            self.suspended = False
        return {r[0] for r in rows}

    # ---- hooks -----------------------------------------------------------
    def _where(self):
        return where_in(traceback.extract_stack(), self.path) or \
            shown(self.path)

    def _on_sql(self, conn, cursor, statement, params, context, many):
        if self.entries is None or self.suspended or _SKIP.match(statement):
            return
        if self.depth:
            self.op_sql.append(statement)
            return
        stack = traceback.extract_stack()
        where = where_in(stack, self.path) or shown(self.path)
        if any("sqlalchemy/engine/reflection.py" in f.filename for f in stack):
            kind = "introspect"
        elif _READ.match(statement) or (
                re.match(r"\s*WITH\b", statement, re.I) and
                not re.search(r"\b(INSERT|UPDATE|DELETE)\b", statement, re.I)):
            kind = "read"
        else:
            kind = "data"
        e = Entry(kind, statement, where, params=bool(params) or many)
        last = self.entries[-1] if self.entries else None
        if last is not None and last.key() == e.key() and last.params == e.params:
            last.count += 1
        else:
            self.entries.append(e)

    def on_op(self, operations, operation, result):
        where = self._where()
        notes = []
        if isinstance(operation, ops.ExecuteSQLOp):
            q = operation.sqltext
            if isinstance(q, str) and self._enum_sql(q, where):
                return
            try:
                if isinstance(q, str):
                    sql = q
                else:
                    sql = {d: compile_sql(q, d) for d in ("sqlite", "postgresql")}
            except Exception:
                # A value bound from Python that has no SQL literal (a
                # datetime computed at migration time): a data migration.
                self.entries.append(Entry("data", str(q.compile(
                    dialect=self.conn.dialect)), where, params=True))
                return
            self.entries.append(Entry("execute", sql, where))
            return
        try:
            deferred = []
            texts = render_op(operation, operations.migration_context,
                              result, notes, self.known, deferred, self.enums,
                              self.given)
            kind = "bulk" if isinstance(operation, ops.BulkInsertOp) else "schema"
            unnamed = isinstance(operation, _CONSTRAINT_OPS) and \
                not operation.constraint_name
            for t in texts:
                e = Entry(kind, t, where)
                if unnamed:
                    e.anon = _NAMED.sub(r"\1 on ", t, count=1)
                self.entries.append(e)
            self._track(operation, deferred, where)
        except (Unmappable, sa.exc.SQLAlchemyError, ValueError, TypeError) as exc:
            # The SQL Alembic sent for it here, and what it would send to
            # the other dialect (offline), statement by statement.
            other = "postgresql" if self.dialect == "sqlite" else "sqlite"
            mine = [s.strip().rstrip(";") for s in self.op_sql]
            theirs = [s.strip().rstrip(";") for s in self._offline(operation, other)]
            notes.append("%s: written as execute" % exc)
            if not mine:
                notes.append("%s: Alembic sent no SQL for it on %s" % (exc, self.dialect))
            if len(theirs) != len(mine):
                theirs = theirs + [None] * (len(mine) - len(theirs))
            for a, b in zip(mine, theirs):
                d = {self.dialect: a}
                if b is not None:
                    d[other] = b
                self.entries.append(Entry("execute", d, where))
        for n in notes:
            self.notes.append((where, n))

    def on_enum(self, verb, enum, checkfirst):
        """Enum.create(bind) / Enum.drop(bind) as create_enum / drop_enum.
        With checkfirst, a create of a type that exists and a drop of one
        that does not send nothing, and are not recorded."""
        where = self._where()
        name = enum_name(enum)
        if verb == "create":
            if checkfirst and name in self.enums:
                return
            labels = enum_labels(enum)
            if not labels:
                self.notes.append((where, "Enum %s created without labels: "
                                   "not recorded" % name))
                return
            self.enums[name] = labels
            self.entries.append(Entry("schema", create_enum(name, labels), where))
        else:
            if checkfirst and name not in self.enums:
                return
            self.enums.pop(name, None)
            self.entries.append(Entry("schema", "drop_enum " + ident(name), where))

    def _enum_sql(self, sql, where):
        """op.execute of a CREATE TYPE ... AS ENUM or a DROP TYPE (rimp_sql.
        enum_ddl) as create_enum / drop_enum; False for any other SQL."""
        d = enum_ddl(sql)
        if d is None:
            return False
        verb, name, arg = d
        if verb == "create":
            self.enums[name] = arg
            text = create_enum(name, arg)
        else:
            self.enums.pop(name, None)
            text = "drop_enum %s%s" % (ident(name), " if exists" if arg else "")
        self.entries.append(Entry("schema", text, where))
        return True

    def _track(self, operation, deferred, where):
        """Follows which tables exist, and adds the foreign keys that were
        waiting for a table once it is created."""
        for target, stmt in deferred:
            self.waiting.setdefault(target, []).append(stmt)
        if isinstance(operation, ops.CreateTableOp):
            self.known.add(operation.table_name)
            for stmt in self.waiting.pop(operation.table_name, []):
                self.entries.append(Entry("schema", stmt, where))
        elif isinstance(operation, ops.DropTableOp):
            self.known.discard(operation.table_name)
        elif isinstance(operation, ops.RenameTableOp):
            self.known.discard(operation.table_name)
            self.known.add(operation.new_table_name)

    def _offline(self, operation, dialect):
        import io
        buf = io.StringIO()
        ctx = MigrationContext.configure(dialect_name=dialect, opts={
            "as_sql": True, "output_buffer": buf, "literal_binds": True})
        self.suspended = True
        try:
            Operations(ctx).invoke(operation)
        except Exception:
            return []
        finally:
            self.suspended = False
        return [s for s in buf.getvalue().split(";\n\n") if s.strip()]

    # ---- running ---------------------------------------------------------
    def run(self, script, fn_name, keep):
        """Runs script.module.<fn_name>() in one transaction, committed when
        `keep`, else rolled back.  Returns (entries, notes, no_transaction,
        the schema at the end of the function); raises RevisionFailed naming
        the file and line."""
        global CURRENT
        self.known = set(sa.inspect(self.conn).get_table_names())
        self.waiting = {}
        self.entries, self.notes = [], []
        self.no_transaction = False
        self.path = os.path.abspath(script.path)
        enums_before = dict(self.enums)
        env = EnvironmentContext(self.config, self.script_dir)
        trans = self.conn.begin()
        CURRENT = self
        try:
            with env:
                env.configure(connection=self.conn, target_metadata=None)
                with Operations.context(env.get_context()):
                    getattr(script.module, fn_name)()
            CURRENT = None
            for target, stmts in self.waiting.items():
                self.notes.append((shown(self.path), "foreign keys to %s, a "
                                   "table this revision never creates, are "
                                   "left out: %s" % (target, "; ".join(stmts))))
            self.suspended = True   # the snapshot's queries are not the revision's
            try:
                after = snapshot(self.conn)
            finally:
                self.suspended = False
        except Exception as exc:
            tb = traceback.extract_tb(exc.__traceback__)
            where = where_in(tb, self.path) or shown(self.path)
            msg = "%s() raised %s: %s" % (fn_name, type(exc).__name__,
                                          str(exc).strip().splitlines()[0]
                                          if str(exc).strip() else "")
            raise RevisionFailed(where, msg)
        finally:
            CURRENT = None
            entries, notes = self.entries, self.notes
            for e in entries:
                e.dialect = self.dialect
            self.entries = self.notes = None
            if keep and trans.is_active:
                try:
                    trans.commit()
                except Exception:
                    pass
            elif trans.is_active:
                trans.rollback()
            if not keep:
                self.enums = enums_before
        return entries, notes, self.no_transaction, after


def snapshot(conn):
    """The schema as comparable data: tables, columns, keys, indexes."""
    insp = sa.inspect(conn)
    out = {}
    for t in sorted(insp.get_table_names()):
        if t == "alembic_version":
            continue
        cols = [(c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in insp.get_columns(t)]
        pk = tuple(insp.get_pk_constraint(t).get("constrained_columns") or ())
        fks = sorted((tuple(f["constrained_columns"]), f["referred_table"],
                      tuple(f["referred_columns"])) for f in insp.get_foreign_keys(t))
        ix = sorted((i["name"] or "", tuple(str(x) for x in i["column_names"]),
                     bool(i["unique"])) for i in insp.get_indexes(t))
        uq = sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t))
        try:
            ck = sorted(c["sqltext"] for c in insp.get_check_constraints(t))
        except NotImplementedError:
            ck = []
        out[t] = (cols, pk, fks, ix, uq, ck)
    if conn.dialect.name == "postgresql":
        # The enum types (a table name cannot start with a space).
        out[" enums"] = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT t.typname, e.enumlabel FROM pg_enum AS e "
            "JOIN pg_type AS t ON t.oid = e.enumtypid "
            "WHERE t.typnamespace = current_schema()::regnamespace "
            "ORDER BY t.typname, e.enumsortorder")]
    return out


def sqlite_engine(path):
    """A SQLite engine whose transactions include DDL (pysqlite's own
    handling commits before DDL), so a downgrade can be rolled back."""
    engine = sa.create_engine("sqlite:///" + path, poolclass=sa.pool.NullPool)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, rec):
        dbapi_conn.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine


__all__ = ["Recorder", "RevisionFailed", "snapshot", "sqlite_engine", "raw"]
