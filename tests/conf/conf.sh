#!/bin/sh
# conf.sh MIGRATOR RETORT HISTORY WORKDIR PGDIR: a history whose retort.conf
# says `dialects postgresql` and `version_table app_version` (pgonly/).
#   The compiler takes its arrays anywhere and writes no SQLite scripts;
#   the migrator refuses a SQLite URL and `--sql --dialect sqlite` with one
#   line, exit 1; on PostgreSQL it keeps its rows in app_version, the array
#   columns are arrays, and `check` agrees up and down.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
migrator=$1 retort=$2 history=$3
set -- postgresql "$migrator" "$4" "$5"
. "$here/lib.sh"

run --url "sqlite:///$work/x.db" upgrade head
expect_eq "sqlite URL refused, exit 1" 1 "$status"
expect_contains "the refusal says why" "targets postgresql only (retort.conf)" "$err"
[ -e "$work/x.db" ] && fail "a SQLite file was made"
run upgrade --sql --dialect sqlite head
expect_eq "sqlite script refused" 1 "$status"
"$retort" schema "$history" --dialect sqlite >/dev/null 2>&1
expect_eq "retort schema --dialect sqlite refused" 1 "$?"
"$retort" schema "$history" | grep -q 'tags TEXT\[\] NOT NULL' ||
    fail "retort schema without --dialect: PostgreSQL's, with the array"

newdb cf
U=$(url cf)
run --url "$U" upgrade head
expect_eq "upgrade head" 0 "$status"
expect_eq "rows in app_version" "p4" "$(q cf "SELECT version_num FROM app_version")"
expect_eq "no alembic_version" "" "$(q cf "SELECT to_regclass('alembic_version')")"
expect_eq "array columns" "tags text[], marks double precision[], scores integer[]" \
    "$(q cf "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = 'posts'::regclass AND attnum > 1 AND attname <> 'title'")"
expect_eq "index methods and operator classes" \
"ix_posts_id=USING brin (id)
ix_posts_lower=USING hash (lower(title))
ix_posts_prefix=USING btree (lower(title) text_pattern_ops)
ix_posts_tags=USING gin (tags)
ix_posts_title=USING btree (title text_pattern_ops DESC)
ix_posts_trgm=USING gin (title gin_trgm_ops)" \
    "$(q cf "SELECT indexname || '=' || substring(indexdef from 'USING .*') FROM pg_indexes
             WHERE tablename = 'posts' AND indexname LIKE 'ix_%' ORDER BY 1")"
run --url "$U" check
expect_eq "check at head" 0 "$status"
run --url "$U" current
expect_contains "current reads app_version" "p4" "$out"
expect_eq "extension, schema, sequence (p4)" "pg_trgm billing 500+10" \
    "$(q cf "SELECT (SELECT extname FROM pg_extension WHERE extname = 'pg_trgm') || ' ' ||
                    (SELECT nspname FROM pg_namespace WHERE nspname = 'billing') || ' ' ||
                    (SELECT start_value || '+' || increment_by FROM pg_sequences
                     WHERE sequencename = 'invoice_no')")"
q cf "INSERT INTO billing.invoices (id) VALUES (1), (2)" >/dev/null
expect_eq "the default reads the sequence" "500 510" \
    "$(q cf "SELECT string_agg(number::text, ' ' ORDER BY id) FROM billing.invoices")"
run --url "$U" downgrade p1
expect_eq "downgrade drops the indexes" "" "$(q cf "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_%'")"
expect_eq "downgrade drops the objects p4 created" "0 0 0" \
    "$(q cf "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm') || ' ' ||
                    (SELECT count(*) FROM pg_namespace WHERE nspname = 'billing') || ' ' ||
                    (SELECT count(*) FROM pg_class WHERE relname = 'invoice_no')")"
expect_eq "downgrade p1" "0 numeric(5,2)[]" \
    "$status $(q cf "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                     WHERE attrelid = 'posts'::regclass AND attname = 'marks'")"
run --url "$U" upgrade head
run --url "$U" check
expect_eq "upgrade again, check" 0 "$status"
run --url "$U" --version-table other_version current
expect_eq "--version-table still overrides: nothing in other_version" "0:" "$status:$out"
finish
