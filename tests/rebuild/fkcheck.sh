#!/bin/sh
# fkcheck.sh MIGRATOR WORK_DIR
#
# A rebuild that leaves a foreign key violated fails online and offline
# (SPEC section 4): over an orphan row, `upgrade` exits 1 and the offline
# script, run by `sqlite3 -bail`, stops before COMMIT; both databases stay
# at f1 with their rows and without the key.  Without the orphan both
# succeed.
set -u
migrate=$1
work=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
q() { sqlite3 -batch -noheader -list "$1" "$2"; }
state() { # version, foreign keys of child, rows
    q "$1" "SELECT version_num FROM alembic_version;
            SELECT count(*) FROM pragma_foreign_key_list('child');
            SELECT group_concat(id || ':' || parent_id) FROM child"
}
rm -rf "$work"
mkdir -p "$work"
db=$work/online.db
odb=$work/offline.db

"$migrate" --url "sqlite:///$db" upgrade f1 || fail "upgrade f1"
q "$db" "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1), (2, 99)"
cp "$db" "$odb"
at_f1=$(printf 'f1\n0\n1:1,2:99')

out=$("$migrate" --url "sqlite:///$db" upgrade head 2>&1)
expect "online: refused" 1 "$?"
case $out in
*"leaves a foreign key violated"*|*"child|2|parent|0"*) echo "ok: online: says why" ;;
*) fail "online: message: $out" ;;
esac
expect "online: still at f1, rows kept, no key" "$at_f1" "$(state "$db")"

"$migrate" upgrade --sql --dialect sqlite f1:f2 >"$work/up.sql" || fail "upgrade --sql"
out=$(sqlite3 -bail "$odb" <"$work/up.sql" 2>&1)
status=$?
if [ "$status" -ne 0 ]; then echo "ok: offline: refused"; else fail "offline: script exited 0"; fi
case $out in
*"the rebuild of child leaves a foreign key violated"*) echo "ok: offline: says why" ;;
*) fail "offline: message: $out" ;;
esac
expect "offline: still at f1, rows kept, no key" "$at_f1" "$(state "$odb")"

# Without the orphan, both go through.
for d in "$db" "$odb"; do q "$d" "DELETE FROM child WHERE id = 2"; done
"$migrate" --url "sqlite:///$db" upgrade head || fail "online upgrade without orphan"
sqlite3 -bail "$odb" <"$work/up.sql" || fail "offline script without orphan"
for d in "$db" "$odb"; do
    expect "$(basename "$d"): at f2 with the key" "$(printf 'f2\n1\n1:1')" "$(state "$d")"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
