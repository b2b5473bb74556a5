BEGIN;

-- Running upgrade e1 -> e2

ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';

ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';

UPDATE alembic_version SET version_num='e2' WHERE alembic_version.version_num = 'e1';

-- Running upgrade e2 -> e3

ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';

ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';

UPDATE alembic_version SET version_num='e3' WHERE alembic_version.version_num = 'e2';

-- Running upgrade e3 -> e4

CREATE TYPE colour AS ENUM ('red', 'green');

ALTER TABLE people ADD COLUMN fav colour;

ALTER TABLE people ADD COLUMN size TEXT;

CREATE TYPE size AS ENUM ('s', 'm', 'l');

ALTER TABLE people ALTER COLUMN size TYPE size USING size::text::size;

UPDATE alembic_version SET version_num='e4' WHERE alembic_version.version_num = 'e3';

-- Running upgrade e4 -> e5

ALTER TYPE mood RENAME TO mood_retort_old;

CREATE TYPE mood AS ENUM ('blue', 'fine', 'happy');

ALTER TABLE people ALTER COLUMN feeling DROP DEFAULT;

ALTER TABLE people ALTER COLUMN feeling TYPE mood USING feeling::text::mood;

ALTER TABLE people ALTER COLUMN feeling SET DEFAULT 'fine';

DROP TYPE mood_retort_old;

ALTER TABLE people ALTER COLUMN size TYPE TEXT;

DROP TYPE size;

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'e4';

COMMIT;

BEGIN;

-- Running downgrade e5 -> e4

CREATE TYPE size AS ENUM ('s', 'm', 'l');

ALTER TABLE people ALTER COLUMN size TYPE size USING size::text::size;

ALTER TYPE mood ADD VALUE 'meh' AFTER 'blue';

UPDATE alembic_version SET version_num='e4' WHERE alembic_version.version_num = 'e5';

-- Running downgrade e4 -> e3

ALTER TABLE people ALTER COLUMN size TYPE TEXT;

DROP TYPE size;

ALTER TABLE people DROP COLUMN size;

ALTER TABLE people DROP COLUMN fav;

DROP TYPE colour;

UPDATE alembic_version SET version_num='e3' WHERE alembic_version.version_num = 'e4';

-- Running downgrade e3 -> e2

ALTER TYPE mood RENAME VALUE 'fine' TO 'ok';

ALTER TYPE mood RENAME VALUE 'blue' TO 'sad';

UPDATE alembic_version SET version_num='e2' WHERE alembic_version.version_num = 'e3';

-- Running downgrade e2 -> e1

ALTER TYPE mood RENAME TO mood_retort_old;

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

ALTER TABLE people ALTER COLUMN feeling DROP DEFAULT;

ALTER TABLE people ALTER COLUMN feeling TYPE mood USING feeling::text::mood;

ALTER TABLE people ALTER COLUMN feeling SET DEFAULT 'ok';

DROP TYPE mood_retort_old;

ALTER TYPE mood RENAME TO mood_retort_old;

CREATE TYPE mood AS ENUM ('sad', 'ok');

ALTER TABLE people ALTER COLUMN feeling DROP DEFAULT;

ALTER TABLE people ALTER COLUMN feeling TYPE mood USING feeling::text::mood;

ALTER TABLE people ALTER COLUMN feeling SET DEFAULT 'ok';

DROP TYPE mood_retort_old;

UPDATE alembic_version SET version_num='e1' WHERE alembic_version.version_num = 'e2';

COMMIT;

