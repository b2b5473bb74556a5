#!/bin/sh
# deferrable.sh DIALECT MIGRATOR WORKDIR [PGDIR], with RETORT (the
# compiler) and SRC (this directory) in the environment: deferrable
# foreign keys and keys (history/) end to end on one database.
#   - the SQL rendered says DEFERRABLE [INITIALLY DEFERRED] where written;
#   - the database defers them: a child row inserted before its parent in
#     one transaction commits through a deferred key, and fails at once
#     through a key that is not deferrable;
#   - `check` passes, and reports a key whose deferrability differs;
#   - the derived downgrade of a dropped deferred key brings it back
#     deferred (check passes at d2 again);
#   - `retort inspect` reads them back;
#   - the compiler refuses `deferrable` twice and `initially deferred`
#     without `deferrable`, at their line and column.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"
hist=$SRC/history

# sqltx DB SQL: SQL in one transaction, foreign keys enforced on SQLite;
# prints ok or the failure.
sqltx() {
    if [ "$dialect" = sqlite ]; then
        sqlite3 -bail "$dbdir/$1.db" "PRAGMA foreign_keys = ON; BEGIN; $2 COMMIT;" \
            >/dev/null 2>&1 && echo ok || echo failed
    else
        psql -qXAt -v ON_ERROR_STOP=1 "$(url "$1")" -c "BEGIN; $2 COMMIT;" \
            >/dev/null 2>&1 && echo ok || echo failed
    fi
}

# fk_deferral DB CONSTRAINT-OR-COLUMN: how the database holds the key.
fk_deferral() {
    if [ "$dialect" = sqlite ]; then
        q "$1" "SELECT sql FROM sqlite_schema WHERE name = 'children'" | tr -s ' \n' ' ' |
            grep -Eo "$2[^,]*" | grep -Eo 'DEFERRABLE( INITIALLY DEFERRED)?' | head -1
    else
        q "$1" "SELECT CASE WHEN NOT condeferrable THEN '' WHEN condeferred
                THEN 'DEFERRABLE INITIALLY DEFERRED' ELSE 'DEFERRABLE' END
                FROM pg_constraint WHERE conname = '$2'"
    fi
}

sql=$("$RETORT" sql "$hist" --dialect "$dialect" upgrade head 2>&1)
expect_contains "rendered: a column's deferred key" \
    "parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED," "$sql"
expect_contains "rendered: a table constraint, deferrable" \
    "REFERENCES parents (code) ON DELETE CASCADE DEFERRABLE
" "$sql"
expect_contains "rendered: a key that is not deferrable" \
    "strict_id INTEGER REFERENCES parents (id)," "$sql"
expect_contains "rendered: create_foreign_key" \
    "REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED" \
    "$(printf '%s\n' "$sql" | grep children_later_fk | grep -v DROP)"

newdb df
U=$(url df)
run --url "$U" upgrade d2
expect_eq "upgrade d2" 0 "$status"
expect_eq "a deferred key: the child before its parent commits" ok \
    "$(sqltx df "INSERT INTO children (id, parent_id) VALUES (1, 10); INSERT INTO parents (id, code) VALUES (10, 100);")"
expect_eq "a deferred key still fails at commit without the parent" failed \
    "$(sqltx df "INSERT INTO children (id, parent_id) VALUES (2, 11);")"
expect_eq "a key that is not deferrable: the child before its parent fails" failed \
    "$(sqltx df "INSERT INTO children (id, strict_id) VALUES (3, 12); INSERT INTO parents (id, code) VALUES (12, 120);")"
expect_eq "a deferred key added by create_foreign_key" ok \
    "$(sqltx df "INSERT INTO children (id, later_id) VALUES (4, 13); INSERT INTO parents (id, code) VALUES (13, 130);")"
# d3 is head: check says the schema matches d2, and that d2 is not head.
run --url "$U" check
expect_contains "check at d2" "the schema matches the history" "$out"

run --url "$U" upgrade d3
expect_eq "upgrade d3 (drops children_later_fk)" "0 " "$status $(fk_deferral df children_later_fk)"
run --url "$U" downgrade d2
expect_eq "the derived downgrade brings the key back deferred" \
    "0 DEFERRABLE INITIALLY DEFERRED" "$status $(fk_deferral df children_later_fk)"
run --url "$U" check
expect_contains "check after the downgrade" "the schema matches the history" "$out"
expect_eq "check: no difference after the downgrade" "" "$(diffs)"

# inspect reads them back as written.
model=$("$RETORT" inspect "$U" 2>&1)
expect_contains "inspect: a column's deferred key" \
    "parent_id integer references parents (id) deferrable initially deferred" "$model"
expect_contains "inspect: a deferrable table constraint" \
    "references parents (code) on delete cascade deferrable" "$model"
expect_contains "inspect: create_foreign_key's deferred key" \
    "(later_id) references parents (id) deferrable initially deferred" "$model"

# Keys (d4): on PostgreSQL a deferred unique key lets positions be swapped
# one row at a time; a plain one refuses the first row.  SQLite renders
# them plain (its grammar has no deferrable keys).
if [ "$dialect" = postgresql ]; then
    expect_contains "rendered: a deferrable primary key" \
        "CONSTRAINT slots_pkey PRIMARY KEY (id) DEFERRABLE," "$sql"
    expect_contains "rendered: create_unique_constraint, deferred" \
        "ADD CONSTRAINT slots_tag_key UNIQUE (tag) DEFERRABLE INITIALLY DEFERRED" "$sql"
else
    expect_contains "rendered on SQLite: a plain primary key" \
        "CONSTRAINT slots_pkey PRIMARY KEY (id)," "$sql"
    expect_lacks "rendered on SQLite: no DEFERRABLE on a key" "UNIQUE (pos) DEFERRABLE" "$sql"
fi
run --url "$U" upgrade head
expect_eq "upgrade head (d4)" 0 "$status"
q df "INSERT INTO slots (id, pos, tag) VALUES (1, 1, 1), (2, 2, 2);
      INSERT INTO plain_slots (id, pos) VALUES (1, 1), (2, 2);" >/dev/null
if [ "$dialect" = postgresql ]; then
    expect_eq "a deferred unique key: a swap row by row commits" ok \
        "$(sqltx df "UPDATE slots SET pos = 2 WHERE id = 1; UPDATE slots SET pos = 1 WHERE id = 2;")"
    expect_eq "a deferred unique key added by create_unique_constraint" ok \
        "$(sqltx df "UPDATE slots SET tag = 2 WHERE id = 1; UPDATE slots SET tag = 1 WHERE id = 2;")"
    expect_eq "a plain unique key: the same swap fails" failed \
        "$(sqltx df "UPDATE plain_slots SET pos = 2 WHERE id = 1; UPDATE plain_slots SET pos = 1 WHERE id = 2;")"
    expect_eq "the primary key is deferrable, not deferred" "true false" \
        "$(q df "SELECT condeferrable || ' ' || condeferred FROM pg_constraint WHERE conname = 'slots_pkey'")"
fi
run --url "$U" check
expect_eq "check at head" 0 "$status"
if [ "$dialect" = postgresql ]; then
    q df "ALTER TABLE slots ALTER CONSTRAINT slots_pos_key NOT DEFERRABLE" >/dev/null 2>&1 ||
        q df "ALTER TABLE slots DROP CONSTRAINT slots_pos_key; ALTER TABLE slots ADD CONSTRAINT slots_pos_key UNIQUE (pos)" >/dev/null
    run --url "$U" check
    expect_eq "check: a unique key that lost DEFERRABLE is drift" 1 "$status"
    expect_contains "check names it" "unique constraint on slots (pos)" "$(diffs)"
    expect_eq "check: one difference" 1 "$(diffs | wc -l | tr -d ' ')"
    q df "ALTER TABLE slots DROP CONSTRAINT slots_pos_key; ALTER TABLE slots ADD CONSTRAINT slots_pos_key UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED" >/dev/null
fi
if [ "$dialect" = postgresql ]; then
    model=$("$RETORT" inspect "$U" 2>&1)
    expect_contains "inspect: a deferrable primary key" "primary key (id) deferrable," "$model"
    expect_contains "inspect: a deferred unique key" "unique (pos) deferrable initially deferred" "$model"
fi
run --url "$U" downgrade d3
expect_eq "downgrade d3 (derived)" 0 "$status"
run --url "$U" upgrade head
run --url "$U" check
expect_eq "check after down and up again" 0 "$status"

# An empty database to head is built from the history's snapshot
# (compiler/snapshot.c): the keys are deferrable there too.
newdb fr
run --url "$(url fr)" upgrade head
expect_eq "fresh: upgrade head" 0 "$status"
if [ "$dialect" = sqlite ]; then fkname=parent_id; else fkname=children_parent_id_fkey; fi
expect_eq "fresh: the column's key is deferred" "DEFERRABLE INITIALLY DEFERRED" \
    "$(fk_deferral fr $fkname)"
expect_eq "fresh: a child before its parent commits" ok \
    "$(sqltx fr "INSERT INTO children (id, parent_id) VALUES (1, 10); INSERT INTO parents (id, code) VALUES (10, 100);")"
if [ "$dialect" = postgresql ]; then
    expect_eq "fresh: the unique key is deferred" "true true" \
        "$(q fr "SELECT condeferrable || ' ' || condeferred FROM pg_constraint WHERE conname = 'slots_pos_key'")"
fi
run --url "$(url fr)" check
expect_eq "fresh: check" 0 "$status"

# Drift: the same tables by hand, parent_id's key not deferrable, stamped.
newdb dr
q dr "CREATE TABLE parents (id INTEGER PRIMARY KEY, code INTEGER NOT NULL UNIQUE);
      CREATE TABLE children (id INTEGER PRIMARY KEY,
        parent_id INTEGER REFERENCES parents (id),
        strict_id INTEGER REFERENCES parents (id),
        code INTEGER,
        CONSTRAINT children_code_fkey FOREIGN KEY (code) REFERENCES parents (code) ON DELETE CASCADE DEFERRABLE);" \
    >/dev/null || fail "cannot create the drifted tables"
run --url "$(url dr)" stamp d1
expect_eq "stamp d1" 0 "$status"
run --url "$(url dr)" check
expect_eq "check: a key that lost DEFERRABLE is drift" 1 "$status"
expect_contains "check names the key" "foreign key on children (parent_id)" "$(diffs)"
expect_eq "check: one difference" 1 "$(diffs | wc -l | tr -d ' ')"

# The model (schema --model), check --model and --autogenerate: the
# compiler alone, so on the SQLite run only.
if [ "$dialect" = sqlite ]; then
    cp -R "$hist" ag
    "$RETORT" schema ag --model >ag.model 2>&1
    expect_contains "model: a column's deferred key" \
        "parent_id integer references parents (id) deferrable initially deferred," "$(cat ag.model)"
    expect_contains "model: a deferred unique key" \
        "constraint slots_pos_key unique (pos) deferrable initially deferred," "$(cat ag.model)"
    expect_contains "model: a deferrable primary key" \
        "constraint slots_pkey primary key (id) deferrable," "$(cat ag.model)"
    sed 's/unique (pos) deferrable initially deferred/unique (pos)/' ag.model >ag2.model
    "$RETORT" check ag --model ag2.model >ag.out 2>&1
    expect_eq "check --model: a key's deferrability is a difference" 1 "$?"
    expect_contains "check --model names it" \
        "constraint 'slots_pos_key': unique (pos) deferrable initially deferred in the history, unique (pos) in the model" \
        "$(cat ag.out)"
    "$RETORT" revision ag -m undefer --autogenerate ag2.model >ag.out 2>&1
    new=$(cat ag/*undefer.rev 2>/dev/null)
    expect_contains "autogenerate: the key again, not deferrable" \
        "    create_unique_constraint slots_pos_key on slots (pos);" "$new"
    expect_contains "autogenerate: its downgrade brings the deferral back" \
        "    create_unique_constraint slots_pos_key on slots (pos) deferrable initially deferred;" "$new"
fi

# The compiler's refusals.
mkdir bad1 bad2
cp "$hist/d1_tables.rev" bad1/
printf 'revision b\nparent d1\nupgrade {\n    create_foreign_key x on children (code) references parents (id) deferrable deferrable;\n}\n' \
    >bad1/b.rev
"$RETORT" check bad1 >bad.out 2>&1
expect_eq "deferrable twice: refused" 1 "$?"
expect_contains "deferrable twice: at its place" "b.rev:4:80: error: 'deferrable' given twice" \
    "$(cat bad.out)"
cp "$hist/d1_tables.rev" bad2/
printf 'revision b\nparent d1\nupgrade {\n    create_foreign_key x on children (code) references parents (id) initially deferred;\n}\n' \
    >bad2/b.rev
"$RETORT" check bad2 >bad.out 2>&1
expect_eq "initially deferred without deferrable: refused" 1 "$?"
expect_contains "initially deferred alone: at its place" "b.rev:4:69: error:" "$(cat bad.out)"
finish
