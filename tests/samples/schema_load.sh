#!/bin/sh
# schema_load.sh DIALECT RETORT SHOPDIR WORKDIR [PGDIR]
#
# `retort schema` loads into an empty database without an error: the head
# schema, and the schema at every revision of the sample history.
set -u
DIALECT=$1 RETORT=$2 SHOP=$3 WORK=$4
TEST_NAME="schema_load.$DIALECT"
TEST_ID="load_$DIALECT"
. "$(dirname "$0")/lib.sh"
[ "$DIALECT" = postgresql ] && pg_setup "${5:?PGDIR is needed for postgresql}"

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
revs=$(sed -n 's/^revision[[:space:]]\{1,\}\([A-Za-z0-9_]\{1,\}\).*/\1/p' "$SHOP"/*.rev)
[ -n "$revs" ] || die "no revisions found in $SHOP"

failures=0
for rev in head $revs; do
    if [ "$rev" = head ]; then set -- ; else set -- --at "$rev"; fi
    if ! "$RETORT" schema "$SHOP" "$@" --dialect "$DIALECT" >"$WORK/$rev.sql"; then
        echo "$TEST_NAME: FAIL: retort schema $SHOP $* --dialect $DIALECT failed" >&2
        failures=$((failures + 1))
        continue
    fi
    db=$(db_fresh "$rev") || exit 1
    if db_run "$db" "$WORK/$rev.sql"; then
        tables=$(db_query "$db" "SELECT count(*) FROM $( [ "$DIALECT" = sqlite ] &&
            echo "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'" ||
            echo "pg_tables WHERE schemaname = 'public'")")
        echo "$rev: $tables tables"
        [ "$tables" -gt 0 ] || {
            echo "$TEST_NAME: FAIL: retort schema $* created no table" >&2
            failures=$((failures + 1))
        }
    else
        echo "$TEST_NAME: FAIL: $WORK/$rev.sql (retort schema $* --dialect $DIALECT) does not load" >&2
        failures=$((failures + 1))
    fi
    db_drop "$db"
done
[ "$failures" -eq 0 ] || { echo "$TEST_NAME: $failures failure(s)" >&2; exit 1; }
echo "$TEST_NAME: ok"
