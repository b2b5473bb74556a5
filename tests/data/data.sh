#!/bin/sh
# data.sh DIALECT MIGRATOR WORKDIR [PGDIR]: checked data statements
# (update, update ... from, delete, insert ... select) change the rows
# they say, the same
# on both databases, online and through the offline script; the written
# downgrade runs.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

users() { q data "SELECT id || ':' || email || ':' || coalesce(name, '-') || ':' ||
                         CASE WHEN active THEN 't' ELSE 'f' END || ':' || coalesce(score, -1)
                  FROM users ORDER BY id" | tr '\n' ' '; }
legacy() { q data "SELECT id FROM legacy_users ORDER BY id" | tr '\n' ' '; }
want_users="1:ADA@X.ORG:ada@x.org:t:0 2:grace@y.org:Grace:f:0 110:old@x.org:old@x.org:f:3 112:other@y.org:other@y.org:f:3 212:other@y.org:-:t:-1 "

newdb data
U=$(url data)
run --url "$U" upgrade head
expect_eq "upgrade head" "0 d3" "$status $(rows data)"
expect_eq "users after the data statements" "$want_users" "$(users)"
expect_eq "delete removed the null email" "10 12 " "$(legacy)"
run --url "$U" downgrade d2
expect_eq "the downgrade of update ... from" "0 d2" "$status $(rows data)"
expect_eq "names back" "110:- 112:- 212:- " "$(q data "SELECT id || ':' || coalesce(name, '-') FROM users WHERE id > 100 ORDER BY id" | tr '\n' ' ')"
run --url "$U" downgrade d1
expect_eq "the written downgrade" "0 d1" "$status $(rows data)"
expect_eq "users back" "1:ADA@X.ORG:ada@x.org:t:0 2:grace@y.org:Grace:f:0 " "$(users)"

newdb data
if [ "$dialect" = postgresql ]; then
    load() { psql -qX -v ON_ERROR_STOP=1 "$U" >/dev/null; }
else
    load() { sqlite3 -bail "$dbdir/data.db" >/dev/null; }
fi
"$H" upgrade --sql --dialect "$dialect" head | load
expect_eq "offline script" "0 d3" "$? $(rows data)"
expect_eq "offline: the same rows" "$want_users" "$(users)"
finish
