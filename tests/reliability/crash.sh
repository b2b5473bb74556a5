#!/bin/sh
# crash.sh DIALECT MIGRATOR WORKDIR [PGDIR]: crash safety on the `chain`
# history (gen.sh).  The migrator is stopped (the test-only hook
# RETORT_TEST_CRASH_AFTER=N: _exit(137) right after the Nth statement) at
# EVERY statement boundary of an upgrade from base to head; after each
# stop the version table must name a whole revision whose schema the
# database has exactly (the drift check), and a plain second run must
# finish at head with every data statement run exactly once.  Then a few
# real `kill -9` at random moments of an upgrade.
#
# Workers share the boundaries (N = W, W + WORKERS, ...), each with a database
# of its own (they would otherwise share the migration lock).  On
# PostgreSQL each boundary gets a schema of its own in its worker's
# database (the URL's options=-csearch_path): much cheaper than a database
# each.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_crash
HEAD=c050
COUNT=10
# Workers: PostgreSQL's time is mostly the server's, so more workers than
# cores still help there.
WORKERS=2
[ "$dialect" = postgresql ] && WORKERS=4
MAXN=2000

# target N W: the database (SQLite) or schema (PostgreSQL) for boundary N
# of worker W; sets T (the URL) and Q (the `q` database name).
target() {
    if [ "$dialect" = sqlite ]; then
        Q=${DB}_$2
        newdb "$Q"
        T=$(url "$Q")
    else
        Q=${DB}_$2
        T="$(url "$Q")&options=-csearch_path%3Ds_$1"
    fi
}

# counter_ok N: the counter of boundary N holds each INSERT once.  On
# PostgreSQL all are checked at the end, in one query.
counter_ok() {
    [ "$dialect" = postgresql ] && return 0
    c=$(q "$Q" 'SELECT count(*) FROM counter')
    [ "$c" = $COUNT ] || echo "FAIL: N=$1: counter has $c rows, not $COUNT"
}

# worker W: boundaries W, W+WORKERS, ... until a run is not interrupted.
worker() {
    work=$work/w$1
    mkdir -p "$work"
    n=$1
    stops=0
    while [ $n -le $MAXN ]; do
        target $n $1
        RETORT_TEST_CRASH_AFTER=$n "$H" -q --url "$T" upgrade >/dev/null 2>"$work/crash.err"
        s=$?
        if [ $s -eq 0 ]; then
            echo "last=$n"
            break
        fi
        if [ $s -ne 137 ]; then
            echo "FAIL: N=$n: the interrupted run exited $s: $(cat "$work/crash.err")"
            break
        fi
        stops=$((stops + 1))
        # A whole revision, with exactly its schema.
        run --url "$T" check
        if [ "$status" -gt 1 ] || [ -n "$(diffs)" ]; then
            echo "FAIL: N=$n: not a whole revision ($status): $(diffs) $err"
        fi
        # A plain second run finishes.
        run --url "$T" -q upgrade
        [ "$status" -eq 0 ] || echo "FAIL: N=$n: the second run failed ($status): $err"
        counter_ok $n
        # Every tenth boundary of a worker, the drift check at head too.
        if [ $((stops % 10)) -eq 0 ]; then
            run --url "$T" check
            [ "$status" -eq 0 ] || echo "FAIL: N=$n: check after the second run: $out $err"
        fi
        n=$((n + WORKERS))
    done
    echo "stops=$stops"
}

if [ "$dialect" = postgresql ]; then
    w=1
    while [ $w -le $WORKERS ]; do
        newdb ${DB}_$w
        i=$w
        while [ $i -le 700 ]; do echo "CREATE SCHEMA s_$i;"; i=$((i + WORKERS)); done >schemas.sql
        psql -qX -v ON_ERROR_STOP=1 "$(url ${DB}_$w)" -f schemas.sql >/dev/null || fail "schemas"
        w=$((w + 1))
    done
fi

w=1
while [ $w -le $WORKERS ]; do
    worker $w >"worker$w.log" 2>&1 &
    eval "pid$w=\$!"
    w=$((w + 1))
done
w=1
while [ $w -le $WORKERS ]; do
    eval "wait \$pid$w"
    w=$((w + 1))
done
cat worker*.log | grep '^FAIL' >&2
failures=$((failures + $(cat worker*.log | grep -c '^FAIL')))
stops=$(awk -F= '/^stops=/ { s += $2 } END { print s + 0 }' worker*.log)
last=$(cat worker*.log | sed -n 's/^last=//p' | sort -n | head -1)
echo "stopped at each of $stops statement boundaries; a whole run has $((last - 1))"
[ "$stops" -eq $((last - 1)) ] || fail "some boundary was skipped ($stops of $((last - 1)))"
# At least BEGIN, a statement, the version-table batch (version row and
# retort's row in one exec) and COMMIT for each of the 50 revisions.
[ "$stops" -gt 200 ] || fail "only $stops boundaries: is the crash hook counting?"
[ "$stops" -lt 700 ] || fail "$stops boundaries: more schemas needed"

if [ "$dialect" = postgresql ]; then
    bad=""
    w=1
    while [ $w -le $WORKERS ]; do
        i=$w
        {
            echo "SELECT s FROM ("
            while [ $i -le "$stops" ]; do
                [ $i -gt $w ] && echo "UNION ALL"
                echo "SELECT $i AS s, (SELECT count(*) FROM s_$i.counter) AS c"
                i=$((i + WORKERS))
            done
            echo ") AS x WHERE c <> $COUNT;"
        } >counts.sql
        bad="$bad$(psql -qXAt -v ON_ERROR_STOP=1 "$(url ${DB}_$w)" -f counts.sql 2>&1 | paste -sd' ' -)"
        w=$((w + 1))
    done
    expect_eq "every INSERT exactly once, at every boundary" "" "$bad"
fi

# Real kill -9 at random moments of an upgrade.
U=$(url ${DB}_k)
newdb ${DB}_k
t0=$(date +%s%N)
"$H" -q --url "$U" upgrade
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ $ms -gt 0 ] || ms=1
k=1
while [ $k -le 6 ]; do
    newdb ${DB}_k
    delay=$(awk -v seed=$((k * 7919 + $$)) -v ms=$ms 'BEGIN { srand(seed); printf "%.3f", rand() * ms / 1000 }')
    "$H" -q --url "$U" upgrade >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    echo "kill -9 after ${delay}s (a run takes ${ms}ms): at [$(rows ${DB}_k)]"
    verify_whole "kill -9 #$k" ${DB}_k
    run --url "$U" -q upgrade
    expect_eq "kill -9 #$k: a second run finishes" "0 $HEAD" "$status $(rows ${DB}_k)"
    expect_eq "kill -9 #$k: each INSERT once" $COUNT "$(q ${DB}_k 'SELECT count(*) FROM counter')"
    k=$((k + 1))
done

if [ "$dialect" = postgresql ]; then
    w=1
    while [ $w -le $WORKERS ]; do
        psql -qX "$base_url" -c "DROP DATABASE IF EXISTS ${DB}_$w WITH (FORCE)" >/dev/null 2>&1
        w=$((w + 1))
    done
    psql -qX "$base_url" -c "DROP DATABASE IF EXISTS ${DB}_k WITH (FORCE)" >/dev/null 2>&1
fi
finish
