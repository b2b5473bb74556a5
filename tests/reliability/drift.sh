#!/bin/sh
# drift.sh DIALECT MIGRATOR WORKDIR [PGDIR]: `check`, the drift check, on
# the `chain` history: exit 0 only at head with nothing different; every
# difference named on a line of its own.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_drift
U=$(url $DB)
newdb $DB

# A database never migrated: at base, not at head, nothing differs.
run --url "$U" check
expect_eq "fresh: not at head" 1 "$status"
expect_contains "fresh: current base" "current: base" "$out"
expect_contains "fresh: reason" "error: the database is not at head" "$err"
expect_eq "fresh: no difference" "" "$(diffs)"

run --url "$U" upgrade
run --url "$U" check
expect_eq "at head: status" 0 "$status"
expect_eq "at head: report" "the database is at head c050
the schema matches the history" "$out"

# An older revision.
run --url "$U" downgrade c047
run --url "$U" check
expect_eq "older: status" 1 "$status"
expect_contains "older: current" "current: c047" "$out"
expect_contains "older: head" "head: c050" "$out"
expect_contains "older: says so" "not at head" "$err"
expect_eq "older: the schema is c047's" "" "$(diffs)"
run --url "$U" upgrade

# A column added by hand.
q $DB "ALTER TABLE t9 ADD COLUMN hand_made INTEGER" >/dev/null
run --url "$U" check
expect_eq "added column: status" 1 "$status"
int=INTEGER
[ "$dialect" = postgresql ] && int=integer
expect_eq "added column: named" "extra column t9.hand_made: $int" "$(diffs)"
expect_contains "added column: reason" "differs from the history in 1 place" "$err"
q $DB "ALTER TABLE t9 DROP COLUMN hand_made" >/dev/null
run --url "$U" check
expect_eq "column dropped again" 0 "$status"

# A dropped index.
q $DB "DROP INDEX ix_t9_name" >/dev/null
run --url "$U" check
expect_eq "dropped index: status" 1 "$status"
expect_contains "dropped index: named" "missing index ix_t9_name on t9" "$(diffs)"
expect_eq "dropped index: one line" 1 "$(diffs | wc -l)"
q $DB "CREATE UNIQUE INDEX ix_t9_name ON t9 (name)" >/dev/null
run --url "$U" check
expect_eq "index recreated unique: status" 1 "$status"
expect_contains "index recreated unique: changed" "changed index ix_t9_name on t9" "$(diffs)"
q $DB "DROP INDEX ix_t9_name" >/dev/null
q $DB "CREATE INDEX ix_t9_name ON t9 (name)" >/dev/null
run --url "$U" check
expect_eq "index restored" 0 "$status"

# A table added by hand, and one dropped (with all it holds: one line).
q $DB "CREATE TABLE stray (x INTEGER)" >/dev/null
q $DB "DROP TABLE t9" >/dev/null
run --url "$U" check
expect_eq "tables: status" 1 "$status"
expect_eq "tables: named" "extra table stray
missing table t9" "$(diffs)"
q $DB "DROP TABLE stray" >/dev/null

# Types, nullability, defaults, constraints.
newdb $DB
run --url "$U" upgrade
if [ "$dialect" = sqlite ]; then
    # SQLite alters nothing in place: rebuild t1 by hand with changes.
    q $DB "PRAGMA foreign_keys=OFF;
        CREATE TABLE t1_new (id INTEGER PRIMARY KEY, name VARCHAR(40) DEFAULT 'z',
            parent_id INTEGER REFERENCES t0 (id) ON DELETE SET NULL, note TEXT,
            flag BOOLEAN NOT NULL DEFAULT 0);
        INSERT INTO t1_new SELECT id, name, parent_id, note, flag FROM t1;
        DROP TABLE t1; ALTER TABLE t1_new RENAME TO t1;
        CREATE INDEX ix_t1_name ON t1 (name);
        CREATE UNIQUE INDEX ux_t1_flag ON t1 (flag, name);" >/dev/null
    run --url "$U" check
    expect_eq "sqlite alterations: status" 1 "$status"
    expect_eq "sqlite alterations: named" "changed column t1.name: expected VARCHAR(40) NOT NULL DEFAULT 'y', found VARCHAR(40) DEFAULT 'z'
changed column t1.note: expected VARCHAR(200), found TEXT
changed foreign key on t1 (parent_id) references t0 (id): expected ON DELETE CASCADE ON UPDATE NO ACTION, found ON DELETE SET NULL ON UPDATE NO ACTION" "$(diffs)"
else
    q $DB "ALTER TABLE t1 ALTER COLUMN name DROP NOT NULL;
        ALTER TABLE t1 ALTER COLUMN name SET DEFAULT 'z';
        ALTER TABLE t1 ALTER COLUMN note TYPE text;
        ALTER TABLE t1 DROP CONSTRAINT t1_parent_id_fkey;
        ALTER TABLE t1 ADD CONSTRAINT t1_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES t0 (id) ON DELETE SET NULL;
        ALTER TABLE t1 ADD CONSTRAINT t1_hand_check CHECK (id > 0);" >/dev/null
    run --url "$U" check
    expect_eq "postgresql alterations: status" 1 "$status"
    expect_eq "postgresql alterations: named" "changed column t1.name: expected character varying(40) NOT NULL DEFAULT 'y', found character varying(40) DEFAULT 'z'::character varying
changed column t1.note: expected character varying(200), found text
extra check constraint on t1 (id > 0): CHECK ((id > 0))
changed foreign key on t1 (parent_id) references t0 (id): expected ON DELETE CASCADE ON UPDATE NO ACTION, found ON DELETE SET NULL ON UPDATE NO ACTION" "$(diffs)"
fi

# The version table and retort's own table are not the application's.
newdb $DB
run --url "$U" --version-table my_versions upgrade
run --url "$U" --version-table my_versions check
expect_eq "--version-table: check" 0 "$status"
run --url "$U" check
expect_eq "another version table: at base" 1 "$status"
expect_contains "another version table: its tables are extra" "extra table my_versions" "$(diffs)"

finish
