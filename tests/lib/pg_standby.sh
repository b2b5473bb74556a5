#!/bin/sh
# pg_standby.sh start DIR PGDIR | sync DIR PGDIR | stop DIR
#
# A hot standby of the test cluster whose pg_cluster.sh directory is
# PGDIR, fed by streaming replication.  `start` copies the cluster with
# pg_basebackup -R (which writes standby.signal and primary_conninfo)
# into a fresh temporary directory, starts it on its own unix socket and
# port, and writes into DIR:
#   DIR/env      shell lines: PGS_ROOT, PGS_SOCK, PGS_PORT
#   DIR/url      postgresql:///postgres?host=SOCK&port=PORT&user=postgres
# `sync` waits until the standby has replayed everything the primary had
# written when it was called (after a change on the primary, before
# reading it on the standby).  `stop` stops it and removes it.  Run as
# root, the server runs as the `postgres` user, as the primary does.
set -eu
cmd=${1:?usage: pg_standby.sh start|sync DIR PGDIR | stop DIR}
dir=${2:?usage: pg_standby.sh start|sync DIR PGDIR | stop DIR}
bin=/usr/lib/postgresql/15/bin

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
    pgdir=${3:?usage: pg_standby.sh start DIR PGDIR}
    . "$pgdir/env"
    mkdir -p "$dir"
    [ -f "$dir/env" ] && "$0" stop "$dir"
    root=$(mktemp -d /tmp/retort-pgs.XXXXXX)
    chmod 755 "$root"
    mkdir "$root/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$root"
    port=$(( 20000 + ($$ + 7919) % 20000 ))
    as_pg "$bin/pg_basebackup" -d "host=$PGC_SOCK port=$PGC_PORT user=postgres" \
        -D "$root/data" -R -X stream -c fast >"$root/basebackup.log" 2>&1 ||
        { cat "$root/basebackup.log" >&2; rm -rf "$root"; exit 1; }
    # The copied postgresql.conf names the primary's socket and port: the
    # last setting wins.
    cat >>"$root/data/postgresql.conf" <<CONF
unix_socket_directories = '$root/sock'
port = $port
hot_standby = on
CONF
    # The primary's lc_messages may name a locale compiled into its
    # directory (pg_cluster.sh).
    export LOCPATH="$PGC_ROOT/locale"
    as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 120 start \
        >/dev/null || { cat "$root/server.log" >&2; rm -rf "$root"; exit 1; }
    url="postgresql:///postgres?host=$root/sock&port=$port&user=postgres"
    cat >"$dir/env" <<ENV
PGS_ROOT='$root'
PGS_SOCK='$root/sock'
PGS_PORT=$port
ENV
    printf '%s\n' "$url" >"$dir/url"
    [ "$(psql -X -At "$url" -c 'SELECT pg_is_in_recovery()')" = t ] ||
        { echo "pg_standby.sh: the copy is not in recovery" >&2; "$0" stop "$dir"; exit 1; }
    echo "PostgreSQL standby up: $url"
    ;;
sync)
    pgdir=${3:?usage: pg_standby.sh sync DIR PGDIR}
    . "$pgdir/env"
    . "$dir/env"
    lsn=$(psql -X -At "$(cat "$pgdir/url")" -c 'SELECT pg_current_wal_lsn()')
    n=0
    until [ "$(psql -X -At "$(cat "$dir/url")" \
               -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]; do
        n=$((n + 1))
        if [ $n -ge 1200 ]; then
            echo "pg_standby.sh: the standby did not replay up to $lsn" >&2
            exit 1
        fi
        sleep 0.1
    done
    ;;
stop)
    [ -f "$dir/env" ] || exit 0
    . "$dir/env"
    as_pg "$bin/pg_ctl" -D "$PGS_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGS_ROOT"
    rm -f "$dir/env" "$dir/url"
    ;;
*)
    echo "usage: pg_standby.sh start|sync DIR PGDIR | stop DIR" >&2
    exit 2
    ;;
esac
