"""rimp_render.py: one Alembic operation (alembic.operations.ops) as retort
statements.

render_op() returns a list of statement texts (no `;`).  Anything retort's
language cannot say yet raises Unmappable; the recorder then writes the
SQL that Alembic itself would send, as `execute` per dialect, and reports it.
"""
import re

from alembic.operations import ops
from sqlalchemy import Column, ForeignKeyConstraint, PrimaryKeyConstraint
from sqlalchemy import CheckConstraint, UniqueConstraint, Integer
from sqlalchemy.sql import elements, operators

from rimp_sql import (Unmappable, compile_sql, ident, qname, raw,
                      retort_default, retort_type, string, DIALECTS,
                      create_enum, enum_created_with_table, enum_labels,
                      enum_name)

_ACTIONS = {"CASCADE": "cascade", "SET NULL": "set null",
            "SET DEFAULT": "set default", "RESTRICT": "restrict",
            "NO ACTION": "no action"}


def _name(obj):
    """A constraint's or index's name after the naming convention, or None."""
    n = obj.name
    if n is None or type(n).__name__ == "_NoneName":
        prep = DIALECTS["postgresql"].identifier_preparer
        try:
            n = prep.format_constraint(obj, _alembic_quote=False)
        except Exception:
            n = None
    if n is None or type(n).__name__ in ("_NoneName", "_defer_none_name"):
        return None
    return str(n)


def _action(word):
    if not word:
        return ""
    a = _ACTIONS.get(word.upper())
    if a is None:
        raise Unmappable("foreign key action %s" % word)
    return a


def _deferral(deferrable, initially):
    """retort's words for SQLAlchemy's deferrable= / initially= of a foreign
    key, primary key or unique constraint, as PostgreSQL takes what
    SQLAlchemy sends: INITIALLY DEFERRED alone is deferrable too; NOT
    DEFERRABLE (deferrable=False) and INITIALLY IMMEDIATE without
    DEFERRABLE are the default."""
    init = (initially or "").strip().upper()
    if init not in ("", "DEFERRED", "IMMEDIATE"):
        raise Unmappable("constraint INITIALLY %s" % initially)
    if init == "DEFERRED":
        if deferrable is False:
            raise Unmappable("constraint NOT DEFERRABLE INITIALLY DEFERRED")
        return " deferrable initially deferred"
    return " deferrable" if deferrable else ""


def _reference(table, schema, remote_cols, ondelete, onupdate,
               deferrable=None, initially=None):
    s = "references %s (%s)" % (qname(table, schema),
                                ", ".join(ident(c) for c in remote_cols))
    if ondelete:
        s += " on delete " + _action(ondelete)
    if onupdate:
        s += " on update " + _action(onupdate)
    return s + _deferral(deferrable, initially)


def _fk_reference(fkc, table, schema, cols):
    """The reference of a ForeignKeyConstraint, with its deferrability."""
    return _reference(table, schema, cols, fkc.ondelete, fkc.onupdate,
                      getattr(fkc, "deferrable", None), getattr(fkc, "initially", None))


def _fk_target(fkc):
    """(schema, table, [columns]) that a ForeignKeyConstraint references."""
    schema = table = None
    cols = []
    for el in fkc.elements:
        toks = el._column_tokens
        schema, table, col = toks
        cols.append(col)
    return schema, table, cols


def _fk_notes(fkc, notes):
    if getattr(fkc, "match", None):
        notes.append("foreign key MATCH %s dropped" % fkc.match)


# The notes of _enum_notes that concern SQLite alone start so: a history
# recorded on PostgreSQL alone does not get them (render_op).
_SQLITE_NOTE = "on SQLite, enum column "


def _enum_notes(column, enums, notes):
    """What an `enum N` column does on SQLite that SQLAlchemy's did not:
    retort writes VARCHAR(longest label) with a CHECK of the labels."""
    n = enum_name(column.type)
    if n is None or n not in enums:
        return
    labels = enums[n]
    mine = enum_labels(column.type)
    if mine and mine != labels:
        notes.append("column %s: Enum(%s) names the type %s, whose labels "
                     "are %s: written as enum %s" % (
                         column.name, ", ".join(mine), n, ", ".join(labels), n))
    if not getattr(column.type, "create_constraint", False):
        notes.append(_SQLITE_NOTE + "%s (enum %s): retort adds CHECK (%s IN "
                     "(...)), which SQLAlchemy left out (create_constraint="
                     "False)" % (column.name, n, column.name))
    length = getattr(column.type, "length", None)
    if mine and length is not None and length != max(len(x) for x in labels):
        notes.append(_SQLITE_NOTE + "%s (enum %s): VARCHAR(%d) under "
                     "SQLAlchemy, VARCHAR(%d) (the longest label) under retort"
                     % (column.name, n, length, max(len(x) for x in labels)))


def coldef(column, notes, autoinc=False, inline_pk=False, with_fk=False,
           enums=None):
    parts = [ident(column.name), retort_type(column.type, notes, enums)]
    if enums is not None:
        _enum_notes(column, enums, notes)
    if inline_pk:
        parts.append("primary key")
        if autoinc:
            parts.append("autoincrement")
    if not column.nullable:
        parts.append("not null")
    d = retort_default(column, notes)
    if d is not None:
        parts.append("default " + d)
    if getattr(column, "computed", None) is not None or \
            getattr(column, "identity", None) is not None:
        raise Unmappable("computed or identity column %s" % column.name)
    if with_fk:
        fks = list(column.foreign_keys)
        if len(fks) > 1:
            raise Unmappable("column %s with several foreign keys" % column.name)
        if fks:
            fkc = fks[0].constraint
            _fk_notes(fkc, notes)
            schema, table, cols = _fk_target(fkc)
            parts.append(_fk_reference(fkc, table, schema, cols))
    return " ".join(parts)


def _index(index, table_name, schema, notes, kw=None):
    name = _name(index)
    if name is None:
        raise Unmappable("an index without a name")
    kw = dict(kw or {})
    for k, v in index.dialect_kwargs.items():
        kw.setdefault(k, v)
    elems = []
    for e in index.expressions:
        desc = ""
        if isinstance(e, elements.UnaryExpression) and e.modifier in (
                operators.desc_op, operators.asc_op):
            desc = " desc" if e.modifier is operators.desc_op else " asc"
            e = e.element
        if isinstance(e, Column):
            elems.append(ident(e.name) + desc)
        elif isinstance(e, str):
            elems.append(ident(e) + desc)
        else:
            text = compile_sql(e, "sqlite")
            # text("created DESC"): the order is the index's, not part of
            # the expression (written inside $$ $$ it would be rendered
            # "(created DESC)", which no database accepts).
            m = re.match(r"(?is)^\s*(.+?)\s+(asc|desc)\s*$", text)
            if m and not desc:
                text, desc = m.group(1), " " + m.group(2).lower()
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", text):
                elems.append(ident(text) + desc)
            else:
                elems.append(raw(text) + desc)
    s = "create_index %s on %s (%s)" % (ident(name), qname(table_name, schema),
                                        ", ".join(elems))
    if index.unique:
        s += " unique"
    where = kw.pop("sqlite_where", None)
    pwhere = kw.pop("postgresql_where", None)
    if where is None:
        where = pwhere
    if where is not None:
        s += " where " + raw(compile_sql(where, "sqlite"))
    if kw.pop("postgresql_concurrently", False):
        s += " concurrently"
    for k, v in kw.items():
        if v not in (None, False, {}, []) and k not in ("postgresql_ops",):
            raise Unmappable("index option %s=%r" % (k, v))
        if k == "postgresql_ops" and v:
            raise Unmappable("index operator classes")
    return s


def _table_constraint(c, notes):
    name = _name(c)
    head = "constraint %s " % ident(name) if name else ""
    defer = _deferral(getattr(c, "deferrable", None), getattr(c, "initially", None))
    if isinstance(c, PrimaryKeyConstraint):
        return head + "primary key (%s)%s" % (
            ", ".join(ident(x.name) for x in c.columns), defer)
    if isinstance(c, UniqueConstraint):
        return head + "unique (%s)%s" % (
            ", ".join(ident(x.name) for x in c.columns), defer)
    if isinstance(c, CheckConstraint):
        return head + "check " + raw(compile_sql(c.sqltext, "sqlite"))
    if isinstance(c, ForeignKeyConstraint):
        _fk_notes(c, notes)
        schema, table, cols = _fk_target(c)
        return head + "foreign key (%s) %s" % (
            ", ".join(ident(x) for x in c.column_keys),
            _fk_reference(c, table, schema, cols))
    raise Unmappable("table constraint %s" % type(c).__name__)


def _autoinc_column(table):
    """The column SQLAlchemy makes SERIAL on PostgreSQL, or None."""
    col = table._autoincrement_column
    if col is None or not isinstance(col.type, Integer):
        return None
    return col


def create_table(op, table, notes, known=None, deferred=None, enums=None):
    """`table` is the Table Alembic built and created (op.to_table() cannot
    be called twice: the columns belong to that table).  A foreign key to a
    table not in `known` (the tables that exist) goes to `deferred` as
    (table it waits for, statement).  `enums` (name: labels, the enum types
    made so far) gains the types that SQLAlchemy creates before the table
    on PostgreSQL (a named native Enum column), each a create_enum written
    first; it is written on SQLite too, so both runs record the same
    statements.  Comments follow the table, as Alembic sets them."""
    enums = {} if enums is None else enums
    made = {}
    out = []
    for c in table.columns:
        n = enum_name(c.type)
        if n is not None and enum_created_with_table(c.type) and \
                n not in enums and n not in made:
            if not c.type.enums:
                raise Unmappable("Enum %s without labels" % n)
            made[n] = enum_labels(c.type)
            out.append(create_enum(n, made[n]))
    seen = dict(enums, **made)
    auto = _autoinc_column(table)
    pk = table.primary_key
    inline = auto is not None and not _name(pk) and len(pk.columns) == 1 and \
        not getattr(pk, "deferrable", None) and not getattr(pk, "initially", None)
    lines = []
    for c in table.columns:
        lines.append(coldef(c, notes, autoinc=True, inline_pk=inline and c is auto,
                            enums=seen))
    cons = []
    if len(pk.columns) and not inline:
        cons.append(pk)
    cons += [c for c in table._sorted_constraints if c is not pk]
    for c in cons:
        if isinstance(c, ForeignKeyConstraint) and known is not None:
            schema, target, cols = _fk_target(c)
            if target != table.name and target not in known:
                # SQLite accepts a reference to a table created later in
                # the revision; retort checks each statement against the
                # schema so far, so the key is added once that table exists.
                _fk_notes(c, notes)
                name = _name(c) or "%s_%s_fkey" % (table.name, "_".join(c.column_keys))
                deferred.append((target, "create_foreign_key %s on %s (%s) %s" % (
                    ident(name), qname(table.name, table.schema),
                    ", ".join(ident(x) for x in c.column_keys),
                    _fk_reference(c, target, schema, cols))))
                continue
        lines.append(_table_constraint(c, notes))
    t = qname(table.name, table.schema)
    out.append("create_table %s (\n    %s\n)" % (t, ",\n    ".join(lines)))
    for ix in sorted(table.indexes, key=lambda i: _name(i) or ""):
        out.append(_index(ix, table.name, table.schema, notes))
    if table.comment:
        out.append("alter_table %s set comment %s" % (t, string(table.comment)))
    for c in table.columns:
        if c.comment:
            out.append("alter_column %s %s set comment %s" % (
                t, ident(c.name), string(c.comment)))
    enums.update(made)
    return out


def add_column(op, ctx, notes, enums=None):
    """Rendered after Alembic ran it: the column is then attached to the
    table Alembic built, with the index that `index=True` made.  An enum
    column's type must exist: add_column does not create it (nor does
    Alembic), the revision does, with Enum.create(bind)."""
    col = op.column
    if col.primary_key:
        raise Unmappable("add_column of a primary key column")
    if col.comment:
        notes.append("comment on column %s dropped: Alembic's add_column does "
                     "not set it either" % col.name)
    s = "add_column %s %s" % (qname(op.table_name, op.schema),
                              coldef(col, notes, with_fk=True,
                                     enums={} if enums is None else enums))
    if col.unique:
        s += " unique"
    out = [s]
    table = getattr(col, "table", None)
    if col.index and table is not None:
        for ix in table.indexes:
            out.append(_index(ix, op.table_name, op.schema, notes))
    return out


def alter_column(op, ctx, notes, enums=None):
    t = qname(op.table_name, op.schema)
    c = ident(op.column_name)
    out = []
    if op.modify_type is not None:
        s = "alter_column %s %s type %s" % (t, c, retort_type(op.modify_type, notes,
                                                            enums))
        using = op.kw.get("postgresql_using")
        if using:
            s += " using " + raw(using)
        out.append(s)
    if op.modify_nullable is not None:
        out.append("alter_column %s %s %s not null" % (
            t, c, "drop" if op.modify_nullable else "set"))
    if op.modify_server_default is not False:
        if op.modify_server_default is None:
            out.append("alter_column %s %s drop default" % (t, c))
        else:
            col = Column(op.column_name, op.modify_type or op.existing_type
                         or Integer(), server_default=op.modify_server_default)
            out.append("alter_column %s %s set default %s" % (
                t, c, retort_default(col, notes)))
    if op.modify_comment is not False:
        if op.modify_comment is None:
            out.append("alter_column %s %s drop comment" % (t, c))
        else:
            out.append("alter_column %s %s set comment %s" % (
                t, c, string(op.modify_comment)))
    if op.modify_name is not None:
        out.append("alter_column %s %s rename to %s" % (t, c, ident(op.modify_name)))
    return out


def create_index(op, ctx, notes):
    return [_index(op.to_index(ctx), op.table_name, op.schema, notes, op.kw)]


def bulk_insert(op, ctx, notes):
    table = op.table
    rows = op.rows
    if not rows:
        return []
    cols = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    vals = []
    for r in rows:
        vals.append("(%s)" % ", ".join(_literal(r.get(k)) for k in cols))
    return ["bulk_insert %s (%s) values\n    %s" % (
        qname(table.name, table.schema), ", ".join(ident(k) for k in cols),
        ",\n    ".join(vals))]


def _literal(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        if v < 0:
            raise Unmappable("a negative number in bulk_insert")
        return str(v)
    if isinstance(v, float):
        if v < 0 or v != v:
            raise Unmappable("a negative number in bulk_insert")
        return repr(v)
    if hasattr(v, "isoformat"):
        return string(v.isoformat(sep=" ") if hasattr(v, "hour") and hasattr(v, "year")
                      else v.isoformat())
    if isinstance(v, str):
        return string(v)
    raise Unmappable("a %s value in bulk_insert" % type(v).__name__)


def render_op(op, ctx, result, notes, known=None, deferred=None, enums=None,
              given=None):
    """Retort statements for one Alembic operation object, after Alembic ran
    it (`result` is what the operation returned).  known/deferred/enums:
    see create_table().  `given`: the name the scratch PostgreSQL database
    gave the constraint the operation added, if it did (_constraint_name)."""
    n0 = len(notes)
    try:
        return _render_op(op, ctx, result, notes, known, deferred, enums, given)
    finally:
        if ctx is not None and ctx.dialect.name != "sqlite":
            notes[n0:] = [n for n in notes[n0:] if not n.startswith(_SQLITE_NOTE)]


def _constraint_name(op, ctx, given):
    """The name to write for the constraint of a create_*_constraint /
    create_foreign_key op: the one PostgreSQL gave it on the scratch
    database, else the op's own or its naming convention's, else None.
    None writes the statement unnamed, and retort names it as PostgreSQL
    would (compiler/cname.c, numbering a name that is taken); a name
    guessed here from the arguments would not know what is taken."""
    if given:
        return given
    if op.constraint_name:
        return op.constraint_name
    try:
        return _name(op.to_constraint(ctx))
    except Exception:
        return None


def _opt_name(name):
    return ident(name) + " " if name else ""


def _render_op(op, ctx, result, notes, known, deferred, enums, given):
    t = lambda: qname(op.table_name, op.schema)  # noqa: E731
    if isinstance(op, ops.CreateTableOp):
        if result is None:
            raise Unmappable("create_table that returned no table")
        return create_table(op, result, notes, known, deferred, enums)
    if isinstance(op, ops.DropTableOp):
        return ["drop_table " + t()]
    if isinstance(op, ops.RenameTableOp):
        return ["rename_table %s to %s" % (t(), ident(op.new_table_name))]
    if isinstance(op, ops.AddColumnOp):
        return add_column(op, ctx, notes, enums)
    if isinstance(op, ops.DropColumnOp):
        return ["drop_column %s %s" % (t(), ident(op.column_name))]
    if isinstance(op, ops.AlterColumnOp):
        return alter_column(op, ctx, notes, enums)
    if isinstance(op, ops.CreateIndexOp):
        return create_index(op, ctx, notes)
    if isinstance(op, ops.DropIndexOp):
        return ["drop_index " + ident(op.index_name)]
    if isinstance(op, ops.CreatePrimaryKeyOp):
        # PostgreSQL names a primary key <table>_pkey; retort's statement
        # needs the name.
        return ["create_primary_key %s on %s (%s)" % (
            ident(_constraint_name(op, ctx, given) or op.table_name + "_pkey"), t(),
            ", ".join(ident(c) for c in op.columns))]
    if isinstance(op, ops.CreateUniqueConstraintOp):
        name = _constraint_name(op, ctx, given)
        return ["create_unique_constraint %son %s (%s)%s" % (
            _opt_name(name), t(), ", ".join(ident(c) for c in op.columns),
            _deferral(op.kw.get("deferrable"), op.kw.get("initially")))]
    if isinstance(op, ops.CreateCheckConstraintOp):
        name = _constraint_name(op, ctx, given)
        return ["create_check_constraint %son %s %s" % (
            _opt_name(name), t(), raw(compile_sql(op.condition, "sqlite")))]
    if isinstance(op, ops.CreateForeignKeyOp):
        kw = op.kw
        if kw.get("match"):
            notes.append("foreign key %s: match dropped" % op.constraint_name)
        name = _constraint_name(op, ctx, given)
        return ["create_foreign_key %son %s (%s) %s" % (
            _opt_name(name), qname(op.source_table, kw.get("source_schema")),
            ", ".join(ident(c) for c in op.local_cols),
            _reference(op.referent_table, kw.get("referent_schema"),
                       op.remote_cols, kw.get("ondelete"), kw.get("onupdate"),
                       kw.get("deferrable"), kw.get("initially")))]
    if isinstance(op, ops.DropConstraintOp):
        if not op.constraint_name:
            raise Unmappable("drop_constraint without a name")
        return ["drop_constraint %s on %s" % (ident(op.constraint_name), t())]
    if isinstance(op, ops.BulkInsertOp):
        return bulk_insert(op, ctx, notes)
    if isinstance(op, ops.CreateTableCommentOp):
        if op.comment is None:
            return ["alter_table %s drop comment" % t()]
        return ["alter_table %s set comment %s" % (t(), string(op.comment))]
    if isinstance(op, ops.DropTableCommentOp):
        return ["alter_table %s drop comment" % t()]
    raise Unmappable("op.%s" % type(op).__name__)
