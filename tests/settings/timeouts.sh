#!/bin/sh
# timeouts.sh MIGRATOR WORK_DIR [PG_DIR]
#
# A revision's `lock_timeout` and `statement_timeout` (tests/settings/
# timeouts): on PostgreSQL they hold for every statement of that revision,
# upgrade and downgrade, online and offline, and are gone for the next
# revision, also after one that ran outside a transaction; a statement
# that outlasts the revision's statement_timeout is cancelled and the
# revision rolls back whole, with one line.  The revisions check the
# settings themselves (RAISE when they differ).  On SQLite they write
# nothing and the whole history applies.
# Without PG_DIR: SQLite; with it (the pg fixture's directory): PostgreSQL.
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

if [ -z "$pgdir" ]; then
    "$migrate" --url "sqlite:///$work/t.db" upgrade head || fail "sqlite upgrade head"
    expect "sqlite at head" "e1" "$(sqlite3 "$work/t.db" 'SELECT version_num FROM alembic_version')"
    "$migrate" upgrade --sql --dialect sqlite head >"$work/up.sql" || fail "sqlite offline"
    expect "sqlite script sets nothing" "0" "$(grep -ci 'timeout' "$work/up.sql")"
    [ "$failures" -eq 0 ] || exit 1
    exit 0
fi

base=$(cat "$pgdir/url")
mkurl() {
    psql "$base" -qAt -c "DROP DATABASE IF EXISTS settings_$1" \
         -c "CREATE DATABASE settings_$1" >/dev/null || fail "createdb $1"
    printf '%s' "$base" | sed "s|:///postgres?|:///settings_$1?|"
}
q() { psql "$1" -qAt -c "$2"; }
columns() {
    q "$1" "SELECT string_agg(column_name, ',' ORDER BY column_name)
            FROM information_schema.columns WHERE table_name = 'jobs'"
}

# Online: the revisions' own checks pass both ways.
u=$(mkurl online)
"$migrate" --url "$u" upgrade d1 || fail "online upgrade d1"
expect "online at d1" "d1" "$(q "$u" 'SELECT version_num FROM alembic_version')"
"$migrate" --url "$u" downgrade a1 || fail "online downgrade a1"
expect "online back at a1" "id,name" "$(columns "$u")"
"$migrate" --url "$u" upgrade d1 || fail "online upgrade d1 again"

# The slow revision: cancelled, rolled back, one line naming it.
"$migrate" --url "$u" upgrade head 2>"$work/err"
status=$?
expect "slow revision exits 1" "1" "$status"
expect "one error line" "1" "$(grep -c '^error:' "$work/err")"
case "$(grep '^error:' "$work/err")" in
*"revision e1"*"the statement was cancelled"*) echo "ok: the line names e1 and the cancel" ;;
*) fail "the line does not name e1 and the cancel: $(cat "$work/err")" ;;
esac
expect "still at d1" "d1" "$(q "$u" 'SELECT version_num FROM alembic_version')"
expect "no column of e1" "id,name,note,state" "$(columns "$u")"

# Offline: the same checks run from the script, in one transaction.
u=$(mkurl offline)
{ "$migrate" upgrade --sql --dialect postgresql d1 &&
  "$migrate" downgrade --sql --dialect postgresql d1:a1 &&
  "$migrate" upgrade --sql --dialect postgresql a1:d1; } >"$work/script.sql" || fail "offline scripts"
psql "$u" -q -v ON_ERROR_STOP=1 -f "$work/script.sql" >/dev/null || fail "offline script failed"
expect "offline at d1" "d1" "$(q "$u" 'SELECT version_num FROM alembic_version')"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
