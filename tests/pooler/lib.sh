# lib.sh: the pooler tests' shared part, sourced (after setting `here`,
# this directory) by scripts called as  SCRIPT MIGRATOR WORKDIR PGDIR.
# Sets H (the migrator, absolute), work (emptied; the current directory),
# base_url (the cluster, direct) and starts PgBouncer in transaction
# pooling mode in front of the `pg` fixture's cluster
# (tests/lib/pgbouncer.sh), stopped when the script exits.
#   direct NAME      the URL of database NAME on the cluster itself
#   pooled NAME      the URL of database NAME through PgBouncer
#   newdb NAME       a fresh database NAME with a table audit.ran (rev,
#                    dir) that the `history` revisions insert into
#   q NAME SQL       runs SQL on NAME (directly), prints rows
H=$1
work=$2
pgdir=$3
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"
. "$pgdir/env"
base_url=$(cat "$pgdir/url")
sh "$here/../lib/pgbouncer.sh" start "$work/pgb" "$pgdir" >/dev/null || {
    echo "FAIL: cannot start PgBouncer" >&2
    exit 1
}
trap 'sh "$here/../lib/pgbouncer.sh" stop "$work/pgb"' EXIT
. "$work/pgb/env"

direct() {
    printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGC_SOCK" "$PGC_PORT"
}

pooled() {
    printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$1" "$PGB_SOCK" "$PGB_PORT"
}

newdb() {
    psql -qX "$base_url" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
        -c "CREATE DATABASE $1" >/dev/null 2>&1 || fail "cannot create database $1"
    q "$1" "CREATE SCHEMA audit; CREATE TABLE audit.ran (rev text NOT NULL, dir text NOT NULL)" \
        >/dev/null || fail "cannot create audit.ran in $1"
}

q() {
    psql -qXAt "$(direct "$1")" -c "SET client_min_messages = warning" -c "$2"
}
