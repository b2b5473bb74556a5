BEGIN;

-- Running upgrade la -> lb

LOCK TABLE teams, players IN SHARE ROW EXCLUSIVE MODE;

DO $$ BEGIN
        IF (SELECT count(*) FROM pg_locks
            WHERE pid = pg_backend_pid() AND mode = 'ShareRowExclusiveLock'
              AND relation IN ('teams'::regclass, 'players'::regclass)) <> 2 THEN
            RAISE EXCEPTION 'the locks are not held';
        END IF; END $$;

ALTER TABLE players ADD CONSTRAINT fk_players_team FOREIGN KEY (team_id) REFERENCES teams (id);

UPDATE alembic_version SET version_num='lb' WHERE alembic_version.version_num = 'la';

COMMIT;

BEGIN;

-- Running downgrade lb -> la

LOCK TABLE players IN ACCESS EXCLUSIVE MODE;

DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_locks
            WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock'
              AND relation = 'players'::regclass) THEN
            RAISE EXCEPTION 'the lock is not held';
        END IF; END $$;

ALTER TABLE players DROP CONSTRAINT fk_players_team;

UPDATE alembic_version SET version_num='la' WHERE alembic_version.version_num = 'lb';

COMMIT;

