#!/bin/sh
# static.sh MIGRATOR WORK_DIR HEAD
#
# MIGRATOR was built with retort_add_migrator(... STATIC): it must be a
# static executable, upgrade a SQLite file to HEAD and back to base, and
# refuse PostgreSQL with a one-line message and exit 1.
set -u
mig=$1
work=$2
head=$3
fail() { echo "static: FAIL: $*" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work" && cd "$work" || fail "cannot make $work"

# No interpreter, no shared library: ldd refuses it (its wording varies
# with the libc, so `file` decides when ldd is missing).
if command -v ldd >/dev/null 2>&1; then
    out=$(ldd "$mig" 2>&1)
    case $out in
    *"not a dynamic executable"*|*"statically linked"*) ;;
    *) fail "ldd lists shared libraries: $out" ;;
    esac
elif command -v file >/dev/null 2>&1; then
    case $(file -L "$mig") in
    *"statically linked"*) ;;
    *) fail "file does not say statically linked: $(file -L "$mig")" ;;
    esac
fi
command -v readelf >/dev/null 2>&1 && readelf -d "$mig" 2>/dev/null | grep -q NEEDED &&
    fail "the executable has DT_NEEDED entries"

db=$work/shop.db
"$mig" --url "sqlite:///$db" upgrade head >up.log 2>&1 || { cat up.log >&2; fail "upgrade head"; }
v=$(sqlite3 "$db" "SELECT version_num FROM alembic_version")
[ "$v" = "$head" ] || fail "after upgrade head the version is '$v', not $head"
[ "$("$mig" --url "sqlite:///$db" current)" = "$head (head)" ] || fail "current at head"
"$mig" --url "sqlite:///$db" downgrade base >down.log 2>&1 || { cat down.log >&2; fail "downgrade base"; }
n=$(sqlite3 "$db" "SELECT count(*) FROM alembic_version")
[ "$n" = 0 ] || fail "after downgrade base alembic_version has $n rows"
# sqlite_sequence is SQLite's own (AUTOINCREMENT), never dropped.
left=$(sqlite3 "$db" "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'
    AND name NOT IN ('alembic_version', 'alembic_version_retort', 'sqlite_sequence')")
[ -z "$left" ] || fail "after downgrade base tables are left: $left"

# PostgreSQL: one line on stderr, nothing on stdout, exit 1.
"$mig" --url "postgresql://nobody@127.0.0.1:1/nothing" current >pg.out 2>pg.err
rc=$?
[ "$rc" = 1 ] || fail "postgresql:// URL: exit $rc, not 1"
[ ! -s pg.out ] || fail "postgresql:// URL: stdout not empty: $(cat pg.out)"
[ "$(wc -l <pg.err)" = 1 ] || fail "postgresql:// URL: not one line: $(cat pg.err)"
grep -q "this migrator was built without PostgreSQL support" pg.err ||
    fail "postgresql:// URL: unexpected message: $(cat pg.err)"
echo "static: ok ($(wc -c <"$mig") bytes)"
