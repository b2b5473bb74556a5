#!/bin/sh
# table_order.sh RETORT DIR: every printed schema lists tables in one order
# (a table after the tables it references, else creation order): the
# model text and each dialect's DDL agree, and a referenced table comes
# first, so that each text also runs as it is.
retort=$1 dir=$2
fail() { echo "table_order: FAIL: $*" >&2; exit 1; }
names() { sed -n 's/^ *\(create_table\|CREATE TABLE\) \([a-z_]*\).*/\2/p' | tr '\n' ' '; }
model=$("$retort" schema "$dir" --model | names) || fail "schema --model"
lite=$("$retort" schema "$dir" --dialect sqlite | names) || fail "schema --dialect sqlite"
pg=$("$retort" schema "$dir" --dialect postgresql | names) || fail "schema --dialect postgresql"
[ "$model" = "$lite" ] || fail "--model lists [$model], --dialect sqlite [$lite]"
[ "$model" = "$pg" ] || fail "--model lists [$model], --dialect postgresql [$pg]"
case "$model" in
*customers*orders*) ;;
*) fail "customers must come before orders, which references it: [$model]" ;;
esac
echo "table_order: ok ($model)"
