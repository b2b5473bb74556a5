#!/bin/sh
# rebuild.sh RENDER_TEST SQLITE3 WORKDIR EXPECTED
# Runs the SQLite rebuild script on a real database file and compares what
# its queries print with EXPECTED.
set -e
prog=$1 sqlite=$2 work=$3 expected=$4
rm -rf "$work" && mkdir -p "$work"
"$prog" rebuild > "$work/script.sql"
"$sqlite" "$work/test.db" < "$work/script.sql" > "$work/out.txt" 2>&1 || true
diff -u "$expected" "$work/out.txt"
# render_schema() output loads into a fresh database.
"$prog" schema > "$work/schema.sql"
"$sqlite" -bail "$work/schema.db" < "$work/schema.sql"
test "$("$sqlite" "$work/schema.db" "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite%'")" = 4
