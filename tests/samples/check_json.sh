#!/bin/sh
# check_json.sh MIGRATOR WORK_DIR [PG_DIR]
#
# `check --json` (docs/migrator.md): the same verdict as `check`, as one
# JSON document.  The oracle is the text form: the exit status is the
# same, and "differences" holds exactly the lines `check` prints between
# its first line and "the schema matches the history".  Checked at head
# (matches), after an index is dropped behind the history's back (one
# difference) and one revision down (not at head).
set -u
migrate=$1
work=$2
pgdir=${3:-}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work" && mkdir -p "$work" || exit 1
if [ -z "$pgdir" ]; then
    u="sqlite:///$work/c.db"
    sql() { sqlite3 "$work/c.db" "$1"; }
else
    base=$(cat "$pgdir/url")
    psql "$base" -qAt -c "DROP DATABASE IF EXISTS check_json" \
         -c "CREATE DATABASE check_json" >/dev/null || fail "createdb"
    u=$(printf '%s' "$base" | sed "s|:///postgres?|:///check_json?|")
    sql() { psql "$u" -qAt -c "$1"; }
fi
# py EXPR: EXPR over the document in $work/out.json (as d).
py() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/out.json" "$1"; }
# compare WHAT: check and check --json agree.
compare() {
    "$migrate" --url "$u" check >"$work/out.txt" 2>/dev/null
    st=$?
    "$migrate" --url "$u" check --json >"$work/out.json" 2>/dev/null
    sj=$?
    expect "$1: same exit status" "$st" "$sj"
    want=$(sed -e '1d' -e '/^head:/d' -e '/^the schema matches the history$/d' \
               -e '/^not verified:/d' "$work/out.txt")
    expect "$1: same differences" "$want" "$(py '"\n".join(d["differences"])')"
    expect "$1: matches" "$( [ -z "$want" ] && echo True || echo False)" "$(py 'd["matches"]')"
}
"$migrate" --url "$u" upgrade head 2>/dev/null || fail "upgrade head"
compare "at head"
expect "at head: at_head" "True" "$(py 'd["at_head"]')"
expect "at head: heads" "358af917e1b3" "$(py '" ".join(r["revision"] for r in d["heads"])')"
sql "DROP INDEX ix_users_created_at" >/dev/null || fail "drop index"
compare "drifted"
expect "drifted: one difference" "1" "$(py 'len(d["differences"])')"
"$migrate" --url "$u" downgrade -1 2>/dev/null || fail "downgrade -1"
compare "one down"
expect "one down: at_head" "False" "$(py 'd["at_head"]')"
expect "one down: current" "9973381d521c" "$(py '" ".join(r["revision"] for r in d["current"])')"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
