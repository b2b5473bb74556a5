#!/bin/sh
# types.sh DIALECT MIGRATOR WORKDIR [PGDIR]: each portable type (history/)
# becomes the type SPEC section 3 gives it on the database, `check` agrees
# with the database at every step, and a json column is not a jsonb one.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

if [ "$dialect" = postgresql ]; then
    types() { q ty "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                    FROM pg_attribute WHERE attrelid = 'kinds'::regclass AND attnum > 0
                    AND attname IN ('i', 'o', 'p', 'r', 's')"; }
    at_t1="i text, o json, p jsonb, r interval, s character varying(64)"
    at_t2="i character varying(200), o jsonb, p jsonb, r interval, s character varying(64)"
else
    types() { q ty "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('kinds')
                    WHERE name IN ('i', 'o', 'p', 'r', 's')"; }
    at_t1="i TEXT, o JSON, p JSON, r VARCHAR(32), s TEXT"
    at_t2="i TEXT, o JSON, p JSON, r VARCHAR(32), s TEXT"
fi

newdb ty
U=$(url ty)
run --url "$U" upgrade t1
expect_eq "t1: the types" "0 $at_t1" "$status $(types)"
run --url "$U" upgrade head
expect_eq "t2: the altered types" "0 $at_t2" "$status $(types)"
run --url "$U" check
expect_eq "check at t2" 0 "$status"
run --url "$U" downgrade t1
expect_eq "downgrade t1" "0 $at_t1" "$status $(types)"
if [ "$dialect" = postgresql ]; then
    # A database whose json column is jsonb differs from the history.
    run --url "$U" upgrade head
    q ty "ALTER TABLE kinds ALTER COLUMN p TYPE json USING p::json" >/dev/null
    run --url "$U" check
    expect_eq "check: a jsonb column made json is a difference" 1 "$status"
    expect_contains "check names the column" "kinds.p" "$out"
fi
finish
