#!/bin/sh
# status.sh MIGRATOR WORKDIR [PGDIR]: `status` and the --json outputs of
# current, heads, history and status (schemas in docs/migrator.md), on
# the hand-written history of hist.c (a branch and a merge).  The oracles
# are the migrator's other outputs: status's pending revisions, in order,
# are the "Running upgrade" lines of the upgrade that follows; the JSON
# lists name what the text of current, heads and history names.  With
# PGDIR, the same on the `pg` fixture's cluster.
H=$1
work=$2
pgdir=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"

# json EXPR: evaluates EXPR on the JSON document in $out (as `d`); prints
# "invalid" when it is not JSON.
json() {
    printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError as e:
    print("invalid: %s" % e)
    sys.exit(0)
print(eval(sys.argv[1]))' "$1"
}
ids='" ".join(r["revision"] for r in d[KEY])'

# text_ids: the revision ids of `heads`/`current` text (first word) or of
# `history` text (the word after "-> ").
text_ids() { printf '%s\n' "$out" | sed 's/^.*-> //; s/[ ,].*//' | tr '\n' ' ' | sed 's/ $//'; }

check_db() {
    what=$1
    U=$2
    run --url "$U" status
    expect_eq "$what: status at base" 0 "$status"
    expect_contains "$what: base" "Current: base (no revision applied)" "$out"
    run --url "$U" status --json
    expect_eq "$what: status --json at_head" False "$(json 'd["at_head"]')"
    expect_eq "$what: status --json current" "" "$(json "$(echo "$ids" | sed s/KEY/\"current\"/)")"
    pending=$(json "$(echo "$ids" | sed s/KEY/\"pending\"/)")
    [ -n "$pending" ] || fail "$what: status --json lists nothing pending at base"
    run --url "$U" upgrade
    ran=$(printf '%s\n' "$err" | sed -n 's/^Running upgrade .* -> \([a-z0-9]*\),.*/\1/p' | tr '\n' ' ' | sed 's/ $//')
    expect_eq "$what: pending is what upgrade runs, in its order" "$ran" "$pending"

    run --url "$U" status
    expect_contains "$what: at head" "Pending: none, at head" "$out"
    run --url "$U" current
    want=$(text_ids)
    run --url "$U" current --json
    expect_eq "$what: current --json" "$want" "$(json "$(echo "$ids" | sed s/KEY/\"current\"/)")"
    expect_eq "$what: current --json database" "$U" "$(json 'd["database"]')"

    run --url "$U" downgrade -1
    run --url "$U" status --json
    expect_eq "$what: one pending after downgrade -1" 1 "$(json 'len(d["pending"])')"
    run --url "$U" current
    want=$(text_ids)
    run --url "$U" status --json
    expect_eq "$what: status current is current's" "$want" "$(json "$(echo "$ids" | sed s/KEY/\"current\"/)")"
    run --url "$U" status
    expect_contains "$what: text pending" "Pending: 1 revision, in the order upgrade applies them:" "$out"
}

check_db sqlite "sqlite:///$work/s.db"

run heads
want=$(text_ids)
run heads --json
expect_eq "heads --json" "$want" "$(json "$(echo "$ids" | sed s/KEY/\"heads\"/)")"
expect_eq "heads --json: head" True "$(json 'd["heads"][0]["head"]')"
RT_HISTORY=twoheads run heads
want=$(text_ids)
RT_HISTORY=twoheads run heads --json
expect_eq "two heads --json" "$want" "$(json "$(echo "$ids" | sed s/KEY/\"heads\"/)")"
expect_eq "two heads --json: labels" "[[], ['side']]" "$(json '[r["branch_labels"] for r in d["heads"]]')"

for range in "" aaa100:bbb200 bbb200: ; do
    run history ${range:+-r "$range"}
    want=$(text_ids)
    run history ${range:+-r "$range"} --json
    expect_eq "history ${range:+-r $range }--json" "$want" "$(json "$(echo "$ids" | sed s/KEY/\"revisions\"/)")"
done
run history --json
expect_eq "history --json: a merge's parents" "['bbb200', 'aab300']" \
    "$(json '[r["parents"] for r in d["revisions"] if r["mergepoint"]][0]')"
expect_eq "history --json: the branchpoint" aaa100 \
    "$(json '[r["revision"] for r in d["revisions"] if r["branchpoint"]][0]')"
expect_eq "history --json: messages" "add index" "$(json 'd["revisions"][0]["message"]')"

for cmd in branches show upgrade downgrade stamp verify; do
    run $cmd --json
    expect_eq "--json with $cmd: usage error" 2 "$status"
done

if [ -n "$pgdir" ]; then
    . "$pgdir/env"
    psql -qX "$(cat "$pgdir/url")" -c "DROP DATABASE IF EXISTS rt_status" \
        -c "CREATE DATABASE rt_status" >/dev/null 2>&1
    check_db postgresql "postgresql:///rt_status?host=$PGC_SOCK&port=$PGC_PORT&user=postgres"
fi

finish
