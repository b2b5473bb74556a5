#!/bin/sh
# dialect_schema.sh RETORT DIR: `retort schema --dialect D` prints what D's
# database gets from `if dialect` blocks, and nothing the other dialect's
# side adds.
retort=$1 dir=$2
fail() { echo "dialect_schema: FAIL: $*" >&2; exit 1; }
pg=$("$retort" schema "$dir" --dialect postgresql) || fail "schema --dialect postgresql"
lite=$("$retort" schema "$dir" --dialect sqlite) || fail "schema --dialect sqlite"
printf '%s\n' "$pg" | grep -q ck_t_sqlite_only && fail "postgresql shows the sqlite-only CHECK: $pg"
printf '%s\n' "$pg" | grep -q pg_only || fail "postgresql lacks pg_only: $pg"
printf '%s\n' "$pg" | grep -q ix_t_amount || fail "postgresql lacks ix_t_amount: $pg"
printf '%s\n' "$lite" | grep -q ck_t_sqlite_only || fail "sqlite lacks its CHECK: $lite"
printf '%s\n' "$lite" | grep -q pg_only && fail "sqlite shows pg_only: $lite"
printf '%s\n' "$lite" | grep -q ix_t_amount && fail "sqlite shows ix_t_amount: $lite"
echo "dialect_schema: ok"
