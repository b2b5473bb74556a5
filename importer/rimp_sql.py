"""rimp_sql.py: SQLAlchemy objects as retort source text.

Types, defaults, names and raw SQL are compiled by SQLAlchemy itself for
both dialects (SQLite and PostgreSQL), then matched against what retort
renders for each of its portable types, so a TypeDecorator or an
application type maps by what it becomes, not by its Python class.
"""
import re

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import sqltypes

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}

# retort's portable types and what its renderer writes for each
# (compiler/render.c): (word, SQLite text, PostgreSQL text).
_PLAIN_TYPES = [
    ("smallint", "SMALLINT", "SMALLINT"),
    ("integer", "INTEGER", "INTEGER"),
    ("bigint", "BIGINT", "BIGINT"),
    ("boolean", "BOOLEAN", "BOOLEAN"),
    ("real", "REAL", "REAL"),
    ("double", "FLOAT", "DOUBLE PRECISION"),
    ("text", "TEXT", "TEXT"),
    ("date", "DATE", "DATE"),
    ("time", "TIME", "TIME WITHOUT TIME ZONE"),
    ("timestamp", "DATETIME", "TIMESTAMP WITHOUT TIME ZONE"),
    ("timestamptz", "DATETIME", "TIMESTAMP WITH TIME ZONE"),
    ("blob", "BLOB", "BYTEA"),
    ("json", "JSON", "JSON"),
    ("uuid", "CHAR(32)", "UUID"),
]

# PostgreSQL spells some types several ways; these are the same type.
_PG_ALIASES = {
    "INT": "INTEGER", "INT4": "INTEGER", "INT8": "BIGINT", "INT2": "SMALLINT",
    "FLOAT": "DOUBLE PRECISION", "FLOAT8": "DOUBLE PRECISION",
    "FLOAT(53)": "DOUBLE PRECISION", "FLOAT4": "REAL", "BOOL": "BOOLEAN",
    "TIMESTAMP": "TIMESTAMP WITHOUT TIME ZONE",
    "TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE",
    "TIME": "TIME WITHOUT TIME ZONE", "TIMETZ": "TIME WITH TIME ZONE",
    "DECIMAL": "NUMERIC", "CHARACTER VARYING": "VARCHAR",
}

# Every word of the revision grammar (grammar/parser.y): a name equal to
# one is written quoted, which is always safe.
KEYWORDS = set("""
revision parent none branch depends_on message created transaction
schema_check off lock_timeout lock_table create_function replace_function
drop_function statement_timeout upgrade downgrade create_table drop_table
rename_table add_column drop_column alter_column create_index drop_index
create_primary_key create_unique_constraint create_check_constraint
create_foreign_key drop_constraint validate_constraint valid index insert
into from select execute bulk_insert call create_view drop_view
create_trigger drop_trigger as alter_table comment create_enum alter_enum
drop_enum enum create_extension drop_extension create_schema drop_schema
create_sequence drop_sequence start increment rename_constraint
rename_index add value before after if else not exists to type using set
null drop default rename on asc desc unique where concurrently primary key
autoincrement references check constraint foreign delete update cascade
restrict no action values true false current_timestamp current_date
table_exists column_exists index_exists constraint_exists dialect sql
""".split())


class Unmappable(Exception):
    """Something retort's language cannot say yet; the caller falls back
    to an `execute` and reports it."""


def ident(name):
    """A table, column, index or constraint name as a retort name."""
    name = str(name)
    if re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def qname(table, schema=None):
    return (ident(schema) + "." if schema else "") + ident(table)


def string(s):
    return "'" + str(s).replace("'", "''") + "'"


def raw(sql):
    """SQL text as a $$...$$ (or $tag$...$tag$) block, copied verbatim."""
    sql = str(sql)
    tag = ""
    n = 0
    while "$" + tag + "$" in sql:
        n += 1
        tag = "sql%d" % n
    return "$%s$%s$%s$" % (tag, sql, tag)


def compile_sql(element, dialect):
    """A SQL expression or statement compiled with its values inline."""
    if isinstance(element, str):
        return element
    return str(element.compile(dialect=DIALECTS[dialect],
                               compile_kwargs={"literal_binds": True}))


def _norm_pg(text):
    t = re.sub(r"\s+", " ", text.strip().upper())
    return _PG_ALIASES.get(t, t)


def type_text(satype, dialect):
    """The type as SQLAlchemy writes it for `dialect`, or None when the type
    does not exist there (a PostgreSQL-only type on SQLite)."""
    try:
        return satype.compile(dialect=DIALECTS[dialect])
    except Exception:
        return None


def enum_name(satype):
    """The name of the PostgreSQL enum type that a SQLAlchemy Enum is there
    (a named, native Enum, or postgresql.ENUM), else None.  One in another
    schema is None: retort's enums are named in the current schema."""
    if not isinstance(satype, sqltypes.Enum) or not satype.name:
        return None
    if not getattr(satype, "native_enum", True) or getattr(satype, "schema", None):
        return None
    return str(satype.name)


def enum_created_with_table(satype):
    """True when SQLAlchemy creates the enum type of a column before the
    table that has it (postgresql.ENUM(create_type=False) names a type
    that exists; the revision creates it)."""
    return enum_name(satype) is not None and getattr(satype, "create_type", True)


def enum_labels(satype):
    return [str(x) for x in satype.enums]


def create_enum(name, labels):
    return "create_enum %s (%s)" % (ident(name), ", ".join(string(x) for x in labels))


_NAME = r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")'
_LABEL = r"'(?:[^']|'')*'"
_CREATE_TYPE = re.compile(r"\s*CREATE\s+TYPE\s+(%s)\s+AS\s+ENUM\s*\(\s*((?:%s\s*,\s*)*%s)\s*\)"
                          r"\s*;?\s*" % (_NAME, _LABEL, _LABEL), re.I)
_DROP_TYPE = re.compile(r"\s*DROP\s+TYPE\s+(IF\s+EXISTS\s+)?(%s)(?:\s+RESTRICT)?\s*;?\s*"
                        % _NAME, re.I)


def _sql_name(n):
    if n.startswith('"'):
        return n[1:-1].replace('""', '"')
    return n.lower()


def enum_ddl(sql):
    """Raw SQL that makes or drops one enum type in the current schema:
    ("create", name, [labels]) for `CREATE TYPE n AS ENUM ('a', ...)`,
    ("drop", name, if_exists) for `DROP TYPE [IF EXISTS] n`; else None
    (several types, CASCADE, another kind of type)."""
    m = _CREATE_TYPE.fullmatch(sql)
    if m:
        labels = [x[1:-1].replace("''", "'") for x in re.findall(_LABEL, m.group(2))]
        if labels and len(set(labels)) == len(labels):
            return ("create", _sql_name(m.group(1)), labels)
        return None
    m = _DROP_TYPE.fullmatch(sql)
    if m:
        return ("drop", _sql_name(m.group(2)), bool(m.group(1)))
    return None


def retort_type(satype, notes, enums=None):
    """The retort spelling of a SQLAlchemy type.  A named native Enum whose
    type exists (in `enums`, the enum types the history made so far) is
    `enum N`.  Else a portable type when
    retort renders exactly what SQLAlchemy does on SQLite and the same type
    on PostgreSQL; otherwise `sql $$...$$` with SQLAlchemy's text (SQLite's
    when it has one, since SQLite keeps the declared text), and a note when
    the two dialects disagree."""
    n = enum_name(satype)
    if n is not None and enums is not None and n in enums:
        return "enum " + ident(n)
    lt = type_text(satype, "sqlite")
    pt = type_text(satype, "postgresql")
    lu = re.sub(r"\s+", " ", lt.strip().upper()) if lt is not None else None
    pn = _norm_pg(pt) if pt is not None else None
    for word, ls, ps in _PLAIN_TYPES:
        if lu == ls and (pn is None or pn == ps):
            return word
    m = lu and re.fullmatch(r"(VARCHAR|CHAR|NUMERIC)(?:\((\d+)(?:, ?(\d+))?\))?", lu)
    if m and (pn is None or pn == lu.replace(", ", ",").replace(",", ", ")
              or _norm_pg(pt).replace(" ", "") == lu.replace(" ", "")):
        kind, p, s = m.groups()
        if kind == "NUMERIC":
            args = "" if p is None else "(%s%s)" % (p, ", " + s if s else "")
            return "numeric" + args
        if p is not None:
            return "%s(%s)" % (kind.lower(), p)
    if lt is None and pt is None:
        raise Unmappable("type %r compiles on no dialect" % (satype,))
    text = lt if lt is not None else pt
    if lt is not None and pt is not None and _norm_pg(lt) != pn:
        notes.append("type %s is %s on SQLite and %s on PostgreSQL: written "
                     "as sql $$%s$$" % (satype, lt, pt, text))
    elif lt is None:
        notes.append("type %s exists only on PostgreSQL (%s)" % (satype, pt))
    return "sql " + raw(text)


def _default_text(column, dialect):
    comp = DIALECTS[dialect].ddl_compiler(DIALECTS[dialect], None)
    try:
        return comp.get_column_default_string(column)
    except Exception:
        return None


def _strip_parens(s):
    s = s.strip()
    while s.startswith("(") and s.endswith(")"):
        depth = 0
        for i, ch in enumerate(s):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(s) - 1:
                return s
        s = s[1:-1].strip()
    return s


def retort_default(column, notes):
    """The column's server default as a retort EXPR, or None."""
    if column.server_default is None:
        return None
    lt = _default_text(column, "sqlite")
    pt = _default_text(column, "postgresql")
    if lt is None and pt is None:
        return None
    a = lt if lt is not None else pt
    b = pt if pt is not None else lt
    pair = (a.strip().upper(), b.strip().upper())
    if pair in (("1", "TRUE"), ("1", "1")) and _is_bool(column):
        return "true"
    if pair in (("0", "FALSE"), ("0", "0")) and _is_bool(column):
        return "false"
    if pair[0] == "CURRENT_TIMESTAMP" and pair[1] in ("CURRENT_TIMESTAMP", "NOW()"):
        return "current_timestamp"
    if pair == ("CURRENT_DATE", "CURRENT_DATE"):
        return "current_date"
    if a == b or pt is None:
        s = a.strip()
        if re.fullmatch(r"\d+(\.\d+)?", s):
            return s
        if re.fullmatch(r"'(?:[^']|'')*'", s):
            return s
        if s.upper() in ("TRUE", "FALSE", "NULL"):
            notes.append("default %s written as raw SQL" % s)
    else:
        notes.append("default is %s on SQLite and %s on PostgreSQL: written "
                     "as the SQLite text" % (a, b))
    return raw(_strip_parens(a))


def _is_bool(column):
    return type_text(column.type, "postgresql") in ("BOOLEAN", "BOOL")
