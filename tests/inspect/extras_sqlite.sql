-- SQLite as people write it by hand, for inspect.extras_sqlite: quoted
-- and mixed-case names, comments inside the DDL, named column
-- constraints, a REFERENCES without columns, expression defaults,
-- expression and descending indexes, a view with nested parentheses and
-- a trigger.
CREATE TABLE "Customer Accounts" (
    "Id" INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CONSTRAINT ck_name_len CHECK (length(name) > (1 + 0)), -- named, on its column
    email VARCHAR(120) CONSTRAINT uq_email UNIQUE,
    /* a comment, with ( parentheses ) and, commas */
    joined DATETIME DEFAULT (datetime('now')),
    flags INTEGER NOT NULL DEFAULT 0 CHECK (flags IN (0, 1, 2)),
    price NUMERIC(8,2) DEFAULT 1.5,
    "select" TEXT DEFAULT 'it''s',
    CONSTRAINT ck_price CHECK (price >= 0 AND (price < 1000000))
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES "Customer Accounts" ON DELETE CASCADE,
    note TEXT,
    total REAL NOT NULL DEFAULT 0.0,
    FOREIGN KEY (note) REFERENCES "Customer Accounts" (name) ON UPDATE SET DEFAULT
);
CREATE INDEX ix_orders_lower_note ON orders (lower(note), total DESC);
CREATE UNIQUE INDEX "Ix Mixed" ON "Customer Accounts" ("select") WHERE (flags > 0);
CREATE VIEW big_orders AS SELECT o.id, (o.total * (1 + 0)) AS t FROM orders o WHERE o.total > 100;
CREATE TRIGGER tr_orders_note AFTER INSERT ON orders BEGIN UPDATE orders SET note = 'new' WHERE id = new.id AND note IS NULL; END;
