PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade v1 -> v2

CREATE VIEW v_items AS SELECT i.id, i.name, i.qty, o.name AS owner
                             FROM items i LEFT JOIN owners o ON o.id = i.owner_id;

CREATE VIEW v_stocked AS SELECT id, name FROM v_items WHERE qty > 0;

CREATE TRIGGER tr_items_qty AFTER UPDATE OF qty ON items
                 BEGIN INSERT INTO audit (item_id, what) VALUES (new.id, 'qty'); END;

UPDATE alembic_version SET version_num='v2' WHERE alembic_version.version_num = 'v1';

-- Running upgrade v2 -> v3

CREATE TABLE _retort_new_items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER NOT NULL,
    owner_id INTEGER REFERENCES owners (id)
);

INSERT INTO _retort_new_items (id, name, qty, owner_id) SELECT id, name, qty, owner_id FROM items;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'items' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'items' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'items' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE items;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_items RENAME TO items;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.items;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of items leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of items leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('items')
) AS q;

DROP TABLE "_retort_check";

DROP VIEW v_stocked;

CREATE TRIGGER tr_items_gone AFTER DELETE ON items
                 BEGIN INSERT INTO audit (item_id, what) VALUES (old.id, 'gone'); END;

UPDATE alembic_version SET version_num='v3' WHERE alembic_version.version_num = 'v2';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade v3 -> v2

DROP TRIGGER tr_items_gone;

CREATE VIEW v_stocked AS SELECT id, name FROM v_items WHERE qty > 0;

CREATE TABLE _retort_new_items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    qty INTEGER,
    owner_id INTEGER REFERENCES owners (id)
);

INSERT INTO _retort_new_items (id, name, qty, owner_id) SELECT id, name, qty, owner_id FROM items;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'items' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'items' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'items' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE items;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_items RENAME TO items;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.items;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of items leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of items leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('items')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='v2' WHERE alembic_version.version_num = 'v3';

-- Running downgrade v2 -> v1

DROP TRIGGER tr_items_qty;

DROP VIEW v_stocked;

DROP VIEW v_items;

UPDATE alembic_version SET version_num='v1' WHERE alembic_version.version_num = 'v2';

COMMIT;

