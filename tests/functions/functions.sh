#!/bin/sh
# functions.sh MIGRATOR WORK_DIR PG_DIR
#
# PostgreSQL functions (tests/functions/history): create_function, the
# trigger that runs it, replace_function, drop_function; the derived
# downgrades put back the body the function had (f2 -> f1 the one that
# does not trim, f3 -> f2 the one that does), online and offline.  What a
# function does is seen through the trigger: an insert of ' x ' keeps or
# trims the name, and stamps updated_at or not.
set -u
migrate=$1
work=$2
pgdir=$3
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work"
mkdir -p "$work"
base=$(cat "$pgdir/url")
mkurl() {
    psql "$base" -qAt -c "DROP DATABASE IF EXISTS functions_$1" \
         -c "CREATE DATABASE functions_$1" >/dev/null || fail "createdb $1"
    printf '%s' "$base" | sed "s|:///postgres?|:///functions_$1?|"
}
q() { psql "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"; }
# probe URL ID: insert ' n ' and say what the trigger made of it.
probe() {
    q "$1" "INSERT INTO accounts (id, name) VALUES ($2, ' n ');
            SELECT '[' || name || ']' || CASE WHEN updated_at IS NULL THEN '-' ELSE '+' END
            FROM accounts WHERE id = $2" | tail -n 1
}
functions() { q "$1" "SELECT count(*) FROM pg_proc WHERE proname = 'touch_updated_at'"; }

for mode in online offline; do
    u=$(mkurl $mode)
    if [ $mode = online ]; then
        move() { "$migrate" --url "$u" "$1" "${2#*:}" || fail "$1 $2"; }
    else
        move() {
            "$migrate" "$1" --sql --dialect postgresql "$2" >"$work/step.sql" &&
                psql "$u" -q -v ON_ERROR_STOP=1 -f "$work/step.sql" >/dev/null ||
                fail "offline $1 $2"
        }
    fi
    move upgrade f1
    expect "$mode f1 stamps, keeps the name" "[ n ]+" "$(probe "$u" 1)"
    move upgrade f1:f2
    expect "$mode f2 stamps and trims" "[n]+" "$(probe "$u" 2)"
    move upgrade f2:f3
    expect "$mode f3: no function" "0" "$(functions "$u")"
    expect "$mode f3: no trigger" "[ n ]-" "$(probe "$u" 3)"
    move downgrade f3:f2
    expect "$mode back at f2: the trimming body" "[n]+" "$(probe "$u" 4)"
    move downgrade f2:f1
    expect "$mode back at f1: the first body" "[ n ]+" "$(probe "$u" 5)"
    move downgrade f1:base
    expect "$mode back at base: no function" "0" "$(functions "$u")"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
