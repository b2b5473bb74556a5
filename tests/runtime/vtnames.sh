#!/bin/sh
# vtnames.sh MIGRATOR PGDIR: --version-table NAME (SPEC section 6).  Any name
# the database can hold works and is quoted the same way in every statement
# (the version table, retort's NAME_retort table, its index, the catalog
# lookups), so that a second run finds what the first one wrote; a name it
# cannot hold is a usage error (exit 2, one line) before anything runs.
H=$1
pgdir=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
work=$pgdir/runtime_vtnames
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
. "$pgdir/env"

base_url=$(cat "$pgdir/url")
url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"; }
newdb() { psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1; }
q() { psql -qXAt "$(url "$1")" -c "$2"; }

# names NAME: one run after another must agree, on both dialects.
names() {
    vt=$1 db=$2
    for d in sqlite pg; do
        if [ $d = sqlite ]; then U=sqlite:///$db.db; else newdb "$db"; U=$(url "$db"); fi
        run --url "$U" --version-table "$vt" upgrade
        expect_eq "$d '$vt': upgrade" "0 5" "$status $(printf '%s\n' "$err" | grep -c '^Running upgrade')"
        run --url "$U" --version-table "$vt" current
        expect_eq "$d '$vt': current" "0 eee500 (head)" "$status $out"
        run --url "$U" --version-table "$vt" upgrade
        expect_eq "$d '$vt': second upgrade applies nothing" "0 Already at head, nothing to do" "$status $err"
        run --url "$U" --version-table "$vt" check
        expect_eq "$d '$vt': check" 0 "$status"
        run --url "$U" --version-table "$vt" downgrade -1
        run --url "$U" --version-table "$vt" current
        expect_eq "$d '$vt': current after downgrade -1" "0 ddd400" "$status $out"
        run --url "$U" --version-table "$vt" stamp head --purge
        expect_eq "$d '$vt': stamp --purge" 0 "$status"
        run --url "$U" --version-table "$vt" current
        expect_eq "$d '$vt': current after stamp" "0 eee500 (head)" "$status $out"
        # Exactly the tables and the index with the name as given.
        t=${vt#*.}
        if [ $d = sqlite ]; then
            got=$(sqlite3 "$db.db" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE name IN ('$t', '${t}_retort', '${t}_retort_markers') ORDER BY 1)")
            want="$t,${t}_retort,${t}_retort_markers"
        else
            got=$(q "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('$t', '${t}_pkc', '${t}_retort', '${t}_retort_markers', '${t}_retort_pkc')")
            want="$t,${t}_pkc,${t}_retort,${t}_retort_markers,${t}_retort_pkc"
        fi
        expect_eq "$d '$vt': objects named as given" "$want" "$got"
    done
}
names MixedCase mixed
names user reserved_user
names select reserved_select
names 1abc digits
# A mixed-case schema on PostgreSQL.
newdb schema_mixed
q schema_mixed 'CREATE SCHEMA "Meta"' >/dev/null
U=$(url schema_mixed)
run --url "$U" --version-table Meta.MixedCase upgrade
run --url "$U" --version-table Meta.MixedCase current
expect_eq "pg Meta.MixedCase: current" "0 eee500 (head)" "$status $out"
expect_eq "pg Meta.MixedCase: where" "Meta.MixedCase,Meta.MixedCase_retort" \
    "$(q schema_mixed "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'Mixed%'")"

# The offline script quotes the same way, and the online migrator takes
# over from it.
newdb off_mixed
run --url "$(url off_mixed)" --version-table MixedCase upgrade --sql
printf '%s\n' "$out" >up.sql
psql -qX -v ON_ERROR_STOP=1 "$(url off_mixed)" -f up.sql >/dev/null 2>psql.err
expect_eq "--sql with MixedCase loads into psql" 0 "$?"
run --url "$(url off_mixed)" --version-table MixedCase current
expect_eq "current after the offline script" "0 eee500 (head)" "$status $out"

# Names the database cannot hold: exit 2, one line, nothing created.
refuse() {
    what=$1 U=$2 vt=$3
    run --url "$U" --version-table "$vt" upgrade
    expect_eq "$what: exit 2" 2 "$status"
    expect_eq "$what: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
    expect_contains "$what: names the option" "--version-table" "$err"
}
newdb refused
long49=abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcde
long48=abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcd
refuse "49 bytes (+_retort_markers > 63)" "$(url refused)" $long49
refuse "60 bytes" "$(url refused)" ${long49}abcdefghijk
refuse "pg_temp" "$(url refused)" pg_temp.versions
refuse "pg_temp_3" "$(url refused)" pg_temp_3.versions
refuse "pg_toast_temp_1" "$(url refused)" pg_toast_temp_1.versions
expect_eq "refused: nothing created" 0 "$(q refused "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema')")"
refuse "SQLite temp schema" sqlite:///refused.db temp.versions
expect_eq "SQLite: no file created" no "$([ -e refused.db ] && echo yes || echo no)"
run --url "$(url refused)" --version-table $long49 upgrade --sql
expect_eq "too long offline for postgresql: exit 2" 2 "$status"
# The longest name that fits works.
run --url "$(url refused)" --version-table $long48 upgrade
expect_eq "48 bytes: upgrade" 0 "$status"
run --url "$(url refused)" --version-table $long48 current
expect_eq "48 bytes: current" "0 eee500 (head)" "$status $out"
# SQLite holds long names.
run --url sqlite:///long.db --version-table ${long49}abcdefghijk upgrade
expect_eq "SQLite: 60 bytes" 0 "$status"

finish
