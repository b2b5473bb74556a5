CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    full_name VARCHAR(120) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    phone VARCHAR(32),
    avatar BLOB
);
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
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER NOT NULL DEFAULT 0,
    weight_kg REAL,
    attributes JSON,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_products_price_nonnegative CHECK (price >= 0)
);
CREATE TABLE order_statuses (
    code VARCHAR(16) PRIMARY KEY,
    label VARCHAR(64) NOT NULL,
    is_final BOOLEAN NOT NULL DEFAULT 0,
    sort_order SMALLINT NOT NULL
);
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
CREATE TABLE coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code VARCHAR(32) NOT NULL,
    percent_off SMALLINT NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_until DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    free_shipping BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id CHAR(32) NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    placed_at DATETIME NOT NULL,
    coupon_id INTEGER REFERENCES coupons (id) ON DELETE SET NULL,
    shipping_address_id BIGINT REFERENCES addresses (id) ON DELETE SET NULL,
    CONSTRAINT fk_orders_status FOREIGN KEY (status) REFERENCES order_statuses (code) ON UPDATE CASCADE
);
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    CONSTRAINT uq_order_lines_product UNIQUE (order_id, product_id)
);
CREATE INDEX ix_users_created_at ON users (created_at);
CREATE INDEX ix_products_category ON products (category_id);
CREATE INDEX ix_addresses_user ON addresses (user_id);
CREATE UNIQUE INDEX uq_addresses_default ON addresses (user_id) WHERE is_default;
CREATE UNIQUE INDEX uq_coupons_code_lower ON coupons ((lower(code)));
CREATE INDEX ix_orders_user ON orders (user_id);
CREATE INDEX ix_orders_open ON orders (user_id, placed_at DESC) WHERE status NOT IN ('delivered', 'cancelled', 'returned');
CREATE INDEX ix_order_items_order ON order_lines (order_id);
CREATE INDEX ix_order_items_product ON order_lines (product_id);
