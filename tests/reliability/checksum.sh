#!/bin/sh
# checksum.sh DIALECT MIGRATOR WORKDIR [PGDIR]: the checksums of applied
# revisions, with the hand-written history of tests/runtime/hist.c and its
# `changed` variant (RT_HISTORY=changed: the same history, but bbb200's
# checksum differs, as if its file had been edited after it was applied).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

SUM_B=b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0
SUM_B2=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2
DB=rel_sums
newdb $DB
U=$(url $DB)
own() { q $DB "SELECT revision || ' ' || state FROM ${1:-alembic_version}_retort ORDER BY revision" | paste -sd, -; }
sum() { q $DB "SELECT checksum FROM alembic_version_retort WHERE revision = '$1'"; }

# --- recorded with each revision, in its transaction ---
run --url "$U" upgrade
expect_eq "upgrade" "0 eee500" "$status $(rows $DB)"
expect_eq "a row per applied revision" \
    "aaa100 applied,aab300 applied,bbb200 applied,ddd400 applied,eee500 applied" "$(own)"
expect_eq "the history's checksum" $SUM_B "$(sum bbb200)"

# --- an edited revision is refused before any SQL runs ---
MSG="error: revision bbb200 (bbb200_account.rev) was applied with different contents; refusing to migrate"
RT_HISTORY=changed run --url "$U" upgrade
expect_eq "changed: upgrade refused" 1 "$status"
expect_contains "changed: names the revision and file" "$MSG" "$err"
expect_eq "changed: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
RT_HISTORY=changed run --url "$U" -v downgrade -1
expect_eq "changed: downgrade refused" 1 "$status"
expect_contains "changed: downgrade says why" "$MSG" "$err"
expect_lacks "changed: no SQL ran" "DROP" "$err"
expect_eq "changed: still at eee500" eee500 "$(rows $DB)"
RT_HISTORY=changed run --url "$U" check
expect_eq "changed: check fails" 1 "$status"
expect_contains "changed: check says so" \
    "changed revision bbb200 (bbb200_account.rev): applied with different contents" "$out"
RT_HISTORY=changed run --url "$U" current
expect_eq "changed: current works" "0 eee500 (head)" "$status $out"
# current reads no checksums (its cost must not grow with the history);
# check and upgrade are where a changed revision is reported.
expect_lacks "changed: current stays quiet" "different contents" "$err"
run --url "$U" check
expect_eq "the original history: check passes" 0 "$status"

# --- stamp records the contents it is told are right ---
RT_HISTORY=changed run --url "$U" stamp eee500
expect_eq "changed: stamp" 0 "$status"
expect_eq "stamp recorded the new checksum" $SUM_B2 "$(sum bbb200)"
RT_HISTORY=changed run --url "$U" upgrade
expect_eq "changed: accepted after stamp" 0 "$status"
run --url "$U" upgrade
expect_eq "now the original is refused" 1 "$status"
expect_contains "now the original is refused: why" "$MSG" "$err"
run --url "$U" stamp eee500
expect_eq "stamp back" "0 $SUM_B" "$status $(sum bbb200)"

# --- downgrade removes the rows, in the same transaction ---
run --url "$U" downgrade aaa100
expect_eq "downgrade: rows removed" "aaa100 applied" "$(own)"
run --url "$U" upgrade
expect_eq "upgrade again: recorded again" 5 "$(own | tr , '\n' | wc -l)"

# --- stamp keeps the rows in line with the version table ---
run --url "$U" stamp bbb200
expect_eq "stamp back to bbb200 (aab300 is on another branch)" \
    "aab300,bbb200 aaa100 applied,aab300 applied,bbb200 applied" "$(rows $DB) $(own)"
run --url "$U" stamp base
expect_eq "stamp base: no rows" "" "$(own)"
run --url "$U" stamp eee500
expect_eq "stamp eee500: every applied revision recorded" 5 "$(own | tr , '\n' | wc -l)"
q $DB "INSERT INTO alembic_version_retort (revision, checksum, state) VALUES ('zzz999', 'ff', 'applied')"
run --url "$U" stamp --purge eee500
expect_eq "stamp --purge: rows rebuilt" \
    "aaa100 applied,aab300 applied,bbb200 applied,ddd400 applied,eee500 applied" "$(own)"

# --- a database that Alembic migrated: accepted as it is ---
run --url "$U" downgrade aaa100
q $DB "DROP TABLE alembic_version_retort"
RT_HISTORY=changed run --url "$U" upgrade
expect_eq "no table of ours: accepted" "0 eee500" "$status $(rows $DB)"
expect_eq "nothing recorded retroactively" \
    "aab300 applied,bbb200 applied,ddd400 applied,eee500 applied" "$(own)"
q $DB "DELETE FROM alembic_version_retort WHERE revision = 'bbb200'"
run --url "$U" downgrade aaa100
expect_eq "no row for a revision: accepted" "0 aaa100" "$status $(rows $DB)"
# A row left by a revision that Alembic then downgraded: replaced.
q $DB "INSERT INTO alembic_version_retort (revision, checksum, state) VALUES ('bbb200', 'abcdef', 'applied')"
run --url "$U" upgrade
expect_eq "a stale row of an unapplied revision: accepted" "0 eee500" "$status $(rows $DB)"
expect_eq "the stale row replaced" $SUM_B "$(sum bbb200)"
expect_eq "Alembic's table is untouched" "version_num" \
    "$(q $DB "SELECT name FROM pragma_table_info('alembic_version')" 2>/dev/null ||
       q $DB "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'alembic_version'")"

expect_eq "no row for aaa100 (Alembic applied it)" \
    "aab300 applied,bbb200 applied,ddd400 applied,eee500 applied" "$(own)"

# --- another version table keeps its own records ---
newdb ${DB}_2
q ${DB}_2 "CREATE TABLE alembic_version_retort (x INTEGER)"
run --url "$(url ${DB}_2)" --version-table other_versions upgrade aaa100
expect_eq "--version-table: its own rows" "aaa100 applied" \
    "$(q ${DB}_2 "SELECT revision || ' ' || state FROM other_versions_retort")"
expect_eq "--version-table: the default's untouched" 0 \
    "$(q ${DB}_2 "SELECT count(*) FROM alembic_version_retort")"

# --- offline scripts stay Alembic's ---
run upgrade --sql --dialect $dialect
# (A check step's temporary table, dropped by the script itself, aside.)
expect_lacks "offline: no table of ours" "_retort" \
    "$(printf '%s\n' "$out" | grep -v '"_retort_check"')"

finish
