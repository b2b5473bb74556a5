CREATE TABLE p1 (id integer primary key, a integer unique, b integer check (b > 0), c integer references p1 (id), d integer, e integer, CHECK (d > e), CHECK (d > 1), UNIQUE (d, e), FOREIGN KEY (d) REFERENCES p1 (id), FOREIGN KEY (e) REFERENCES p1 (id) ON DELETE CASCADE)
CREATE TABLE p2 (id integer, x integer, y integer REFERENCES p2 (id), CONSTRAINT p2_x_fkey CHECK (x > 0), PRIMARY KEY (id), UNIQUE (id), UNIQUE (x), UNIQUE (x))
CREATE TABLE "Mixed Case" ("Some Col" integer primary key, "other" integer REFERENCES "Mixed Case" ("Some Col"), z integer CHECK (abs(z) > 0 AND z < 5))
CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_forever_x (a_very_long_column_name_that_also_goes_on_and_on_and_on_y integer unique, k integer, FOREIGN KEY (k, a_very_long_column_name_that_also_goes_on_and_on_and_on_y) REFERENCES a_very_long_table_name_that_goes_on_and_on_and_on_forever_x (a_very_long_column_name_that_also_goes_on_and_on_and_on_y, k), UNIQUE (k, a_very_long_column_name_that_also_goes_on_and_on_and_on_y))
CREATE TABLE p3 (a integer, b integer, c integer CONSTRAINT p3_b_check CHECK (c > 0), CHECK (b > 0), CHECK (a > 1), CHECK (a < 9), CHECK (a > b), CHECK (1 = 1), CHECK (1 = 1))
CREATE TABLE p4 ( -- a comment, (with a parenthesis
    id integer CONSTRAINT p4_pk PRIMARY KEY, /* another ) one */
    w varchar(20) DEFAULT 'a, (b' CHECK (w <> 'p4_w_key'),
    "t,x" integer DEFAULT 7 NOT NULL UNIQUE REFERENCES p4 (id) ON DELETE SET NULL,
    u integer CONSTRAINT u_named UNIQUE CHECK (u IN (1, 2)),
    FOREIGN KEY (u) REFERENCES p4 (id) DEFERRABLE INITIALLY DEFERRED)
