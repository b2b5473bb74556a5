BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> f1

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE
);

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$;

CREATE TRIGGER accounts_touch BEFORE INSERT OR UPDATE ON accounts
          FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

INSERT INTO alembic_version (version_num) VALUES ('f1');

-- Running upgrade f1 -> f2

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            NEW.name := trim(NEW.name);
            RETURN NEW;
        END $$;

UPDATE alembic_version SET version_num='f2' WHERE alembic_version.version_num = 'f1';

-- Running upgrade f2 -> f3

DROP TRIGGER accounts_touch ON accounts;

DROP FUNCTION touch_updated_at;

UPDATE alembic_version SET version_num='f3' WHERE alembic_version.version_num = 'f2';

COMMIT;

BEGIN;

-- Running downgrade f3 -> f2

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            NEW.name := trim(NEW.name);
            RETURN NEW;
        END $$;

CREATE TRIGGER accounts_touch BEFORE INSERT OR UPDATE ON accounts
          FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

UPDATE alembic_version SET version_num='f2' WHERE alembic_version.version_num = 'f3';

-- Running downgrade f2 -> f1

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$;

UPDATE alembic_version SET version_num='f1' WHERE alembic_version.version_num = 'f2';

-- Running downgrade f1 -> 

DROP TRIGGER accounts_touch ON accounts;

DROP FUNCTION touch_updated_at;

DROP TABLE accounts;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'f1';

DROP TABLE alembic_version;

COMMIT;

