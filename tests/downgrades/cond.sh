#!/bin/sh
# cond.sh MIGRATOR sqlite WORK SQLITE3 | MIGRATOR postgresql WORK PGDIR
#
# cond/: a root whose tables are created only where missing, downgraded
# by its derived downgrade (SPEC section 4): `downgrade base` must leave
# only the version tables on a fresh database, and leave alone a table
# the root found already there; the branches come from what the upgrade
# recorded, or from the history when nothing was recorded (stamp) and in
# offline scripts.
set -u
mig=$1 dialect=$2 work=$3 extra=$4
fail() { echo "cond ($dialect): FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

if [ "$dialect" = sqlite ]; then
    n=0
    newdb() { n=$((n + 1)); U="sqlite:///$work/db$n.sqlite"; DB=$work/db$n.sqlite; }
    q() { "$extra" "$DB" "$1"; }
    tables() { q "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master
                  WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name)"; }
    columns() { q "SELECT group_concat(name, ',') FROM pragma_table_info('$1')"; }
else
    . "$extra/env"
    base=$(cat "$extra/url")
    n=0
    newdb() {
        n=$((n + 1))
        psql -qX "$base" -c "DROP DATABASE IF EXISTS retort_cond$n" \
             -c "CREATE DATABASE retort_cond$n" >/dev/null 2>&1 || fail createdb
        U="postgresql:///retort_cond$n?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
    }
    q() { psql -qXAt "$U" -c "$1"; }
    tables() { q "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables
                  WHERE schemaname = 'public'"; }
    columns() { q "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)
                   FROM information_schema.columns WHERE table_name = '$1'"; }
fi
run() { "$mig" -q --url "$U" "$@" || fail "$*"; }
only_versions=alembic_version,alembic_version_retort

# 1. A fresh database: the root creates everything, and takes it away.
newdb
run upgrade head
[ "$(tables)" = "$only_versions,experiments,runs" ] || fail "upgrade: $(tables)"
run downgrade base
[ "$(tables)" = "$only_versions" ] || fail "fresh: downgrade base left $(tables)"
# And again: the record of the second upgrade is its own.
run upgrade head
run downgrade c1
[ "$(columns experiments)" = "experiment_id,name" ] || fail "downgrade c1: $(columns experiments)"
run downgrade base
[ "$(tables)" = "$only_versions" ] || fail "fresh, twice: downgrade base left $(tables)"

# 2. experiments was there before (someone else made it, with a row):
#    the downgrade leaves it as it was; runs, which the root created, goes.
newdb
q "CREATE TABLE experiments (experiment_id integer primary key, name varchar(256) not null)" >/dev/null
q "INSERT INTO experiments VALUES (7, 'kept')" >/dev/null
run upgrade head
run downgrade base
[ "$(tables)" = "$only_versions,experiments" ] || fail "existing: downgrade base left $(tables)"
[ "$(columns experiments)" = "experiment_id,name" ] || fail "existing: experiments is $(columns experiments)"
[ "$(q 'SELECT name FROM experiments WHERE experiment_id = 7')" = kept ] || fail "existing: the row is gone"

# 3. runs was there before: the else branch added runs.note, which goes
#    again; experiments was created, and goes.
newdb
q "CREATE TABLE runs (run_uuid varchar(32) primary key)" >/dev/null
run upgrade head
[ "$(columns runs)" = "run_uuid,note,status" ] || fail "else branch: runs is $(columns runs)"
run downgrade base
[ "$(tables)" = "$only_versions,runs" ] || fail "else branch: downgrade base left $(tables)"
[ "$(columns runs)" = "run_uuid" ] || fail "else branch: runs is $(columns runs)"

# 4. Stamped, so nothing was recorded: the history decides (the root
#    created both tables).
newdb
run upgrade head
run stamp base
run stamp head
run downgrade base
[ "$(tables)" = "$only_versions" ] || fail "stamped: downgrade base left $(tables)"

# 5. Offline: the script shows the DROPs, and says where the choice came from.
"$mig" downgrade --sql --dialect "$dialect" c2:base >down.sql 2>down.err || fail "downgrade --sql: $(cat down.err)"
grep -q '^DROP TABLE runs;' down.sql || fail "offline: no DROP TABLE runs"
grep -q '^DROP TABLE experiments;' down.sql || fail "offline: no DROP TABLE experiments"
grep -q "^-- offline: the upgrade's not table_exists runs taken as true" down.sql ||
    fail "offline: no comment on the choice"
echo "cond ($dialect): ok"
