#!/bin/sh
# many.sh MIGRATOR WORKDIR PGDIR: one `upgrade` over 200 SQLite files, 50
# PostgreSQL databases and 50 schemas of one database, --jobs 4, with one
# broken target of each kind: a read-only SQLite file, a dropped database
# and a dropped schema.  Every other database ends at head (read from its
# own version table, and its data statement ran once); the broken ones
# are named in the summary; the results come in the order of the list;
# exit 1.  Run as root, the migrator runs as `nobody`, for whom the file
# mode holds.
H=$1
work=$2
pgdir=$3
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"
. "$pgdir/env"
base=$(cat "$pgdir/url")
export PGOPTIONS="-c client_min_messages=warning"

if [ "$(id -u)" = 0 ]; then
    dir=$(mktemp -d /tmp/retort-fan.XXXXXX)
    chmod 755 "$dir"
    cp "$H" "$dir/migrate"
    H=$dir/migrate
    mkdir "$dir/db"
    chown nobody "$dir/db"
    as() { runuser -u nobody -- env -u PGOPTIONS "$@"; }
    trap 'rm -rf "$dir"' EXIT
else
    dir=$work
    mkdir "$dir/db"
    as() { env -u PGOPTIONS "$@"; }
fi

pgurl() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }

# 50 databases and 50 schemas, each made by one psql script.
for i in $(seq 1 50); do echo "DROP DATABASE IF EXISTS fan_db_$i;"; echo "CREATE DATABASE fan_db_$i;"; done >"$work/create.sql"
psql -qX -v ON_ERROR_STOP=1 "$base" -f "$work/create.sql" >/dev/null || { echo "cannot create the databases" >&2; exit 1; }
psql -qX -v ON_ERROR_STOP=1 "$base" -c 'DROP DATABASE IF EXISTS fan_tenants' \
    -c 'CREATE DATABASE fan_tenants' >/dev/null || exit 1
tenants=$(pgurl fan_tenants)
for i in $(seq 1 50); do echo "CREATE SCHEMA fan_s_$i;"; done >"$work/schemas.sql"
psql -qX -v ON_ERROR_STOP=1 "$tenants" -f "$work/schemas.sql" >/dev/null || exit 1

# The list: SQLite files, databases and schemas interleaved, with comments
# and blank lines.
list=$work/urls.txt
{
    echo "# fleet of $(date -u +%F) (a comment)"
    for i in $(seq 1 200); do
        echo "sqlite:///$dir/db/t$i.db"
        [ $((i % 4)) = 0 ] && k=$((i / 4)) && echo "$(pgurl fan_db_$k)   # database $k" &&
            echo "$tenants&options=-csearch_path%3Dfan_s_$k" && echo
    done
} >"$list"
# The broken ones: t77.db read-only (at f1), fan_db_13 dropped, fan_s_31
# dropped.
as "$H" --url "sqlite:///$dir/db/t77.db" upgrade f1 2>/dev/null
as chmod 444 "$dir/db/t77.db"
psql -qX "$base" -c 'DROP DATABASE fan_db_13' >/dev/null
psql -qX "$tenants" -c 'DROP SCHEMA fan_s_31' >/dev/null
expect_eq "the list names 300 databases" 300 "$(grep -c '^[sp]' "$list")"

as "$H" --urls-from "$list" --jobs 4 upgrade >"$work/out" 2>"$work/err"
status=$?
out=$(cat "$work/out")
expect_eq "exit 1: some failed" 1 "$status"
summary=$(tail -n 1 "$work/out")
expect_contains "summary counts" "300 databases: 297 ok, 3 failed" "$summary"
expect_contains "summary names the read-only file" "sqlite:///$dir/db/t77.db" "$summary"
expect_contains "summary names the dropped database" "/fan_db_13?" "$summary"
expect_contains "summary names the dropped schema" "search_path%3Dfan_s_31" "$summary"
expect_eq "nothing on stderr" "" "$(cat "$work/err")"
expect_eq "297 ok lines" 297 "$(grep -c '^ok      .*: base -> f3 (' "$work/out")"
expect_eq "3 FAILED lines" 3 "$(grep -c '^FAILED  ' "$work/out")"
expect_contains "the read-only file's line says why" "is read-only" \
    "$(grep "^FAILED  sqlite:///$dir/db/t77.db: " "$work/out")"
expect_contains "the dropped schema's line says why" '"fan_s_31" of the search_path' \
    "$(grep "^FAILED  .*fan_s_31: " "$work/out")"
# In the order of the list, whatever order they finished in.
grep '^[sp]' "$list" | sed 's/ .*//' >"$work/want_order"
grep -v ' databases: ' "$work/out" | grep -v '^    ' | sed 's/^[A-Za-z]* *//; s/: .*//' >"$work/got_order"
expect_eq "results in the order of the list" "" "$(cmp "$work/want_order" "$work/got_order" 2>&1)"

# Every other database at head, read from its own version table, and the
# data statement ran once in each.
bad=0
for i in $(seq 1 200); do
    [ $i = 77 ] && continue
    v=$(sqlite3 "$dir/db/t$i.db" 'SELECT group_concat(version_num) FROM alembic_version; SELECT count(*) FROM fan_account')
    [ "$v" = "f3
1" ] || { bad=$((bad + 1)); echo "t$i.db: $v" >&2; }
done
expect_eq "199 SQLite files at head, seeded once" 0 "$bad"
expect_eq "the read-only file is still at f1" f1 \
    "$(sqlite3 "$dir/db/t77.db" 'SELECT version_num FROM alembic_version')"
bad=0
for i in $(seq 1 50); do
    [ $i = 13 ] && continue
    v=$(psql -qXtA "$(pgurl fan_db_$i)" -c 'SELECT string_agg(version_num, $$,$$) FROM alembic_version' \
        -c 'SELECT count(*) FROM fan_account')
    [ "$v" = "f3
1" ] || { bad=$((bad + 1)); echo "fan_db_$i: $v" >&2; }
done
expect_eq "49 databases at head, seeded once" 0 "$bad"
q=
for i in $(seq 1 50); do
    [ $i = 31 ] && continue
    q="$q${q:+ UNION ALL }SELECT '$i', (SELECT string_agg(version_num, ',') FROM fan_s_$i.alembic_version), (SELECT count(*) FROM fan_s_$i.fan_account)"
done
v=$(psql -qXtA "$tenants" -c "SELECT count(*) FROM ($q) x WHERE string_agg = 'f3' AND count = 1")
expect_eq "49 schemas at head, seeded once, each its own version table" 49 "$v"
expect_eq "nothing landed in public" "" \
    "$(psql -qXtA "$tenants" -c "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'")"

# A second run: nothing to do anywhere but the same three failures.
as "$H" --urls-from "$list" --jobs 4 upgrade >"$work/out" 2>"$work/err"
expect_eq "second run: exit 1" 1 "$?"
expect_eq "second run: 297 at head already" 297 "$(grep -c '^ok      .*: f3 -> f3 (' "$work/out")"

# The databases stay: DROP DATABASE checkpoints each time (seconds for 50),
# and the cluster goes when the fixture ends.
finish
