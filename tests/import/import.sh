#!/bin/sh
# import.sh MODE WORK RETORT CC LIBRETORT INCLUDE [PGDIR]
#
# `retort import` on tests/import/shop, an Alembic project written for
# these tests (merges, a branch label, depends_on, batch mode, helper
# functions and loops that build tables, op.execute, bulk_insert, Python
# data migrations, an inspector condition, a downgrade that is not the
# inverse of its upgrade, a reference to a table created later).  MODE:
#   sqlite      import; the files keep ids, parents, labels, depends_on and
#               names; `retort check` passes; the migrator built from them
#               leaves the same SQLite schema and alembic_version as Alembic,
#               takes over a database Alembic left half way, and downgrades
#               as Alembic's own downgrade() functions do.
#   postgresql  import with --pg-url; the same schema as Alembic on the
#               `pg` fixture's cluster (PGDIR).
#   pgonly      tests/import/pgonly, a history Alembic runs on PostgreSQL only
#               (JSONB, a foreign key added outside batch mode, a merge, an
#               index built CONCURRENTLY in an autocommit_block, unnamed
#               constraints added twice, deferrable foreign keys):
#               refused on SQLite with the way out; with --dialect
#               postgresql, a retort.conf targeting PostgreSQL, no `if
#               dialect`, and Alembic's schema on PGDIR's cluster.
#   errors      bad input: one line naming the file, exit 1, nothing written.
# Alembic is Debian's (/usr/bin/python3); without it: skipped (77).
set -u
mode=$1 work=$2 retort=$3 cc=$4 lib=$5 inc=$6 pgdir=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
export RETORT_PYTHON=$PY

if ! "$PY" -c 'import alembic, sqlalchemy' 2>/dev/null; then
    echo "SKIP: Alembic is not installed for $PY (python3-alembic)"
    exit 77
fi
case $mode in postgresql | pgonly)
    if ! "$PY" -c 'import psycopg2' 2>/dev/null; then
        echo "SKIP: psycopg2 is not installed for $PY (python3-psycopg2)"
        exit 77
    fi
esac

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
expect_same() {
    if [ ! -s "$2" ] || [ ! -s "$3" ]; then
        fail "$1: an empty dump ($2, $3)"
    elif cmp -s "$2" "$3"; then
        ok "$1 ($(wc -l <"$2") lines)"
    else
        fail "$1: they differ:"
        diff -u "$2" "$3" | head -40 >&2
    fi
}
# has FILE REGEX WHAT / hasnt FILE REGEX WHAT
has() { if grep -Eq -- "$2" "$1"; then ok "$3"; else fail "$3: no /$2/ in $1"; fi; }
hasnt() { if grep -Eq -- "$2" "$1"; then fail "$3: /$2/ in $1"; else ok "$3"; fi; }

rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
cp -R "$here/shop" shop || exit 1

alembic() {
    (cd "$work/${project:-shop}" && "$PY" -m alembic -c alembic.ini "$@") >"$work/alembic.out" 2>&1
}
migrator() { "$work/migrate" "$@" >"$work/migrator.out" 2>&1; }

# import [ARGS...]: the shop project into out/, report in import.err.
import_shop() {
    "$retort" import shop -o out "$@" >import.out 2>import.err ||
        { cat import.err >&2; die "retort import failed"; }
    n=$(ls shop/versions/*.py | wc -l)
    [ "$(ls out/*.rev | wc -l)" -eq "$n" ] || die "not $n .rev files in out/"
    "$retort" check out >check.log 2>&1 || { cat check.log >&2; die "retort check failed"; }
    ok "retort check passes on the import"
    "$retort" compile out -o migrations.c --name shop >compile.log 2>&1 ||
        { cat compile.log >&2; die "retort compile failed"; }
    "$cc" -O2 ${MIGRATOR_CFLAGS:-} migrations.c -I "$inc" "$lib" -lsqlite3 -ldl -o migrate \
        >cc.log 2>&1 || { cat cc.log >&2; die "cc failed"; }
}

# SQLite numbers the indexes behind UNIQUE and PRIMARY KEY constraints
# (sqlite_autoindex_T_N) in the order of the CREATE TABLE; Alembic's batch
# rebuild and retort's order a table's constraints differently, so those
# are compared by table, columns and kind, not by number.
sqlite_dump() {
    sqlite3 -bail -init /dev/null "$1" <<'SQL' | LC_ALL=C sort
.mode list
.separator |
SELECT 'table|' || m.name || '|' || p.cid || '|' || p.name || '|' || upper(p.type)
       || '|notnull=' || p."notnull" || '|default=' || coalesce(p.dflt_value, 'NULL')
       || '|pk=' || p.pk
FROM sqlite_schema AS m, pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> 'alembic_version_retort'
ORDER BY m.name, p.cid;
SELECT 'index|' || m.name || '|'
       || CASE WHEN il.origin = 'c' THEN il.name ELSE 'sqlite_autoindex' END
       || '|unique=' || il."unique"
       || '|origin=' || il.origin || '|partial=' || il.partial || '|cols='
       || (SELECT group_concat(coalesce(x.name, '<expr>') || ':' || x."desc", ',')
           FROM (SELECT name, "desc" FROM pragma_index_xinfo(il.name)
                 WHERE key = 1 ORDER BY seqno) AS x)
FROM sqlite_schema AS m, pragma_index_list(m.name) AS il
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> 'alembic_version_retort'
ORDER BY m.name, il.name;
SELECT 'fk|' || m.name || '|' || f.id || '|' || f.seq || '|' || f."table" || '|'
       || f."from" || '|' || coalesce(f."to", '') || '|' || f.on_update || '|' || f.on_delete
FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> 'alembic_version_retort'
ORDER BY m.name, f.id, f.seq;
SELECT 'check|' || name || '|' || (sql LIKE '%CHECK (total >= 0)%')
FROM sqlite_schema WHERE type = 'table' AND name = 'invoices';
SELECT 'roles|' || id || '|' || name FROM roles ORDER BY id;
SELECT 'version|' || version_num FROM alembic_version ORDER BY version_num;
SQL
}

# moods_rev: h9_moods.rev holds its named enums, enum columns and comments
# as statements, not raw SQL, and leaves the downgrade to retort.
moods_rev() {
    m=out/h9_moods.rev
    has $m "^    create_enum mood \\('sad', 'ok', 'happy'\\);$" "create_table's enum is create_enum"
    has $m "^        feeling enum mood not null default 'ok',$" "the column is enum N"
    has $m "^    create_enum energy \\('low', 'high'\\);$" "Enum(...).create(bind) is create_enum"
    has $m '^    add_column moods energy enum energy;$' "add_column of an enum column"
    has $m "^    alter_table moods set comment 'one row per day';$" "create_table(comment=)"
    has $m "^    alter_column moods feeling set comment 'how the day went';$" "Column(comment=)"
    hasnt $m 'execute|schema_check' "enums and comments are not raw SQL"
    hasnt $m '^downgrade' "the downgrade (drop_enum) is left to retort"
}

# The `pg` fixture's cluster (PGDIR) and the helpers on it.
pg_setup() {
    [ -n "$pgdir" ] && [ -f "$pgdir/env" ] || die "no cluster in '$pgdir' (the pg fixture)"
    . "$pgdir/env"
    admin=$(cat "$pgdir/url")
    url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
    sa_url() { printf 'postgresql+psycopg2://postgres@/%s?host=%s&port=%s' "$1" "$PGC_SOCK" "$PGC_PORT"; }
    newdb() {
        psql -qX -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $1" \
            -c "CREATE DATABASE $1" >/dev/null || die "cannot create database $1"
    }
    # The two known spellings that differ (docs/import.md): an autoincrement
    # key is an identity column in retort and serial in SQLAlchemy, and
    # func.now() is written current_timestamp.  Both are folded here.
    # pg_dump_norm DB [SQL]: the schema, the version rows, and what SQL
    # selects (the rows a history's data statements left).
    pg_dump_norm() {
        {
            cat <<'SQL'
SELECT 'column', c.table_name, c.ordinal_position, c.column_name, c.data_type, c.udt_name,
       coalesce(c.character_maximum_length::text, ''),
       coalesce(c.numeric_precision::text, ''), c.is_nullable,
       CASE WHEN c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES'
            THEN 'AUTOINCREMENT' ELSE coalesce(c.column_default, 'NULL') END
FROM information_schema.columns AS c
WHERE c.table_schema = 'public' AND c.table_name <> 'alembic_version_retort'
ORDER BY c.table_name, c.ordinal_position;
SELECT 'index', i.tablename, i.indexname, i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = 'public' AND i.tablename <> 'alembic_version_retort'
ORDER BY i.tablename, i.indexname;
SELECT 'constraint', t.relname, co.contype, pg_get_constraintdef(co.oid)
FROM pg_constraint AS co
JOIN pg_class AS t ON t.oid = co.conrelid
JOIN pg_namespace AS ns ON ns.oid = t.relnamespace
WHERE ns.nspname = 'public' AND t.relname <> 'alembic_version_retort'
ORDER BY t.relname, co.contype, pg_get_constraintdef(co.oid);
SELECT 'constraint name', t.relname, co.conname, co.contype
FROM pg_constraint AS co
JOIN pg_class AS t ON t.oid = co.conrelid
JOIN pg_namespace AS ns ON ns.oid = t.relnamespace
WHERE ns.nspname = 'public' AND t.relname <> 'alembic_version_retort'
ORDER BY t.relname, co.conname;
SELECT 'enum', t.typname, e.enumsortorder::text, e.enumlabel
FROM pg_enum AS e
JOIN pg_type AS t ON t.oid = e.enumtypid
JOIN pg_namespace AS ns ON ns.oid = t.typnamespace
WHERE ns.nspname = 'public'
ORDER BY t.typname, e.enumsortorder;
SELECT 'comment', c.relname, coalesce(a.attname, ''),
       CASE WHEN a.attname IS NULL THEN obj_description(c.oid, 'pg_class')
            ELSE col_description(c.oid, a.attnum) END
FROM pg_class AS c
JOIN pg_namespace AS ns ON ns.oid = c.relnamespace
LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE ns.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version_retort'
  AND CASE WHEN a.attname IS NULL THEN obj_description(c.oid, 'pg_class')
           ELSE col_description(c.oid, a.attnum) END IS NOT NULL
ORDER BY 2, 3;
SELECT 'version', version_num FROM alembic_version ORDER BY version_num;
SQL
            printf '%s\n' "${2:-}"
        } | psql -qXAt -v ON_ERROR_STOP=1 -F '|' "$(url "$1")" |
            sed 's/|now()$/|CURRENT_TIMESTAMP/'
    }
}

case $mode in
sqlite)
    import_shop
    # What the files keep.
    for f in a1_people b2_content c3_billing d4_merge e5_batch f6_slugs g7_roles h8_labels h9_moods i9_tags; do
        [ -f "out/$f.rev" ] || fail "no out/$f.rev (Alembic's file names are kept)"
    done
    has out/d4_merge.rev '^parent +\(b2c3d4e5f6a7, c3billing01\)$' "the merge keeps both parents"
    has out/c3_billing.rev '^branch +billing$' "the branch label is kept"
    has out/f6_slugs.rev '^depends_on billing$' "depends_on is kept"
    has out/a1_people.rev "^created +'2024-03-01 09:15:00'$" "the create date is kept"
    has out/a1_people.rev "^message +'people and their accounts'$" "the message is kept"
    # Helpers and loops were run: both tables of b2's loop, with the helper's columns.
    has out/b2_content.rev '^    create_table comments \($' "a table built by a helper in a loop"
    has out/b2_content.rev 'created_at timestamp not null default current_timestamp' \
        "the helper's columns"
    has out/e5_batch.rev '^    add_column people age integer;$' "batch mode is recorded"
    has out/e5_batch.rev '^    execute \$\$UPDATE people SET age = 0 WHERE age IS NULL\$\$;$' \
        "op.execute is kept"
    # Data migrations: reported with file:line, marked, never replayed.
    has import.err 'shop/versions/f6_slugs.py:26: TODO' "the slug data migration is reported at its line"
    has import.err 'shop/versions/h8_labels.py:20: TODO' "the label data migration is reported at its line"
    has out/h8_labels.rev 'TODO\(retort import\)' "the data migration is marked in the file"
    hasnt out/h8_labels.rev '^ *execute .*UPDATE roles' "recorded rows are not replayed"
    has import.err 'h8_labels.py:23: REVIEW' "the Python condition around an op is reported"
    has import.err 'shop/versions/i9_tags.py:34: TODO' "op.execute with values from Python is reported"
    hasnt out/i9_tags.rev '^ *execute .*UPDATE people' "op.execute with values from Python is not replayed"
    # tags references tag_groups, created after it: the key follows the table.
    has out/i9_tags.rev '^    create_foreign_key tags_group_id_fkey on tags \(group_id\) references tag_groups \(id\);$' \
        "a reference to a later table becomes create_foreign_key after it"
    moods_rev
    # Downgrades: derived where Alembic's is the inverse, kept otherwise.
    hasnt out/a1_people.rev '^downgrade' "an inverse downgrade is left to retort"
    has out/g7_roles.rev '^downgrade \{$' "a downgrade that is not the inverse is kept"

    alembic -x "url=sqlite:///$work/alembic.db" upgrade heads ||
        { cat alembic.out >&2; die "alembic upgrade heads failed"; }
    migrator --url "sqlite:///$work/retort.db" upgrade heads ||
        { cat migrator.out >&2; die "migrator upgrade heads failed"; }
    sqlite_dump alembic.db >alembic.dump || die "dumping alembic.db failed"
    sqlite_dump retort.db >retort.dump || die "dumping retort.db failed"
    expect_same "SQLite: the imported history leaves Alembic's schema, rows and version" \
        alembic.dump retort.dump

    # Alembic to e5batch, then the migrator takes over.
    alembic -x "url=sqlite:///$work/takeover.db" upgrade e5batch ||
        { cat alembic.out >&2; die "alembic upgrade e5batch failed"; }
    migrator --url "sqlite:///$work/takeover.db" upgrade heads ||
        { cat migrator.out >&2; die "the migrator cannot take over from Alembic"; }
    grep -q 'Running upgrade e5batch -> f6slugs' migrator.out ||
        fail "the migrator did not start after e5batch: $(head -3 migrator.out)"
    sqlite_dump takeover.db >takeover.dump || die "dumping takeover.db failed"
    expect_same "Alembic to e5batch, then the migrator = Alembic alone" \
        alembic.dump takeover.dump

    # Down to a1 with each tool: g7's kept downgrade leaves roles in place.
    alembic -x "url=sqlite:///$work/alembic.db" downgrade a1 ||
        { cat alembic.out >&2; die "alembic downgrade a1 failed"; }
    migrator --url "sqlite:///$work/retort.db" downgrade a1 ||
        { cat migrator.out >&2; die "migrator downgrade a1 failed"; }
    sqlite_dump alembic.db >alembic.down || die "dumping alembic.db failed"
    sqlite_dump retort.db >retort.down || die "dumping retort.db failed"
    has retort.down '^table\|roles\|' "the kept downgrade left roles, as Alembic's does"
    expect_same "SQLite: downgrade to a1 as Alembic's downgrade() functions do" \
        alembic.down retort.down

    # Flask-Migrate's layout: alembic.ini beside env.py, no script_location.
    cp -R shop flask && printf '[alembic]\n' >flask/alembic.ini
    "$retort" import flask -o flask-out >flask.err 2>&1 ||
        { cat flask.err >&2; fail "a Flask-Migrate folder is not imported"; }
    expect_eq "a Flask-Migrate folder: every revision" 10 "$(ls flask-out/*.rev 2>/dev/null | wc -l)"
    ;;

errors)
    check_nothing() { [ ! -e "$1" ] && ok "$2: nothing written" || fail "$2: $1 was written"; }
    # expect_error WHAT EXPECTED ARGS...: exit 1, one line holding EXPECTED.
    expect_error() {
        what=$1 expected=$2
        shift 2
        "$retort" import "$@" >err.out 2>&1
        status=$?
        expect_eq "$what: exit status" 1 "$status"
        expect_eq "$what: one line" 1 "$(wc -l <err.out)"
        grep -qF -- "$expected" err.out && ok "$what: says $expected" ||
            fail "$what: [$(cat err.out)] lacks [$expected]"
    }
    mkdir notalembic
    echo 'print(1)' >notalembic/thing.py
    expect_error "not an Alembic project" "notalembic: not an Alembic project" notalembic -o o1
    check_nothing o1 "not an Alembic project"

    cp -R shop broken
    cat >broken/versions/z9_app.py <<'EOF'
"""needs the application

Revision ID: z9app
Revises: i9tags
Create Date: 2024-04-01 00:00:00
"""
from alembic import op

import shop_application_models  # not on the path

revision = "z9app"
down_revision = "i9tags"


def upgrade():
    op.drop_table(shop_application_models.TABLE)


def downgrade():
    pass
EOF
    expect_error "a module that cannot be imported" "broken/versions/z9_app.py:9: cannot load" \
        broken -o o2
    check_nothing o2 "a module that cannot be imported"
    # --python-path makes it importable.
    mkdir app && printf 'TABLE = "roles"\n' >app/shop_application_models.py
    "$retort" import broken -o o3 --python-path app >o3.err 2>&1 ||
        { cat o3.err >&2; fail "--python-path did not make the module importable"; }
    grep -q '^    drop_table roles;$' o3/z9_app.rev 2>/dev/null &&
        ok "--python-path: the application's module is used" ||
        fail "--python-path: no drop_table roles in o3/z9_app.rev"

    cp -R shop raises
    cat >raises/versions/z9_raise.py <<'EOF'
"""raises

Revision ID: z9raise
Revises: i9tags
Create Date: 2024-04-01 00:00:00
"""
from alembic import op

revision = "z9raise"
down_revision = "i9tags"


def upgrade():
    op.add_column("roles", __import__("sqlalchemy").Column("x", __import__("sqlalchemy").Integer()))
    op.drop_column("no_such_table", "x")


def downgrade():
    pass
EOF
    expect_error "a revision that raises" "raises/versions/z9_raise.py:15: upgrade() raised" \
        raises -o o4
    check_nothing o4 "a revision that raises"

    mkdir full && touch full/keep
    expect_error "a non-empty output" "full: exists and is not an empty directory" shop -o full
    "$retort" import shop >usage.out 2>&1
    expect_eq "no -o: a usage error" 2 "$?"
    ;;

postgresql)
    pg_setup
    # i9 creates a table that references one created after it, which only
    # SQLite accepts (Alembic fails there too on PostgreSQL).
    rm shop/versions/i9_tags.py
    import_shop --pg-url "$(sa_url postgres)"
    da=import_alembic_$$ dm=import_retort_$$
    newdb "$da"
    newdb "$dm"
    alembic -x "url=$(sa_url "$da")" upgrade heads ||
        { cat alembic.out >&2; die "alembic upgrade heads failed"; }
    migrator --url "$(url "$dm")" upgrade heads ||
        { cat migrator.out >&2; die "migrator upgrade heads failed"; }
    roles="SELECT 'roles', id, name FROM roles ORDER BY id;"
    pg_dump_norm "$da" "$roles" >alembic.dump || die "dumping $da failed"
    pg_dump_norm "$dm" "$roles" >retort.dump || die "dumping $dm failed"
    expect_same "PostgreSQL: the imported history leaves Alembic's schema, rows and version" \
        alembic.dump retort.dump
    # A timeout set with op.execute is a header line of its revision; a
    # LOCK TABLE is lock_table.
    has out/g7_roles.rev "^lock_timeout '4s'$" "SET lock_timeout is a header line"
    has out/g7_roles.rev '^ +lock_table people share row exclusive;$' "LOCK TABLE is lock_table"
    hasnt out/g7_roles.rev '^ *execute .*(SET|LOCK)' "neither is left as execute"
    moods_rev
    hasnt out/h9_moods.rev 'if dialect' "enums and comments: one statement for both databases"
    has alembic.dump '^enum\|mood\|' "the dump compares enum labels"
    has alembic.dump '^comment\|moods\|feeling\|how the day went$' "the dump compares comments"
    # No scratch database is left behind.
    left=$(psql -qXAt "$admin" -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_import_%'")
    expect_eq "the importer dropped its scratch database" 0 "$left"
    psql -qX "$admin" -c "DROP DATABASE IF EXISTS $da" -c "DROP DATABASE IF EXISTS $dm" \
        >/dev/null 2>&1
    ;;

pgonly)
    pg_setup
    project=pgonly
    cp -R "$here/pgonly" pgonly || exit 1
    sa=$(sa_url postgres)
    # Recorded on SQLite as well by default, where Alembic cannot run it.
    "$retort" import pgonly -o out >import.out 2>import.err
    expect_eq "a PostgreSQL-only history without --dialect: exit 1" 1 "$?"
    has import.err '^retort import: pgonly/versions/p1_accounts\.py:[0-9]+: .*\(on sqlite\); if the project runs on PostgreSQL only, import with --dialect postgresql --pg-url URL$' \
        "the error names the file, the database and the way out"
    expect_eq "the error is one line" 1 "$(wc -l <import.err)"
    if [ -e out ]; then fail "out/ written after a failed import"; else ok "nothing written"; fi
    "$retort" import pgonly -o out --dialect postgresql >import.out 2>import.err
    expect_eq "--dialect postgresql without --pg-url: a usage error" 2 "$?"
    "$retort" import pgonly -o out --dialect sqlite --pg-url "$sa" >import.out 2>import.err
    expect_eq "--dialect sqlite with --pg-url: a usage error" 2 "$?"
    "$retort" import pgonly -o out --dialect mysql >import.out 2>import.err
    expect_eq "--dialect mysql: a usage error" 2 "$?"
    if [ -e out ]; then fail "out/ written after a usage error"; else ok "nothing written"; fi
    "$retort" import pgonly -o out --dialect postgresql --pg-url "$sa" >import.out 2>import.err ||
        { cat import.err >&2; die "retort import --dialect postgresql failed"; }
    has out/retort.conf '^dialects postgresql$' "retort.conf: the history targets PostgreSQL"
    cat out/*.rev >all.rev
    hasnt all.rev 'if dialect' "no if dialect blocks: one database was recorded"
    has out/p4_merge.rev '^parent +\(p2, p3\)$' "the merge keeps both parents"
    has out/p2_event_fk.rev 'create_foreign_key fk_events_account on events' \
        "the foreign key added outside batch mode is a statement"
    has out/p1_accounts.rev 'create_index ix_events_account_recent on events \(account_id, id desc\);' \
        "text(\"id DESC\") in an index is the column id, descending"
    has out/p5_concurrent.rev '^transaction none$' "autocommit_block: transaction none"
    has out/p5_concurrent.rev 'create_index ix_accounts_name on accounts \(name\) concurrently;' \
        "the index is still built concurrently"
    # A type created by hand and named by columns with create_type=False;
    # comments set by op.create_table_comment and alter_column(comment=).
    has out/p6_tiers.rev "^    create_enum tier \\('free', 'paid', 'gold'\\);$" \
        "ENUM(...).create(bind) is create_enum"
    has out/p6_tiers.rev '^    add_column accounts tier enum tier;$' \
        "a create_type=False column is enum N"
    has out/p6_tiers.rev '^        tier enum tier not null$' "and so in create_table"
    expect_eq "the type is created once" 1 "$(grep -c 'create_enum tier' out/p6_tiers.rev)"
    has out/p6_tiers.rev "^    create_enum plan \\('basic', 'it''s pro'\\);$" \
        "op.execute of CREATE TYPE ... AS ENUM is create_enum"
    has out/p6_tiers.rev '^    add_column accounts plan enum plan;$' "and its column is enum N"
    # Raw DROP TYPE in downgrade() would be kept as execute, and the
    # downgrade with it.
    hasnt out/p6_tiers.rev '^downgrade' "op.execute of DROP TYPE is drop_enum: the downgrade is derived"
    hasnt import.err 'on SQLite' "a history recorded on PostgreSQL alone gets no SQLite notes"
    has out/p6_tiers.rev "^    alter_table accounts set comment 'who can sign in';$" \
        "op.create_table_comment is alter_table set comment"
    has out/p6_tiers.rev "^    alter_column accounts tier set comment 'what the account pays for';$" \
        "alter_column(comment=) is alter_column set comment"
    hasnt out/p6_tiers.rev 'execute|schema_check' "enums and comments are not raw SQL"
    "$retort" check out >check.log 2>&1 || { cat check.log >&2; die "retort check failed"; }
    ok "retort check passes on the import"
    "$retort" compile out -o migrations.c --name pgonly >compile.log 2>&1 ||
        { cat compile.log >&2; die "retort compile failed"; }
    "$cc" -O2 ${MIGRATOR_CFLAGS:-} migrations.c -I "$inc" "$lib" -lsqlite3 -ldl -o migrate \
        >cc.log 2>&1 || { cat cc.log >&2; die "cc failed"; }
    migrator --url "sqlite:///$work/no.db" upgrade heads
    expect_eq "the migrator refuses SQLite" 1 "$?"
    has migrator.out 'targets postgresql only' "and says why"
    da=import_pga_$$ dm=import_pgr_$$ dt=import_pgt_$$
    newdb "$da"
    newdb "$dm"
    newdb "$dt"
    alembic -x "url=$(sa_url "$da")" upgrade heads ||
        { cat alembic.out >&2; die "alembic upgrade heads failed"; }
    migrator --url "$(url "$dm")" upgrade heads ||
        { cat migrator.out >&2; die "migrator upgrade heads failed"; }
    pg_dump_norm "$da" >alembic.dump || die "dumping $da failed"
    pg_dump_norm "$dm" >retort.dump || die "dumping $dm failed"
    expect_same "PostgreSQL only: the import leaves Alembic's schema and version rows" \
        alembic.dump retort.dump
    # Alembic takes the database to one branch; the migrator takes over.
    alembic -x "url=$(sa_url "$dt")" upgrade p2 ||
        { cat alembic.out >&2; die "alembic upgrade p2 failed"; }
    migrator --url "$(url "$dt")" upgrade heads ||
        { cat migrator.out >&2; die "migrator takeover failed"; }
    pg_dump_norm "$dt" >takeover.dump || die "dumping $dt failed"
    expect_same "PostgreSQL only: the migrator takes over at p2 and ends as Alembic" \
        alembic.dump takeover.dump
    # p7 and p8 add the same unnamed constraints twice: the import writes
    # the names PostgreSQL gave (the dump compares names).
    has alembic.dump '^constraint name\|accounts\|accounts_check1\|c$' \
        "the dump compares the names of constraints"
    has out/p8_checks_again.rev '^    create_check_constraint accounts_check1 on accounts ' \
        "an unnamed check created twice: the second takes PostgreSQL's name"
    has out/p8_checks_again.rev '^    create_unique_constraint accounts_name_key1 on accounts ' \
        "an unnamed unique created twice: PostgreSQL's name"
    has out/p8_checks_again.rev '^    create_foreign_key tier_history_id_fkey1 on tier_history ' \
        "an unnamed foreign key created twice: PostgreSQL's name"
    # p9: deferrable foreign keys (a column's, a table constraint's,
    # create_foreign_key's) are written natively, not reported as dropped.
    has out/p9_deferred.rev 'foreign key \(source_id\) references accounts \(id\) deferrable initially deferred$' \
        "ForeignKey(deferrable=True, initially=DEFERRED) is deferrable initially deferred"
    has out/p9_deferred.rev 'foreign key \(target_id\) references accounts \(id\) on delete cascade deferrable,$' \
        "ForeignKeyConstraint(deferrable=True) is deferrable"
    has out/p9_deferred.rev '^    create_foreign_key fk_transfers_event on transfers \(event_id\) references events \(id\) deferrable initially deferred;$' \
        "op.create_foreign_key(deferrable=, initially=) is written with them"
    has out/p9_deferred.rev 'constraint uq_transfers_seq unique \(source_id, seq\) deferrable initially deferred' \
        "UniqueConstraint(deferrable=, initially=) is written with them"
    has out/p9_deferred.rev '^    create_unique_constraint uq_transfers_target_seq on transfers \(target_id, seq\) deferrable;$' \
        "op.create_unique_constraint(deferrable=True) is deferrable"
    hasnt import.err 'DEFERRABLE|deferrable' "no deferrable key is reported as dropped"
    has alembic.dump 'DEFERRABLE INITIALLY DEFERRED' "the dump compares deferrability"
    has alembic.dump '^enum\|tier\|' "the dump compares enum labels"
    has alembic.dump "^enum\\|plan\\|2\\|it's pro$" "the labels of a type made by raw SQL"
    has alembic.dump '^comment\|accounts\|tier\|what the account pays for$' \
        "the dump compares comments"
    # Both down to p5: the type and the comments go.
    alembic -x "url=$(sa_url "$da")" downgrade p5 ||
        { cat alembic.out >&2; die "alembic downgrade p5 failed"; }
    migrator --url "$(url "$dm")" downgrade p5 ||
        { cat migrator.out >&2; die "migrator downgrade p5 failed"; }
    pg_dump_norm "$da" >alembic.down || die "dumping $da failed"
    pg_dump_norm "$dm" >retort.down || die "dumping $dm failed"
    hasnt retort.down '^enum\|(tier|plan)\|' "the downgrade drops the types"
    expect_same "PostgreSQL only: downgrade to p5 as Alembic's" alembic.down retort.down
    psql -qX "$admin" -c "DROP DATABASE IF EXISTS $da" -c "DROP DATABASE IF EXISTS $dm" \
        -c "DROP DATABASE IF EXISTS $dt" >/dev/null 2>&1
    ;;

*)
    die "unknown mode '$mode' (sqlite, postgresql, pgonly or errors)"
    ;;
esac

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all passed"
