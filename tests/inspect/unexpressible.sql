-- What a model file cannot hold, for inspect.unexpressible.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE ticket_seq START 100;
CREATE TABLE items (
    id integer PRIMARY KEY,
    ref integer GENERATED ALWAYS AS IDENTITY,
    qty integer NOT NULL,
    price numeric(10, 2) NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price) STORED,
    label text,
    updated_at timestamptz
);
CREATE INDEX ix_items_cover ON items (qty) INCLUDE (label);
-- A deferrable unique key: expressible (`unique (code) deferrable initially deferred`).
CREATE TABLE parents (id integer PRIMARY KEY, code text UNIQUE DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    room integer NOT NULL,
    during tsrange NOT NULL,
    CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)
);
CREATE FUNCTION touch_updated() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch_updated();
CREATE MATERIALIZED VIEW item_totals AS SELECT sum(total) AS total FROM items;
