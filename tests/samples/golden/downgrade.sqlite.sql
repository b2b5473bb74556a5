PRAGMA foreign_keys=OFF;

BEGIN;

-- Running downgrade 358af917e1b3 -> 9973381d521c

ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    coupon_id INTEGER REFERENCES coupons (id) ON DELETE SET NULL,
    shipping_address_id BIGINT REFERENCES addresses (id) ON DELETE SET NULL,
    total_cents INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_orders', seq FROM sqlite_sequence WHERE name = 'orders' COLLATE NOCASE;

INSERT INTO _retort_new_orders (id, public_id, user_id, status, placed_at, coupon_id, shipping_address_id, total_cents) SELECT id, public_id, user_id, status, placed_at, coupon_id, shipping_address_id, total_cents FROM orders;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'orders' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_orders_user', 'ix_orders_open');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE orders;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_orders RENAME TO orders;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.orders;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of orders leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of orders leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('orders')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='9973381d521c' WHERE alembic_version.version_num = '358af917e1b3';

-- Running downgrade 9973381d521c -> 8c1a8519ba8d

CREATE TABLE _retort_new_order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_order_lines', seq FROM sqlite_sequence WHERE name = 'order_lines' COLLATE NOCASE;

INSERT INTO _retort_new_order_lines (id, order_id, product_id, quantity, unit_price_cents) SELECT id, order_id, product_id, quantity, unit_price_cents FROM order_lines;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'order_lines' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_order_items_order', 'ix_order_items_product');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'order_lines' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'order_lines' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE order_lines;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_order_lines RENAME TO order_lines;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.order_lines;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_order_items_order ON order_lines (order_id);

CREATE INDEX ix_order_items_product ON order_lines (product_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of order_lines leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of order_lines leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('order_lines')
) AS q;

DROP TABLE "_retort_check";

ALTER TABLE order_lines RENAME TO order_items;

UPDATE alembic_version SET version_num='8c1a8519ba8d' WHERE alembic_version.version_num = '9973381d521c';

-- Running downgrade 8c1a8519ba8d -> 3e0be273d43c

DROP INDEX uq_coupons_code_lower;

CREATE TABLE _retort_new_coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code VARCHAR(32) NOT NULL,
    percent_off SMALLINT NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_until DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    free_shipping BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT uq_coupons_code UNIQUE (code)
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_coupons', seq FROM sqlite_sequence WHERE name = 'coupons' COLLATE NOCASE;

INSERT INTO _retort_new_coupons (id, code, percent_off, valid_until, created_at, free_shipping) SELECT id, code, percent_off, valid_until, created_at, free_shipping FROM coupons;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'coupons' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL;

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'coupons' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'coupons' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE coupons;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_coupons RENAME TO coupons;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.coupons;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of coupons leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of coupons leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('coupons')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='3e0be273d43c' WHERE alembic_version.version_num = '8c1a8519ba8d';

-- Running downgrade 3e0be273d43c -> 67a54e5bef5b

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER DEFAULT 0,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_products_price_nonnegative CHECK (price >= 0)
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_products', seq FROM sqlite_sequence WHERE name = 'products' COLLATE NOCASE;

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'products' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_products_category');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE products;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_products RENAME TO products;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.products;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_products_category ON products (category_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of products leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of products leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('products')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_products_price_nonnegative CHECK (price >= 0)
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_products', seq FROM sqlite_sequence WHERE name = 'products' COLLATE NOCASE;

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'products' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_products_category');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE products;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_products RENAME TO products;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.products;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_products_category ON products (category_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of products leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of products leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('products')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='67a54e5bef5b' WHERE alembic_version.version_num = '3e0be273d43c';

-- Running downgrade 67a54e5bef5b -> de42e636f7ba

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_products', seq FROM sqlite_sequence WHERE name = 'products' COLLATE NOCASE;

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'products' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_products_category');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE products;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_products RENAME TO products;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.products;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_products_category ON products (category_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of products leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of products leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('products')
) AS q;

DROP TABLE "_retort_check";

ALTER TABLE products RENAME COLUMN price TO price_cents;

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price_cents INTEGER NOT NULL,
    stock INTEGER,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_products', seq FROM sqlite_sequence WHERE name = 'products' COLLATE NOCASE;

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price_cents, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, (CAST(ROUND(price_cents * 100) AS INTEGER)), stock, weight_kg, attributes, created_at FROM products;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'products' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_products_category');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'products' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE products;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_products RENAME TO products;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.products;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_products_category ON products (category_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of products leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of products leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('products')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='de42e636f7ba' WHERE alembic_version.version_num = '67a54e5bef5b';

-- Running downgrade de42e636f7ba -> f580e695d063

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    full_name VARCHAR(120),
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    phone VARCHAR(32),
    avatar BLOB
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_users', seq FROM sqlite_sequence WHERE name = 'users' COLLATE NOCASE;

INSERT INTO _retort_new_users (id, email, full_name, is_active, created_at, phone, avatar) SELECT id, email, full_name, is_active, created_at, phone, avatar FROM users;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'users' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_users_created_at');

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

CREATE INDEX ix_users_created_at ON users (created_at);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of users leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of users leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('users')
) AS q;

DROP TABLE "_retort_check";

DELETE FROM users WHERE email = 'ops@shop.example';

UPDATE alembic_version SET version_num='f580e695d063' WHERE alembic_version.version_num = 'de42e636f7ba';

-- Running downgrade f580e695d063 -> 8948089e03c2

ALTER TABLE users DROP COLUMN avatar;

-- offline: column_exists users phone taken as true (from the history)

ALTER TABLE users DROP COLUMN phone;

UPDATE alembic_version SET version_num='8948089e03c2' WHERE alembic_version.version_num = 'f580e695d063';

-- Running downgrade 8948089e03c2 -> 9ce3a838e1c5, 94bcaf00f3f6

UPDATE alembic_version SET version_num='9ce3a838e1c5' WHERE alembic_version.version_num = '8948089e03c2';

-- Running downgrade 9ce3a838e1c5 -> 2c3c0254a1b7

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    coupon_id INTEGER REFERENCES coupons (id) ON DELETE SET NULL,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_orders', seq FROM sqlite_sequence WHERE name = 'orders' COLLATE NOCASE;

INSERT INTO _retort_new_orders (id, public_id, user_id, status, total_cents, placed_at, coupon_id) SELECT id, public_id, user_id, status, total_cents, placed_at, coupon_id FROM orders;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'orders' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_orders_user', 'ix_orders_open');

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: an index kept by the rebuild of orders uses a column it drops" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- an index kept by the rebuild of orders uses a column it drops
SELECT 'index ' || k.name || ' uses column ' || i.name || ', which the rebuild of ' || k.tbl_name || ' drops; drop the index first' FROM temp."_retort_keep" AS k, pragma_index_info(k.name) AS i WHERE k.type = 'index' AND i.name IS NOT NULL AND i.name COLLATE NOCASE NOT IN ('id', 'public_id', 'user_id', 'status', 'total_cents', 'placed_at', 'coupon_id')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE orders;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_orders RENAME TO orders;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.orders;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of orders leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of orders leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('orders')
) AS q;

DROP TABLE "_retort_check";

ALTER TABLE coupons DROP COLUMN free_shipping;

UPDATE alembic_version SET version_num='2c3c0254a1b7' WHERE alembic_version.version_num = '9ce3a838e1c5';

INSERT INTO alembic_version (version_num) VALUES ('94bcaf00f3f6');

-- Running downgrade 94bcaf00f3f6 -> 1be851fd1be8

DROP INDEX uq_addresses_default;

DROP INDEX ix_addresses_user;

DROP TABLE addresses;

DELETE FROM alembic_version WHERE alembic_version.version_num = '94bcaf00f3f6';

-- Running downgrade 2c3c0254a1b7 -> 1be851fd1be8

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_orders', seq FROM sqlite_sequence WHERE name = 'orders' COLLATE NOCASE;

INSERT INTO _retort_new_orders (id, public_id, user_id, status, total_cents, placed_at) SELECT id, public_id, user_id, status, total_cents, placed_at FROM orders;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'orders' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_orders_user', 'ix_orders_open');

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: an index kept by the rebuild of orders uses a column it drops" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- an index kept by the rebuild of orders uses a column it drops
SELECT 'index ' || k.name || ' uses column ' || i.name || ', which the rebuild of ' || k.tbl_name || ' drops; drop the index first' FROM temp."_retort_keep" AS k, pragma_index_info(k.name) AS i WHERE k.type = 'index' AND i.name IS NOT NULL AND i.name COLLATE NOCASE NOT IN ('id', 'public_id', 'user_id', 'status', 'total_cents', 'placed_at')
) AS q;

DROP TABLE "_retort_check";

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE orders;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_orders RENAME TO orders;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.orders;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of orders leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of orders leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('orders')
) AS q;

DROP TABLE "_retort_check";

DROP TABLE coupons;

UPDATE alembic_version SET version_num='1be851fd1be8' WHERE alembic_version.version_num = '2c3c0254a1b7';

-- Running downgrade 1be851fd1be8 -> 6dcf6d32e4d2

COMMIT;

DROP INDEX ix_orders_open;

BEGIN;

UPDATE alembic_version SET version_num='6dcf6d32e4d2' WHERE alembic_version.version_num = '1be851fd1be8';

-- Running downgrade 6dcf6d32e4d2 -> 0d80809d41fc

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_orders', seq FROM sqlite_sequence WHERE name = 'orders' COLLATE NOCASE;

INSERT INTO _retort_new_orders (id, public_id, user_id, status, total_cents, placed_at) SELECT id, public_id, user_id, status, total_cents, placed_at FROM orders;

CREATE TEMP TABLE "_retort_keep" AS SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name = 'orders' COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name COLLATE NOCASE NOT IN ('ix_orders_user');

CREATE TABLE "_retort_hold" (x);

PRAGMA writable_schema=ON;

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT 'index', name, '_retort_hold', rootpage, 'CREATE INDEX "' || replace(name, '"', '""') || '" ON "_retort_hold" (x)' FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

DELETE FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'orders' COLLATE NOCASE AND name IN (SELECT name FROM temp."_retort_keep" WHERE type = 'index');

PRAGMA writable_schema=RESET;

DROP TABLE orders;

PRAGMA legacy_alter_table=ON;

ALTER TABLE _retort_new_orders RENAME TO orders;

PRAGMA legacy_alter_table=OFF;

PRAGMA writable_schema=ON;

UPDATE main.sqlite_master SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM temp."_retort_keep" AS k WHERE k.type = 'index' AND k.name = sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold';

INSERT INTO main.sqlite_master (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql FROM temp."_retort_keep" WHERE type = 'trigger';

PRAGMA writable_schema=RESET;

REINDEX main.orders;

ALTER TABLE "_retort_hold" RENAME TO "_retort_hold_checked";

DROP TABLE "_retort_hold_checked";

DROP TABLE temp."_retort_keep";

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE TEMP TABLE "_retort_check" (found INTEGER CONSTRAINT "retort check failed: the rebuild of orders leaves a foreign key violated" CHECK (found = 0));

INSERT INTO "_retort_check" SELECT count(*) FROM (-- the rebuild of orders leaves a foreign key violated
SELECT * FROM pragma_foreign_key_check('orders')
) AS q;

DROP TABLE "_retort_check";

UPDATE alembic_version SET version_num='0d80809d41fc' WHERE alembic_version.version_num = '6dcf6d32e4d2';

-- Running downgrade 0d80809d41fc -> 70a784c2ba36

DROP TABLE order_statuses;

UPDATE alembic_version SET version_num='70a784c2ba36' WHERE alembic_version.version_num = '0d80809d41fc';

-- Running downgrade 70a784c2ba36 -> e52eb3eafa85

DROP INDEX ix_order_items_product;

DROP INDEX ix_order_items_order;

DROP TABLE order_items;

DROP INDEX ix_orders_user;

DROP TABLE orders;

UPDATE alembic_version SET version_num='e52eb3eafa85' WHERE alembic_version.version_num = '70a784c2ba36';

-- Running downgrade e52eb3eafa85 -> cd3ac0052396

DROP INDEX ix_products_category;

DROP TABLE products;

DROP TABLE categories;

UPDATE alembic_version SET version_num='cd3ac0052396' WHERE alembic_version.version_num = 'e52eb3eafa85';

-- Running downgrade cd3ac0052396 -> 

DROP INDEX ix_users_created_at;

DROP TABLE users;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'cd3ac0052396';

DROP TABLE alembic_version;

COMMIT;

