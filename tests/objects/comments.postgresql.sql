BEGIN;

-- Running upgrade c1 -> c2

COMMENT ON TABLE docs IS 'Documents';

COMMENT ON COLUMN docs.title IS 'The title, it''s short';

UPDATE alembic_version SET version_num='c2' WHERE alembic_version.version_num = 'c1';

-- Running upgrade c2 -> c3

COMMENT ON COLUMN docs.title IS 'Title';

COMMENT ON TABLE docs IS NULL;

COMMENT ON COLUMN docs.body IS 'Body text';

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'c2';

-- Running upgrade c3 -> c4

ALTER TABLE docs DROP COLUMN body;

UPDATE alembic_version SET version_num='c4' WHERE alembic_version.version_num = 'c3';

COMMIT;

BEGIN;

-- Running downgrade c4 -> c3

ALTER TABLE docs ADD COLUMN body TEXT;

COMMENT ON COLUMN docs.body IS 'Body text';

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'c4';

-- Running downgrade c3 -> c2

COMMENT ON COLUMN docs.body IS NULL;

COMMENT ON TABLE docs IS 'Documents';

COMMENT ON COLUMN docs.title IS 'The title, it''s short';

UPDATE alembic_version SET version_num='c2' WHERE alembic_version.version_num = 'c3';

-- Running downgrade c2 -> c1

COMMENT ON COLUMN docs.title IS NULL;

COMMENT ON TABLE docs IS NULL;

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'c2';

COMMIT;

