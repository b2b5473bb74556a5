#!/bin/sh
# locktimeout.sh DIALECT MIGRATOR WORKDIR [PGDIR]: --lock-timeout with two
# migrators at once on one database.  The history (tests/runtime/lock) has
# a slow middle revision l2; migrator A upgrades, and while it runs l2
# (and so holds the migration lock) migrator B is started:
#   - with --lock-timeout 0.3 it gives up: exit 1, one line naming the
#     timeout (and on PostgreSQL A's backend pid), nothing applied twice;
#   - with --lock-timeout 0 it does not wait at all;
#   - with a generous timeout it says it waits (on PostgreSQL for whom),
#     waits for A and then finds nothing to do;
#   - a bad SECONDS is a usage error (exit 2) before anything connects.
dialect=$1
H=$2
work=$3
pgdir=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"

case $dialect in
sqlite)
    U=sqlite:///$work/lock.db
    newdb() { rm -f "$work/lock.db"; }
    rows() { sqlite3 "$work/lock.db" "SELECT group_concat(version_num) FROM alembic_version"; }
    ;;
postgresql)
    . "$pgdir/env"
    base_url=$(cat "$pgdir/url")
    U="postgresql:///rt_lock?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
    newdb() { psql -qX "$base_url" -c "DROP DATABASE IF EXISTS rt_lock" -c "CREATE DATABASE rt_lock" >/dev/null 2>&1; }
    rows() { psql -qXAt "$U" -c "SELECT string_agg(version_num, ',') FROM alembic_version"; }
    ;;
esac

# start_a: migrator A upgrades in the background; returns once A runs l2
# (it holds the lock from before l1 until after l3).
start_a() {
    # The previous A's log must be gone first: the redirection below
    # truncates it only once the child runs, and the wait could read the
    # old "l1 -> l2" line and start B before A holds the lock.
    rm -f "$work/a.out" "$work/a.err"
    "$H" --url "$U" upgrade >"$work/a.out" 2>"$work/a.err" &
    a_pid=$!
    n=0
    until grep -q 'Running upgrade l1 -> l2' "$work/a.err" 2>/dev/null; do
        n=$((n + 1))
        if [ $n -gt 600 ]; then
            fail "migrator A never reached l2: $(cat "$work/a.err")"
            break
        fi
        sleep 0.05
    done
}

wait_a() {
    wait "$a_pid"
    expect_eq "$1: A succeeds" 0 "$?"
    expect_eq "$1: A at l3" l3 "$(rows)"
}

newdb
start_a
run --url "$U" --lock-timeout 0.3 upgrade
expect_eq "timeout: status" 1 "$status"
expect_eq "timeout: one error line" 1 "$(printf '%s\n' "$err" | grep -c '^error:')"
expect_contains "timeout: said it waits" "Waiting for the migration lock on" "$err"
expect_contains "timeout: says so" "gave up waiting for the migration lock" "$err"
expect_contains "timeout: how long" "after 0.3 s" "$err"
expect_lacks "timeout: no revision run" "Running upgrade" "$err"
if [ "$dialect" = postgresql ]; then
    expect_contains "timeout: who holds it" "backend pid" "$err"
    run --url "$U" --lock-timeout 0.3 check
    expect_eq "check gives up too: status" 1 "$status"
    expect_contains "check gives up too" "gave up waiting for the migration lock" "$err"
fi
run --url "$U" stamp --lock-timeout=0 l1
expect_eq "0 does not wait: status" 1 "$status"
expect_contains "0 does not wait" "gave up waiting for the migration lock" "$err"
wait_a "timeout"
expect_eq "A ran each revision once" 3 "$(grep -c '^Running upgrade' "$work/a.err")"

newdb
start_a
run --url "$U" --lock-timeout 120 upgrade
expect_eq "waits: status" 0 "$status"
expect_eq "waits: nothing left to run" "" "$(printf '%s\n' "$err" | grep '^Running')"
expect_contains "waits: says it waits" "Waiting for the migration lock on" "$err"
if [ "$dialect" = postgresql ]; then
    expect_contains "waits: for whom" "backend pid" "$(printf '%s\n' "$err" | grep '^Waiting')"
fi
wait_a "waits"

for bad in abc -1 1e9 "" 5s; do
    run --url "$U" --lock-timeout "$bad" upgrade
    expect_eq "--lock-timeout '$bad': usage error" 2 "$status"
    expect_contains "--lock-timeout '$bad': says why" "--lock-timeout needs a number of seconds" "$err"
done
run --url "$U" upgrade --lock-timeout
expect_eq "--lock-timeout without a value" 2 "$status"

finish
