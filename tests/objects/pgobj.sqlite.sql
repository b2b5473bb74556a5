PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade p0 -> p1

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) UNIQUE,
    name TEXT,
    age INTEGER CHECK (age > 0),
    CONSTRAINT ck_users_name CHECK (name <> '')
);

CREATE INDEX ix_users_age ON users (age);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    feeling VARCHAR(3) NOT NULL DEFAULT 'ok' CHECK (feeling IN ('sad', 'ok'))
);

UPDATE alembic_version SET version_num='p1' WHERE alembic_version.version_num = 'p0';

-- Running upgrade p1 -> p2

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200),
    name TEXT,
    age INTEGER CHECK (age > 0),
    CONSTRAINT ck_users_name CHECK (name <> ''),
    CONSTRAINT uq_users_email UNIQUE (email)
);

INSERT INTO _retort_new_users (id, email, name, age) SELECT id, email, name, age FROM users;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'users' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_users_age');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE users;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_users RENAME TO users;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.users;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_users_age ON users (age);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of users leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of users leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('users')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200),
    name TEXT,
    age INTEGER CHECK (age > 0),
    CONSTRAINT ck_name CHECK (name <> ''),
    CONSTRAINT uq_users_email UNIQUE (email)
);

INSERT INTO _retort_new_users (id, email, name, age) SELECT id, email, name, age FROM users;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'users' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_users_age');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE users;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_users RENAME TO users;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.users;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_users_age ON users (age);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of users leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of users leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('users')
) AS q;

DROP TABLE "_retort_check";

DROP INDEX ix_users_age;

CREATE INDEX ix_age ON users (age);

UPDATE alembic_version SET version_num='p2' WHERE alembic_version.version_num = 'p1';

-- Running upgrade p2 -> p3

UPDATE alembic_version SET version_num='p3' WHERE alembic_version.version_num = 'p2';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade p3 -> p2

UPDATE alembic_version SET version_num='p2' WHERE alembic_version.version_num = 'p3';

-- Running downgrade p2 -> p1

DROP INDEX ix_age;

CREATE INDEX ix_users_age ON users (age);

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200),
    name TEXT,
    age INTEGER CHECK (age > 0),
    CONSTRAINT ck_users_name CHECK (name <> ''),
    CONSTRAINT uq_users_email UNIQUE (email)
);

INSERT INTO _retort_new_users (id, email, name, age) SELECT id, email, name, age FROM users;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'users' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_users_age');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE users;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_users RENAME TO users;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.users;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_users_age ON users (age);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of users leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of users leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('users')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200),
    name TEXT,
    age INTEGER CHECK (age > 0),
    CONSTRAINT ck_users_name CHECK (name <> ''),
    CONSTRAINT users_email_key UNIQUE (email)
);

INSERT INTO _retort_new_users (id, email, name, age) SELECT id, email, name, age FROM users;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'users' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_users_age');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'users' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE users;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_users RENAME TO users;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.users;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_users_age ON users (age);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of users leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of users leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('users')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='p1' WHERE alembic_version.version_num = 'p2';

-- Running downgrade p1 -> p0

DROP TABLE people;

DROP INDEX ix_users_age;

DROP TABLE users;

UPDATE alembic_version SET version_num='p0' WHERE alembic_version.version_num = 'p1';

COMMIT;

