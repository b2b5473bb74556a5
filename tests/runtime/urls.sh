#!/bin/sh
# urls.sh MIGRATOR WORKDIR [PGDIR]: SQLAlchemy driver suffixes in URLs
# (`sqlite+pysqlite`, `sqlite+aiosqlite`, `postgresql+psycopg2`,
# `postgresql+asyncpg`, `postgresql+psycopg`) reach the same database as
# the plain scheme; other drivers are refused with one line; `-v` says
# which source gave the URL (--url, $DATABASE_URL or the default compiled
# in), password redacted.  MIGRATOR is built with DEFAULT_URL
# sqlite:///urls_default.db (relative: in WORKDIR).  With PGDIR, the
# PostgreSQL suffixes on the `pg` fixture's cluster.
H=$1
work=$2
pgdir=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
unset DATABASE_URL

rows() { sqlite3 "$1" "SELECT group_concat(version_num) FROM alembic_version"; }

for drv in pysqlite aiosqlite; do
    run --url "sqlite+$drv:///$work/$drv.db" upgrade
    expect_eq "sqlite+$drv: upgrade" 0 "$status"
    run --url "sqlite:///$work/$drv.db" current
    expect_eq "sqlite+$drv: the same file as sqlite://" "$(rows "$work/$drv.db") (head)" "$out"
done
run --url "sqlite+pysqlcipher:///$work/c.db" upgrade
expect_eq "sqlite+pysqlcipher refused: status" 1 "$status"
expect_contains "sqlite+pysqlcipher refused" "unsupported driver 'pysqlcipher'" "$err"
expect_eq "sqlite+pysqlcipher: no file made" no "$( [ -e "$work/c.db" ] && echo yes || echo no)"
run --url "postgresql+mysqldb://u:topsecret@h/db" current
expect_eq "a driver of another database: status" 1 "$status"
expect_contains "a driver of another database" "unsupported driver 'mysqldb'" "$err"
expect_lacks "a refused driver URL hides its password" topsecret "$err"

# -v: where the URL came from.
run -v --url "sqlite+pysqlite:///$work/pysqlite.db" current
expect_contains "-v: --url" "Database URL from --url: sqlite+pysqlite:///$work/pysqlite.db" "$err"
DATABASE_URL="sqlite:///$work/env.db" run -v upgrade
expect_contains "-v: \$DATABASE_URL" "Database URL from \$DATABASE_URL: sqlite:///$work/env.db" "$err"
expect_eq "\$DATABASE_URL used" 0 "$status"
run -v upgrade
expect_contains "-v: the default" "Database URL from the default compiled in (no --url, \$DATABASE_URL unset): sqlite:///urls_default.db" "$err"
expect_eq "the default used" yes "$( [ -e "$work/urls_default.db" ] && echo yes || echo no)"
DATABASE_URL= run -v current
expect_contains "-v: an empty \$DATABASE_URL" "\$DATABASE_URL is set but empty" "$err"
run current
expect_lacks "without -v: no URL line" "Database URL from" "$err"
DATABASE_URL="postgresql+asyncpg://me:hush@127.0.0.1:1/db" run -v current
expect_contains "-v: the password redacted" "Database URL from \$DATABASE_URL: postgresql+asyncpg://me:***@127.0.0.1:1/db" "$err"
expect_lacks "-v: no password anywhere" hush "$err"

if [ -n "$pgdir" ]; then
    . "$pgdir/env"
    psql -qX "$(cat "$pgdir/url")" -c "DROP DATABASE IF EXISTS rt_urls" \
        -c "CREATE DATABASE rt_urls" >/dev/null 2>&1
    rest="//rt_urls?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
    run --url "postgresql+psycopg2:$rest" upgrade heads
    expect_eq "postgresql+psycopg2: upgrade" 0 "$status"
    want=$(psql -qXAt "postgresql:$rest" -c "SELECT string_agg(version_num, ',') FROM alembic_version")
    for drv in psycopg2 asyncpg psycopg pg8000; do
        run --url "postgresql+$drv:$rest" current
        expect_eq "postgresql+$drv: the same database" "0 $want (head)" "$status $out"
    done
    run --url "postgres+psycopg2:$rest" current
    expect_eq "postgres+psycopg2 too" "0 $want (head)" "$status $out"
fi

finish
