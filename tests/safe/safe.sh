#!/bin/sh
# safe.sh DIALECT MIGRATOR WORKDIR [PGDIR]: the safe forms lint suggests,
# end to end (tests/safe/history: s1 tables with rows; s2 a foreign key
# and a check added `not valid`; s3 both validated; s4 a unique index
# built concurrently; s5 a unique constraint `using index`).
#   PostgreSQL: `not valid` accepts rows that break the constraint and
#   validation refuses them (the revision rolls back whole); after s5 the
#   constraint owns the index, renamed; check agrees at every step; the
#   derived downgrades bring the index back; offline scripts do the same.
#   SQLite: the forms are the plain ones (a rebuild checks every row).
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

if [ "$dialect" = postgresql ]; then
    valid() { q safe "SELECT string_agg(conname || '=' || convalidated, ' ' ORDER BY conname)
                      FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype IN ('f', 'c')"; }
    indexes() { q safe "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
                        WHERE tablename = 'orders'"; }
    unique_owner() { q safe "SELECT c.conname || ':' || i.relname FROM pg_constraint c
                             JOIN pg_class i ON i.oid = c.conindid
                             WHERE c.conrelid = 'orders'::regclass AND c.contype = 'u'"; }
else
    indexes() { q safe "SELECT group_concat(name, ' ') FROM (SELECT name FROM pragma_index_list('orders')
                        WHERE origin = 'c' ORDER BY name)"; }
    unique_owner() { q safe "SELECT group_concat(name, ' ') FROM pragma_index_list('orders')
                             WHERE origin = 'u' AND \"unique\" = 1"; }
fi

newdb safe
U=$(url safe)
run --url "$U" upgrade s1
expect_eq "s1" "0 s1" "$status $(rows safe)"
# A row that breaks both constraints to come.
q safe "INSERT INTO orders (id, customer_id, code, qty) VALUES (12, 99, 'a-12', 0)" >/dev/null

if [ "$dialect" = postgresql ]; then
    run --url "$U" upgrade s2
    expect_eq "not valid: added over a row that breaks them" "0 s2" "$status $(rows safe)"
    expect_eq "not valid: not validated" "ck_orders_qty=false fk_orders_customer=false" "$(valid)"
    run --url "$U" check
    expect_contains "not valid: the schema matches at s2" "the schema matches the history" "$out"
    run --url "$U" upgrade s3
    expect_eq "validate: refused over the row" 1 "$status"
    expect_eq "validate: still at s2" s2 "$(rows safe)"
    expect_eq "validate: nothing half done" "ck_orders_qty=false fk_orders_customer=false" "$(valid)"
else
    run --url "$U" upgrade s2
    expect_eq "sqlite: not valid is the plain form (the rebuild checks rows)" "1 s1" "$status $(rows safe)"
fi

q safe "DELETE FROM orders WHERE id = 12" >/dev/null
run --url "$U" upgrade head
expect_eq "upgrade head" "0 s5" "$status $(rows safe)"
[ "$dialect" = postgresql ] &&
    expect_eq "validated" "ck_orders_qty=true fk_orders_customer=true" "$(valid)"
if [ "$dialect" = postgresql ]; then
    expect_eq "using index: the constraint owns the index, renamed" "uq_orders_code:uq_orders_code" "$(unique_owner)"
    expect_eq "using index: no other index is left" "orders_pkey uq_orders_code" "$(indexes)"
else
    expect_eq "sqlite: the index is gone" "" "$(indexes)"
    expect_eq "sqlite: a unique constraint" "sqlite_autoindex_orders_1" "$(unique_owner)"
fi
run --url "$U" check
expect_eq "check at s5" 0 "$status"
q safe "INSERT INTO orders (id, customer_id, code, qty) VALUES (13, 1, 'a-10', 1)" >/dev/null 2>&1 &&
    fail "a duplicate code was accepted"

run --url "$U" downgrade s4
expect_eq "downgrade s4" "0 s4" "$status $(rows safe)"
if [ "$dialect" = postgresql ]; then
    expect_eq "downgrade s4: the index is back" "ix_orders_code orders_pkey" "$(indexes)"
else
    expect_eq "downgrade s4: the index is back" "ix_orders_code" "$(indexes)"
fi
run --url "$U" check
expect_contains "check at s4 (not head)" "the schema matches the history" "$out"
run --url "$U" downgrade base
expect_eq "downgrade base" "0 " "$status $(rows safe)"

# Offline: the same scripts, loaded by the database's own client.
newdb safe
if [ "$dialect" = postgresql ]; then
    load() { psql -qX -v ON_ERROR_STOP=1 "$U" >/dev/null 2>"$work/load.err"; }
else
    load() { sqlite3 -bail "$dbdir/safe.db" >/dev/null 2>"$work/load.err"; }
fi
"$H" upgrade --sql --dialect "$dialect" s5 | load
expect_eq "offline upgrade" "0 s5" "$? $(rows safe)"
run --url "$U" check
expect_eq "offline: check at s5" 0 "$status"
"$H" downgrade --sql --dialect "$dialect" s5:s4 | load
expect_eq "offline downgrade to s4" "0 s4" "$? $(rows safe)"
run --url "$U" check
expect_contains "offline: check at s4 (not head)" "the schema matches the history" "$out"
finish
