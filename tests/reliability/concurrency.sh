#!/bin/sh
# concurrency.sh DIALECT MIGRATOR WORKDIR [PGDIR]: eight migrators started
# at once on one fresh database (the `chain` history: `counter` has a
# unique column and each block INSERTs into it, so a revision run twice
# fails).  All must succeed, each revision applied exactly once, and none
# may fail on a catalog race (the version table is created under the
# migration lock).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_conc
U=$(url $DB)
round=1
while [ $round -le 3 ]; do
    newdb $DB
    pids=""
    i=1
    while [ $i -le 8 ]; do
        "$H" --url "$U" upgrade >"m$i.out" 2>"m$i.err" &
        pids="$pids $!"
        i=$((i + 1))
    done
    statuses=""
    for p in $pids; do
        wait "$p"
        statuses="$statuses $?"
    done
    expect_eq "round $round: all eight succeed" " 0 0 0 0 0 0 0 0" "$statuses"
    for f in m*.err; do
        grep -v '^Running upgrade' "$f" | sed "s/^/$f: /"
    done
    expect_eq "round $round: each revision once" 51 "$(cat m*.err | grep -c '^Running upgrade')"
    expect_eq "round $round: at head" c050 "$(rows $DB)"
    expect_eq "round $round: every INSERT once" "10 10" "$(q $DB 'SELECT count(*), count(DISTINCT n) FROM counter' | tr '|' ' ')"
    expect_eq "round $round: checksums recorded once each" 51 "$(q $DB 'SELECT count(*) FROM alembic_version_retort')"
    run --url "$U" check
    expect_eq "round $round: check" 0 "$status"
    round=$((round + 1))
done

# Eight at once on a database at head, and eight downgrading: one works,
# the others find nothing to do.
pids=""
i=1
while [ $i -le 8 ]; do
    "$H" --url "$U" downgrade c040 >"d$i.out" 2>"d$i.err" &
    pids="$pids $!"
    i=$((i + 1))
done
statuses=""
for p in $pids; do
    wait "$p"
    statuses="$statuses $?"
done
expect_eq "downgrades: all succeed" " 0 0 0 0 0 0 0 0" "$statuses"
expect_eq "downgrades: each revision once" 10 "$(cat d*.err | grep -c '^Running downgrade')"
expect_eq "downgrades: at c040" c040 "$(rows $DB)"
expect_eq "downgrades: counter" 8 "$(q $DB 'SELECT count(*) FROM counter')"

finish
