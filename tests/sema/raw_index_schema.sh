#!/bin/sh
# raw_index_schema.sh RETORT DIR: `retort schema` prints the statement of
# each index made by raw SQL while it still names its table and columns,
# and a comment, not the stale statement, once a column was renamed.
retort=$1 dir=$2
fail() { echo "raw_index_schema: FAIL: $*" >&2; exit 1; }
for d in sqlite postgresql; do
    at_a=$("$retort" schema "$dir" --at a --dialect $d) || fail "schema --at a --dialect $d"
    for s in 'CREATE INDEX foo ON bar (x)' 'CREATE UNIQUE INDEX IF NOT EXISTS "Quux" ON bar (y);' \
             'create index concurrently_named on bar (x, y) where y > 0;'; do
        printf '%s\n' "$at_a" | grep -qF "$s" || fail "$d: --at a lacks '$s': $at_a"
    done
    head=$("$retort" schema "$dir" --dialect $d) || fail "schema --dialect $d"
    printf '%s\n' "$head" | grep -q 'CREATE INDEX kept' && fail "$d: the stale statement of kept: $head"
    printf '%s\n' "$head" | grep -qx -- '-- index kept (made by raw SQL) is not printed: its table or a column of it was renamed since' ||
        fail "$d: no word of kept: $head"
done
echo "raw_index_schema: ok"
