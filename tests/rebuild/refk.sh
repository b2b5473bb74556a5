#!/bin/sh
# refk.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Replacing an unnamed foreign key (dropped by the name PostgreSQL gives
# it) with a named one leaves exactly one foreign key on the column, the
# new one, on SQLite (where the rebuild writes the table from the
# compiler's model) and on PostgreSQL, online and offline; the derived
# downgrade brings back exactly the old one; `check` agrees.  The same
# replacement guarded by `if [not] constraint_exists <default name>` (r3,
# on members) takes the same branches online on SQLite as on PostgreSQL
# and offline: the unnamed key is found under its default name.  Without
# PG_DIR: SQLite; with it (the pg fixture's directory): PostgreSQL.
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

# fks URL [TABLE]: "column>table:on_delete[:name]" per foreign key of
# TABLE (users), sorted.
if [ -z "$pgdir" ]; then
    dialect=sqlite
    mkurl() { echo "sqlite:///$work/$1.db"; }
    fks() {
        sqlite3 -batch -noheader "${1#sqlite:///}" \
            "SELECT group_concat(x, ' ') FROM (SELECT \"from\" || '>' || \"table\" || ':' ||
                    on_delete AS x FROM pragma_foreign_key_list('${2:-users}') ORDER BY 1)"
    }
    load() { sqlite3 -bail "${1#sqlite:///}"; }
    after_up='org_id>orgs:CASCADE team_id>teams:CASCADE'
    after_down='org_id>orgs:NO ACTION team_id>teams:NO ACTION'
    m_up='org_id>orgs:NO ACTION'
    m_down=$after_down
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS rebuild_$1" \
             -c "CREATE DATABASE rebuild_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///rebuild_$1?|"
    }
    fks() {
        psql "$1" -qAt -c "SELECT string_agg(x, ' ' ORDER BY x) FROM (
            SELECT a.attname || '>' || c.confrelid::regclass || ':' ||
                   CASE c.confdeltype WHEN 'c' THEN 'CASCADE' ELSE 'NO ACTION' END ||
                   ':' || c.conname AS x
            FROM pg_constraint c JOIN pg_attribute a
                 ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid = '${2:-users}'::regclass AND c.contype = 'f') s"
    }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
    after_up='org_id>orgs:CASCADE:fk_users_org team_id>teams:CASCADE:fk_users_team'
    after_down='org_id>orgs:NO ACTION:users_org_id_fkey team_id>teams:NO ACTION:users_team_id_fkey'
    m_up='org_id>orgs:NO ACTION:members_org_id_fkey'
    m_down='org_id>orgs:NO ACTION:members_org_id_fkey team_id>teams:NO ACTION:members_team_id_fkey'
fi

# Online.
u=$(mkurl online)
"$migrate" --url "$u" upgrade r1 || fail "online upgrade r1"
expect "$dialect online r1" "$after_down" "$(fks "$u")"
"$migrate" --url "$u" upgrade head || fail "online upgrade head"
expect "$dialect online head: one key per column, the new one" "$after_up" "$(fks "$u")"
expect "$dialect online r3: team_id key dropped, no second org_id key" "$m_up" "$(fks "$u" members)"
"$migrate" --url "$u" check || fail "$dialect online check at r3"
"$migrate" --url "$u" downgrade r1 || fail "online downgrade r1"
expect "$dialect online back at r1: the old keys only" "$after_down" "$(fks "$u")"
expect "$dialect online back at r1: members' keys back" "$m_down" "$(fks "$u" members)"

# Offline.
u=$(mkurl offline)
"$migrate" upgrade --sql --dialect $dialect r1 >"$work/r1.sql" || fail "upgrade --sql r1"
"$migrate" upgrade --sql --dialect $dialect r1:r3 >"$work/up.sql" || fail "upgrade --sql r1:r3"
"$migrate" downgrade --sql --dialect $dialect r3:r1 >"$work/down.sql" || fail "downgrade --sql"
load "$u" <"$work/r1.sql" || fail "offline r1 script"
load "$u" <"$work/up.sql" || fail "offline r3 script"
expect "$dialect offline head: one key per column, the new one" "$after_up" "$(fks "$u")"
expect "$dialect offline r3: team_id key dropped, no second org_id key" "$m_up" "$(fks "$u" members)"
"$migrate" --url "$u" check || fail "$dialect offline check at r3"
load "$u" <"$work/down.sql" || fail "offline downgrade script"
expect "$dialect offline back at r1: the old keys only" "$after_down" "$(fks "$u")"
expect "$dialect offline back at r1: members' keys back" "$m_down" "$(fks "$u" members)"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
