#!/bin/sh
# renamed.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Constraints, keys and expressions after table and column renames
# (renamed/).  PostgreSQL keeps an unnamed constraint's default name
# through renames, so r3 finds each of users' constraints by its old name
# on accounts; SQLite derives the names from the table's text as it is
# now, and must take the same branches.  Every foreign key to a renamed
# table or column, and every CHECK and index expression reading a renamed
# column, follows the rename, so the SQLite rebuilds of r3 write valid
# tables.  Online and offline, upgrade and derived downgrade, `check`.
# Without PG_DIR: SQLite; with it (the pg fixture's directory): PostgreSQL.
set -u
migrate=$1
work=$2
pgdir=${3:-}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work"
mkdir -p "$work"

# shape URL TABLE: "fk=N unique=N check=N" of TABLE's constraints.
# refs URL: where orders' foreign key points ("table.column").
# rows URL: an account and an order that references it can be inserted
# with foreign keys enforced (prints "ok").
if [ -z "$pgdir" ]; then
    dialect=sqlite
    mkurl() { echo "sqlite:///$work/$1.db"; }
    q() { sqlite3 -batch -noheader "${1#sqlite:///}" "$2"; }
    shape() {
        q "$1" "SELECT 'fk=' || (SELECT count(*) FROM pragma_foreign_key_list('$2')) ||
                       ' unique=' || (SELECT count(*) FROM pragma_index_list('$2') WHERE origin = 'u') ||
                       ' check=' || (SELECT count(*) FROM sqlite_master WHERE name = '$2' AND sql LIKE '%CHECK%')"
    }
    refs() { q "$1" "SELECT \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('orders')"; }
    rows() {
        sqlite3 -bail "${1#sqlite:///}" "PRAGMA foreign_keys=ON;
            INSERT INTO accounts (account_id, amount) VALUES (7, 1);
            INSERT INTO orders (id, user_id) VALUES (1, 7);
            DELETE FROM orders; DELETE FROM accounts; SELECT 'ok'"
    }
    load() { sqlite3 -bail "${1#sqlite:///}"; }
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS renamed_$1" \
             -c "CREATE DATABASE renamed_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///renamed_$1?|"
    }
    q() { psql "$1" -qAt -c "$2"; }
    shape() {
        q "$1" "SELECT 'fk=' || count(*) FILTER (WHERE contype = 'f') ||
                       ' unique=' || count(*) FILTER (WHERE contype = 'u') ||
                       ' check=' || count(*) FILTER (WHERE contype = 'c')
                FROM pg_constraint WHERE conrelid = '$2'::regclass"
    }
    refs() {
        q "$1" "SELECT c.confrelid::regclass || '.' || a.attname FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = c.confkey[1]
                WHERE c.conrelid = 'orders'::regclass AND c.contype = 'f'"
    }
    rows() {
        q "$1" "BEGIN; INSERT INTO accounts (account_id, amount) VALUES (7, 1);
                INSERT INTO orders (id, user_id) VALUES (1, 7); ROLLBACK; SELECT 'ok'"
    }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
fi

verify_head() { # HOW URL
    expect "$dialect $1 head: users' old constraints gone" "fk=0 unique=0 check=0" "$(shape "$2" accounts)"
    expect "$dialect $1 head: orders' key follows both renames" "accounts.account_id" "$(refs "$2")"
    expect "$dialect $1 head: the key works" "ok" "$(rows "$2" 2>&1)"
    "$migrate" --url "$2" check || fail "$dialect $1 check at head"
}
verify_r2() { # HOW URL
    expect "$dialect $1 r2: every constraint still there" "fk=1 unique=1 check=1" "$(shape "$2" accounts)"
    expect "$dialect $1 r2: orders' key" "accounts.account_id" "$(refs "$2")"
}

# Online.
u=$(mkurl online)
"$migrate" --url "$u" upgrade r2 || fail "online upgrade r2"
verify_r2 online "$u"
"$migrate" --url "$u" upgrade head || fail "online upgrade head"
verify_head online "$u"
"$migrate" --url "$u" downgrade r2 || fail "online downgrade r2"
verify_r2 "online down" "$u"
"$migrate" --url "$u" upgrade head || fail "online upgrade head again"
verify_head "online again" "$u"

# Offline.
u=$(mkurl offline)
"$migrate" upgrade --sql --dialect $dialect r2 >"$work/r2.sql" || fail "upgrade --sql r2"
"$migrate" upgrade --sql --dialect $dialect r2:r3 >"$work/up.sql" || fail "upgrade --sql r2:r3"
"$migrate" downgrade --sql --dialect $dialect r3:r2 >"$work/down.sql" || fail "downgrade --sql"
load "$u" <"$work/r2.sql" || fail "offline r2 script"
verify_r2 offline "$u"
load "$u" <"$work/up.sql" || fail "offline r3 script"
verify_head offline "$u"
load "$u" <"$work/down.sql" || fail "offline downgrade script"
verify_r2 "offline down" "$u"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
