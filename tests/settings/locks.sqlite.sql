PRAGMA foreign_keys=OFF;

BEGIN;

-- Running upgrade la -> lb

CREATE TABLE _retort_new_players (
    id INTEGER PRIMARY KEY,
    team_id INTEGER,
    CONSTRAINT fk_players_team FOREIGN KEY (team_id) REFERENCES teams (id)
);

INSERT INTO _retort_new_players (id, team_id) SELECT id, team_id FROM players;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'players' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'players' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'players' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE players;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_players RENAME TO players;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.players;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of players leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of players leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('players')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='lb' WHERE alembic_version.version_num = 'la';

COMMIT;

PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade lb -> la

CREATE TABLE _retort_new_players (
    id INTEGER PRIMARY KEY,
    team_id INTEGER
);

INSERT INTO _retort_new_players (id, team_id) SELECT id, team_id FROM players;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'players' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'players' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'players' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE players;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_players RENAME TO players;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.players;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of players leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of players leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('players')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='la' WHERE alembic_version.version_num = 'lb';

COMMIT;

