#!/bin/sh
# pgobj.sh MIGRATOR WORK_DIR [PG_DIR]
#
# PostgreSQL objects and renames (tests/objects/pgobj): p1 creates an
# extension, a schema and a sequence (inside `if dialect postgresql`),
# p2 renames an unnamed and a named constraint, an index and an enum
# type, p3 drops the objects.  Upgrade step by step with `check` after
# each, then the derived downgrades step by step with `check` after each,
# online and offline; what each step leaves is read from the catalog.
# On SQLite the renamed constraints are in the rebuilt table's text and
# the index is created again under its new name.  Without PG_DIR: SQLite;
# with it (the pg fixture's directory): PostgreSQL.
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

if [ -z "$pgdir" ]; then
    dialect=sqlite
    mkurl() { echo "sqlite:///$work/$1.db"; }
    q() { sqlite3 -batch -noheader "${1#sqlite:///}" "$2" 2>&1; }
    load() { sqlite3 -bail "${1#sqlite:///}"; }
    # The named constraints in the table's text, and the index names.
    names() {
        cons=$(q "$1" "SELECT sql FROM sqlite_master WHERE name = 'users'" | tr '\n' ' ' |
               grep -o 'CONSTRAINT [a-z_]*' | sed 's/CONSTRAINT //' | sort | tr '\n' ' ')
        idx=$(q "$1" "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users'
                      AND sql IS NOT NULL ORDER BY name" | tr '\n' ' ')
        echo "cons: ${cons}idx: $idx"
    }
    objects() { echo "none"; }
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS pgobj_$1" \
             -c "CREATE DATABASE pgobj_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///pgobj_$1?|"
    }
    q() { psql "$1" -qAt -c "$2" 2>&1; }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
    names() {
        cons=$(q "$1" "SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass
                       AND contype IN ('u', 'c') AND conname NOT LIKE 'users_age%'
                       ORDER BY conname" | tr '\n' ' ')
        idx=$(q "$1" "SELECT indexname FROM pg_indexes WHERE tablename = 'users'
                      AND indexname NOT IN ('users_pkey') AND indexname NOT LIKE '%email%'
                      ORDER BY indexname" | tr '\n' ' ')
        echo "cons: ${cons}idx: $idx"
    }
    # The extension, the schema, the sequence (with its start and
    # increment), the enum type's name.
    objects() {
        q "$1" "SELECT coalesce((SELECT 'ext ' || extname FROM pg_extension WHERE extname = 'citext'), '-')
                || ' ' || coalesce((SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'billing'), '-')
                || ' ' || coalesce((SELECT 'seq ' || sequencename || ' ' || start_value || '+' || increment_by
                                    FROM pg_sequences WHERE sequencename = 'invoice_no'), '-')
                || ' ' || (SELECT string_agg(typname, ',' ORDER BY typname) FROM pg_type
                           WHERE typname IN ('mood', 'feeling'))"
    }
fi
want_names() {
    case $dialect:$1 in
    sqlite:p1) echo "cons: ck_users_name idx: ix_users_age " ;;
    # Renamed back, the column's unique comes back as a table constraint
    # under PostgreSQL's name, which the table's text now carries.
    sqlite:p1back) echo "cons: ck_users_name users_email_key idx: ix_users_age " ;;
    sqlite:*) echo "cons: ck_name uq_users_email idx: ix_age " ;;
    postgresql:p1*) echo "cons: ck_users_name users_email_key idx: ix_users_age " ;;
    postgresql:*) echo "cons: ck_name uq_users_email idx: ix_age " ;;
    esac
}
want_objects() {
    case $dialect:$1 in
    sqlite:*) echo "none" ;;
    postgresql:p1*) echo "ext citext schema billing seq invoice_no 1000+5 mood" ;;
    postgresql:p2*) echo "ext citext schema billing seq invoice_no 1000+5 feeling" ;;
    postgresql:p3*) echo "- - - feeling" ;;
    esac
}
matches() { # URL WHAT
    case "$("$migrate" --url "$1" check 2>&1)" in
    *"the schema matches the history"*) echo "ok: $2" ;;
    *) fail "$2: check found differences: $("$migrate" --url "$1" check 2>&1)" ;;
    esac
}
at() { # URL REV MODE
    back=; case $3 in *back) back=back ;; esac
    expect "$dialect $3 names at $2" "$(want_names $2$back)" "$(names "$1")"
    expect "$dialect $3 objects at $2" "$(want_objects $2)" "$(objects "$1")"
    expect "$dialect $3 rows at $2" "a@x|ann|sad" \
        "$(q "$1" "SELECT u.email || '|' || u.name || '|' || p.feeling FROM users u, people p")"
    matches "$1" "$dialect $3 check at $2"
}

for mode in online offline; do
    u=$(mkurl $mode)
    if [ $mode = online ]; then
        move() { "$migrate" --url "$u" "$1" "${2#*:}" || fail "$1 $2"; }
    else
        move() {
            "$migrate" "$1" --sql --dialect $dialect "$2" >"$work/step.sql" &&
                load "$u" <"$work/step.sql" || fail "offline $1 $2"
        }
    fi
    move upgrade p1
    q "$u" "INSERT INTO users (id, email, name, age) VALUES (1, 'a@x', 'ann', 30)" >/dev/null
    q "$u" "INSERT INTO people (id, feeling) VALUES (1, 'sad')" >/dev/null
    at "$u" p1 $mode
    if [ $dialect = postgresql ]; then
        expect "$mode: the sequence starts at 1000 and steps by 5" "1000 1005" \
            "$(q "$u" "SELECT nextval('invoice_no')") $(q "$u" "SELECT nextval('invoice_no')")"
    fi
    move upgrade p1:p2
    at "$u" p2 $mode
    # The renamed constraints still hold.
    if q "$u" "INSERT INTO users (id, email, name, age) VALUES (2, 'a@x', 'bo', 3)" >/dev/null; then
        fail "$dialect $mode: a duplicate email was accepted after the rename"
    else
        echo "ok: $dialect $mode: the renamed unique constraint holds"
    fi
    if q "$u" "INSERT INTO users (id, email, name, age) VALUES (3, 'c@x', '', 3)" >/dev/null; then
        fail "$dialect $mode: an empty name was accepted after the rename"
    else
        echo "ok: $dialect $mode: the renamed check constraint holds"
    fi
    move upgrade p2:p3
    at "$u" p3 $mode
    move downgrade p3:p2
    at "$u" p2 "$mode back"
    move downgrade p2:p1
    at "$u" p1 "$mode back"
done

# Drift: a constraint renamed behind the history's back.
u=$(mkurl drift)
"$migrate" --url "$u" upgrade || fail "drift upgrade"
if [ $dialect = postgresql ]; then
    q "$u" "ALTER TABLE users RENAME CONSTRAINT ck_name TO ck_other" >/dev/null
else
    q "$u" "DROP INDEX ix_age; CREATE INDEX ix_other ON users (age)" >/dev/null
fi
if [ $dialect = postgresql ]; then
    want="changed name of check constraint on users (name <> ''): expected ck_name, found ck_other"
else
    want="missing index ix_age on users: (age)"
fi
if "$migrate" --url "$u" check >"$work/drift.out" 2>&1; then
    fail "drift: check found nothing"
elif grep -qF "$want" "$work/drift.out"; then
    echo "ok: drift named: $want"
else
    fail "drift: check said [$(cat "$work/drift.out")]"
fi

# Drift of the objects (PostgreSQL): the extension dropped, the sequence
# changed behind the history's back; a sequence the history never named
# is none of check's business.
if [ $dialect = postgresql ]; then
    u=$(mkurl objdrift)
    "$migrate" --url "$u" upgrade p2 || fail "objdrift upgrade"
    q "$u" "DROP EXTENSION citext; ALTER SEQUENCE invoice_no INCREMENT BY 7;
            CREATE SEQUENCE not_the_historys" >/dev/null
    "$migrate" --url "$u" check >"$work/objdrift.out" 2>&1
    for want in "missing extension citext" \
                "changed sequence invoice_no: expected START 1000 INCREMENT 5, found START 1000 INCREMENT 7"; do
        if grep -qF "$want" "$work/objdrift.out"; then
            echo "ok: object drift named: $want"
        else
            fail "object drift: no [$want] in [$(cat "$work/objdrift.out")]"
        fi
    done
    if grep -q not_the_historys "$work/objdrift.out"; then
        fail "object drift: a sequence the history never named was reported"
    else
        echo "ok: a sequence the history never named is not reported"
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
