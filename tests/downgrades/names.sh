#!/bin/sh
# names.sh MIGRATOR SQLITE3 WORK [PGDIR]
#
# names/: every kind of unnamed constraint (01), then each dropped by the
# name PostgreSQL gives it (02).  The compiler must know those names (or
# `retort compile` refuses 02), PostgreSQL must have them (or its upgrade
# fails), and on both dialects no constraint may be left at 02 and all of
# them must come back when 02 is downgraded.
set -u
mig=$1 sqlite=$2 work=$3 pgdir=${4:-}
fail() { echo "names: FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# --- SQLite ---
db=$work/names.db
S="sqlite:///$db"
# Foreign keys, keys (distinct column lists of unique and primary-key
# indexes: SQLite keeps the duplicates PostgreSQL merges), CHECKs of the
# user tables.
census() {
    "$sqlite" "$db" "SELECT
      (SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name)
        WHERE m.type = 'table' AND m.name NOT LIKE 'alembic%') || ' ' ||
      (SELECT count(DISTINCT k) FROM (SELECT m.name || ':' || (SELECT group_concat(x.name)
          FROM pragma_index_info(i.name) x) AS k
        FROM sqlite_master m, pragma_index_list(m.name) i
        WHERE m.type = 'table' AND m.name NOT LIKE 'alembic%' AND i.origin <> 'c')) || ' ' ||
      (SELECT coalesce(sum((length(sql) - length(replace(upper(sql), 'CHECK (', ''))) / 7), 0)
        FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'alembic%')"
}
"$mig" -q --url "$S" upgrade r1 || fail "sqlite: upgrade r1"
at_r1=$(census)
# 8 foreign keys; 9 keys with an index (an INTEGER PRIMARY KEY is the
# rowid and has none; SQLite also indexes the UNIQUE that repeats users'
# primary key, which PostgreSQL merges into it); 9 CHECKs.
[ "$at_r1" = "8 9 9" ] || fail "sqlite: at r1 the census is '$at_r1'"
"$mig" -q --url "$S" upgrade head || fail "sqlite: upgrade head"
[ "$(census)" = "0 0 0" ] || fail "sqlite: at r2 constraints are left: $(census)"
"$mig" -q --url "$S" downgrade r1 || fail "sqlite: downgrade r1"
# Back as the schema model knows them: users.id's redundant UNIQUE, which
# no statement can name, is not recreated.
[ "$(census)" = "8 8 9" ] || fail "sqlite: after downgrade r1 the census is '$(census)'"
[ -z "$("$sqlite" "$db" "PRAGMA foreign_key_check")" ] || fail "sqlite: foreign_key_check"

[ -n "$pgdir" ] || { echo "names: ok (sqlite only)"; exit 0; }

# --- PostgreSQL ---
. "$pgdir/env"
base=$(cat "$pgdir/url")
psql -qX "$base" -c "DROP DATABASE IF EXISTS retort_names" \
     -c "CREATE DATABASE retort_names" >/dev/null 2>&1 || fail "createdb"
P="postgresql:///retort_names?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
cons() {
    psql -qXAt "$P" -c "SELECT string_agg(conrelid::regclass::text || ' ' || conname
        || ' ' || contype::text, ', ' ORDER BY conrelid::regclass::text, conname)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        AND conrelid::regclass::text NOT LIKE 'alembic%'"
}
"$mig" -q --url "$P" upgrade r1 || fail "postgresql: upgrade r1"
pg_r1=$(cons)
n=$(printf '%s' "$pg_r1" | tr ',' '\n' | wc -l)
[ "$n" = 28 ] || fail "postgresql: at r1 there are $n constraints, not 28: $pg_r1"
"$mig" -q --url "$P" upgrade head || fail "postgresql: upgrade head (names differ?)"
[ -z "$(cons)" ] || fail "postgresql: at r2 constraints are left: $(cons)"
"$mig" -q --url "$P" downgrade r1 || fail "postgresql: downgrade r1"
[ "$(cons)" = "$pg_r1" ] || fail "postgresql: after downgrade r1: $(cons); expected $pg_r1"
echo "names: ok"
