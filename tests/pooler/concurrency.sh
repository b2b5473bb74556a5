#!/bin/sh
# concurrency.sh MIGRATOR WORKDIR PGDIR: eight migrators at once through
# PgBouncer in transaction pooling mode (three server connections shared
# by the eight clients), three rounds on one database: upgrade head,
# downgrade base, upgrade head.  Every revision of `history` inserts a
# row into audit.ran in its upgrade and in its downgrade (no unique key:
# a revision run twice shows as a second row, it does not fail), so each
# round must leave exactly one new row per revision, every migrator must
# exit 0, and nothing but progress may reach stderr.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=pool_conc
U=$(pooled $DB)
newdb $DB
# eight CMD...: runs the migrator eight times at once; sets statuses and
# leaves each one's stderr in m1.err ... m8.err.
eight() {
    rm -f m*.err
    pids=""
    i=1
    while [ $i -le 8 ]; do
        "$H" --url "$U" "$@" >"m$i.out" 2>"m$i.err" &
        pids="$pids $!"
        i=$((i + 1))
    done
    statuses=""
    for p in $pids; do
        wait "$p"
        statuses="$statuses $?"
    done
}

round=1
for cmd in "upgrade head" "downgrade base" "upgrade head"; do
    # shellcheck disable=SC2086
    eight $cmd
    case $cmd in upgrade*) dir=up word=upgrade ;; *) dir=down word=downgrade ;; esac
    expect_eq "round $round ($cmd): all eight succeed" " 0 0 0 0 0 0 0 0" "$statuses"
    other=$(cat m*.err | grep -v -e '^Running upgrade' -e '^Running downgrade' \
            -e '^Waiting for the migration lock' -e '^Already at ')
    expect_eq "round $round: nothing but progress on stderr" "" "$other"
    expect_eq "round $round: each revision reported once" 12 \
        "$(cat m*.err | grep -c "^Running $word")"
    ups=$(( (round + 1) / 2 ))
    downs=$(( round / 2 ))
    # Per revision: how many times its upgrade and its downgrade ran.
    expect_eq "round $round: every revision's statement ran exactly once per round" \
        "12 revisions, each up $ups down $downs" \
        "$(q $DB "SELECT count(*) || ' revisions, each ' || string_agg(DISTINCT
                         'up ' || u || ' down ' || d, '; ')
                  FROM (SELECT rev, count(*) FILTER (WHERE dir = 'up') AS u,
                               count(*) FILTER (WHERE dir = 'down') AS d
                        FROM audit.ran GROUP BY rev) x")"
    if [ $dir = up ]; then
        expect_eq "round $round: at head" p12 "$(q $DB 'SELECT version_num FROM alembic_version')"
        expect_eq "round $round: checksums recorded once each" 12 \
            "$(q $DB 'SELECT count(*) FROM alembic_version_retort')"
    else
        expect_eq "round $round: at base" 0 "$(q $DB 'SELECT count(*) FROM alembic_version')"
    fi
    round=$((round + 1))
done
run --url "$U" check
expect_eq "check through PgBouncer" 0 "$status"
finish
