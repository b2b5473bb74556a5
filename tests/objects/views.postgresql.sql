BEGIN;

-- Running upgrade v1 -> v2

CREATE VIEW v_items AS SELECT i.id, i.name, i.qty, o.name AS owner
                             FROM items i LEFT JOIN owners o ON o.id = i.owner_id;

CREATE VIEW v_stocked AS SELECT id, name FROM v_items WHERE qty > 0;

CREATE TRIGGER tr_items_qty AFTER UPDATE OF qty ON items
                     FOR EACH ROW EXECUTE FUNCTION audit_item('qty');

UPDATE alembic_version SET version_num='v2' WHERE alembic_version.version_num = 'v1';

-- Running upgrade v2 -> v3

ALTER TABLE items ALTER COLUMN qty SET NOT NULL;

DROP VIEW v_stocked;

CREATE TRIGGER tr_items_gone AFTER DELETE ON items
                     FOR EACH ROW EXECUTE FUNCTION audit_item('gone');

UPDATE alembic_version SET version_num='v3' WHERE alembic_version.version_num = 'v2';

COMMIT;

BEGIN;

-- Running downgrade v3 -> v2

DROP TRIGGER tr_items_gone ON items;

CREATE VIEW v_stocked AS SELECT id, name FROM v_items WHERE qty > 0;

ALTER TABLE items ALTER COLUMN qty DROP NOT NULL;

UPDATE alembic_version SET version_num='v2' WHERE alembic_version.version_num = 'v3';

-- Running downgrade v2 -> v1

DROP TRIGGER tr_items_qty ON items;

DROP VIEW v_stocked;

DROP VIEW v_items;

UPDATE alembic_version SET version_num='v1' WHERE alembic_version.version_num = 'v2';

COMMIT;

