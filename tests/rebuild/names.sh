#!/bin/sh
# names.sh PROBE WORK_DIR PG_DIR
#
# SQLite keeps no name for a constraint written without one; retort calls
# it by the name PostgreSQL would give it, and `constraint_exists` on
# SQLite reads those names from the table's CREATE text.  The oracle is
# PostgreSQL itself: each table of names/cases.sql is created there, and
# for every name PostgreSQL gave it and every near miss (each column's
# _key/_fkey/_check names, the table's _pkey/_check names, and each of
# these with a number after it), the SQLite backend must answer "there"
# exactly when PostgreSQL has it.
set -u
probe=$1
work=$2
pgdir=$3
here=$(dirname "$0")
failures=0
rm -rf "$work"
mkdir -p "$work"
base=$(cat "$pgdir/url")
psql "$base" -qAt -c "DROP DATABASE IF EXISTS rebuild_names" \
     -c "CREATE DATABASE rebuild_names" >/dev/null || exit 1
url=$(printf '%s' "$base" | sed "s|:///postgres?|:///rebuild_names?|")

n=0
while IFS= read -r line || [ -n "$line" ]; do
    # A statement may span lines: it ends at a line ending in ')'.
    sql="${sql:+$sql
}$line"
    case $line in *')') ;; *) continue ;; esac
    n=$((n + 1))
    printf '%s\n' "$sql" >"$work/t$n.sql"
    sql=
    sqlite3 -bail :memory: <"$work/t$n.sql" || { echo "FAIL: SQLite refuses t$n" >&2; failures=$((failures + 1)); continue; }
    psql "$url" -q -v ON_ERROR_STOP=1 -f "$work/t$n.sql" || { echo "FAIL: PostgreSQL refuses t$n" >&2; failures=$((failures + 1)); continue; }
    table=$(sed -n '1s/^CREATE TABLE \("[^"]*"\|[a-z0-9_]*\).*/\1/p' "$work/t$n.sql")
    bare=$(printf '%s' "$table" | tr -d '"')
    psql "$url" -qAt -c "SELECT conname FROM pg_constraint WHERE conrelid = '$table'::regclass
                         AND contype IN ('p','u','c','f') ORDER BY 1" >"$work/t$n.pg"
    psql "$url" -qAt -c "SELECT attname FROM pg_attribute WHERE attrelid = '$table'::regclass
                         AND attnum > 0 ORDER BY attnum" >"$work/t$n.cols"
    {
        cat "$work/t$n.pg"
        echo "${bare}_pkey"; echo "${bare}_check"
        while IFS= read -r c; do
            for l in key fkey check; do echo "${bare}_${c}_$l"; done
        done <"$work/t$n.cols"
    } | sort -u >"$work/t$n.base"
    { cat "$work/t$n.base"; sed 's/$/1/; p; s/1$/2/' "$work/t$n.base"; } | sort -u >"$work/t$n.names"
    # Names contain spaces ("Mixed Case_pkey"): one argument per line.
    (IFS='
'; "$probe" "$bare" "$work/t$n.sql" $(cat "$work/t$n.names")) >"$work/t$n.got" ||
        { echo "FAIL: probe t$n" >&2; failures=$((failures + 1)); continue; }
    while IFS= read -r name; do
        want=0
        grep -qxF "$name" "$work/t$n.pg" && want=1
        got=$(grep -F "$name " "$work/t$n.got" | awk -v n="$name" 'substr($0, 1, length(n) + 1) == n " " { print $NF }')
        if [ "$got" != "$want" ]; then
            echo "FAIL: t$n $name: PostgreSQL $want, SQLite backend [$got]" >&2
            failures=$((failures + 1))
        fi
    done <"$work/t$n.names"
    echo "ok: t$n $(wc -l <"$work/t$n.names") names, PostgreSQL has: $(tr '\n' ' ' <"$work/t$n.pg")"
done <"$here/names/cases.sql"
[ "$n" -ge 6 ] || { echo "FAIL: only $n tables read" >&2; failures=$((failures + 1)); }
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
