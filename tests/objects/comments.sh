#!/bin/sh
# comments.sh MIGRATOR WORK_DIR [PG_DIR]
#
# Comments (tests/objects/comments): upgrade, `check`, the derived
# downgrades (which restore the previous comments, and a dropped
# column's), `check` again, online and offline.  PostgreSQL holds the
# comments (COMMENT ON) and `check` compares them, so a comment changed
# behind the history's back is reported; SQLite has nowhere to keep them
# (the schema model does) and its scripts write nothing for them.
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

if [ -z "$pgdir" ]; then
    dialect=sqlite
    mkurl() { echo "sqlite:///$work/$1.db"; }
    q() { sqlite3 -batch -noheader "${1#sqlite:///}" "$2"; }
    comments() { echo "-"; }
    load() { sqlite3 -bail "${1#sqlite:///}"; }
else
    dialect=postgresql
    base=$(cat "$pgdir/url")
    mkurl() {
        psql "$base" -qAt -c "DROP DATABASE IF EXISTS comments_$1" \
             -c "CREATE DATABASE comments_$1" >/dev/null || fail "createdb $1"
        printf '%s' "$base" | sed "s|:///postgres?|:///comments_$1?|"
    }
    q() { psql "$1" -qAt -c "$2"; }
    comments() {
        q "$1" "SELECT coalesce(obj_description('docs'::regclass, 'pg_class'), '-') || ' / ' ||
                string_agg(attname || '=' || coalesce(col_description(attrelid, attnum), '-'),
                           ' ' ORDER BY attnum)
                FROM pg_attribute WHERE attrelid = 'docs'::regclass AND attnum > 0
                AND NOT attisdropped"
    }
    load() { psql "$1" -q -v ON_ERROR_STOP=1 >/dev/null; }
fi
# want REV: the comments a PostgreSQL database has at REV.
want() {
    [ $dialect = sqlite ] && { echo "-"; return; }
    case $1 in
    c1) echo "- / id=- title=- body=-" ;;
    c2) echo "Documents / id=- title=The title, it's short body=-" ;;
    c3) echo "- / id=- title=Title body=Body text" ;;
    c4) echo "- / id=- title=Title" ;;
    esac
}
matches() { # URL WHAT
    case "$("$migrate" --url "$1" check 2>&1)" in
    *"the schema matches the history"*) echo "ok: $2" ;;
    *) fail "$2: check found differences" ;;
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
    move upgrade c1
    for r in c2 c3 c4; do
        move upgrade "${prev:-c1}:$r"
        prev=$r
        expect "$dialect $mode comments at $r" "$(want $r)" "$(comments "$u")"
        matches "$u" "$dialect $mode check at $r"
    done
    for r in c3 c2 c1; do
        move downgrade "$prev:$r"
        prev=$r
        expect "$dialect $mode comments back at $r" "$(want $r)" "$(comments "$u")"
        matches "$u" "$dialect $mode check back at $r"
    done
    unset prev
done

# Drift: a comment changed behind the history's back.
if [ $dialect = postgresql ]; then
    u=$(mkurl drift)
    "$migrate" --url "$u" upgrade c2 || fail "drift upgrade"
    q "$u" "COMMENT ON COLUMN docs.title IS 'edited'" >/dev/null
    out=$("$migrate" --url "$u" check 2>&1)
    case "$out" in
    *"changed comment on column docs.title: expected 'The title, it''s short', found 'edited'"*)
        echo "ok: drift named" ;;
    *) fail "drift: check said [$out]" ;;
    esac
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
