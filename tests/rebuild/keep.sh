#!/bin/sh
# keep.sh MIGRATOR WORK_DIR
#
# SQLite table rebuilds keep what belonged to the table (SPEC section 4):
# on 100,000 rows of `items`, raw indexes (one partial and on an
# expression, one unique), a raw trigger on the table, a raw trigger on
# another table and a view reading it survive two rebuilds up (k3) and two
# down (k2), online and through the offline script run by sqlite3 -bail;
# sqlite_master and sqlite_sequence hold exactly what they held before,
# the indexes are consistent with the rows, the AUTOINCREMENT counter hands
# out no deleted id again, and `check` finds nothing wrong.
set -u
migrate=$1
work=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
q() { sqlite3 -batch -noheader -list "$1" "$2"; }
rm -rf "$work"
mkdir -p "$work"

# Everything but the rebuilt table's own row (its definition is what the
# revision changes; rootpage moves with every rebuild).
snapshot() {
    q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name <> 'items' ORDER BY type, name;
            SELECT '-- sqlite_sequence';
            SELECT name, seq FROM sqlite_sequence ORDER BY name;
            SELECT '-- rows';
            SELECT count(*), sum(id), sum(owner_id), sum(length(name)), sum(qty),
                   sum(length(note)) FROM items;
            SELECT count(*), sum(item_id) FROM audit;"
}

# verify LABEL DB QTY_NOTNULL: what must hold after every rebuild.
verify() {
    expect "$1: sqlite_master, sqlite_sequence and rows as before" "$before" "$(snapshot "$2")"
    expect "$1: the rebuild ran (qty notnull)" "$3" \
        "$(q "$2" "SELECT \"notnull\" FROM pragma_table_info('items') WHERE name = 'qty'")"
    expect "$1: integrity_check (indexes match the rows)" ok "$(q "$2" "PRAGMA integrity_check")"
    expect "$1: raw partial index answers" 99990 \
        "$(q "$2" "SELECT count(*) FROM items INDEXED BY ix_items_raw_qty WHERE qty IS NOT NULL")"
    expect "$1: raw unique index answers" 'note 77' \
        "$(q "$2" "SELECT note FROM items INDEXED BY ux_items_raw_note WHERE note = 'note 77'")"
    expect "$1: view reads the table" '99990|16' \
        "$(q "$2" "SELECT count(*), max(length(owner)) FROM v_items")"
    expect "$1: no foreign key violated" "" "$(q "$2" "PRAGMA foreign_key_check")"
}

db=$work/online.db
"$migrate" --url "sqlite:///$db" upgrade k2 || fail "upgrade k2"
sqlite3 -bail "$db" <<'SQL' || fail "populate"
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
INSERT INTO owners (id, name) SELECT i, 'owner number ' || i FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000)
INSERT INTO items (owner_id, name, qty, note)
SELECT i % 100 + 1, 'item ' || i, i % 7, 'note ' || i FROM s;
-- The counter stays at 100000: a rebuild must not hand 99991 out again.
DELETE FROM items WHERE id > 99990;
UPDATE items SET qty = qty + 1 WHERE id <= 3;
SQL
expect "populated (trigger fired)" "100000|3" \
    "$(q "$db" "SELECT seq, (SELECT count(*) FROM audit) FROM sqlite_sequence WHERE name = 'items'")"
before=$(snapshot "$db")
cp "$db" "$work/offline.db"

# Online.
"$migrate" --url "sqlite:///$db" upgrade k3 || fail "online upgrade k3"
verify "online up" "$db" 1
"$migrate" --url "sqlite:///$db" check || fail "online check at k3"
"$migrate" --url "sqlite:///$db" downgrade k2 || fail "online downgrade k2"
verify "online down" "$db" 0
"$migrate" --url "sqlite:///$db" upgrade k3 || fail "online upgrade k3 again"

# Offline: the same scripts through the sqlite3 shell.
odb=$work/offline.db
"$migrate" upgrade --sql --dialect sqlite k2:k3 >"$work/up.sql" || fail "upgrade --sql"
sqlite3 -bail "$odb" <"$work/up.sql" || fail "offline upgrade script"
verify "offline up" "$odb" 1
"$migrate" --url "sqlite:///$odb" check || fail "offline check at k3"
"$migrate" downgrade --sql --dialect sqlite k3:k2 >"$work/down.sql" || fail "downgrade --sql"
sqlite3 -bail "$odb" <"$work/down.sql" || fail "offline downgrade script"
verify "offline down" "$odb" 0
sqlite3 -bail "$odb" <"$work/up.sql" || fail "offline upgrade script again"

# After three rebuilds up and two down, the objects still work.
for d in "$db" "$odb"; do
    n=$(basename "$d")
    expect "$n: the counter goes on from 100000" 100001 \
        "$(q "$d" "INSERT INTO items (owner_id, name, qty, note) VALUES (1, 'new', 1, 'new');
                   SELECT last_insert_rowid()")"
    expect "$n: raw trigger on items fires" 4 \
        "$(q "$d" "UPDATE items SET qty = 9 WHERE id = 100001; SELECT count(*) FROM audit")"
    expect "$n: raw trigger on owners fires" 0 \
        "$(q "$d" "DELETE FROM owners WHERE id = 2; SELECT count(*) FROM items WHERE owner_id = 2")"
    if q "$d" "INSERT INTO items (owner_id, name, qty, note) VALUES (1, 'x', 1, 'note 5')" \
        >/dev/null 2>&1; then
        fail "$n: raw unique index let a duplicate in"
    else
        echo "ok: $n: raw unique index still refuses a duplicate"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
