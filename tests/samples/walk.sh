#!/bin/sh
# walk.sh DIALECT RETORT SHOP_MIGRATE SHOPDIR WORKDIR [PGDIR]
#
# The end-to-end walk of the sample history on one database, with the
# migrator built from it:
#
#   upgrade head, downgrade to the merge, to one side of the merge, to a
#   revision before the branches, to base, and upgrade head again; then the
#   conditions' other branches, on a database from the legacy platform.
#
# After every step the live schema (tables, columns with types, nullability
# and defaults, indexes, constraints, foreign keys) must equal the schema of
# a fresh database loaded from `retort schema --at REV`, introspected the
# same way; alembic_version must hold the rows Alembic would keep (checked
# against Alembic 1.8 with the same graph); the seed rows must be those the
# history implies; and a customer's order inserted at head must survive
# every downgrade (SQLite table rebuilds must not cascade).
#
# Then the offline scripts: `shop-migrate upgrade --sql head` run on an
# empty database gives the same result as the online upgrade, and the
# offline downgrade to the pre-branch revision gives that revision's state.
set -u
DIALECT=$1 RETORT=$2 MIGRATOR=$3 SHOP=$4 WORK=$5
TEST_NAME="walk.$DIALECT"
TEST_ID="walk_$DIALECT"
. "$(dirname "$0")/lib.sh"
[ "$DIALECT" = postgresql ] && pg_setup "${6:?PGDIR is needed for postgresql}"

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

HEAD=358af917e1b3          # checkout sets placed_at (last revision)
MERGE=8948089e03c2         # merge promotions and addresses
FREE_SHIPPING=9ce3a838e1c5 # promotions branch, depends_on addresses
ADDRESSES=94bcaf00f3f6     # the other side of the merge
STATUS_FK=6dcf6d32e4d2     # before the branches

STATUSES="status pending|Awaiting payment|open|10
status paid|Paid|open|20
status shipped|Shipped|open|30
status delivered|Delivered|final|40
status cancelled|Cancelled|final|50
status returned|Returned at customer's request|final|60"
OPS="user ops@shop.example|Shop operations"
ANN="user ann@example.com|Ann Example"

# A customer's order, written at head.
cat >"$WORK/order.sql" <<'SQL'
INSERT INTO categories (slug, name) VALUES ('tea', 'Tea');
INSERT INTO products (sku, name, category_id, price, stock, attributes)
    VALUES ('TEA-001', 'Sencha 100 g', (SELECT id FROM categories WHERE slug = 'tea'),
            12.50, 40, '{"origin": "JP"}');
INSERT INTO users (email, full_name) VALUES ('ann@example.com', 'Ann Example');
INSERT INTO coupons (code, percent_off) VALUES ('WELCOME10', 10);
INSERT INTO addresses (user_id, line1, city, postal_code, country, is_default)
    VALUES ((SELECT id FROM users WHERE email = 'ann@example.com'),
            '1 Main Street', 'Springfield', '12345', 'US', true);
INSERT INTO orders (public_id, user_id, status, placed_at, coupon_id, shipping_address_id)
    VALUES ('6f1c2b3a4d5e6f708192a3b4c5d6e7f8',
            (SELECT id FROM users WHERE email = 'ann@example.com'),
            'paid', '2024-07-02 10:00:00',
            (SELECT id FROM coupons WHERE code = 'WELCOME10'),
            (SELECT id FROM addresses WHERE postal_code = '12345'));
INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents)
    VALUES ((SELECT id FROM orders WHERE status = 'paid'),
            (SELECT id FROM products WHERE sku = 'TEA-001'), 2, 1250);
SQL
# The order as each revision shows it.
ORDER_AT_HEAD="SELECT u.email || '|' || o.status || '|' || p.sku || '|' || CAST(ROUND(p.price * 100) AS INTEGER)
    || '|' || l.quantity
    || '|' || CASE WHEN o.coupon_id IS NULL THEN 'no coupon' ELSE 'coupon' END
    || '|' || CASE WHEN o.shipping_address_id IS NULL THEN 'no address' ELSE 'address' END
  FROM orders o JOIN users u ON u.id = o.user_id
  JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id"
ORDER_AT_MERGE="SELECT u.email || '|' || o.status || '|' || p.sku || '|' || p.price_cents
    || '|' || l.quantity
    || '|' || CASE WHEN o.coupon_id IS NULL THEN 'no coupon' ELSE 'coupon' END
    || '|' || CASE WHEN o.shipping_address_id IS NULL THEN 'no address' ELSE 'address' END
  FROM orders o JOIN users u ON u.id = o.user_id
  JOIN order_items l ON l.order_id = o.id JOIN products p ON p.id = l.product_id"
ORDER_BEFORE_BRANCHES="SELECT u.email || '|' || o.status || '|' || p.sku || '|' || p.price_cents
    || '|' || l.quantity
  FROM orders o JOIN users u ON u.id = o.user_id
  JOIN order_items l ON l.order_id = o.id JOIN products p ON p.id = l.product_id"
ORDER_ROW="ann@example.com|paid|TEA-001|1250|2|coupon|address"
ORDER_ROW_BEFORE_BRANCHES="ann@example.com|paid|TEA-001|1250|2"

failures=0
fail() {
    echo "$TEST_NAME: FAIL: $*" >&2
    failures=$((failures + 1))
}

# expected_schema REV: the introspection of a fresh database loaded from
# `retort schema --at REV` (cached per revision).
expected_schema() {
    exp="$WORK/expected.$1.txt"
    if [ ! -f "$exp" ]; then
        if [ "$1" = base ]; then
            fresh=$(db_fresh fresh_base) || exit 1
            db_introspect "$fresh" >"$exp"
            db_drop "$fresh"
        else
            "$RETORT" schema "$SHOP" --at "$1" --dialect "$DIALECT" >"$WORK/schema.$1.sql" ||
                die "retort schema --at $1 --dialect $DIALECT failed"
            fresh=$(db_fresh "fresh_$1") || exit 1
            db_run "$fresh" "$WORK/schema.$1.sql" ||
                die "the output of retort schema --at $1 does not load"
            db_introspect "$fresh" >"$exp"
            db_drop "$fresh"
        fi
    fi
    printf '%s\n' "$exp"
}

# compare STEP DB REV VERSIONS SEEDS [QUERY ROWS]
compare() {
    step=$1 db=$2 rev=$3
    exp=$(expected_schema "$rev") || exit 1
    db_introspect "$db" >"$WORK/actual.txt"
    if ! diff -u "$exp" "$WORK/actual.txt" >"$WORK/diff.out"; then
        fail "$step: the schema differs from retort schema --at $rev (--- expected, +++ live):"
        cat "$WORK/diff.out" >&2
    fi
    printf '%s\n' $4 | grep . >"$WORK/expected.versions"
    db_versions "$db" >"$WORK/actual.versions"
    if ! diff -u "$WORK/expected.versions" "$WORK/actual.versions" >"$WORK/diff.out"; then
        fail "$step: alembic_version differs:"
        cat "$WORK/diff.out" >&2
    fi
    printf '%s' "$5" | grep . >"$WORK/expected.seeds"
    db_seed_rows "$db" >"$WORK/actual.seeds"
    if ! diff -u "$WORK/expected.seeds" "$WORK/actual.seeds" >"$WORK/diff.out"; then
        fail "$step: the seed rows differ:"
        cat "$WORK/diff.out" >&2
    fi
    if [ $# -ge 7 ]; then
        got=$(db_query "$db" "$6")
        [ "$got" = "$7" ] || fail "$step: the customer's order reads '$got', expected '$7'"
    fi
}

live=$(db_fresh live) || exit 1
url=$(db_url "$live")
migrate() {
    echo "+ shop-migrate $*"
    if ! "$MIGRATOR" --url "$url" "$@" >"$WORK/migrate.out" 2>&1; then
        cat "$WORK/migrate.out" >&2
        die "shop-migrate --url $url $* failed"
    fi
    cat "$WORK/migrate.out"
}

migrate upgrade head
compare "upgrade head" "$live" "$HEAD" "$HEAD" "$STATUSES
$OPS"
migrate check || fail "shop-migrate check fails at head"

db_run "$live" "$WORK/order.sql" || die "cannot insert the test order at head"
compare "order inserted" "$live" "$HEAD" "$HEAD" "$STATUSES
$ANN
$OPS" "$ORDER_AT_HEAD" "$ORDER_ROW"

migrate downgrade "$MERGE"
compare "downgrade $MERGE" "$live" "$MERGE" "$MERGE" "$STATUSES
$ANN" "$ORDER_AT_MERGE" "$ORDER_ROW"
if "$MIGRATOR" --url "$url" check >"$WORK/check.out" 2>&1; then
    fail "shop-migrate check passes below head"
fi

# Undoing the merge leaves its parents applied; FREE_SHIPPING depends on
# ADDRESSES, which it implies, so its row is the only one (as Alembic
# keeps it).
migrate downgrade "$FREE_SHIPPING"
compare "downgrade $FREE_SHIPPING" "$live" "$FREE_SHIPPING" "$FREE_SHIPPING" "$STATUSES
$ANN" "$ORDER_AT_MERGE" "$ORDER_ROW"

migrate downgrade "$STATUS_FK"
compare "downgrade $STATUS_FK" "$live" "$STATUS_FK" "$STATUS_FK" "$STATUSES
$ANN" "$ORDER_BEFORE_BRANCHES" "$ORDER_ROW_BEFORE_BRANCHES"

migrate downgrade base
compare "downgrade base" "$live" base "" ""

migrate upgrade head
compare "upgrade head again" "$live" "$HEAD" "$HEAD" "$STATUSES
$OPS"
migrate check || fail "shop-migrate check fails at head after the round trip"

# A database restored from the legacy platform: below the contact details
# revision, it carries legacy_customers and a users.phone added by hand.  The
# conditions, evaluated on the live database, import the customers instead
# of creating the operations account, and do not add phone a second time.
migrate downgrade "$MERGE"
cat >"$WORK/legacy.sql" <<'SQL'
ALTER TABLE users ADD COLUMN phone VARCHAR(32);
CREATE TABLE legacy_customers (email VARCHAR(255), name VARCHAR(120), signup_date TIMESTAMP);
INSERT INTO legacy_customers (email, name, signup_date)
    VALUES ('Bob@Example.com', 'Bob Legacy', '2019-05-01 12:00:00');
INSERT INTO legacy_customers (email, name, signup_date)
    VALUES ('nameless@example.com', NULL, '2019-06-01 08:30:00');
SQL
db_run "$live" "$WORK/legacy.sql" || die "cannot set up the legacy database"
migrate upgrade head
compare "upgrade head on a legacy database" "$live" "$HEAD" "$HEAD" "$STATUSES
user bob@example.com|Bob Legacy
user nameless@example.com|nameless@example.com"
[ "$(db_query "$live" "SELECT created_at FROM users WHERE email = 'bob@example.com'")" = "2019-05-01 12:00:00" ] ||
    fail "legacy database: bob@example.com lost his sign-up date"

# Offline: the script of the whole history on an empty database.
echo "+ shop-migrate upgrade --sql --dialect $DIALECT head"
"$MIGRATOR" upgrade --sql --dialect "$DIALECT" head >"$WORK/offline.up.sql" ||
    die "shop-migrate upgrade --sql --dialect $DIALECT head failed"
"$RETORT" sql "$SHOP" --dialect "$DIALECT" upgrade head >"$WORK/retort-sql.up.sql" ||
    die "retort sql --dialect $DIALECT upgrade head failed"
if ! diff -u "$WORK/retort-sql.up.sql" "$WORK/offline.up.sql" >"$WORK/diff.out"; then
    fail "retort sql upgrade head and shop-migrate upgrade --sql head differ:"
    cat "$WORK/diff.out" >&2
fi
offline=$(db_fresh offline) || exit 1
if db_run "$offline" "$WORK/offline.up.sql"; then
    compare "offline upgrade head" "$offline" "$HEAD" "$HEAD" "$STATUSES
$OPS"
    echo "+ shop-migrate downgrade --sql --dialect $DIALECT $HEAD:$STATUS_FK"
    "$MIGRATOR" downgrade --sql --dialect "$DIALECT" "$HEAD:$STATUS_FK" >"$WORK/offline.down.sql" ||
        die "shop-migrate downgrade --sql $HEAD:$STATUS_FK failed"
    if db_run "$offline" "$WORK/offline.down.sql"; then
        compare "offline downgrade to $STATUS_FK" "$offline" "$STATUS_FK" "$STATUS_FK" "$STATUSES"
    else
        fail "the offline downgrade script ($WORK/offline.down.sql) fails on $DIALECT"
    fi
else
    fail "the offline upgrade script ($WORK/offline.up.sql) fails on an empty $DIALECT database"
fi

if [ "$failures" -ne 0 ]; then
    echo "$TEST_NAME: $failures failure(s)" >&2
    exit 1
fi
db_drop "$live"
db_drop "$offline"
echo "$TEST_NAME: ok"
