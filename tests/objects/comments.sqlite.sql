PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade c1 -> c2

UPDATE alembic_version SET version_num='c2' WHERE alembic_version.version_num = 'c1';

-- Running upgrade c2 -> c3

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'c2';

-- Running upgrade c3 -> c4

ALTER TABLE docs DROP COLUMN body;

UPDATE alembic_version SET version_num='c4' WHERE alembic_version.version_num = 'c3';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade c4 -> c3

ALTER TABLE docs ADD COLUMN body TEXT;

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'c4';

-- Running downgrade c3 -> c2

UPDATE alembic_version SET version_num='c2' WHERE alembic_version.version_num = 'c3';

-- Running downgrade c2 -> c1

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'c2';

COMMIT;

