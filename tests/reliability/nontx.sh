#!/bin/sh
# nontx.sh DIALECT MIGRATOR WORKDIR [PGDIR]: an interrupted `transaction
# none` revision (the `nontx` history: n1 -> n2 outside a transaction, three
# statements -> n3).  Stopped at every statement boundary of an upgrade and
# of a downgrade: when n2 was under way, the next run must say that n2 is
# incomplete and refuse upgrade and downgrade until `stamp` says how to
# continue; `check` reports it too.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_nontx
new() {
    fresh $DB
    U=$(url $DB)
}
F=20250101_0000-n2_outside.rev

marker() { q $DB "SELECT state FROM alembic_version_retort WHERE revision = 'n2'" 2>/dev/null; }

# Undoes by hand whatever part of n2 ran (the repair a person would do).
undo_n2() {
    q $DB "DROP INDEX IF EXISTS ix_items_b" >/dev/null
    for c in c b; do
        if has_column $DB items $c; then
            q $DB "ALTER TABLE items DROP COLUMN $c" >/dev/null
        fi
    done
}

# expect_refusals WHAT: upgrade refuses; so do downgrade, and check and
# current report it (these only the first few times: they are slow).
refusals=0
expect_refusals() {
    run --url "$U" upgrade
    expect_eq "$1: upgrade refuses" 1 "$status"
    expect_contains "$1: upgrade names the revision" "revision n2 ($F) is incomplete" "$err"
    expect_eq "$1: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
    refusals=$((refusals + 1))
    [ $refusals -le 3 ] || return 0
    run --url "$U" downgrade base
    expect_eq "$1: downgrade refuses" 1 "$status"
    expect_contains "$1: downgrade names the revision" "revision n2 ($F) is incomplete" "$err"
    run --url "$U" check
    expect_eq "$1: check fails" 1 "$status"
    expect_contains "$1: check says so" "incomplete revision n2 ($F)" "$out"
    run --url "$U" current
    expect_contains "$1: current warns" "revision n2 ($F) is incomplete" "$err"
}

# --- upgrades stopped at every boundary ---
seen_partial=0
seen_whole=0
n=1
while :; do
    new
    RETORT_TEST_CRASH_AFTER=$n "$H" -q --url "$U" upgrade >/dev/null 2>&1
    s=$?
    [ $s -eq 0 ] && break
    [ $s -eq 137 ] || { fail "upgrade N=$n: exit $s"; break; }
    marked=
    if [ "$(marker)" = upgrading ]; then
        marked=1
        expect_refusals "upgrade N=$n"
        if has_column $DB items c; then
            # Every statement ran: say so.
            seen_whole=$((seen_whole + 1))
            run --url "$U" stamp n2
            expect_eq "upgrade N=$n: stamp n2" "0 n2" "$status $(rows $DB)"
        else
            seen_partial=$((seen_partial + 1))
            undo_n2
            run --url "$U" stamp n1
            expect_eq "upgrade N=$n: stamp n1" "0 n1" "$status $(rows $DB)"
        fi
        expect_lacks "upgrade N=$n: stamp clears the marker" "upgrading" "$(marker)"
    fi
    verify_whole "upgrade N=$n" $DB
    run --url "$U" upgrade
    expect_eq "upgrade N=$n: then to head" "0 n3" "$status $(rows $DB)"
    # (crash.sh checks every boundary of transactional revisions.)
    if [ -n "$marked" ] || [ $((n % 4)) -eq 0 ]; then
        run --url "$U" check
        expect_eq "upgrade N=$n: check" 0 "$status"
    fi
    n=$((n + 1))
done
[ $seen_partial -ge 2 ] || fail "no stop inside n2's upgrade ($seen_partial)"
[ $seen_whole -ge 1 ] || fail "no stop after n2's statements ($seen_whole)"

# --- downgrades stopped at every boundary ---
seen=0
n=1
while :; do
    new
    "$H" -q --url "$U" upgrade || fail "downgrade N=$n: upgrade"
    RETORT_TEST_CRASH_AFTER=$n "$H" -q --url "$U" downgrade base >/dev/null 2>&1
    s=$?
    [ $s -eq 0 ] && break
    [ $s -eq 137 ] || { fail "downgrade N=$n: exit $s"; break; }
    if [ "$(marker)" = downgrading ]; then
        seen=$((seen + 1))
        [ $seen -eq 1 ] && refusals=0
        expect_refusals "downgrade N=$n"
        expect_contains "downgrade N=$n: how to continue" "'stamp n1' if the downgrade is complete" "$(
            "$H" --url "$U" upgrade 2>&1)"
        undo_n2
        run --url "$U" stamp n1
        expect_eq "downgrade N=$n: stamp n1" "0 n1" "$status $(rows $DB)"
    fi
    verify_whole "downgrade N=$n" $DB
    run --url "$U" downgrade base
    expect_eq "downgrade N=$n: then to base" "0 " "$status $(rows $DB)"
    if [ $((n % 4)) -eq 0 ]; then
        run --url "$U" check
        expect_eq "downgrade N=$n: check at base" 1 "$status"
        expect_eq "downgrade N=$n: nothing differs at base" "" "$(diffs)"
    fi
    n=$((n + 1))
done
[ $seen -ge 2 ] || fail "no stop inside n2's downgrade ($seen)"

# --- a statement of n2 fails: the run says the database may hold part ---
new
run --url "$U" upgrade n1
q $DB "CREATE INDEX ix_items_b ON items (name)" >/dev/null
run --url "$U" upgrade
expect_eq "failing statement: status" 1 "$status"
expect_contains "failing statement: names n2" "error: revision n2 ($F): CREATE INDEX" "$err"
expect_contains "failing statement: partial" "runs outside a transaction: the database may hold part of it" "$err"
expect_eq "failing statement: one error line" 1 "$(printf '%s\n' "$err" | grep -vc '^Running ')"
run --url "$U" upgrade
expect_contains "failing statement: then refused" "revision n2 ($F) is incomplete" "$err"
undo_n2
run --url "$U" stamp n1
run --url "$U" upgrade
expect_eq "failing statement: repaired" "0 n3" "$status $(rows $DB)"
# check rebuilds the expected schema through n2, VACUUM and all.
run --url "$U" check
expect_eq "at head: check passes over a transaction none revision" 0 "$status"

# --- a marker row: stamp --purge clears it too ---
new
RETORT_TEST_CRASH_AFTER=1000 "$H" -q --url "$U" upgrade n1 >/dev/null 2>&1
q $DB "INSERT INTO alembic_version_retort (revision, checksum, state) VALUES ('n2', '', 'upgrading')" >/dev/null
run --url "$U" upgrade
expect_eq "hand-made marker: refused" 1 "$status"
run --url "$U" stamp --purge n1
expect_eq "stamp --purge: marker cleared" "0 " "$status $(marker)"
run --url "$U" upgrade
expect_eq "stamp --purge: then upgrade" "0 n3" "$status $(rows $DB)"

finish
