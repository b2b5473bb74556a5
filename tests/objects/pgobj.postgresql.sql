BEGIN;

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

COMMIT;

