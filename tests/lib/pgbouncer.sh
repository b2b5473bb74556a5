#!/bin/sh
# pgbouncer.sh start DIR PGDIR | stop DIR
#
# PgBouncer (Debian's `pgbouncer`) in transaction pooling mode in front
# of the test cluster whose pg_cluster.sh directory is PGDIR.  `start`
# makes a fresh temporary directory (configuration, log, unix socket; no
# TCP), starts PgBouncer there and writes into DIR:
#   DIR/env      shell lines: PGB_ROOT, PGB_SOCK, PGB_PORT
#   DIR/url      postgresql:///postgres?host=SOCK&port=PORT&user=postgres
# Every database of the cluster is reachable through it by name
# (`* = ...`), as the cluster's own users, without a password.  The pool
# is small (three server connections per database and user), so that
# concurrent clients share server connections: session state (session
# advisory locks, SET, prepared statements) does not follow a client
# from one transaction to the next.  `stop` stops it and removes it.
# Run as root, PgBouncer runs as the `postgres` user (it refuses root).
set -eu
cmd=${1:?usage: pgbouncer.sh start DIR PGDIR | stop DIR}
dir=${2:?usage: pgbouncer.sh start DIR PGDIR | stop DIR}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
    pgdir=${3:?usage: pgbouncer.sh start DIR PGDIR}
    command -v pgbouncer >/dev/null 2>&1 ||
        { echo "pgbouncer.sh: pgbouncer is not installed (scripts/install-deps.sh)" >&2; exit 1; }
    . "$pgdir/env"
    mkdir -p "$dir"
    [ -f "$dir/env" ] && "$0" stop "$dir"
    root=$(mktemp -d /tmp/retort-pgb.XXXXXX)
    chmod 755 "$root"
    # The socket lives in a private directory, so any port number is free.
    port=$(( 40000 + $$ % 20000 ))
    printf '"postgres" ""\n"%s" ""\n' "$PGC_PWUSER" >"$root/users.txt"
    cat >"$root/pgbouncer.ini" <<CONF
[databases]
* = host=$PGC_SOCK port=$PGC_PORT

[pgbouncer]
listen_addr =
listen_port = $port
unix_socket_dir = $root
auth_type = trust
auth_file = $root/users.txt
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
server_reset_query =
logfile = $root/pgbouncer.log
pidfile = $root/pgbouncer.pid
CONF
    [ "$(id -u)" = 0 ] && chown -R postgres: "$root"
    as_pg pgbouncer -d -q "$root/pgbouncer.ini" ||
        { cat "$root/pgbouncer.log" >&2 2>/dev/null; rm -rf "$root"; exit 1; }
    url="postgresql:///postgres?host=$root&port=$port&user=postgres"
    cat >"$dir/env" <<ENV
PGB_ROOT='$root'
PGB_SOCK='$root'
PGB_PORT=$port
ENV
    printf '%s\n' "$url" >"$dir/url"
    # Ready when a query passes through it (a readiness wait, not a timing).
    n=0
    until psql -X -q -At "$url" -c 'SELECT 1' >/dev/null 2>&1; do
        n=$((n + 1))
        if [ $n -ge 300 ]; then
            echo "pgbouncer.sh: PgBouncer did not come up" >&2
            cat "$root/pgbouncer.log" >&2 2>/dev/null
            "$0" stop "$dir"
            exit 1
        fi
        sleep 0.1
    done
    echo "PgBouncer up (transaction pooling): $url"
    ;;
stop)
    [ -f "$dir/env" ] || exit 0
    . "$dir/env"
    if [ -f "$PGB_ROOT/pgbouncer.pid" ]; then
        pid=$(cat "$PGB_ROOT/pgbouncer.pid")
        kill "$pid" 2>/dev/null || true
        n=0
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 300 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$PGB_ROOT"
    rm -f "$dir/env" "$dir/url"
    ;;
*)
    echo "usage: pgbouncer.sh start DIR PGDIR | stop DIR" >&2
    exit 2
    ;;
esac
