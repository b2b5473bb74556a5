#!/bin/sh
# checklock.sh MIGRATOR PGDIR: `check` waiting for the migration lock
# must not stop a migration that builds an index concurrently.
#
# check takes the migration lock in shared mode.  Were it to wait inside
# a statement (a blocking pg_advisory_lock_shared), its snapshot would
# stay open for the whole wait, while CREATE INDEX CONCURRENTLY in the
# migrator that holds the lock waits for every older snapshot to go: each
# waits for the other, and PostgreSQL's deadlock detector kills one of
# them.  Polling holds no snapshot between tries (as the migrators' own
# lock does, db_postgresql.c poll_lock).
#
# The order is forced, not timed: the migrator (A) upgrades k1 -> k2 and
# stops inside k2 at a gate (advisory lock 7401, held by a psql session
# here), holding the migration lock; `check` (B, no --lock-timeout: it
# waits as long as it takes) starts and is seen waiting for the shared
# lock; only then does the gate open and k2 build its index.  Both must
# then succeed: A at k2, B reporting no drift.
H=$1
pgdir=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
work=$pgdir/runtime_checklock
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
. "$pgdir/env"
base_url=$(cat "$pgdir/url")
U="postgresql:///rt_checklock?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
q() { psql -qXAt "$U" -c "$1"; }
psql -qX "$base_url" -c "DROP DATABASE IF EXISTS rt_checklock" \
    -c "CREATE DATABASE rt_checklock" >/dev/null || exit 1

run --url "$U" upgrade k1
expect_eq "upgrade k1" 0 "$status"

# The gate: a psql session holding lock 7401 until told to let go.
mkfifo "$work/gate"
psql -qXAt "$U" <"$work/gate" >"$work/gate.out" 2>&1 &
gate_pid=$!
exec 3>"$work/gate"
echo "SELECT pg_advisory_lock(7401);" >&3
# waits_on OBJID GRANTED: a session other than ours holds (t) or waits
# for (f) advisory lock OBJID.
held() {
    [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
            AND objid = $1 AND granted = $2")" -ge 1 ]
}
n=0
until held 7401 true; do
    n=$((n + 1)); [ $n -gt 600 ] && { fail "the gate was never closed"; break; }
    sleep 0.05
done

"$H" --url "$U" upgrade >"$work/a.out" 2>"$work/a.err" &
a_pid=$!
n=0
until held 7401 false; do
    n=$((n + 1)); [ $n -gt 600 ] && { fail "A never reached the gate: $(cat "$work/a.err")"; break; }
    sleep 0.05
done

"$H" --url "$U" check >"$work/b.out" 2>"$work/b.err" &
b_pid=$!
# B waits for the migration lock: its last query asks for it in shared
# mode (blocked in it, or between tries).
n=0
until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
              AND query LIKE '%advisory_lock_shared%'")" -ge 1 ]; do
    n=$((n + 1)); [ $n -gt 600 ] && { fail "B never waited for the lock: $(cat "$work/b.err")"; break; }
    sleep 0.05
done

# Open the gate: k2 builds its index while B waits.
echo "SELECT pg_advisory_unlock(7401);" >&3
exec 3>&-
wait "$gate_pid"

wait "$a_pid"
a_status=$?
wait "$b_pid"
b_status=$?
expect_eq "A: upgrade succeeds" 0 "$a_status"
expect_lacks "A: no deadlock" "deadlock" "$(cat "$work/a.err")"
expect_eq "A: at k2" k2 "$(q "SELECT version_num FROM alembic_version")"
expect_eq "A: the index was built, valid" t \
    "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_checklock_name'::regclass")"
expect_eq "B: check succeeds" 0 "$b_status"
expect_lacks "B: no deadlock" "deadlock" "$(cat "$work/b.err")"

psql -qX "$base_url" -c "DROP DATABASE IF EXISTS rt_checklock" >/dev/null 2>&1
if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "checklock: ok"
