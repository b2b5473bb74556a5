#!/bin/sh
# hostile.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Migrates the hostile-names history on a SQLite file (and on PostgreSQL
# when PG_DIR, the pg fixture's directory, is given) and checks that every
# table, column, index and value exists under exactly its written name, and
# that the canary table survived (nothing in a name or value ran as SQL).
set -u
migrate=$1
work=$2
pgdir=${3:-}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work"
mkdir -p "$work"
table='Odd "Table"; --x'

if [ -z "$pgdir" ]; then
    db=$work/h.db
    "$migrate" --url "sqlite:///$db" upgrade head || fail "upgrade"
    q() { sqlite3 -batch -noheader -list "$db" "$1"; }
    expect "table name" "$table" \
        "$(q "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'Odd%'")"
    expect "columns" "id|it's; DROP TABLE canary; --|Größe|with space|UPPER|naïve \"col\"|found_index" \
        "$(q "SELECT group_concat(name, '|') FROM pragma_table_info('Odd \"Table\"; --x')")"
    expect "index name" 'ix "odd" ü' \
        "$(q "SELECT name FROM pragma_index_list('Odd \"Table\"; --x') WHERE origin='c'")"
    expect "row" "O'Brien\"; DROP TABLE canary; --|Straße \"quoted\"|2|3|1" \
        "$(q "SELECT \"it's; DROP TABLE canary; --\", \"Größe\", \"with space\", \"UPPER\", found_index FROM \"Odd \"\"Table\"\"; --x\"")"
    expect "default" "'a''b; --c'" \
        "$(q "SELECT dflt_value FROM pragma_table_info('Odd \"Table\"; --x') WHERE name LIKE 'it%'")"
    expect "canary" "canary" "$(q "SELECT name FROM sqlite_master WHERE name='canary'")"
    "$migrate" --url "sqlite:///$db" downgrade base || fail "downgrade"
    expect "all gone" "alembic_version" \
        "$(q "SELECT group_concat(name) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'alembic_version_%'")"
    # The offline script holds the same names, quoted the same way.
    db=$work/offline.db
    "$migrate" upgrade --sql head --dialect sqlite >"$work/offline.sql" || fail "--sql"
    sqlite3 -bail "$db" <"$work/offline.sql" || fail "offline script does not load"
    expect "offline row" "O'Brien\"; DROP TABLE canary; --|Straße \"quoted\"|2|3|1" \
        "$(q "SELECT \"it's; DROP TABLE canary; --\", \"Größe\", \"with space\", \"UPPER\", found_index FROM \"Odd \"\"Table\"\"; --x\"")"
    expect "offline canary" "canary" "$(q "SELECT name FROM sqlite_master WHERE name='canary'")"
else
    base=$(cat "$pgdir/url")
    psql "$base" -qAt -c 'DROP DATABASE IF EXISTS hostile' -c 'CREATE DATABASE hostile' >/dev/null ||
        fail "createdb"
    url=$(printf '%s' "$base" | sed 's|:///postgres?|:///hostile?|')
    "$migrate" --url "$url" upgrade head || fail "upgrade"
    q() { psql "$url" -qAt -c "$1"; }
    expect "table name" "$table" \
        "$(q "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'Odd%'")"
    expect "columns" "id|it's; DROP TABLE canary; --|Größe|with space|UPPER|naïve \"col\"|found_index" \
        "$(q "SELECT string_agg(column_name, '|' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'Odd \"Table\"; --x'")"
    expect "index name" 'ix "odd" ü' \
        "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'Odd \"Table\"; --x' AND indexname NOT LIKE '%pkey'")"
    expect "row" "O'Brien\"; DROP TABLE canary; --|Straße \"quoted\"|2|3|1" \
        "$(q "SELECT \"it's; DROP TABLE canary; --\", \"Größe\", \"with space\", \"UPPER\", found_index FROM \"Odd \"\"Table\"\"; --x\"")"
    expect "canary" "canary" "$(q "SELECT tablename FROM pg_tables WHERE tablename='canary'")"
    "$migrate" --url "$url" downgrade base || fail "downgrade"
    expect "all gone" "alembic_version" \
        "$(q "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'alembic_version_%'")"
fi
echo "$failures failures"
[ "$failures" -eq 0 ]
