#!/bin/sh
# standby.sh MIGRATOR WORKDIR PGDIR: pointed at a hot standby of the test
# cluster (tests/lib/pg_standby.sh), every writing command refuses at
# once, exit 1, with one line saying the server is in recovery (retort
# asks pg_is_in_recovery(): the line is retort's own, whatever language
# the server speaks), before it tries to create the version table or
# take a lock; current, status and check work, reading only.
here=$(cd "$(dirname "$0")" && pwd)
H=$1
work=$2
pgdir=$3
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"
. "$pgdir/env"
base_url=$(cat "$pgdir/url")

direct() {
    printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"
}
q() {
    psql -qXAt "$(direct "$1")" -c "SET client_min_messages = warning" -c "$2"
}

# On the primary: sb_head at head, sb_mid at p05, sb_empty without a
# version table; then the standby, caught up.
for db in sb_head sb_mid sb_empty; do
    psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
        -c "CREATE DATABASE $db" >/dev/null 2>&1 || fail "cannot create database $db"
    q $db "CREATE SCHEMA audit; CREATE TABLE audit.ran (rev text NOT NULL, dir text NOT NULL)" \
        >/dev/null || fail "cannot create audit.ran in $db"
done
run --url "$(direct sb_head)" upgrade head
expect_eq "primary: sb_head upgraded" 0 "$status"
run --url "$(direct sb_mid)" upgrade p05
expect_eq "primary: sb_mid upgraded to p05" 0 "$status"

sh "$here/../lib/pg_standby.sh" start "$work/sb" "$pgdir" >/dev/null || {
    echo "FAIL: cannot start the standby" >&2
    exit 1
}
trap 'sh "$here/../lib/pg_standby.sh" stop "$work/sb"' EXIT
sh "$here/../lib/pg_standby.sh" sync "$work/sb" "$pgdir" || fail "the standby did not catch up"
. "$work/sb/env"
standby() {
    printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGS_SOCK" "$PGS_PORT"
}
expect_eq "the standby is in recovery" t \
    "$(psql -X -At "$(standby postgres)" -c 'SELECT pg_is_in_recovery()')"

# refuses WHAT DB ARGS...: exit 1, one line on stderr, saying recovery.
refuses() {
    what=$1 db=$2
    shift 2
    run --url "$(standby "$db")" "$@"
    expect_eq "$what: exit 1" 1 "$status"
    expect_eq "$what: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
    expect_contains "$what: says the server is in recovery" "is in recovery" "$err"
    expect_contains "$what: names the standby" "port=$PGS_PORT" "$err"
    expect_eq "$what: nothing on stdout" "" "$out"
}
refuses "upgrade (pending revisions)" sb_mid upgrade
refuses "upgrade at head" sb_head upgrade head
refuses "upgrade, no version table yet" sb_empty upgrade
refuses "downgrade" sb_mid downgrade base
refuses "downgrade -1" sb_head downgrade -1
refuses "stamp" sb_mid stamp head
refuses "stamp --purge" sb_mid stamp --purge p01
refuses "stamp, no version table yet" sb_empty stamp head
refuses "verify" sb_empty verify
# --lock-timeout makes no difference: the refusal comes before the lock.
refuses "upgrade --lock-timeout" sb_mid --lock-timeout 1 upgrade

# Reading works.
run --url "$(standby sb_mid)" current
expect_eq "current: exit 0" 0 "$status"
expect_eq "current: the standby's revision" p05 "$out"
run --url "$(standby sb_empty)" current
expect_eq "current, no version table: exit 0" 0 "$status"
expect_eq "current, no version table: base, quietly" "" "$out$err"
run --url "$(standby sb_mid)" status
expect_eq "status: exit 0" 0 "$status"
expect_contains "status: the current revision" "Current: p05" "$out"
expect_contains "status: what upgrade would apply" "p11 -> p12" "$out"
run --url "$(standby sb_mid)" status --json
expect_eq "status --json: exit 0" 0 "$status"
expect_contains "status --json: current" '"p05"' "$out"
run --url "$(standby sb_head)" check
expect_eq "check at head: exit 0" 0 "$status"
expect_eq "check at head: no error" "" "$err"
run --url "$(standby sb_mid)" check
expect_eq "check below head: exit 1" 1 "$status"
expect_lacks "check below head: a check result, not a refusal" "recovery" "$err"
expect_contains "check below head: says so" "p05" "$out"

# Nothing was created on the primary by any of it.
expect_eq "no version table appeared on sb_empty" 0 \
    "$(q sb_empty "SELECT count(*) FROM pg_catalog.pg_class WHERE relname LIKE 'alembic%'")"
expect_eq "sb_mid still at p05 on the primary" p05 "$(q sb_mid 'SELECT version_num FROM alembic_version')"
finish
