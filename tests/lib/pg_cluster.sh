#!/bin/sh
# pg_cluster.sh start DIR | stop DIR
#
# A throwaway PostgreSQL 15 cluster for tests.  `start` creates it in a
# fresh temporary directory (data and unix socket; no TCP), starts it and
# writes into DIR:
#   DIR/url      postgresql:///postgres?host=SOCK&port=PORT&user=postgres
#   DIR/env      shell lines: PGC_SOCK, PGC_PORT, PGC_ROOT, PGC_PWUSER,
#                PGC_PWPASS (a role that needs a password: scram),
#                PGC_LOCALE (a locale the server can speak, de_DE.UTF-8,
#                or empty when this machine cannot make it)
# The server can use de_DE.UTF-8 for lc_messages: the locale is compiled
# into the cluster's directory (localedef, found through LOCPATH), so no
# system locale and no root are needed.  With RETORT_PG_LC_MESSAGES set
# (scripts/test.sh's second pass), the whole server speaks that language:
# retort must not depend on the words of a server message.
# Replication connections are trusted on the socket, for the standby of
# tests/lib/pg_standby.sh.  `stop` stops it and removes it.  Run as root, the server runs as the
# `postgres` user (initdb refuses root).  Tests create their own databases:
#   psql "$(cat DIR/url)" -c 'CREATE DATABASE mine'
set -eu
cmd=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}
bin=/usr/lib/postgresql/15/bin

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
    mkdir -p "$dir"
    if [ -f "$dir/env" ]; then
        . "$dir/env"
        as_pg "$bin/pg_ctl" -D "$PGC_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PGC_ROOT"
    fi
    root=$(mktemp -d /tmp/retort-pg.XXXXXX)
    chmod 755 "$root"
    mkdir "$root/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$root"
    # The socket lives in a private directory, so any port number is free;
    # vary it anyway so a stray global socket cannot be reached by mistake.
    port=$(( 20000 + $$ % 20000 ))
    locale=
    mkdir "$root/locale"
    if command -v localedef >/dev/null 2>&1 &&
       localedef -i de_DE -f UTF-8 "$root/locale/de_DE.UTF-8" >/dev/null 2>&1; then
        locale=de_DE.UTF-8
    fi
    [ "$(id -u)" = 0 ] && chown -R postgres: "$root"
    export LOCPATH="$root/locale"
    as_pg "$bin/initdb" -D "$root/data" -U postgres -A trust -N \
        >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
    cat >>"$root/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$root/sock'
port = $port
fsync = off
max_connections = 50
CONF
    if [ -n "${RETORT_PG_LC_MESSAGES:-}" ]; then
        echo "lc_messages = '$RETORT_PG_LC_MESSAGES'" >>"$root/data/postgresql.conf"
    fi
    cat >"$root/data/pg_hba.conf" <<CONF
local all pwuser scram-sha-256
local all all trust
local replication all trust
CONF
    as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start \
        >/dev/null || { cat "$root/server.log" >&2; exit 1; }
    url="postgresql:///postgres?host=$root/sock&port=$port&user=postgres"
    psql -X -q -v ON_ERROR_STOP=1 "$url" \
        -c "CREATE ROLE pwuser LOGIN SUPERUSER PASSWORD 'Sekr3t-Pw'" >/dev/null
    printf '%s\n' "$url" >"$dir/url"
    cat >"$dir/env" <<ENV
PGC_ROOT='$root'
PGC_SOCK='$root/sock'
PGC_PORT=$port
PGC_PWUSER=pwuser
PGC_PWPASS='Sekr3t-Pw'
PGC_LOCALE='$locale'
ENV
    echo "PostgreSQL cluster up: $url"
    ;;
stop)
    [ -f "$dir/env" ] || exit 0
    . "$dir/env"
    as_pg "$bin/pg_ctl" -D "$PGC_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGC_ROOT"
    rm -f "$dir/env" "$dir/url"
    ;;
*)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
