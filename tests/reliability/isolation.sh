#!/bin/sh
# isolation.sh DIALECT MIGRATOR WORKDIR [PGDIR]: `check` reads the live
# database only (SPEC section 6).  The `check_history` history: k1 creates
# items (and on PostgreSQL app.accounts, in another schema); k2 creates
# `counter` (and app.log) only when missing and INSERTs a row into each.
#   - check leaves every row and every sequence as it found them: the
#     history's `if not exists` and data statements never reach the live
#     database;
#   - schema-qualified tables are checked, and drift in them is found;
#   - PostgreSQL: a role with only SELECT and USAGE (no CREATE, no TEMP)
#     can run check;
#   - PostgreSQL: an autoincrement column made SERIAL (as SQLAlchemy
#     does) instead of an identity column is accepted (issue 11 item 8);
#   - raw SQL that changes the schema (`schema_check off`; the
#     `check_raw_history` history, migrator $CHECK_RAW): replayed and
#     checked on SQLite; on PostgreSQL, where the compiler does not know
#     it, what the database has beyond the history is listed as not
#     verified, and what the history implies is still checked.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_isol
U=$(url $DB)
newdb $DB
[ "$dialect" = postgresql ] && q $DB "CREATE SCHEMA app" >/dev/null

run --url "$U" upgrade
expect_eq "upgrade" 0 "$status"
run --url "$U" check
expect_eq "at head: status" 0 "$status"
expect_eq "at head: report" "the database is at head k2
the schema matches the history" "$out"

# What check must leave alone: rows and sequence positions.
if [ "$dialect" = postgresql ]; then
    snapshot="SELECT (SELECT string_agg(id || ':' || n, ',' ORDER BY id) FROM counter),
        (SELECT string_agg(id || ':' || msg, ',' ORDER BY id) FROM app.log),
        (SELECT last_value || '/' || is_called FROM counter_id_seq),
        (SELECT last_value || '/' || is_called FROM app.log_id_seq),
        (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'retort_check%')"
else
    snapshot="SELECT (SELECT group_concat(id || ':' || n) FROM counter),
        (SELECT group_concat(seq) FROM sqlite_sequence WHERE name = 'counter')"
fi
before=$(q $DB "$snapshot")
i=0
while [ $i -lt 3 ]; do
    run --url "$U" check
    i=$((i + 1))
done
expect_eq "check three times: still matches" 0 "$status"
expect_eq "check changes no row and no sequence" "$before" "$(q $DB "$snapshot")"

if [ "$dialect" = postgresql ]; then
    # A role that can read and nothing else.
    q $DB "DROP ROLE IF EXISTS rel_reader" >/dev/null 2>&1
    q $DB "CREATE ROLE rel_reader LOGIN;
        REVOKE ALL ON DATABASE $DB FROM PUBLIC;
        GRANT CONNECT ON DATABASE $DB TO rel_reader;
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public, app TO rel_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA public, app TO rel_reader" >/dev/null
    RU=$(printf '%s' "$U" | sed 's/user=postgres/user=rel_reader/')
    expect_eq "the reader cannot create" "f f" "$(q $DB "SELECT has_database_privilege('rel_reader', '$DB', 'CREATE'), has_database_privilege('rel_reader', '$DB', 'TEMP')" | tr '|' ' ')"
    run --url "$RU" check
    expect_eq "SELECT-only role: status" 0 "$status"
    expect_eq "SELECT-only role: report" "the database is at head k2
the schema matches the history" "$out"
    expect_eq "SELECT-only role: nothing on stderr" "" "$err"

    # Drift in another schema is found.
    q $DB "ALTER TABLE app.accounts ADD COLUMN hand integer;
        DROP INDEX app.ix_accounts_item" >/dev/null
    run --url "$U" check
    expect_eq "app.accounts drift: status" 1 "$status"
    expect_eq "app.accounts drift: named" "extra column app.accounts.hand: integer
missing index ix_accounts_item on app.accounts: btree (item_id)" "$(diffs)"
    q $DB "ALTER TABLE app.accounts DROP COLUMN hand;
        CREATE INDEX ix_accounts_item ON app.accounts (item_id)" >/dev/null

    # SERIAL instead of an identity column: the same thing to a user.
    q $DB "ALTER TABLE items ALTER COLUMN id DROP IDENTITY;
        CREATE SEQUENCE items_id_seq OWNED BY items.id;
        ALTER TABLE items ALTER COLUMN id SET DEFAULT nextval('items_id_seq')" >/dev/null
    run --url "$U" check
    expect_eq "serial for identity: status" 0 "$status"
    expect_eq "serial for identity: no difference" "" "$(diffs)"
    # ... but a plain integer is not autoincrement.
    q $DB "ALTER TABLE items ALTER COLUMN id DROP DEFAULT" >/dev/null
    run --url "$U" check
    expect_eq "no default: status" 1 "$status"
    expect_contains "no default: named" "changed column items.id" "$(diffs)"
    q $DB "ALTER TABLE items ALTER COLUMN id SET DEFAULT nextval('items_id_seq')" >/dev/null
    q $DB "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 7" >/dev/null
    run --url "$U" check
    expect_eq "changed default: status" 1 "$status"
    expect_contains "changed default: named" "changed column items.qty" "$(diffs)"
    q $DB "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 0" >/dev/null
    q $DB "ALTER TABLE items DROP CONSTRAINT items_pct_check;
        ALTER TABLE items ADD CONSTRAINT items_pct_check CHECK (pct BETWEEN 1 AND 99)" >/dev/null
    run --url "$U" check
    expect_eq "changed check: status" 1 "$status"
    expect_eq "changed check: two lines" 2 "$(diffs | wc -l)"
    q $DB "DROP ROLE rel_reader" >/dev/null 2>&1 || true
fi

# Raw SQL that changes the schema.
DB=rel_isol_raw
U=$(url $DB)
newdb $DB
"$CHECK_RAW" --url "$U" -q upgrade || fail "raw: upgrade"
run_raw() {
    main_h=$H
    H=$CHECK_RAW
    run "$@"
    H=$main_h
}
run_raw --url "$U" check
expect_eq "raw: status" 0 "$status"
if [ "$dialect" = postgresql ]; then
    expect_eq "raw: report" "the database is at head r1
not verified: revision r1 (20250101_0000-r1_raw.rev) has schema_check off; what its raw SQL added is not known to check on PostgreSQL
not verified: extra index ix_raw_qty on raw_items: btree (qty)
the schema matches the history" "$out"
    # What the history implies is still checked.
    q $DB "ALTER TABLE raw_items ALTER COLUMN qty DROP NOT NULL" >/dev/null
    run_raw --url "$U" check
    expect_eq "raw: changed column: status" 1 "$status"
    expect_eq "raw: changed column: named" "changed column raw_items.qty: expected integer NOT NULL, found integer" "$(diffs)"
else
    expect_eq "raw: report" "the database is at head r1
the schema matches the history" "$out"
    # SQLite replays the raw SQL: its index is checked exactly.
    q $DB "DROP INDEX ix_raw_qty" >/dev/null
    run_raw --url "$U" check
    expect_eq "raw: dropped index: status" 1 "$status"
    expect_eq "raw: dropped index: named" "missing index ix_raw_qty on raw_items: (qty)" "$(diffs)"
fi

finish
