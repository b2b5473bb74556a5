PRAGMA foreign_keys=OFF;

BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> cd3ac0052396

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    full_name VARCHAR(120),
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_users_created_at ON users (created_at);

INSERT INTO alembic_version (version_num) VALUES ('cd3ac0052396');

-- Running upgrade cd3ac0052396 -> e52eb3eafa85

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug VARCHAR(64) NOT NULL UNIQUE,
    name VARCHAR(128) NOT NULL,
    parent_id INTEGER REFERENCES categories (id) ON DELETE SET NULL
);

CREATE TABLE products (
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

CREATE INDEX ix_products_category ON products (category_id);

UPDATE alembic_version SET version_num='e52eb3eafa85' WHERE alembic_version.version_num = 'cd3ac0052396';

-- Running upgrade e52eb3eafa85 -> 70a784c2ba36

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL
);

CREATE INDEX ix_order_items_order ON order_items (order_id);

CREATE INDEX ix_order_items_product ON order_items (product_id);

UPDATE alembic_version SET version_num='70a784c2ba36' WHERE alembic_version.version_num = 'e52eb3eafa85';

-- Running upgrade 70a784c2ba36 -> 0d80809d41fc

CREATE TABLE order_statuses (
    code VARCHAR(16) PRIMARY KEY,
    label VARCHAR(64) NOT NULL,
    is_final BOOLEAN NOT NULL DEFAULT 0,
    sort_order SMALLINT NOT NULL
);

INSERT INTO order_statuses (code, label, is_final, sort_order) VALUES
    ('pending', 'Awaiting payment', 0, 10),
    ('paid', 'Paid', 0, 20),
    ('shipped', 'Shipped', 0, 30),
    ('delivered', 'Delivered', 1, 40),
    ('cancelled', 'Cancelled', 1, 50),
    ('returned', 'Returned at customer''s request', 1, 60);

UPDATE alembic_version SET version_num='0d80809d41fc' WHERE alembic_version.version_num = '70a784c2ba36';

-- Running upgrade 0d80809d41fc -> 6dcf6d32e4d2

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);

INSERT INTO _retort_new_orders (id, public_id, user_id, status, total_cents, placed_at) SELECT id, public_id, user_id, status, total_cents, placed_at FROM orders;

DROP TABLE orders;

ALTER TABLE _retort_new_orders RENAME TO orders;

CREATE INDEX ix_orders_user ON orders (user_id);

PRAGMA foreign_key_check(orders);

UPDATE alembic_version SET version_num='6dcf6d32e4d2' WHERE alembic_version.version_num = '0d80809d41fc';

-- Running upgrade 6dcf6d32e4d2 -> 1be851fd1be8

COMMIT;

CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');

BEGIN;

UPDATE alembic_version SET version_num='1be851fd1be8' WHERE alembic_version.version_num = '6dcf6d32e4d2';

-- Running upgrade 1be851fd1be8 -> 2c3c0254a1b7

CREATE TABLE coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code VARCHAR(32) NOT NULL,
    percent_off SMALLINT NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_until DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_coupons_code UNIQUE (code)
);

ALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES coupons (id) ON DELETE SET NULL;

UPDATE alembic_version SET version_num='2c3c0254a1b7' WHERE alembic_version.version_num = '1be851fd1be8';

-- Running upgrade 1be851fd1be8 -> 94bcaf00f3f6

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    line1 VARCHAR(200) NOT NULL,
    line2 VARCHAR(200),
    city VARCHAR(100) NOT NULL,
    postal_code VARCHAR(16) NOT NULL,
    country CHAR(2) NOT NULL DEFAULT 'US',
    is_default BOOLEAN NOT NULL DEFAULT 0
);

CREATE INDEX ix_addresses_user ON addresses (user_id);

CREATE UNIQUE INDEX uq_addresses_default ON addresses (user_id) WHERE is_default;

INSERT INTO alembic_version (version_num) VALUES ('94bcaf00f3f6');

-- Running upgrade 2c3c0254a1b7 -> 9ce3a838e1c5

ALTER TABLE coupons ADD COLUMN free_shipping BOOLEAN NOT NULL DEFAULT 0;

ALTER TABLE orders ADD COLUMN shipping_address_id BIGINT REFERENCES addresses (id) ON DELETE SET NULL;

UPDATE alembic_version SET version_num='9ce3a838e1c5' WHERE alembic_version.version_num = '2c3c0254a1b7';

-- Running upgrade 9ce3a838e1c5, 94bcaf00f3f6 -> 8948089e03c2

DELETE FROM alembic_version WHERE alembic_version.version_num = '94bcaf00f3f6';

UPDATE alembic_version SET version_num='8948089e03c2' WHERE alembic_version.version_num = '9ce3a838e1c5';

-- Running upgrade 8948089e03c2 -> f580e695d063

-- offline: not column_exists users phone taken as true (from the history)

ALTER TABLE users ADD COLUMN phone VARCHAR(32);

ALTER TABLE users ADD COLUMN avatar BLOB;

UPDATE alembic_version SET version_num='f580e695d063' WHERE alembic_version.version_num = '8948089e03c2';

-- Running upgrade f580e695d063 -> de42e636f7ba

-- offline: table_exists legacy_customers taken as false (from the history)

INSERT INTO users (email, full_name) VALUES
    ('ops@shop.example', 'Shop operations');

UPDATE users SET full_name = email WHERE full_name IS NULL;

CREATE TABLE _retort_new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    full_name VARCHAR(120) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    phone VARCHAR(32),
    avatar BLOB
);

INSERT INTO _retort_new_users (id, email, full_name, is_active, created_at, phone, avatar) SELECT id, email, full_name, is_active, created_at, phone, avatar FROM users;

DROP TABLE users;

ALTER TABLE _retort_new_users RENAME TO users;

CREATE INDEX ix_users_created_at ON users (created_at);

PRAGMA foreign_key_check(users);

UPDATE alembic_version SET version_num='de42e636f7ba' WHERE alembic_version.version_num = 'f580e695d063';

-- Running upgrade de42e636f7ba -> 67a54e5bef5b

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price_cents NUMERIC(10, 2) NOT NULL,
    stock INTEGER,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price_cents, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, (price_cents / 100.0), stock, weight_kg, attributes, created_at FROM products;

DROP TABLE products;

ALTER TABLE _retort_new_products RENAME TO products;

CREATE INDEX ix_products_category ON products (category_id);

PRAGMA foreign_key_check(products);

ALTER TABLE products RENAME COLUMN price_cents TO price;

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

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

DROP TABLE products;

ALTER TABLE _retort_new_products RENAME TO products;

CREATE INDEX ix_products_category ON products (category_id);

PRAGMA foreign_key_check(products);

UPDATE alembic_version SET version_num='67a54e5bef5b' WHERE alembic_version.version_num = 'de42e636f7ba';

-- Running upgrade 67a54e5bef5b -> 3e0be273d43c

UPDATE products SET stock = 0 WHERE stock IS NULL;

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

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

DROP TABLE products;

ALTER TABLE _retort_new_products RENAME TO products;

CREATE INDEX ix_products_category ON products (category_id);

PRAGMA foreign_key_check(products);

CREATE TABLE _retort_new_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    description TEXT,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER NOT NULL DEFAULT 0,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_products_price_nonnegative CHECK (price >= 0)
);

INSERT INTO _retort_new_products (id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at) SELECT id, sku, name, description, category_id, price, stock, weight_kg, attributes, created_at FROM products;

DROP TABLE products;

ALTER TABLE _retort_new_products RENAME TO products;

CREATE INDEX ix_products_category ON products (category_id);

PRAGMA foreign_key_check(products);

UPDATE alembic_version SET version_num='3e0be273d43c' WHERE alembic_version.version_num = '67a54e5bef5b';

-- Running upgrade 3e0be273d43c -> 8c1a8519ba8d

CREATE TABLE _retort_new_coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code VARCHAR(32) NOT NULL,
    percent_off SMALLINT NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_until DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    free_shipping BOOLEAN NOT NULL DEFAULT 0
);

INSERT INTO _retort_new_coupons (id, code, percent_off, valid_until, created_at, free_shipping) SELECT id, code, percent_off, valid_until, created_at, free_shipping FROM coupons;

DROP TABLE coupons;

ALTER TABLE _retort_new_coupons RENAME TO coupons;

PRAGMA foreign_key_check(coupons);

CREATE UNIQUE INDEX uq_coupons_code_lower ON coupons ((lower(code)));

UPDATE alembic_version SET version_num='8c1a8519ba8d' WHERE alembic_version.version_num = '3e0be273d43c';

-- Running upgrade 8c1a8519ba8d -> 9973381d521c

ALTER TABLE order_items RENAME TO order_lines;

CREATE TABLE _retort_new_order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    CONSTRAINT uq_order_lines_product UNIQUE (order_id, product_id)
);

INSERT INTO _retort_new_order_lines (id, order_id, product_id, quantity, unit_price_cents) SELECT id, order_id, product_id, quantity, unit_price_cents FROM order_lines;

DROP TABLE order_lines;

ALTER TABLE _retort_new_order_lines RENAME TO order_lines;

CREATE INDEX ix_order_items_order ON order_lines (order_id);

CREATE INDEX ix_order_items_product ON order_lines (product_id);

PRAGMA foreign_key_check(order_lines);

UPDATE alembic_version SET version_num='9973381d521c' WHERE alembic_version.version_num = '8c1a8519ba8d';

-- Running upgrade 9973381d521c -> 358af917e1b3

CREATE TABLE _retort_new_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    total_cents INTEGER NOT NULL DEFAULT 0,
    placed_at DATETIME NOT NULL,
    coupon_id INTEGER REFERENCES coupons (id) ON DELETE SET NULL,
    shipping_address_id BIGINT REFERENCES addresses (id) ON DELETE SET NULL,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);

INSERT INTO _retort_new_orders (id, public_id, user_id, status, total_cents, placed_at, coupon_id, shipping_address_id) SELECT id, public_id, user_id, status, total_cents, placed_at, coupon_id, shipping_address_id FROM orders;

DROP TABLE orders;

ALTER TABLE _retort_new_orders RENAME TO orders;

CREATE INDEX ix_orders_user ON orders (user_id);

CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');

PRAGMA foreign_key_check(orders);

ALTER TABLE orders DROP COLUMN total_cents;

UPDATE alembic_version SET version_num='358af917e1b3' WHERE alembic_version.version_num = '9973381d521c';

COMMIT;

