#!/bin/sh
# fresh.sh [BUILD] [SIZES]: `upgrade head` on an empty database next to
# loading the head schema with the database's own client, as ratios.
#
# For each N in SIZES (default "100 1000 5000"): bench/gen_history.py's
# linear history of N revisions, compiled and linked against BUILD's
# runtime (default build-bench, a Release build), then on tmpfs
# (/dev/shm):
#   SQLite      MIGRATOR upgrade head on an empty file (through the
#               snapshot), the same with RETORT_REPLAY=1 (statement by
#               statement; not at N > 1000: it grows as N^2), and
#               `sqlite3 FILE < schema.sql` (`retort schema --dialect
#               sqlite`, each statement in its own transaction as the CLI
#               runs it);
#   PostgreSQL  the same on a fresh database of a throwaway cluster
#               (tests/lib/pg_cluster.sh) against `psql -f schema.sql`.
# Each figure is the median of 3 runs (1 at N > 1000); wall time.
set -eu
BUILD=${1:-build-bench}
SIZES=${2:-100 1000 5000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RETORT=$ROOT/$BUILD/compiler/retort
[ -x "$RETORT" ] || RETORT=$BUILD/compiler/retort
LIB=$(dirname "$RETORT")/../runtime/libretort.a
W=/dev/shm/retort-fresh-bench
PG=$W/pg
rm -rf "$W" && mkdir -p "$W"
trap 'sh "$ROOT/tests/lib/pg_cluster.sh" stop "$PG" >/dev/null 2>&1 || true' EXIT
sh "$ROOT/tests/lib/pg_cluster.sh" start "$PG" >/dev/null
. "$PG/env"
export PGHOST=$PGC_SOCK PGPORT=$PGC_PORT PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'

now() { date +%s.%N; }
# median CMD...: runs CMD (after its setup, `fresh`) R times; prints the
# median wall time in seconds.
median() {
    times=""
    for i in $(seq "$R"); do
        fresh
        t0=$(now); "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }; t1=$(now)
        times="$times $(echo "$t1 - $t0" | bc)"
    done
    echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
ratio() { echo "scale=2; $1 / $2" | bc; }

printf '%-6s %-10s %10s %10s %10s %8s %8s\n' N dialect upgrade replay schema up/load replay/load
for N in $SIZES; do
    H=$W/h$N
    python3 "$ROOT/bench/gen_history.py" "$N" "$H" >/dev/null
    "$RETORT" compile "$H/retort" -o "$H/migrations.c" 2>/dev/null
    cc -O2 -o "$H/migrate" "$H/migrations.c" -I"$ROOT/runtime/include" "$LIB" -lsqlite3 -ldl -lpthread
    "$RETORT" schema "$H/retort" --dialect sqlite >"$H/schema.sqlite.sql" 2>/dev/null
    "$RETORT" schema "$H/retort" --dialect postgresql >"$H/schema.pg.sql" 2>/dev/null
    R=3; [ "$N" -gt 1000 ] && R=1
    DB=$H/db.sqlite
    fresh() { rm -f "$DB" "$DB-journal"; }
    up=$(median "$H/migrate" --url "sqlite:///$DB" upgrade head)
    load=$(median sh -c "sqlite3 '$DB' < '$H/schema.sqlite.sql'")
    rep=-
    [ "$N" -le 1000 ] && rep=$(RETORT_REPLAY=1 median "$H/migrate" --url "sqlite:///$DB" upgrade head)
    printf '%-6s %-10s %10s %10s %10s %8s %8s\n' "$N" sqlite "$up" "$rep" "$load" \
        "$(ratio "$up" "$load")" "$([ "$rep" = - ] && echo - || ratio "$rep" "$load")"
    URL="postgresql:///bench?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
    fresh() { psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench'; }
    up=$(median "$H/migrate" --url "$URL" upgrade head)
    load=$(median psql -X -q -v ON_ERROR_STOP=1 -d bench -f "$H/schema.pg.sql")
    rep=-
    [ "$N" -le 1000 ] && rep=$(RETORT_REPLAY=1 median "$H/migrate" --url "$URL" upgrade head)
    printf '%-6s %-10s %10s %10s %10s %8s %8s\n' "$N" postgresql "$up" "$rep" "$load" \
        "$(ratio "$up" "$load")" "$([ "$rep" = - ] && echo - || ratio "$rep" "$load")"
done
