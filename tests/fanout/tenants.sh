#!/bin/sh
# tenants.sh MIGRATOR LOCK_MIGRATOR WORKDIR PGDIR: schema-per-tenant on
# PostgreSQL through the URL's options=-csearch_path.  Each schema keeps
# its own version table, and status, current and check read the tenant's
# own schema; the migration lock is per schema (a migrator on one tenant
# does not wait for a migration of another, but two on one tenant still
# exclude each other); a search_path schema that does not exist is
# refused instead of migrating the next schema of the path.
H=$1
L=$2
work=$3
pgdir=$4
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
case $L in /*) ;; *) L=$PWD/$L ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"
. "$pgdir/env"
base=$(cat "$pgdir/url")
db="postgresql:///fan_tenancy?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
export PGOPTIONS="-c client_min_messages=warning"
psql -qX -v ON_ERROR_STOP=1 "$base" -c 'DROP DATABASE IF EXISTS fan_tenancy' \
    -c 'CREATE DATABASE fan_tenancy' >/dev/null || exit 1
psql -qX -v ON_ERROR_STOP=1 "$db" -c 'CREATE SCHEMA t1; CREATE SCHEMA t2; CREATE SCHEMA "Mixed"; CREATE SCHEMA l1; CREATE SCHEMA l2' >/dev/null || exit 1
unset PGOPTIONS
t() { printf '%s&options=-csearch_path%%3D%s' "$db" "$1"; }
q() { psql -qXtA "$db" -c "$1" 2>&1; }

# ---- each schema its own version table; reads look at the tenant's ----
run --url "$(t t1)" upgrade
expect_eq "t1 upgrade" 0 "$status"
run --url "$(t t2)" upgrade f1
expect_eq "t2 upgrade f1" 0 "$status"
expect_eq "t1's version table" f3 "$(q 'SELECT version_num FROM t1.alembic_version')"
expect_eq "t2's version table" f1 "$(q 'SELECT version_num FROM t2.alembic_version')"
expect_eq "t1's data once, t2's none yet" "1 0" \
    "$(q 'SELECT count(*) FROM t1.fan_account') $(q 'SELECT count(*) FROM t2.fan_account')"
expect_eq "nothing in public" 0 \
    "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'")"
run --url "$(t t1)" current
expect_eq "current t1" "f3 (head)" "$out"
run --url "$(t t2)" current
expect_eq "current t2" "f1" "$out"
run --url "$(t t2)" status --json
expect_contains "status t2: pending" '"pending":[{"revision":"f2"' "$(printf '%s' "$out" | tr -d ' \n')"
run --url "$(t t1)" check
expect_eq "check t1 (at head, schema matches)" 0 "$status"
run --url "$(t t2)" check
expect_eq "check t2 (not at head)" 1 "$status"
# A schema whose name needs quotes: the URL spells it as libpq passes it.
run --url "$(t '%22Mixed%22')" upgrade
expect_eq "quoted schema: upgrade" 0 "$status"
expect_eq "quoted schema: its version table" f3 "$(q 'SELECT version_num FROM "Mixed".alembic_version')"
run --url "$(t '%22Mixed%22')" check
expect_eq "quoted schema: check" 0 "$status"

# ---- a schema that is not there: refused, not migrated into public -----
run --url "$(t 'nosuch,public')" upgrade
expect_eq "missing schema: exit 1" 1 "$status"
expect_eq "missing schema: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
expect_contains "missing schema: named" 'the schema "nosuch" of the search_path' "$err"
run --url "$(t 'nosuch,public')" current
expect_eq "missing schema: current refused too" 1 "$status"
run --url "$(t nosuch)" status
expect_eq "no schema at all: exit 1" 1 "$status"
expect_contains "no schema at all: says so" 'the schema "nosuch" of the search_path (nosuch) does not exist' "$err"
expect_eq "missing schema: public untouched" 0 \
    "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public'")"

# ---- the lock is per schema ----------------------------------------------
# The lock migrator's l2 sleeps 4 s holding the migration lock of l1; once
# it runs, a migrator on schema l2 that will not wait (--lock-timeout 0)
# gets its own lock, and one on l1 does not.
"$L" --url "$(t l1)" upgrade >"$work/bg.out" 2>"$work/bg.err" &
bg=$!
n=0
while ! grep -q 'Running upgrade l1 -> l2' "$work/bg.err" 2>/dev/null && [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
# Other schema first: when the same-schema one after it still finds the
# lock held, it was held all along (l2 is one transaction).
runl() { "$L" "$@" >"$work/out" 2>"$work/err"; status=$?; out=$(cat "$work/out"); err=$(cat "$work/err"); }
runl --url "$(t l2)" --lock-timeout 0 upgrade l1
expect_eq "other schema: its own lock, no wait" 0 "$status"
expect_lacks "other schema: no word of a lock" "lock" "$err"
runl --url "$(t l1)" --lock-timeout 0 upgrade
expect_eq "same schema: the lock holds (exit 1)" 1 "$status"
expect_contains "same schema: gave up on the lock" "migration lock" "$err"
wait $bg
expect_eq "the first migrator finished" 0 "$?"
expect_eq "l1 and l2 each at their own revision" "l3 l1" \
    "$(q 'SELECT version_num FROM l1.alembic_version') $(q 'SELECT version_num FROM l2.alembic_version')"

finish
