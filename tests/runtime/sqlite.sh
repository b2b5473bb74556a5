#!/bin/sh
# sqlite.sh MIGRATOR WORKDIR: the runtime against real SQLite files.
H=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"

U=sqlite:///t.db
rows() { sqlite3 "${1:-t.db}" "SELECT group_concat(version_num, ',') FROM (SELECT version_num FROM alembic_version ORDER BY 1)"; }
tables() { sqlite3 "${1:-t.db}" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1)"; }

# --- upgrade, current, downgrade ---
run --url $U upgrade
expect_eq "upgrade head: status" 0 "$status"
expect_eq "upgrade head: rows" eee500 "$(rows)"
expect_eq "upgrade head: tables" "account,alembic_version,alembic_version_retort,cond_ok,idx_ok,side_t,users" "$(tables)"
expect_contains "progress: root" "Running upgrade  -> aaa100, initial schema" "$err"
expect_contains "progress: child" "Running upgrade aaa100 -> bbb200, add account" "$err"
expect_contains "progress: merge" "Running upgrade bbb200, aab300 -> ddd400, merge" "$err"
expect_eq "version table DDL" 'CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)' "$(sqlite3 t.db "SELECT sql FROM sqlite_master WHERE name='alembic_version'" | sed 's/IF NOT EXISTS //')"
run --url $U current
expect_eq "current" "eee500 (head)" "$out"
run --url $U upgrade
expect_eq "upgrade again: nothing, and says so" "Already at head, nothing to do" "$err"
run --url $U check
expect_eq "check at head" 0 "$status"

run --url $U downgrade -1
expect_eq "downgrade -1" ddd400 "$(rows)"
expect_contains "progress: downgrade" "Running downgrade eee500 -> ddd400, add index" "$err"
run --url $U downgrade -1
expect_eq "downgrade -1 out of a merge" "aab300,bbb200" "$(rows)"
run --url $U check
expect_eq "check not at head" 1 "$status"
expect_contains "check says what differs" "current: bbb200, aab300" "$out"
run --url $U downgrade base
expect_eq "downgrade base: rows" "" "$(rows)"
expect_eq "downgrade base: tables" "alembic_version,alembic_version_retort" "$(tables)"
expect_contains "progress: root downgrade" "Running downgrade aaa100 -> , initial schema" "$err"

# --- branches: an INSERT for a new branch, a merge deletes/updates ---
run --url $U upgrade aab
expect_eq "upgrade by prefix" aab300 "$(rows)"
run --url $U upgrade bbb200
expect_eq "new branch inserts" "aab300,bbb200" "$(rows)"
run --url $U upgrade +1
expect_eq "+1 with two heads: status" 1 "$status"
expect_contains "+1 with two heads" "ambiguous" "$err"
run --url $U upgrade ddd400
expect_eq "merge" ddd400 "$(rows)"
run --url $U upgrade +1
expect_eq "+1" eee500 "$(rows)"
run --url $U downgrade ddd400
expect_eq "downgrade to a revision" ddd400 "$(rows)"
run --url $U upgrade side@head
expect_eq "LABEL@head" eee500 "$(rows)"
expect_eq "IF: then branch ran" "" "$(sqlite3 t.db "SELECT name FROM sqlite_master WHERE name='cond_bad'")"

# --- stamp ---
run --url $U stamp aaa100
expect_eq "stamp back" aaa100 "$(rows)"
expect_eq "stamp says what it left" "Stamped 'aaa100': the version table now holds aaa100" "$err"
run --url $U stamp heads
expect_eq "stamp heads" eee500 "$(rows)"
run --url $U stamp base
expect_eq "stamp base" "" "$(rows)"
expect_eq "stamp base says so" "Stamped 'base': the version table now holds no revision (base)" "$err"
sqlite3 t.db "INSERT INTO alembic_version VALUES ('zzz999')"
run --url $U current
expect_eq "unknown row: status" 1 "$status"
expect_contains "unknown row" "zzz999" "$err"
run --url $U stamp --purge eee500
expect_eq "stamp --purge" eee500 "$(rows)"

# --- -q and -v ---
run --url $U -q downgrade base
expect_eq "-q is quiet" "" "$err"
run --url $U -v upgrade aaa100
expect_contains "-v prints statements" "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);" "$err"
rm -f vt.db
run --url sqlite:///vt.db --version-table my_versions upgrade aaa100
expect_eq "--version-table" aaa100 "$(sqlite3 vt.db "SELECT version_num FROM my_versions")"
run --url $U --version-table 'bad name' current
expect_eq "bad --version-table" 2 "$status"

# --- a failing statement leaves the previous revision ---
rm -f f.db
RT_HISTORY=fail run --url sqlite:///f.db upgrade
expect_eq "failing statement: status" 1 "$status"
expect_eq "failing statement: message" \
    "error: revision fff600 (fff600_broken.rev): INSERT INTO no_such_table VALUES (1) : no such table: no_such_table" \
    "$(printf '%s\n' "$err" | grep '^error')"
expect_eq "failing statement: one error line" 1 "$(printf '%s\n' "$err" | grep -c '^error')"
expect_eq "failing statement: previous revision" eee500 "$(rows f.db)"
expect_eq "failing statement: rolled back" "" "$(sqlite3 f.db "SELECT name FROM sqlite_master WHERE name='ok_t'")"

# --- targets ---
run --url $U upgrade zzz
expect_eq "unknown target: status" 1 "$status"
expect_eq "unknown target" "error: unknown revision 'zzz'" "$err"
run --url $U upgrade aa
expect_eq "ambiguous prefix: status" 1 "$status"
expect_eq "ambiguous prefix" "error: ambiguous revision prefix 'aa': matches aaa100, aab300" "$err"
RT_HISTORY=twoheads run --url sqlite:///h2.db upgrade head
expect_eq "head with two heads: status" 1 "$status"
expect_contains "head with two heads" "multiple heads (bbb200, aab300)" "$err"
RT_HISTORY=twoheads run --url sqlite:///h2.db upgrade heads
expect_eq "upgrade heads" "aab300,bbb200" "$(rows h2.db)"

# --- URLs ---
run --url sqlite:///nodir/x.db upgrade
expect_eq "missing directory: status" 1 "$status"
expect_contains "missing directory" "directory 'nodir' does not exist" "$err"
[ -e nodir ] && fail "missing directory: something was created"
run --url "sqlite:////$work/abs.db" upgrade aaa100
expect_eq "absolute path" aaa100 "$(rows "$work/abs.db")"
run --url sqlite://:memory: upgrade
expect_eq "memory database" 0 "$status"
run --url mysql://u:pw@h/db upgrade
expect_eq "unsupported scheme: status" 1 "$status"
expect_contains "unsupported scheme" "unsupported database URL scheme 'mysql'" "$err"
expect_lacks "unsupported scheme: no password" ":pw@" "$err"
rm -f env.db
DATABASE_URL=sqlite:///env.db run upgrade aaa100
expect_eq "DATABASE_URL" aaa100 "$(rows env.db)"
DATABASE_URL=sqlite:///env.db run --url sqlite:///flag.db upgrade aaa100
expect_eq "--url beats DATABASE_URL" aaa100 "$(rows flag.db)"
run upgrade
expect_eq "no URL: status" 1 "$status"

# --- a read-only file ---
rm -f ro.db
sqlite3 ro.db "CREATE TABLE x (y)"
chmod 444 ro.db
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$work"
    out=$(runuser -u nobody -- "$H" --url "sqlite:///$work/ro.db" upgrade 2>&1)
    status=$?
else
    out=$("$H" --url sqlite:///ro.db upgrade 2>&1)
    status=$?
fi
expect_eq "read-only file: status" 1 "$status"
expect_contains "read-only file" "read-only" "$out"

# --- offline scripts load into sqlite3 ---
run upgrade --sql --dialect sqlite
expect_eq "--sql: status" 0 "$status"
expect_contains "--sql: step comment" "-- Running upgrade aaa100 -> bbb200" "$out"
expect_contains "--sql: IF comment" "-- offline: not column_exists users age taken as true (from the history)" "$out"
expect_contains "--sql: INSERT" "INSERT INTO alembic_version (version_num) VALUES ('aaa100');" "$out"
rm -f off.db
printf '%s\n' "$out" | sqlite3 -bail off.db
expect_eq "--sql loads" "0 eee500" "$? $(rows off.db)"
run --url sqlite:///off.db downgrade --sql eee500:base
printf '%s\n' "$out" | sqlite3 -bail off.db
expect_eq "downgrade --sql loads" "0 " "$? $(tables off.db)"
run --url sqlite:///off.db downgrade --sql base
expect_eq "downgrade --sql needs FROM" 2 "$status"

# --- two migrators at once apply each revision once ---
rm -f race.db
"$H" --url sqlite:///race.db upgrade 2>race1.err & p1=$!
"$H" --url sqlite:///race.db upgrade 2>race2.err & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
expect_eq "race: both succeed" "0 0" "$s1 $s2"
expect_eq "race: each revision once" 5 "$(cat race1.err race2.err | grep -c '^Running upgrade')"
expect_eq "race: at head" eee500 "$(rows race.db)"

# retort_new says why it refused a handle (through the library, and the
# command line prints that reason).
out=$(RT_API=upgrade RT_VT='bad name!' "$H" "sqlite:///$work/new.db" head)
expect_contains "retort_new: a bad version table name, named" "code -2: bad version table name 'bad name!'" "$out"
out=$(RT_API=upgrade RT_HISTORY=oldabi "$H" "sqlite:///$work/new.db" head)
expect_contains "retort_new: a history of another ABI, said so" "code -2: the history 'rt-hist' was compiled for history ABI" "$out"
RT_HISTORY=oldabi run --url "sqlite:///$work/new.db" current
expect_eq "another ABI: exit 2" 2 "$status"
expect_contains "another ABI: the reason" "rebuild it with this release's retort" "$err"
[ -e "$work/new.db" ] && fail "a refused handle created the database"

finish
