PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade a1 -> b1

ALTER TABLE jobs ADD COLUMN state TEXT;

UPDATE alembic_version SET version_num='b1' WHERE alembic_version.version_num = 'a1';

-- Running upgrade b1 -> c1

ALTER TABLE jobs ADD COLUMN note TEXT;

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'b1';

-- Running upgrade c1 -> d1

COMMIT;

CREATE INDEX ix_jobs_name ON jobs (name);

BEGIN;

UPDATE alembic_version SET version_num='d1' WHERE alembic_version.version_num = 'c1';

-- Running upgrade d1 -> e1

ALTER TABLE jobs ADD COLUMN slow TEXT;

UPDATE alembic_version SET version_num='e1' WHERE alembic_version.version_num = 'd1';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade e1 -> d1

ALTER TABLE jobs DROP COLUMN slow;

UPDATE alembic_version SET version_num='d1' WHERE alembic_version.version_num = 'e1';

-- Running downgrade d1 -> c1

COMMIT;

DROP INDEX ix_jobs_name;

BEGIN;

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'd1';

-- Running downgrade c1 -> b1

ALTER TABLE jobs DROP COLUMN note;

UPDATE alembic_version SET version_num='b1' WHERE alembic_version.version_num = 'c1';

-- Running downgrade b1 -> a1

ALTER TABLE jobs DROP COLUMN state;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b1';

COMMIT;

