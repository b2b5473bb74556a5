BEGIN;

-- Running upgrade a1 -> b1

SET LOCAL lock_timeout = '4s';

SET LOCAL statement_timeout = '5000';

ALTER TABLE jobs ADD COLUMN state TEXT;

DO $$ BEGIN
        IF current_setting('lock_timeout') <> '4s' OR current_setting('statement_timeout') <> '5s' THEN
            RAISE EXCEPTION 'upgrade saw lock_timeout % statement_timeout %',
                current_setting('lock_timeout'), current_setting('statement_timeout');
        END IF; END $$;

SET LOCAL lock_timeout TO DEFAULT;

SET LOCAL statement_timeout TO DEFAULT;

UPDATE alembic_version SET version_num='b1' WHERE alembic_version.version_num = 'a1';

-- Running upgrade b1 -> c1

ALTER TABLE jobs ADD COLUMN note TEXT;

DO $$ BEGIN
        IF current_setting('lock_timeout') <> '0' OR current_setting('statement_timeout') <> '0' THEN
            RAISE EXCEPTION 'next revision saw lock_timeout % statement_timeout %',
                current_setting('lock_timeout'), current_setting('statement_timeout');
        END IF; END $$;

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'b1';

-- Running upgrade c1 -> d1

COMMIT;

SET lock_timeout = '1.5 s';

CREATE INDEX CONCURRENTLY ix_jobs_name ON jobs (name);

RESET lock_timeout;

BEGIN;

UPDATE alembic_version SET version_num='d1' WHERE alembic_version.version_num = 'c1';

-- Running upgrade d1 -> e1

SET LOCAL statement_timeout = '300ms';

ALTER TABLE jobs ADD COLUMN slow TEXT;

DO $$ BEGIN
        IF current_setting('lock_timeout') <> '0' THEN
            RAISE EXCEPTION 'lock_timeout % after a revision outside a transaction',
                current_setting('lock_timeout');
        END IF; END $$;

SELECT pg_sleep(5);

SET LOCAL statement_timeout TO DEFAULT;

UPDATE alembic_version SET version_num='e1' WHERE alembic_version.version_num = 'd1';

COMMIT;

BEGIN;

-- Running downgrade e1 -> d1

SET LOCAL statement_timeout = '300ms';

ALTER TABLE jobs DROP COLUMN slow;

SET LOCAL statement_timeout TO DEFAULT;

UPDATE alembic_version SET version_num='d1' WHERE alembic_version.version_num = 'e1';

-- Running downgrade d1 -> c1

COMMIT;

SET lock_timeout = '1.5 s';

DROP INDEX CONCURRENTLY ix_jobs_name;

RESET lock_timeout;

BEGIN;

UPDATE alembic_version SET version_num='c1' WHERE alembic_version.version_num = 'd1';

-- Running downgrade c1 -> b1

DO $$ BEGIN
        IF current_setting('lock_timeout') <> '0' OR current_setting('statement_timeout') <> '0' THEN
            RAISE EXCEPTION 'next revision saw lock_timeout % statement_timeout %',
                current_setting('lock_timeout'), current_setting('statement_timeout');
        END IF; END $$;

ALTER TABLE jobs DROP COLUMN note;

UPDATE alembic_version SET version_num='b1' WHERE alembic_version.version_num = 'c1';

-- Running downgrade b1 -> a1

SET LOCAL lock_timeout = '4s';

SET LOCAL statement_timeout = '5000';

DO $$ BEGIN
        IF current_setting('lock_timeout') <> '4s' OR current_setting('statement_timeout') <> '5s' THEN
            RAISE EXCEPTION 'downgrade saw lock_timeout % statement_timeout %',
                current_setting('lock_timeout'), current_setting('statement_timeout');
        END IF; END $$;

ALTER TABLE jobs DROP COLUMN state;

SET LOCAL lock_timeout TO DEFAULT;

SET LOCAL statement_timeout TO DEFAULT;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b1';

COMMIT;

