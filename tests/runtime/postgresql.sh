#!/bin/sh
# postgresql.sh MIGRATOR PGDIR: the runtime against the `pg` fixture's
# cluster (tests/lib/pg_cluster.sh).
H=$1
pgdir=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
work=$pgdir/runtime_postgresql
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
. "$pgdir/env"

base_url=$(cat "$pgdir/url")
# url DB: the cluster's URL for database DB.
url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
newdb() { psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1; }
q() { psql -qXAt "$(url "$1")" -c "$2"; }
rows() { q "${1:-rt_main}" "SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"; }
tables() { q "${1:-rt_main}" "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"; }

newdb rt_main
U=$(url rt_main)
run --url "$U" upgrade
expect_eq "upgrade head: status" 0 "$status"
expect_eq "upgrade head: rows" eee500 "$(rows)"
expect_eq "upgrade head: tables" "account,alembic_version,alembic_version_retort,cond_ok,idx_ok,side_t,users" "$(tables)"
expect_eq "IF column_exists ran" 1 "$(q rt_main "SELECT count(*) FROM information_schema.columns WHERE table_name='users' AND column_name='age'")"
expect_eq "CONCURRENTLY outside a transaction" 1 "$(q rt_main "SELECT count(*) FROM pg_indexes WHERE indexname='ix_account_user'")"
expect_contains "progress" "Running upgrade aaa100 -> bbb200, add account" "$err"
run --url "$U" current
expect_eq "current" "eee500 (head)" "$out"
run --url "$U" downgrade -1
expect_eq "downgrade -1" ddd400 "$(rows)"
run --url "$U" downgrade -1
expect_eq "downgrade -1 out of a merge" "aab300,bbb200" "$(rows)"
run --url "$U" downgrade base
expect_eq "downgrade base" ":alembic_version,alembic_version_retort" "$(rows):$(tables)"
run --url "$U" stamp eee500
expect_eq "stamp" eee500 "$(rows)"
run --url "$U" stamp base
run --url "$U" upgrade aab300
expect_eq "upgrade a branch" aab300 "$(rows)"
run --url "$U" upgrade heads
expect_eq "upgrade heads" eee500 "$(rows)"

# A schema-qualified version table.
q rt_main "CREATE SCHEMA meta" >/dev/null
run --url "$U" --version-table meta.versions stamp eee500
expect_eq "schema-qualified version table" eee500 "$(q rt_main 'SELECT version_num FROM meta.versions')"

# A failing statement leaves the previous revision.
RT_HISTORY=fail run --url "$U" upgrade
expect_eq "failing statement: status" 1 "$status"
expect_eq "failing statement: message" \
    "error: revision fff600 (fff600_broken.rev): INSERT INTO no_such_table VALUES (1) : $(pg_says "$U" "INSERT INTO no_such_table VALUES (1)")" \
    "$(printf '%s\n' "$err" | grep '^error')"
expect_eq "failing statement: previous revision" eee500 "$(rows)"
expect_eq "failing statement: rolled back" 0 "$(q rt_main "SELECT count(*) FROM pg_tables WHERE tablename='ok_t'")"

# Offline scripts load into psql.
newdb rt_off
run --url "$(url rt_off)" upgrade --sql
expect_contains "--sql: BEGIN" "BEGIN;" "$out"
printf '%s\n' "$out" >up.sql
psql -qX -v ON_ERROR_STOP=1 "$(url rt_off)" -f up.sql >/dev/null 2>psql.err
expect_eq "--sql loads into psql" "0 eee500" "$? $(rows rt_off)"
run --url "$(url rt_off)" downgrade --sql head:base
printf '%s\n' "$out" >down.sql
psql -qX -v ON_ERROR_STOP=1 "$(url rt_off)" -f down.sql >/dev/null 2>>psql.err
expect_eq "downgrade --sql loads into psql" "0 " "$? $(tables rt_off)"

# Two migrators at once apply each revision once.
newdb rt_race
"$H" --url "$(url rt_race)" upgrade 2>race1.err & p1=$!
"$H" --url "$(url rt_race)" upgrade 2>race2.err & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_eq "race: both succeed" "0 0" "$s1 $s2"
expect_eq "race: each revision once" 5 "$(cat race1.err race2.err | grep -c '^Running upgrade')"
expect_eq "race: at head" eee500 "$(rows rt_race)"

# Connection failures.
run --url "postgresql:///x?host=$work/nowhere&port=1" current
expect_eq "unreachable server: status" 1 "$status"
expect_contains "unreachable server" "cannot connect to PostgreSQL" "$err"
expect_eq "unreachable server: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
bad="postgresql://$PGC_PWUSER:Wr0ngPassw0rd@/postgres?host=$PGC_SOCK&port=$PGC_PORT"
run --url "$bad" current
expect_eq "wrong password: status" 1 "$status"
expect_contains "wrong password" "$(pg_says "$bad" "")" "$err"
expect_lacks "wrong password: not printed" "Wr0ngPassw0rd" "$err$out"
good="postgres://$PGC_PWUSER:$PGC_PWPASS@/rt_main?host=$PGC_SOCK&port=$PGC_PORT"
run --url "$good" current --verbose
expect_eq "password URL: status" 0 "$status"
expect_contains "password URL redacted" "postgres://$PGC_PWUSER:***@/rt_main" "$out"
expect_lacks "password not printed" "$PGC_PWPASS" "$err$out"
PGPASSWORD=$PGC_PWPASS DATABASE_URL="postgresql:///rt_main?host=$PGC_SOCK&port=$PGC_PORT&user=$PGC_PWUSER" run current
expect_eq "libpq environment" "eee500 (head)" "$out"

finish
