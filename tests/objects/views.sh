#!/bin/sh
# views.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Views and triggers as schema objects (tests/objects/views): upgrade,
# `check`, the derived downgrades, `check` again, online and offline.  On
# SQLite the rebuild of items in v3 keeps its trigger (it still fires) and
# the views that read it.  `check` notices a view or trigger dropped
# behind the history's back.  Without PG_DIR: SQLite; with it (the pg
# fixture's directory): PostgreSQL.
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
    q() { sqlite3 -batch -noheader "${1#sqlite:///}" "$2"; }
    objects() {
        q "$1" "SELECT group_concat(name, ' ') FROM (SELECT type || ':' || name AS name
                FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY 1)"
    }
    load() { sqlite3 -bail "${1#sqlite:///}"; }
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS objects_$1" \
             -c "CREATE DATABASE objects_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///objects_$1?|"
    }
    q() { psql "$1" -qAt -c "$2"; }
    objects() {
        q "$1" "SELECT string_agg(x, ' ' ORDER BY x) FROM (
                SELECT 'trigger:' || tgname AS x FROM pg_trigger WHERE NOT tgisinternal
                UNION ALL SELECT 'view:' || viewname FROM pg_views
                WHERE schemaname = 'public') s"
    }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
fi
# `check` away from head fails for that alone; the schema must still match.
matches() { # URL WHAT
    case "$("$migrate" --url "$1" check 2>&1)" in
    *"the schema matches the history"*) echo "ok: $2" ;;
    *) fail "$2: check found differences" ;;
    esac
}
at_v2='trigger:tr_items_qty view:v_items view:v_stocked'
at_v3='trigger:tr_items_gone trigger:tr_items_qty view:v_items'

# The objects work: the trigger fires, the views read their tables.
works() { # URL WHAT
    q "$1" "DELETE FROM audit" >/dev/null
    q "$1" "INSERT INTO owners (id, name) VALUES (1, 'ann')" >/dev/null
    q "$1" "INSERT INTO items (id, name, qty, owner_id) VALUES (1, 'pen', 0, 1)" >/dev/null
    q "$1" "UPDATE items SET qty = 5 WHERE id = 1" >/dev/null
    expect "$dialect $2: the trigger fired" "1|qty" "$(q "$1" "SELECT item_id, what FROM audit")"
    expect "$dialect $2: the view reads items" "pen|5|ann" \
        "$(q "$1" "SELECT name, qty, owner FROM v_items")"
    q "$1" "DELETE FROM items" >/dev/null
    q "$1" "DELETE FROM owners" >/dev/null
}

for mode in online offline; do
    u=$(mkurl $mode)
    if [ $mode = online ]; then
        up() { "$migrate" --url "$u" upgrade "${1#*:}" || fail "upgrade $1"; }
        down() { "$migrate" --url "$u" downgrade "${1#*:}" || fail "downgrade $1"; }
    else
        # The offline scripts, run by the database's own client; `check`
        # then compares what they left with the history.
        up() {
            "$migrate" upgrade --sql --dialect $dialect "$1" >"$work/up.sql" &&
                load "$u" <"$work/up.sql" || fail "offline upgrade $1"
        }
        down() {
            "$migrate" downgrade --sql --dialect $dialect "$1" >"$work/down.sql" &&
                load "$u" <"$work/down.sql" || fail "offline downgrade $1"
        }
    fi
    up v2
    expect "$dialect $mode v2 objects" "$at_v2" "$(objects "$u")"
    matches "$u" "$dialect $mode check at v2"
    up v2:v3
    expect "$dialect $mode v3 objects (kept by the rebuild)" "$at_v3" "$(objects "$u")"
    works "$u" "$mode v3"
    "$migrate" --url "$u" check || fail "$dialect $mode check at v3"
    down v3:v2
    expect "$dialect $mode derived downgrade to v2" "$at_v2" "$(objects "$u")"
    matches "$u" "$dialect $mode check back at v2"
    down v2:v1
    expect "$dialect $mode derived downgrade to v1" "" "$(objects "$u")"
    matches "$u" "$dialect $mode check back at v1"
done

# Drift: a trigger and a view dropped behind the history's back.
u=$(mkurl drift)
"$migrate" --url "$u" upgrade head || fail "drift upgrade"
q "$u" "DROP VIEW v_items" >/dev/null
if [ $dialect = sqlite ]; then
    q "$u" "DROP TRIGGER tr_items_gone" >/dev/null
else
    q "$u" "DROP TRIGGER tr_items_gone ON items" >/dev/null
fi
out=$("$migrate" --url "$u" check 2>&1)
rc=$?
expect "$dialect drift: check fails" 1 "$rc"
case "$out" in
*"missing view v_items"*"missing trigger tr_items_gone on items"* |\
*"missing trigger tr_items_gone on items"*"missing view v_items"*)
    echo "ok: $dialect drift: both named" ;;
*) fail "$dialect drift: check said [$out]" ;;
esac

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
