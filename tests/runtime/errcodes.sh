#!/bin/sh
# errcodes.sh MIGRATOR PGDIR: failures of a kind a user acts on are told
# apart by SQLSTATE, never by the server's words.  The database under test
# speaks German (lc_messages = de_DE.UTF-8, a locale pg_cluster.sh makes):
#   - a lock wait that times out (55P03): the hint says so, the library
#     returns RETORT_ELOCKED (-5), the database stays where it was;
#   - a database that takes no writes (25006): the hint says so, the
#     library returns RETORT_EREADONLY (-6);
#   - any other failure keeps the plain RETORT_ERROR (-1) and no hint.
H=$1
pgdir=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
work=$pgdir/runtime_errcodes
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
. "$pgdir/env"

if [ -z "$PGC_LOCALE" ]; then
    echo "FAIL: the cluster has no second locale (localedef and the 'locales' package)" >&2
    exit 1
fi
base_url=$(cat "$pgdir/url")
url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
q() { psql -qXAt "$(url rt_err)" -c "$1"; }
rows() { q "SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"; }
psql -qX "$base_url" -c "DROP DATABASE IF EXISTS rt_err" -c "CREATE DATABASE rt_err" \
    -c "ALTER DATABASE rt_err SET lc_messages = '$PGC_LOCALE'" >/dev/null || exit 1
U=$(url rt_err)

run --url "$U" upgrade aaa100
expect_eq "upgrade aaa100" "0:aaa100" "$status:$(rows)"
# The server speaks German, or this test proves nothing.
msg=$(psql -qXAt "$U" -c "SELECT * FROM no_such_table" 2>&1)
expect_lacks "server messages are not in English" "does not exist" "$msg"

# A session holds the version table; the database gives up waiting after
# 300 ms.
psql -qX "$base_url" -c "ALTER DATABASE rt_err SET lock_timeout = '300ms'" >/dev/null
psql -qXAt "$U" -c "BEGIN" -c "LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE" \
     -c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
holder=$!
i=0
until [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'alembic_version' AND l.mode = 'AccessExclusiveLock'
             AND l.granted")" = 1 ] || [ $i -ge 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
run --url "$U" upgrade head
expect_eq "lock timeout: exit 1" 1 "$status"
expect_contains "lock timeout: the hint" "a lock wait timed out" "$err"
expect_eq "lock timeout: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
out=$(RT_API=upgrade "$H" "$U" head)
expect_contains "lock timeout: the library returns RETORT_ELOCKED" "code -5:" "$out"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
psql -qX "$base_url" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                         WHERE datname = 'rt_err' AND pid <> pg_backend_pid()" >/dev/null
expect_eq "lock timeout: still at aaa100" aaa100 "$(rows)"

# A database that takes no writes.
psql -qX "$base_url" -c "ALTER DATABASE rt_err RESET lock_timeout" \
     -c "ALTER DATABASE rt_err SET default_transaction_read_only = on" >/dev/null
run --url "$U" upgrade head
expect_eq "read-only: exit 1" 1 "$status"
expect_contains "read-only: the hint" "the database takes no writes" "$err"
out=$(RT_API=upgrade "$H" "$U" head)
expect_contains "read-only: the library returns RETORT_EREADONLY" "code -6:" "$out"
run --url "$U" current
expect_eq "read-only: current still works" "0:aaa100" "$status:$out"
psql -qX "$base_url" -c "ALTER DATABASE rt_err RESET default_transaction_read_only" >/dev/null

# Another failure: a revision whose statement fails keeps RETORT_ERROR.
out=$(RT_HISTORY=fail RT_API=upgrade "$H" "$U" head)
expect_contains "other failures: RETORT_ERROR" "code -1:" "$out"
expect_lacks "other failures: no hint" "timed out" "$out"
finish
