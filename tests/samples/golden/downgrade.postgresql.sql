BEGIN;

-- Running downgrade 358af917e1b3 -> 9973381d521c

ALTER TABLE orders ADD COLUMN total_cents INTEGER NOT NULL DEFAULT 0;

ALTER TABLE orders ALTER COLUMN placed_at SET DEFAULT CURRENT_TIMESTAMP;

UPDATE alembic_version SET version_num='9973381d521c' WHERE alembic_version.version_num = '358af917e1b3';

-- Running downgrade 9973381d521c -> 8c1a8519ba8d

ALTER TABLE order_lines DROP CONSTRAINT uq_order_lines_product;

ALTER TABLE order_lines RENAME TO order_items;

UPDATE alembic_version SET version_num='8c1a8519ba8d' WHERE alembic_version.version_num = '9973381d521c';

-- Running downgrade 8c1a8519ba8d -> 3e0be273d43c

DROP INDEX uq_coupons_code_lower;

ALTER TABLE coupons ADD CONSTRAINT uq_coupons_code UNIQUE (code);

UPDATE alembic_version SET version_num='3e0be273d43c' WHERE alembic_version.version_num = '8c1a8519ba8d';

-- Running downgrade 3e0be273d43c -> 67a54e5bef5b

ALTER TABLE products ALTER COLUMN stock DROP NOT NULL;

ALTER TABLE products ALTER COLUMN stock DROP DEFAULT;

UPDATE alembic_version SET version_num='67a54e5bef5b' WHERE alembic_version.version_num = '3e0be273d43c';

-- Running downgrade 67a54e5bef5b -> de42e636f7ba

ALTER TABLE products DROP CONSTRAINT ck_products_price_nonnegative;

ALTER TABLE products RENAME COLUMN price TO price_cents;

ALTER TABLE products ALTER COLUMN price_cents TYPE INTEGER USING CAST(ROUND(price_cents * 100) AS INTEGER);

UPDATE alembic_version SET version_num='de42e636f7ba' WHERE alembic_version.version_num = '67a54e5bef5b';

-- Running downgrade de42e636f7ba -> f580e695d063

ALTER TABLE users ALTER COLUMN full_name DROP NOT NULL;

DELETE FROM users WHERE email = 'ops@shop.example';

UPDATE alembic_version SET version_num='f580e695d063' WHERE alembic_version.version_num = 'de42e636f7ba';

-- Running downgrade f580e695d063 -> 8948089e03c2

ALTER TABLE users DROP COLUMN avatar;

ALTER TABLE users DROP COLUMN IF EXISTS phone;

UPDATE alembic_version SET version_num='8948089e03c2' WHERE alembic_version.version_num = 'f580e695d063';

-- Running downgrade 8948089e03c2 -> 9ce3a838e1c5, 94bcaf00f3f6

UPDATE alembic_version SET version_num='9ce3a838e1c5' WHERE alembic_version.version_num = '8948089e03c2';

-- Running downgrade 9ce3a838e1c5 -> 2c3c0254a1b7

ALTER TABLE orders DROP COLUMN shipping_address_id;

ALTER TABLE coupons DROP COLUMN free_shipping;

UPDATE alembic_version SET version_num='2c3c0254a1b7' WHERE alembic_version.version_num = '9ce3a838e1c5';

INSERT INTO alembic_version (version_num) VALUES ('94bcaf00f3f6');

-- Running downgrade 94bcaf00f3f6 -> 1be851fd1be8

DROP INDEX uq_addresses_default;

DROP INDEX ix_addresses_user;

DROP TABLE addresses;

DELETE FROM alembic_version WHERE alembic_version.version_num = '94bcaf00f3f6';

-- Running downgrade 2c3c0254a1b7 -> 1be851fd1be8

ALTER TABLE orders DROP COLUMN coupon_id;

DROP TABLE coupons;

UPDATE alembic_version SET version_num='1be851fd1be8' WHERE alembic_version.version_num = '2c3c0254a1b7';

-- Running downgrade 1be851fd1be8 -> 6dcf6d32e4d2

COMMIT;

DROP INDEX CONCURRENTLY ix_orders_open;

BEGIN;

UPDATE alembic_version SET version_num='6dcf6d32e4d2' WHERE alembic_version.version_num = '1be851fd1be8';

-- Running downgrade 6dcf6d32e4d2 -> 0d80809d41fc

ALTER TABLE orders DROP CONSTRAINT fk_orders_status;

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

