#!/bin/sh
# parity.sh MODE WORK RETORT CC LIBRETORT INCLUDE GEN_HISTORY [PGDIR]
#
# Alembic and the migrator, on the same generated history
# (bench/gen_history.py, N revisions, default 40), must leave the same
# database.  MODE:
#   sqlite      Alembic and the migrator each upgrade a fresh SQLite file to
#               head; the normalised schemas (tables, columns, types,
#               nullability, defaults, primary keys, indexes with their
#               columns, foreign keys) and the alembic_version rows match.
#   postgresql  the same on two fresh databases of the `pg` fixture's
#               cluster (PGDIR), from information_schema and pg_catalog.
#   interop     SQLite: Alembic upgrades to revision N/2 and the migrator
#               finishes to head on the same file; and the reverse.  Each
#               tool runs only the revisions the other did not, and both
#               files end like a database that one tool took to head.
#
# The migrator is built here from the generated files: RETORT compile, then
# CC against LIBRETORT and INCLUDE.  Alembic is Debian's
# (/usr/bin/python3 -m alembic; psycopg2 for PostgreSQL); without it the
# test is skipped (exit 77).
#
# The runtime's own bookkeeping table (<version table>_retort, beside
# alembic_version) is left out of the schema comparison: Alembic has no
# such table.  Everything else is compared.
set -u
mode=$1 work=$2 retort=$3 cc=$4 lib=$5 inc=$6 gen=$7 pgdir=${8:-}
n=${PARITY_N:-40}
half=$((n / 2))
PY=/usr/bin/python3

if ! "$PY" -c 'import alembic, sqlalchemy' 2>/dev/null; then
    echo "SKIP: Alembic is not installed for $PY (python3-alembic)"
    exit 77
fi
if [ "$mode" = postgresql ] && ! "$PY" -c 'import psycopg2' 2>/dev/null; then
    echo "SKIP: psycopg2 is not installed for $PY (python3-psycopg2)"
    exit 77
fi

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
# expect_same WHAT FILE_A FILE_B: the two dumps are equal (and not empty).
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

rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

# ---- the history and the migrator -----------------------------------------
python3 "$gen" "$n" hist >gen.log 2>&1 || { cat gen.log >&2; die "gen_history.py failed"; }
[ "$(ls hist/retort/*.rev 2>/dev/null | wc -l)" -eq "$n" ] ||
    die "gen_history.py did not write $n .rev files"
"$retort" compile hist/retort -o migrations.c --name parity >compile.log 2>&1 ||
    { cat compile.log >&2; die "retort compile failed"; }
# MIGRATOR_CFLAGS: the sanitizer flags when the runtime was built with them.
"$cc" -O2 ${MIGRATOR_CFLAGS:-} migrations.c -I "$inc" "$lib" -lsqlite3 -ldl -o migrate >cc.log 2>&1 ||
    { cat cc.log >&2; die "cc failed"; }
M=$work/migrate

# The ids of revision N/2 and of the head, from the .rev files (named in
# creation order by gen_history.py); the migrator and Alembic must agree.
rev_at() { awk '$1 == "revision" { print $2; exit }' "$(ls hist/retort/*.rev | sort | sed -n "${1}p")"; }
mid=$(rev_at "$half")
last=$(rev_at "$n")
[ -n "$mid" ] && [ -n "$last" ] || die "cannot read revision ids"
expect_eq "migrator heads" "$last (head)" "$("$M" heads)"
expect_eq "alembic heads" "$last (head)" \
    "$(cd hist/alembic && "$PY" -m alembic -c alembic.ini heads 2>/dev/null)"

# alembic ARGS...: Alembic in the generated project; output in alembic.out.
alembic() {
    (cd "$work/hist/alembic" && "$PY" -m alembic -c alembic.ini "$@") >"$work/alembic.out" 2>&1
}
# migrator ARGS...: output in migrator.out.
migrator() { "$M" "$@" >"$work/migrator.out" 2>&1; }
ran() { grep -c 'Running upgrade' "$1"; }

# ---- SQLite -----------------------------------------------------------------
# sqlite_dump DB: the schema and version rows, one fact a line, sorted.
sqlite_dump() {
    sqlite3 -bail -init /dev/null "$1" <<'SQL'
.mode list
.separator |
SELECT 'table|' || m.name || '|' || p.cid || '|' || p.name || '|' || upper(p.type)
       || '|notnull=' || p."notnull" || '|default=' || coalesce(p.dflt_value, 'NULL')
       || '|pk=' || p.pk
FROM sqlite_schema AS m, pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.name <> 'alembic_version_retort'
ORDER BY m.name, p.cid;
SELECT 'index|' || m.name || '|' || il.name || '|unique=' || il."unique"
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
SELECT 'version|' || version_num FROM alembic_version ORDER BY version_num;
SQL
    # The version table's DDL itself (its constraint name, alembic_version_pkc,
    # shows nowhere else), whitespace folded.
    printf 'vtsql|%s\n' "$(sqlite3 -init /dev/null "$1" \
        "SELECT sql FROM sqlite_schema WHERE name = 'alembic_version'" |
        tr '\t\n' '  ' | tr -s ' ' | sed 's/ *$//')"
}
sqlite_tables() {
    sqlite3 -init /dev/null "$1" "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
        AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'alembic_version_retort'"
}
sqlite_version() { sqlite3 -init /dev/null "$1" "SELECT group_concat(version_num, ',') FROM alembic_version"; }

# reference: Alembic alone, to head.
sqlite_reference() {
    alembic -x "url=sqlite:///$work/alembic.db" upgrade head ||
        { cat alembic.out >&2; die "alembic upgrade head failed"; }
    sqlite_dump alembic.db >alembic.dump || die "dumping alembic.db failed"
    expect_eq "alembic: tables" "$((n + 1))" "$(sqlite_tables alembic.db)"
    expect_eq "alembic: version" "$last" "$(sqlite_version alembic.db)"
}

case $mode in
sqlite)
    sqlite_reference
    migrator --url "sqlite:///$work/retort.db" upgrade head ||
        { cat migrator.out >&2; die "migrator upgrade head failed"; }
    expect_eq "migrator: revisions run" "$n" "$(ran migrator.out)"
    sqlite_dump retort.db >retort.dump || die "dumping retort.db failed"
    expect_eq "migrator: tables" "$((n + 1))" "$(sqlite_tables retort.db)"
    expect_same "SQLite: Alembic and the migrator leave the same schema and version" \
        alembic.dump retort.dump
    ;;

interop)
    sqlite_reference
    # Alembic half way, the migrator to head.
    alembic -x "url=sqlite:///$work/a_then_m.db" upgrade "$mid" ||
        { cat alembic.out >&2; die "alembic upgrade $mid failed"; }
    expect_eq "Alembic to revision $half: version" "$mid" "$(sqlite_version a_then_m.db)"
    expect_eq "Alembic to revision $half: revisions run" "$half" "$(ran alembic.out)"
    migrator --url "sqlite:///$work/a_then_m.db" current ||
        { cat migrator.out >&2; die "migrator current failed"; }
    expect_eq "the migrator reads Alembic's version table" "$mid" "$(cat migrator.out)"
    migrator --url "sqlite:///$work/a_then_m.db" upgrade head ||
        { cat migrator.out >&2; die "migrator upgrade head after Alembic failed"; }
    expect_eq "the migrator finishes: revisions run" "$((n - half))" "$(ran migrator.out)"
    grep -q "Running upgrade $mid -> " migrator.out ||
        fail "the migrator did not start after $mid: $(head -1 migrator.out)"
    sqlite_dump a_then_m.db >a_then_m.dump || die "dumping a_then_m.db failed"
    expect_same "Alembic then the migrator = Alembic alone" alembic.dump a_then_m.dump

    # The migrator half way, Alembic to head.
    migrator --url "sqlite:///$work/m_then_a.db" upgrade "$mid" ||
        { cat migrator.out >&2; die "migrator upgrade $mid failed"; }
    expect_eq "migrator to revision $half: version" "$mid" "$(sqlite_version m_then_a.db)"
    expect_eq "migrator to revision $half: revisions run" "$half" "$(ran migrator.out)"
    alembic -x "url=sqlite:///$work/m_then_a.db" current ||
        { cat alembic.out >&2; die "alembic current failed"; }
    expect_eq "Alembic reads the migrator's version table" "$mid" \
        "$(grep -v '^INFO' alembic.out)"
    alembic -x "url=sqlite:///$work/m_then_a.db" upgrade head ||
        { cat alembic.out >&2; die "alembic upgrade head after the migrator failed"; }
    expect_eq "Alembic finishes: revisions run" "$((n - half))" "$(ran alembic.out)"
    grep -q "Running upgrade $mid -> " alembic.out ||
        fail "Alembic did not start after $mid"
    sqlite_dump m_then_a.db >m_then_a.dump || die "dumping m_then_a.db failed"
    expect_same "the migrator then Alembic = Alembic alone" alembic.dump m_then_a.dump
    ;;

postgresql)
    [ -n "$pgdir" ] && [ -f "$pgdir/env" ] || die "no cluster in '$pgdir' (the pg fixture)"
    . "$pgdir/env"
    admin=$(cat "$pgdir/url")
    url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
    sa_url() { printf 'postgresql+psycopg2://postgres@/%s?host=%s&port=%s' "$1" "$PGC_SOCK" "$PGC_PORT"; }
    newdb() {
        psql -qX -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $1" \
            -c "CREATE DATABASE $1" >/dev/null || die "cannot create database $1"
    }
    q() { psql -qXAt -v ON_ERROR_STOP=1 "$(url "$1")" -c "$2"; }
    pg_dump_norm() {
        psql -qXAt -v ON_ERROR_STOP=1 -F '|' "$(url "$1")" <<'SQL'
SELECT 'column', c.table_name, c.ordinal_position, c.column_name, c.data_type,
       coalesce(c.character_maximum_length::text, ''),
       coalesce(c.numeric_precision::text, ''), c.is_nullable,
       coalesce(c.column_default, 'NULL'), c.is_identity
FROM information_schema.columns AS c
WHERE c.table_schema = 'public' AND c.table_name <> 'alembic_version_retort'
ORDER BY c.table_name, c.ordinal_position;
SELECT 'index', i.tablename, i.indexname, i.indexdef
FROM pg_indexes AS i
WHERE i.schemaname = 'public' AND i.tablename <> 'alembic_version_retort'
ORDER BY i.tablename, i.indexname;
SELECT 'constraint', t.relname, co.conname, co.contype,
       pg_get_constraintdef(co.oid)
FROM pg_constraint AS co
JOIN pg_class AS t ON t.oid = co.conrelid
JOIN pg_namespace AS ns ON ns.oid = t.relnamespace
WHERE ns.nspname = 'public' AND t.relname <> 'alembic_version_retort'
ORDER BY t.relname, co.conname;
SELECT 'version', version_num FROM alembic_version ORDER BY version_num;
SQL
    }
    pg_tables() {
        q "$1" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'
                AND tablename <> 'alembic_version_retort'"
    }
    da=parity_alembic_$$ dm=parity_retort_$$
    newdb "$da"
    newdb "$dm"
    alembic -x "url=$(sa_url "$da")" upgrade head ||
        { cat alembic.out >&2; die "alembic upgrade head failed"; }
    expect_eq "alembic: revisions run" "$n" "$(ran alembic.out)"
    migrator --url "$(url "$dm")" upgrade head ||
        { cat migrator.out >&2; die "migrator upgrade head failed"; }
    expect_eq "migrator: revisions run" "$n" "$(ran migrator.out)"
    pg_dump_norm "$da" >alembic.dump || die "dumping $da failed"
    pg_dump_norm "$dm" >retort.dump || die "dumping $dm failed"
    expect_eq "alembic: tables" "$((n + 1))" "$(pg_tables "$da")"
    expect_eq "migrator: tables" "$((n + 1))" "$(pg_tables "$dm")"
    expect_eq "alembic: version" "$last" "$(q "$da" 'SELECT version_num FROM alembic_version')"
    expect_same "PostgreSQL: Alembic and the migrator leave the same schema and version" \
        alembic.dump retort.dump
    psql -qX "$admin" -c "DROP DATABASE IF EXISTS $da" -c "DROP DATABASE IF EXISTS $dm" \
        >/dev/null 2>&1
    ;;

*)
    die "unknown mode '$mode' (sqlite, postgresql or interop)"
    ;;
esac

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all passed"
