#!/bin/sh
# enums.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Enums (tests/objects/enums): labels added (placed), renamed (the rows
# and the default follow), dropped; a second enum; a column changed to an
# enum and back.  Upgrade step by step with `check` after each, then the
# derived downgrades step by step with `check` after each, online and
# offline.  PostgreSQL: a native enum (CREATE TYPE ... AS ENUM); SQLite:
# a VARCHAR with a CHECK of the labels, the tables rebuilt when they
# change.  A value outside the labels is refused on both.  Without PG_DIR:
# SQLite; with it (the pg fixture's directory): PostgreSQL.
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
    # The labels a column accepts: its CHECK.
    labels() {
        q "$1" "SELECT sql FROM sqlite_master WHERE name = 'people'" |
            tr '\n' ' ' | sed -n "s/.*feeling VARCHAR([0-9]*)[^,]*CHECK (feeling IN (\([^)]*\))).*/\1/p" |
            tr -d "' "
    }
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS enums_$1" \
             -c "CREATE DATABASE enums_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///enums_$1?|"
    }
    q() { psql "$1" -qAt -c "$2" 2>&1; }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
    labels() {
        q "$1" "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum
                WHERE enumtypid = 'mood'::regtype"
    }
fi
want_labels() {
    case $1 in
    e1) echo "sad,ok" ;;
    e2) echo "sad,meh,ok,happy" ;;
    e3|e4) echo "blue,meh,fine,happy" ;;
    e5) echo "blue,fine,happy" ;;
    esac
}
want_rows() {
    case $1 in
    e1|e2) echo "ann|sad bob|ok" ;;
    *) echo "ann|blue bob|fine" ;;
    esac
}
rows() { q "$1" "SELECT name || '|' || feeling FROM people ORDER BY id" | tr '\n' ' ' | sed 's/ $//'; }
matches() { # URL WHAT
    case "$("$migrate" --url "$1" check 2>&1)" in
    *"the schema matches the history"*) echo "ok: $2" ;;
    *) fail "$2: check found differences: $("$migrate" --url "$1" check 2>&1)" ;;
    esac
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
    move upgrade e1
    q "$u" "INSERT INTO people (id, name, feeling) VALUES (1, 'ann', 'sad')" >/dev/null
    q "$u" "INSERT INTO people (id, name) VALUES (2, 'bob')" >/dev/null
    if q "$u" "INSERT INTO people (id, name, feeling) VALUES (3, 'cy', 'angry')" >/dev/null; then
        fail "$dialect $mode: 'angry' was accepted"
    else
        echo "ok: $dialect $mode: a value outside the labels is refused"
    fi
    prev=e1
    for r in e2 e3 e4 e5; do
        move upgrade "$prev:$r"
        prev=$r
        expect "$dialect $mode labels at $r" "$(want_labels $r)" "$(labels "$u")"
        expect "$dialect $mode rows at $r" "$(want_rows $r)" "$(rows "$u")"
        matches "$u" "$dialect $mode check at $r"
    done
    for r in e4 e3 e2 e1; do
        move downgrade "$prev:$r"
        prev=$r
        expect "$dialect $mode labels back at $r" "$(want_labels $r)" "$(labels "$u")"
        expect "$dialect $mode rows back at $r" "$(want_rows $r)" "$(rows "$u")"
        matches "$u" "$dialect $mode check back at $r"
    done
done

# Drift on PostgreSQL: a label added behind the history's back.
if [ $dialect = postgresql ]; then
    u=$(mkurl drift)
    "$migrate" --url "$u" upgrade e1 || fail "drift upgrade"
    q "$u" "ALTER TYPE mood ADD VALUE 'angry'" >/dev/null
    case "$("$migrate" --url "$u" check 2>&1)" in
    *"changed enum mood: expected 'sad', 'ok', found 'sad', 'ok', 'angry'"*)
        echo "ok: drift named" ;;
    *) fail "drift: check said [$("$migrate" --url "$u" check 2>&1)]" ;;
    esac
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
