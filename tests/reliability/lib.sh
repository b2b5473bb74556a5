# lib.sh: helpers for the reliability tests, sourced (after setting
# `here`, this directory) by scripts called as
#     SCRIPT DIALECT MIGRATOR WORKDIR [PGDIR]
# It takes those arguments: `dialect`, `H` (the migrator, made absolute),
# `work` (emptied, and made the current directory) and, for PostgreSQL,
# `pgdir`, the `pg` fixture's directory (see tests/lib/pg_cluster.sh).
#
#   url NAME        the URL of database NAME (in schema $SCHEMA when set,
#                   on PostgreSQL)
#   newdb NAME      a fresh, empty database NAME
#   fresh NAME      as newdb; on PostgreSQL a new schema in NAME instead
#                   (much cheaper), which url and q then use
#   q NAME SQL      runs SQL on NAME, prints rows (| between columns)
#   rows NAME       the version rows, comma-separated
#   has_column NAME TABLE COLUMN   exit 0 when the column exists
#   diffs           the difference lines of the last `run ... check`
dialect=$1
H=$2
work=$3
pgdir=${4:-}
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"

case $dialect in
sqlite)
    # The databases live in memory when possible (/dev/shm): these tests
    # run thousands of short migrations, and fsync dominates on disk.
    dbdir=$(mktemp -d /dev/shm/retort-rel.XXXXXX 2>/dev/null) || dbdir=$work
    [ "$dbdir" = "$work" ] || trap 'rm -rf "$dbdir"' EXIT
    ;;
postgresql)
    . "$pgdir/env"
    base_url=$(cat "$pgdir/url")
    ;;
*)
    echo "lib.sh: unknown dialect '$dialect'" >&2
    exit 2
    ;;
esac

url() {
    if [ "$dialect" = sqlite ]; then
        printf 'sqlite:///%s/%s.db' "$dbdir" "$1"
    else
        printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"
        [ -n "${SCHEMA:-}" ] && printf '&options=-csearch_path%%3D%s' "$SCHEMA"
    fi
}

fresh_count=0
fresh() {
    if [ "$dialect" = sqlite ]; then
        newdb "$1"
        return
    fi
    if [ $fresh_count -eq 0 ]; then
        SCHEMA=
        newdb "$1"
    fi
    fresh_count=$((fresh_count + 1))
    SCHEMA=s_$fresh_count
    q "$1" "CREATE SCHEMA $SCHEMA" >/dev/null || fail "cannot create schema $SCHEMA"
}

newdb() {
    if [ "$dialect" = sqlite ]; then
        rm -f "$dbdir/$1.db" "$dbdir/$1.db-journal" "$dbdir/$1.db-wal" "$dbdir/$1.db-shm"
    else
        psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
            -c "CREATE DATABASE $1" >/dev/null 2>&1 || fail "cannot create database $1"
    fi
}

q() {
    if [ "$dialect" = sqlite ]; then
        sqlite3 "$dbdir/$1.db" "$2"
    else
        psql -qXAt "$(url "$1")" -c "SET client_min_messages = warning" -c "$2"
    fi
}

rows() {
    q "$1" "SELECT version_num FROM alembic_version ORDER BY 1" 2>/dev/null | paste -sd, -
}

has_column() {
    if [ "$dialect" = sqlite ]; then
        [ "$(q "$1" "SELECT count(*) FROM pragma_table_info('$2') WHERE name = '$3'")" = 1 ]
    else
        [ "$(q "$1" "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$2' AND column_name = '$3'")" = 1 ]
    fi
}

diffs() {
    printf '%s\n' "$out" | grep -E '^(extra|missing|changed|incomplete) ' || true
}

# verify_whole WHAT DB: after an interruption, the version table names a
# whole revision (or none) and the schema matches it exactly.
verify_whole() {
    run --url "$(url "$2")" check
    case $status in
    0|1) ;;
    *) fail "$1: check exited $status: $err" ;;
    esac
    d=$(diffs)
    [ -z "$d" ] || fail "$1: the schema is not that of a whole revision: $d"
    case $err in
    *"at revision"*"does not have"*) fail "$1: $err" ;;
    esac
}
