#!/bin/sh
# checkrace.sh DIALECT MIGRATOR WORKDIR [PGDIR]: `check` run again and
# again while another migrator moves the same database (the `chain`
# history: up to head, down to base, and again).  Every check must see a
# whole revision: exit 0 at head or 1 "not at head", and never a
# difference that is not there (issue 11 item 9: 9 false reports in 20
# on PostgreSQL, 3 in 12 on SQLite).  At least 20 checks, and on until
# the other migrator has finished two runs, so that the checks overlap
# its work; bounded by a number of checks, not by time.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_checkrace
U=$(url $DB)
newdb $DB

# The other migrator; it stops at the end of a run once `stop` exists.
rm -f stop runs
(
    while [ ! -f stop ]; do
        "$H" --url "$U" -q upgrade >/dev/null 2>>mover.err || echo "upgrade failed" >>mover.err
        echo up >>runs
        [ -f stop ] && break
        "$H" --url "$U" -q downgrade base >/dev/null 2>>mover.err || echo "downgrade failed" >>mover.err
        echo down >>runs
    done
) &
mover=$!

checks=0
false_reports=0
seen_head=0
seen_other=0
while [ $checks -lt 400 ]; do
    runs=$(cat runs 2>/dev/null | wc -l)
    [ $checks -ge 20 ] && [ "$runs" -ge 2 ] && break
    run --url "$U" check
    checks=$((checks + 1))
    case "$status:$err" in
    "0:") seen_head=$((seen_head + 1)) ;;
    "1:error: the database is not at head") seen_other=$((seen_other + 1)) ;;
    *)
        false_reports=$((false_reports + 1))
        echo "check $checks: exit $status: $err" >&2
        printf '%s\n' "$out" | sed "s/^/    /" >&2
        ;;
    esac
    d=$(diffs)
    if [ -n "$d" ] && [ "$status" -le 1 ] && [ -z "${err##*not at head}" ]; then
        false_reports=$((false_reports + 1))
        echo "check $checks: differences reported: $d" >&2
    fi
done
touch stop
wait $mover
echo "checks: $checks (at head $seen_head, elsewhere $seen_other); mover runs: $(cat runs | wc -l)"
expect_eq "no false report in $checks checks" 0 $false_reports
expect_eq "the other migrator never failed" "" "$(cat mover.err 2>/dev/null)"
runs=$(cat runs | wc -l)
[ "$runs" -ge 2 ] || fail "the other migrator finished $runs runs during the checks"

finish
