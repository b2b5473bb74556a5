#!/bin/sh
# fanout.sh [BUILD_DIR] [N]: wall time of one fan-out `upgrade` over N
# (default 200) fresh PostgreSQL databases at --jobs 1 and at --jobs 4,
# side by side, and their ratio.  Not a test: a figure for the docs.
#
# Starts its own throwaway cluster (tests/lib/pg_cluster.sh; its
# max_connections is 50, more than 4 jobs need), creates the databases
# with one psql script per round (fresh ones for each round, so both
# rounds upgrade base -> head), runs the test history tests/fanout/hist
# (three revisions: a table, a column, a row), and stops the cluster.
# Needs a built tree with the fanout_migrate test migrator.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-200}
mig=$build/tests/fanout_migrate
[ -x "$mig" ] || { echo "no $mig: build the tree first" >&2; exit 2; }
work=$(mktemp -d /tmp/retort-bench-fanout.XXXXXX)
trap 'sh "$here/tests/lib/pg_cluster.sh" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
sh "$here/tests/lib/pg_cluster.sh" start "$work/pg" >/dev/null
. "$work/pg/env"
base=$(cat "$work/pg/url")
export PGOPTIONS="-c client_min_messages=warning"

now() { date +%s.%N; }
for jobs in 1 4; do
    : >"$work/urls.$jobs"
    for i in $(seq 1 "$n"); do
        echo "CREATE DATABASE b${jobs}_$i;"
        echo "postgresql:///b${jobs}_$i?host=$PGC_SOCK&port=$PGC_PORT&user=postgres" >>"$work/urls.$jobs"
    done >"$work/create.$jobs.sql"
    psql -qX -v ON_ERROR_STOP=1 "$base" -f "$work/create.$jobs.sql" >/dev/null
done
unset PGOPTIONS
for jobs in 1 4; do
    t0=$(now)
    "$mig" --urls-from "$work/urls.$jobs" --jobs "$jobs" upgrade >"$work/out.$jobs"
    t1=$(now)
    tail -n 1 "$work/out.$jobs" | grep -q "$n databases: $n ok, 0 failed" ||
        { echo "round --jobs $jobs failed:" >&2; tail -n 3 "$work/out.$jobs" >&2; exit 1; }
    echo "$t1 - $t0" | bc -l >"$work/time.$jobs"
done
t1=$(cat "$work/time.1")
t4=$(cat "$work/time.4")
printf '%s databases, upgrade base -> head (3 revisions), %s cores:\n' "$n" "$(nproc)"
printf '  --jobs 1  %6.2f s\n  --jobs 4  %6.2f s\n  ratio     %6.2fx\n' "$t1" "$t4" \
    "$(echo "$t1 / $t4" | bc -l)"
