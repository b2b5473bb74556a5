PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade e1 -> e2

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, feeling FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'meh', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, feeling FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e2' WHERE alembic_version.version_num = 'e1';

-- Running upgrade e2 -> e3

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('blue', 'meh', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, CASE feeling WHEN 'sad' THEN 'blue' ELSE feeling END FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'meh', 'fine', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, CASE feeling WHEN 'ok' THEN 'fine' ELSE feeling END FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e3' WHERE alembic_version.version_num = 'e2';

-- Running upgrade e3 -> e4

ALTER TABLE people ADD COLUMN fav VARCHAR(5) CHECK (fav IN ('red', 'green'));

ALTER TABLE people ADD COLUMN size TEXT;

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'meh', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size VARCHAR(1) CHECK (size IN ('s', 'm', 'l'))
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, size FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e4' WHERE alembic_version.version_num = 'e3';

-- Running upgrade e4 -> e5

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size VARCHAR(1) CHECK (size IN ('s', 'm', 'l'))
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, size FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size TEXT
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, CAST(size AS TEXT) FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'e4';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade e5 -> e4

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size VARCHAR(1) CHECK (size IN ('s', 'm', 'l'))
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, size FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'meh', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size VARCHAR(1) CHECK (size IN ('s', 'm', 'l'))
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, size FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e4' WHERE alembic_version.version_num = 'e5';

-- Running downgrade e4 -> e3

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'fine' CHECK (feeling IN ('blue', 'meh', 'fine', 'happy')),
    fav VARCHAR(5) CHECK (fav IN ('red', 'green')),
    size TEXT
);

INSERT INTO _retort_new_people (id, name, feeling, fav, size) SELECT id, name, feeling, fav, CAST(size AS TEXT) FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

ALTER TABLE people DROP COLUMN size;

ALTER TABLE people DROP COLUMN fav;

UPDATE alembic_version SET version_num='e3' WHERE alembic_version.version_num = 'e4';

-- Running downgrade e3 -> e2

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('blue', 'meh', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, CASE feeling WHEN 'fine' THEN 'ok' ELSE feeling END FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'meh', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, CASE feeling WHEN 'blue' THEN 'sad' ELSE feeling END FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e2' WHERE alembic_version.version_num = 'e3';

-- Running downgrade e2 -> e1

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(5) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'ok', 'happy'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, feeling FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feeling VARCHAR(3) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'ok'))
);

INSERT INTO _retort_new_people (id, name, feeling) SELECT id, name, feeling FROM people;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'people' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'people' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE people;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_people RENAME TO people;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.people;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of people leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of people leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('people')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='e1' WHERE alembic_version.version_num = 'e2';

COMMIT;

