# lib.sh: helpers of the sample tests, sourced by walk.sh and schema_load.sh.
#
# A "database" is named by a handle: for SQLite the path of its file, for
# PostgreSQL the name of a database in the test cluster of the `pg` fixture
# (tests/lib/pg_cluster.sh; pg_setup reads where it is).  DIALECT must be
# set (sqlite or postgresql) and WORK to a scratch directory.

# pg_setup PGDIR: points libpq (psql) at the fixture's cluster.
pg_setup() {
    [ -f "$1/env" ] || die "no PostgreSQL test cluster in $1 (the pg fixture)"
    . "$1/env"
    PGHOST=$PGC_SOCK PGPORT=$PGC_PORT PGUSER=postgres
    PGOPTIONS='-c client_min_messages=warning'
    export PGHOST PGPORT PGUSER PGOPTIONS
    unset PGDATABASE PGPASSWORD PGSERVICE
}

# pg_url DB: the URL of database DB in the cluster.
pg_url() {
    printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' "$1" "$PGC_SOCK" "$PGC_PORT"
}

die() {
    echo "$TEST_NAME: $*" >&2
    exit 1
}

# db_fresh NAME: creates an empty database and prints its handle.
db_fresh() {
    case $DIALECT in
    sqlite)
        rm -f "$WORK/$1.db" "$WORK/$1.db-journal" "$WORK/$1.db-wal"
        : >"$WORK/$1.db"
        printf '%s\n' "$WORK/$1.db" ;;
    postgresql)
        # Database names are unique per test and step: tests run in parallel.
        db=$(printf 'samples_%s_%s' "$TEST_ID" "$1" | tr -c 'a-zA-Z0-9_\n' '_')
        psql -X -q -v ON_ERROR_STOP=1 -d postgres \
            -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" >/dev/null ||
            die "cannot create database $db"
        printf '%s\n' "$db" ;;
    esac
}

db_drop() {
    case $DIALECT in
    sqlite) rm -f "$1" ;;
    postgresql) psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" >/dev/null ;;
    esac
}

# db_url HANDLE: the URL a migrator connects to.
db_url() {
    case $DIALECT in
    sqlite) printf 'sqlite:///%s\n' "$1" ;;   # $1 is absolute: sqlite:////abs
    postgresql) pg_url "$1" ;;
    esac
}

# db_run HANDLE FILE: runs an SQL script, stopping at the first error.
db_run() {
    case $DIALECT in
    sqlite) sqlite3 -bail -batch "$1" <"$2" ;;
    postgresql) psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null ;;
    esac
}

# db_query HANDLE SQL: the rows, one per line, columns separated by |.
db_query() {
    case $DIALECT in
    sqlite) sqlite3 -bail -batch -noheader -list "$1" "$2" ;;
    postgresql) psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" ;;
    esac
}

# db_has_table HANDLE TABLE: prints 1 or 0.
db_has_table() {
    case $DIALECT in
    sqlite) db_query "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$2'" ;;
    postgresql) db_query "$1" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = '$2'" ;;
    esac
}

# db_introspect HANDLE: the schema of the database, one line per table,
# column, index, constraint and foreign key, sorted.  Left out: the version
# table and the migrator's bookkeeping beside it (alembic_version_retort);
# column order (a column that a downgrade adds back goes to the end of the
# table); and the names that the database makes up for unnamed constraints
# (they survive a table rename on PostgreSQL).
db_introspect() {
    case $DIALECT in
    sqlite) sqlite3 -bail -batch -noheader -list "$1" <<'SQL' | sort
SELECT 'table ' || m.name
       || CASE WHEN upper(m.sql) LIKE '%AUTOINCREMENT%' THEN ' autoincrement' ELSE '' END
       || ' checks=' || ((length(m.sql) - length(replace(upper(m.sql), 'CHECK', ''))) / 5)
  FROM sqlite_master m
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'column ' || m.name || '.' || p.name || ' ' || p.type
       || CASE WHEN p."notnull" THEN ' not null' ELSE '' END
       || coalesce(' default ' || p.dflt_value, '')
       || CASE WHEN p.pk THEN ' pk' || p.pk ELSE '' END
  FROM sqlite_master m JOIN pragma_table_info(m.name) p
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'index ' || m.name || ' '
       || CASE WHEN il.name LIKE 'sqlite\_autoindex\_%' ESCAPE '\' THEN '(auto)' ELSE il.name END
       || CASE WHEN il."unique" THEN ' unique' ELSE '' END
       || ' origin=' || il.origin
       || ' (' || (SELECT group_concat(c, ', ') FROM
                     (SELECT coalesce(x.name, '<expr>') || CASE WHEN x."desc" THEN ' desc' ELSE '' END AS c
                        FROM pragma_index_xinfo(il.name) x WHERE x.key ORDER BY x.seqno)) || ')'
       || CASE WHEN il.partial THEN ' where '
               || (SELECT trim(substr(i.sql, instr(upper(i.sql), ' WHERE ') + 7))
                     FROM sqlite_master i WHERE i.type = 'index' AND i.name = il.name)
               ELSE '' END
  FROM sqlite_master m JOIN pragma_index_list(m.name) il
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'fk ' || m.name || ' (' || fk."from" || ') -> ' || fk."table" || ' (' || coalesce(fk."to", '<pk>') || ')'
       || ' on update ' || fk.on_update || ' on delete ' || fk.on_delete
  FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'view ' || name FROM sqlite_master WHERE type = 'view';
SQL
    ;;
    postgresql) psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL' | sort
SELECT 'table ' || c.relname
       || ' checks=' || (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || regexp_replace(pg_get_expr(d.adbin, d.adrelid),
                                                 'nextval\(''[^'']*''::regclass\)', 'nextval(<seq>)'), '')
       || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'constraint ' || c.relname || ' '
       || CASE WHEN k.conname ~ '_(pkey|key|fkey|check|excl)[0-9]*$' THEN '(auto)' ELSE k.conname END
       || ' ' || pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relname NOT IN ('alembic_version', 'alembic_version_retort');
SELECT 'index ' || i.tablename || ' ' || i.indexdef
  FROM pg_indexes i
 WHERE i.schemaname = 'public' AND i.tablename NOT IN ('alembic_version', 'alembic_version_retort')
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.contype IN ('p', 'u', 'x')
                      AND k.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass);
SELECT 'view ' || viewname FROM pg_views WHERE schemaname = 'public';
SELECT 'sequence ' || count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'S';
SQL
    ;;
    esac
}

# db_versions HANDLE: the rows of alembic_version, sorted, or "(no version
# table)".
db_versions() {
    if [ "$(db_has_table "$1" alembic_version)" = 1 ]; then
        db_query "$1" "SELECT version_num FROM alembic_version ORDER BY version_num"
    else
        echo "(no version table)"
    fi
}

# db_seed_rows HANDLE: the rows that the history itself inserts, written the
# same way on both dialects.
db_seed_rows() {
    if [ "$(db_has_table "$1" order_statuses)" = 1 ]; then
        db_query "$1" "SELECT 'status ' || code || '|' || label || '|'
                              || CASE WHEN is_final THEN 'final' ELSE 'open' END || '|' || sort_order
                         FROM order_statuses ORDER BY sort_order"
    fi
    if [ "$(db_has_table "$1" users)" = 1 ]; then
        db_query "$1" "SELECT 'user ' || email || '|' || coalesce(full_name, '<null>')
                         FROM users ORDER BY email"
    fi
}

# expect_same WHAT EXPECTED_FILE ACTUAL_FILE
expect_same() {
    if ! diff -u "$2" "$3" >"$WORK/diff.out"; then
        cat "$WORK/diff.out" >&2
        die "$1: differs (--- expected, +++ actual)"
    fi
}
