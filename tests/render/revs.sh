#!/bin/sh
# revs.sh RETORT SQLITE3 CC RUNTIME_INCLUDE SRCDIR WORKDIR
# The revisions in tests/render/revs through the whole compiler:
#   - the offline SQLite upgrade and downgrade scripts run in sqlite3;
#   - `retort schema` matches the golden DDL of each dialect and the
#     SQLite one loads into a fresh database;
#   - `retort compile` output is byte-identical twice and compiles under
#     -std=c99 -pedantic.
set -e
retort=$1 sqlite=$2 cc=$3 inc=$4 src=$5 work=$6
revs=$src/revs
rm -rf "$work" && mkdir -p "$work"

"$retort" sql "$revs" --dialect sqlite upgrade head > "$work/up.sql"
"$sqlite" -bail "$work/up.db" < "$work/up.sql" > /dev/null
test "$("$sqlite" "$work/up.db" "SELECT count(*) FROM users WHERE nick = 'anon' AND age IS NULL")" = 3
test "$("$sqlite" "$work/up.db" "SELECT name FROM sqlite_master WHERE name = 'ix_order_user'")" = ix_order_user
test -z "$("$sqlite" "$work/up.db" "PRAGMA foreign_key_check")"
"$retort" sql "$revs" --dialect sqlite downgrade head:base > "$work/down.sql"
"$sqlite" -bail "$work/up.db" < "$work/down.sql" > /dev/null
test "$("$sqlite" "$work/up.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'orders', 'tags')")" = 0

for d in sqlite postgresql; do
    "$retort" schema "$revs" --dialect $d > "$work/schema.$d.sql"
    diff -u "$src/revs.schema.$d.sql" "$work/schema.$d.sql"
done
"$sqlite" -bail "$work/schema.db" < "$work/schema.sqlite.sql"

"$retort" compile "$revs" -o "$work/a.c"
"$retort" compile "$revs" -o "$work/b.c"
cmp "$work/a.c" "$work/b.c"
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$work/a.c" -o "$work/a.o"
