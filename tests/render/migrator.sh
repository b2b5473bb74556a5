#!/bin/sh
# migrator.sh MIGRATOR SQLITE3 WORKDIR
# The small hand-built history, compiled into a migrator: upgrade runs the
# IF (skipped), the 600-row bulk insert and the rebuild; downgrade undoes.
set -e
mig=$1 sqlite=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
db="$work/app.db"
"$mig" -q --url "sqlite:///$db" upgrade head
test "$("$sqlite" "$db" "SELECT count(*), max(name) = 'name 99 \\ \"?\" ' || char(1) FROM parent")" = "600|1"
test "$("$sqlite" "$db" "SELECT version_num FROM alembic_version")" = 1975ea83b712
"$sqlite" "$db" "INSERT INTO parent (id) VALUES (1000)"
test "$("$sqlite" "$db" "SELECT name FROM parent WHERE id = 1000")" = anon
"$mig" -q --url "sqlite:///$db" downgrade base
test "$("$sqlite" "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'parent'")" = 0
