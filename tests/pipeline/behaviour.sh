#!/bin/sh
# behaviour.sh MIGRATOR SYNTAX_MIGRATOR PGDIR: on PostgreSQL a revision
# goes to the server in one round trip (runtime/src/pipeline.c); what it
# does must be what running its statements one by one did.  The history
# (tests/pipeline/hist): p1 plain statements, p2 a raw block of several
# statements, p3 an `if` then plain statements, p4 fails in its middle
# when table pb is already there, p5 plain.  The second migrator
# (tests/pipeline/syntax) has a syntax error in the middle of s2.
H=$1
S=$2
pgdir=$3
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
case $S in /*) ;; *) S=$PWD/$S ;; esac
work=$pgdir/pipeline_behaviour
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"
. "$pgdir/env"

base_url=$(cat "$pgdir/url")
url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
newdb() { psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1; }
q() { psql -qXAt "$(url "$1")" -c "$2"; }
rows() { q "$1" "SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"; }
own() { q "$1" "SELECT coalesce(string_agg(revision || ':' || state, ',' ORDER BY revision), '') FROM alembic_version_retort"; }
has_table() { q "$1" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '$2'"; }
seen() { q "$1" "SELECT coalesce(string_agg(rev, ',' ORDER BY rev), '') FROM seen"; }

newdb pl_main
U=$(url pl_main)

# -v prints every statement, in order, the raw block and the condition too.
run -v --url "$U" upgrade p3
expect_eq "upgrade p3: status" 0 "$status"
printf '%s\n' "$err" >verbose.txt
expect_contains "-v: the raw block" "CREATE TABLE raw_t (x int); INSERT INTO raw_t VALUES (1); INSERT INTO raw_t VALUES (2) -- two rows;" "$err"
expect_contains "-v: the condition" "-- not column_exists pa1 extra: true" "$err"
expect_contains "-v: the version row" "UPDATE alembic_version SET version_num='p3' WHERE alembic_version.version_num = 'p2';" "$err"
order=$(grep -n -e '^CREATE TABLE seen' -e '^CREATE INDEX ix_pa1_note' -e '^CREATE TABLE raw_t' \
            -e "^INSERT INTO seen VALUES ('p2')" -e '^CREATE TABLE after_raw' \
            -e '^-- not column_exists pa1 extra' -e '^ALTER TABLE pa1 ADD COLUMN extra' \
            -e "^INSERT INTO seen VALUES ('p3')" -e '^CREATE TABLE after_if' verbose.txt |
        cut -d: -f2- | cut -c1-20 | paste -sd'|' -)
expect_eq "-v: the statements in order" \
    "CREATE TABLE seen (|CREATE INDEX ix_pa1_|CREATE TABLE raw_t (|INSERT INTO seen VAL|CREATE TABLE after_r|-- not column_exists|ALTER TABLE pa1 ADD |INSERT INTO seen VAL|CREATE TABLE after_i" \
    "$order"

# The raw block's three statements ran, and what followed it.
expect_eq "raw block: its rows" "1,2" "$(q pl_main 'SELECT string_agg(x::text, $$,$$ ORDER BY x) FROM raw_t')"
expect_eq "raw block: the statements after it" "1 p2,p3" "$(has_table pl_main after_raw) $(seen pl_main)"
# The revision after a condition: the branch, and what follows it.
expect_eq "after an if: the branch ran" 1 "$(q pl_main "SELECT count(*) FROM information_schema.columns WHERE table_name = 'pa1' AND column_name = 'extra'")"
expect_eq "after an if: the statements after it" 1 "$(has_table pl_main after_if)"
expect_eq "at p3" "p3 p1:applied,p2:applied,p3:applied" "$(rows pl_main) $(own pl_main)"

# A statement in the middle of p4 fails: it and the revision are named as
# before, exit 1, and the database stays at p3 whole (no table of p4, no
# row of its INSERT, no version or checksum row of it).
q pl_main "CREATE TABLE pb (id integer)" >/dev/null
run --url "$U" upgrade
expect_eq "failing statement: status" 1 "$status"
line=$(printf '%s\n' "$err" | grep '^error')
expect_eq "failing statement: one error line" 1 "$(printf '%s\n' "$err" | grep -c '^error')"
expect_eq "failing statement: message" \
    "error: revision p4 (20250301_0004-p4_middle.rev): CREATE TABLE pb ( id INTEGER PRIMARY KEY ) : $(pg_says "$U" "CREATE TABLE pb (id integer)")" \
    "$line"
expect_eq "failing statement: the previous revision" "p3 p1:applied,p2:applied,p3:applied" "$(rows pl_main) $(own pl_main)"
expect_eq "failing statement: nothing of p4" "0 p2,p3" "$(has_table pl_main pa) $(seen pl_main)"
expect_eq "failing statement: no transaction left open" 0 \
    "$(q pl_main "SELECT count(*) FROM pg_stat_activity WHERE datname = 'pl_main' AND state LIKE 'idle in transaction%'")"

# Without the obstacle the same run finishes.
q pl_main "DROP TABLE pb" >/dev/null
run --url "$U" upgrade
expect_eq "after the obstacle: status" 0 "$status"
expect_eq "after the obstacle: at head" "p5 p1:applied,p2:applied,p3:applied,p4:applied,p5:applied" "$(rows pl_main) $(own pl_main)"
expect_eq "after the obstacle: p4 once" "p2,p3,p4" "$(seen pl_main)"
run --url "$U" current
expect_eq "current" "p5 (head)" "$out"

# Downgrades gather too: the raw block of p2's and the recorded branch.
run --url "$U" downgrade p1
expect_eq "downgrade p1: status" 0 "$status"
expect_eq "downgrade p1: rows" "p1 p1:applied" "$(rows pl_main) $(own pl_main)"
expect_eq "downgrade p1: the branch undone" 0 "$(q pl_main "SELECT count(*) FROM information_schema.columns WHERE table_name = 'pa1' AND column_name = 'extra'")"
expect_eq "downgrade p1: the raw block undone" "0 " "$(has_table pl_main raw_t) $(seen pl_main)"

# A syntax error: the server refuses the whole text before running any
# of it; the message still names the statement and the revision.
newdb pl_syntax
US=$(url pl_syntax)
H=$S run --url "$US" upgrade
expect_eq "syntax error: status" 1 "$status"
expect_eq "syntax error: message" \
    "error: revision s2 (20250301_0002-s2_syntax.rev): CREATE TABLE s2b (x int); SELEC 1 : $(pg_says "$US" "SELEC 1")" \
    "$(printf '%s\n' "$err" | grep '^error')"
expect_eq "syntax error: the previous revision" "s1 s1:applied" "$(rows pl_syntax) $(own pl_syntax)"
expect_eq "syntax error: nothing of s2" "0 0" "$(has_table pl_syntax s2a) $(has_table pl_syntax s2b)"

# The state is read where the tables are looked for: in the session's
# current schema, not along the rest of the search_path.  A schema of its
# own in front of `public`, which is at p1, is at base.
q pl_main "CREATE SCHEMA pl_tenant" >/dev/null
UT="$U&options=-csearch_path%3Dpl_tenant,public"
run --url "$UT" current
expect_eq "current in a schema of its own, public behind it" "0 []" "$status [$out]"
run --url "$UT" upgrade p1
expect_eq "upgrade in a schema of its own" "0 p1 p1" \
    "$status $(q pl_main 'SELECT version_num FROM pl_tenant.alembic_version') $(rows pl_main)"

psql -qX "$base_url" -c "DROP DATABASE IF EXISTS pl_main WITH (FORCE)" -c "DROP DATABASE IF EXISTS pl_syntax WITH (FORCE)" >/dev/null 2>&1
finish
