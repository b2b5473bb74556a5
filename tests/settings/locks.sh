#!/bin/sh
# locks.sh MIGRATOR WORK_DIR [PG_DIR]
#
# lock_table (tests/settings/locks): on PostgreSQL the revision holds the
# locks in the mode written (ACCESS EXCLUSIVE when none is) while its
# statements run, upgrade and downgrade (the revision checks pg_locks
# itself and RAISEs otherwise); on SQLite it writes nothing and the
# history applies both ways.
set -u
migrate=$1
work=$2
pgdir=${3:-}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
rm -rf "$work"
mkdir -p "$work"
if [ -z "$pgdir" ]; then
    u="sqlite:///$work/l.db"
else
    base=$(cat "$pgdir/url")
    psql "$base" -qAt -c "DROP DATABASE IF EXISTS settings_locks" \
         -c "CREATE DATABASE settings_locks" >/dev/null || fail "createdb"
    u=$(printf '%s' "$base" | sed "s|:///postgres?|:///settings_locks?|")
fi
"$migrate" --url "$u" upgrade head || fail "upgrade head"
"$migrate" --url "$u" check || fail "check at head"
"$migrate" --url "$u" downgrade la || fail "downgrade la"
# Not at head, so check exits 1; the schema must still match la.
case "$("$migrate" --url "$u" check 2>&1)" in
*"the schema matches the history"*) ;;
*) fail "check at la" ;;
esac
if [ -n "$pgdir" ]; then
    # Offline: the same statements from the script.
    psql "$base" -qAt -c "DROP DATABASE IF EXISTS settings_locks_off" \
         -c "CREATE DATABASE settings_locks_off" >/dev/null || fail "createdb off"
    uo=$(printf '%s' "$base" | sed "s|:///postgres?|:///settings_locks_off?|")
    { "$migrate" upgrade --sql --dialect postgresql head &&
      "$migrate" downgrade --sql --dialect postgresql head:la; } >"$work/s.sql" || fail "scripts"
    psql "$uo" -q -v ON_ERROR_STOP=1 -f "$work/s.sql" >/dev/null || fail "offline script failed"
fi
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "locks: ok"
