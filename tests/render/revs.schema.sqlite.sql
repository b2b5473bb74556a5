CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mail VARCHAR(255) NOT NULL UNIQUE,
    "Full Name" TEXT,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    age BIGINT DEFAULT 18,
    nick VARCHAR(40) DEFAULT 'anon',
    seen_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    legacy INTEGER,
    CONSTRAINT uq_users_nick UNIQUE (mail, nick),
    CONSTRAINT ck_users_age CHECK (age >= 0)
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    total FLOAT,
    meta JSON,
    doc JSON,
    span VARCHAR(32),
    code TEXT,
    token CHAR(32),
    data BLOB,
    placed DATETIME,
    CONSTRAINT ck_order_total CHECK (total >= 0)
);
CREATE TABLE tags (
    name TEXT NOT NULL,
    user_id BIGINT,
    CONSTRAINT pk_tags PRIMARY KEY (name),
    CONSTRAINT fk_tags_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_order_user ON orders (user_id DESC, (lower(meta))) WHERE total > 0;
