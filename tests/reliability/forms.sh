#!/bin/sh
# forms.sh DIALECT MIGRATOR WORKDIR [PGDIR], with FORMS_PGEDIT and
# FORMS_COMMENT naming two more migrators: the checksum of an applied
# revision is a statement about what it means for the database's dialect.
#   MIGRATOR       built from forms/v1;
#   FORMS_PGEDIT   the same history with an edit inside `if dialect
#                  postgresql` of the first revision (lock_timeout 5s -> 10s);
#   FORMS_COMMENT  the same history with comments, layout and keyword case
#                  of the first revision changed, and nothing else.
# Also: a database holding the checksums of the previous form (retort
# 0.1, history ABI 2, which hashed the rendered SQL of every dialect)
# upgrades with no manual step, and its rows are moved to the new form.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# What the ABI 2 migrator (retort 0.1.0, commit a48a901) recorded for
# forms/v1, read from a database it upgraded: a fixture of data deployed
# databases hold, not a value this test computes.
OLD_F1=a8382e26f28dd09ef4e2664f27a3f3ffc649f25b36d3b9c54f3e8586d5203966
OLD_F2=ff14e5e980c33ea5e2396106e1f40301bf02cd734c16fefe5fbcd203b9de440a
F1=f1a2b3c4d5e6
F2=f2b3c4d5e6f7
V1=$H
sum() { q "$1" "SELECT checksum FROM alembic_version_retort WHERE revision = '$2'"; }
with() { H=$1; shift; run "$@"; H=$V1; }

# --- today's form: one per dialect, written with each revision ---
newdb ref
U=$(url ref)
run --url "$U" upgrade head
expect_eq "v1: upgrade" "0 $F2" "$status $(rows ref)"
NEW_F1=$(sum ref $F1)
expect_eq "v1: a 64-digit checksum" 64 "${#NEW_F1}"
[ "$NEW_F1" != "$OLD_F1" ] || fail "the new form equals the ABI 2 form"

# --- an edit that concerns only PostgreSQL ---
with "$FORMS_PGEDIT" --url "$U" upgrade head
if [ "$dialect" = sqlite ]; then
    expect_eq "pg-only edit: SQLite upgrades" 0 "$status"
    expect_lacks "pg-only edit: SQLite says nothing of contents" "different contents" "$err"
    with "$FORMS_PGEDIT" --url "$U" check
    expect_eq "pg-only edit: SQLite check passes" 0 "$status"
else
    expect_eq "pg-only edit: PostgreSQL refuses" 1 "$status"
    expect_contains "pg-only edit: PostgreSQL says why" \
        "revision $F1 (f1a2b3c4d5e6_accounts.rev) was applied with different contents" "$err"
    with "$FORMS_PGEDIT" --url "$U" check
    expect_eq "pg-only edit: PostgreSQL check fails" 1 "$status"
fi
expect_eq "pg-only edit: the row is as it was" "$NEW_F1" "$(sum ref $F1)"

# --- comments, layout and keyword case count on no dialect ---
with "$FORMS_COMMENT" --url "$U" downgrade base
expect_eq "comment-only edit: downgrade accepted" "0 " "$status $(rows ref)"
with "$FORMS_COMMENT" --url "$U" upgrade head
expect_eq "comment-only edit: upgrade" "0 $F2" "$status $(rows ref)"
expect_eq "comment-only edit: the same checksum" "$NEW_F1" "$(sum ref $F1)"

# --- a database that the ABI 2 migrator left at F1 ---
newdb old
U=$(url old)
run --url "$U" upgrade $F1
q old "UPDATE alembic_version_retort SET checksum = '$OLD_F1'"
expect_eq "old form: planted" "$OLD_F1" "$(sum old $F1)"
run --url "$U" check
expect_lacks "old form: check does not call it changed" "changed revision" "$out"
run --url "$U" upgrade head
expect_eq "old form: upgrade with no manual step" "0 $F2" "$status $(rows old)"
expect_lacks "old form: no complaint" "different contents" "$err"
expect_eq "old form: moved to the new form" "$NEW_F1" "$(sum old $F1)"

# --- at head, every row of the old form: downgrade moves them too ---
q old "UPDATE alembic_version_retort SET checksum = CASE revision WHEN '$F1' THEN '$OLD_F1' ELSE '$OLD_F2' END"
run --url "$U" downgrade -1
expect_eq "old form: downgrade" "0 $F1" "$status $(rows old)"
expect_eq "old form: downgrade moved the rest" "$NEW_F1" "$(sum old $F1)"

# --- an old-form row of other contents is still refused ---
q old "UPDATE alembic_version_retort SET checksum = '$OLD_F2'"
run --url "$U" upgrade head
expect_eq "a wrong old-form row is refused" 1 "$status"
expect_contains "a wrong old-form row: why" "different contents" "$err"

finish
