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

CREATE TYPE mood AS ENUM ('sad', 'ok');

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    feeling mood NOT NULL DEFAULT 'ok'
);

CREATE EXTENSION IF NOT EXISTS citext;

CREATE SCHEMA IF NOT EXISTS billing;

CREATE SEQUENCE IF NOT EXISTS invoice_no START WITH 1000 INCREMENT BY 5;

UPDATE alembic_version SET version_num='p1' WHERE alembic_version.version_num = 'p0';

-- Running upgrade p1 -> p2

ALTER TABLE users RENAME CONSTRAINT users_email_key TO uq_users_email;

ALTER TABLE users RENAME CONSTRAINT ck_users_name TO ck_name;

ALTER INDEX ix_users_age RENAME TO ix_age;

ALTER TYPE mood RENAME TO feeling;

UPDATE alembic_version SET version_num='p2' WHERE alembic_version.version_num = 'p1';

-- Running upgrade p2 -> p3

DROP SEQUENCE invoice_no;

DROP SCHEMA billing;

DROP EXTENSION citext;

UPDATE alembic_version SET version_num='p3' WHERE alembic_version.version_num = 'p2';

COMMIT;

BEGIN;

-- Running downgrade p3 -> p2

CREATE EXTENSION citext;

CREATE SCHEMA billing;

CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 5;

UPDATE alembic_version SET version_num='p2' WHERE alembic_version.version_num = 'p3';

-- Running downgrade p2 -> p1

ALTER TYPE feeling RENAME TO mood;

ALTER INDEX ix_age RENAME TO ix_users_age;

ALTER TABLE users RENAME CONSTRAINT ck_name TO ck_users_name;

ALTER TABLE users RENAME CONSTRAINT uq_users_email TO users_email_key;

UPDATE alembic_version SET version_num='p1' WHERE alembic_version.version_num = 'p2';

-- Running downgrade p1 -> p0

DROP SEQUENCE IF EXISTS invoice_no;

DROP SCHEMA IF EXISTS billing;

DROP EXTENSION IF EXISTS citext;

DROP TABLE people;

DROP TYPE mood;

DROP INDEX ix_users_age;

DROP TABLE users;

UPDATE alembic_version SET version_num='p0' WHERE alembic_version.version_num = 'p1';

COMMIT;

