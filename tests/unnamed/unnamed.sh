#!/bin/sh
# unnamed.sh DIALECT MIGRATOR WORKDIR [PGDIR]: constraints created without
# a name (history/): on PostgreSQL each has the name PostgreSQL gives it;
# on both databases later revisions find them by that name; `check`
# agrees; the derived downgrades drop and bring back exactly those.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

if [ "$dialect" = postgresql ]; then
    names() { q un "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint
                    WHERE conrelid = 'users'::regclass AND contype <> 'p'"; }
    at_u2="users_check users_code_key users_qty_check users_team_id_fkey users_team_id_fkey1"
    at_u3="users_code_key users_qty_check users_team_id_fkey1"
else
    # The kinds SQLite keeps: foreign keys, unique keys, CHECKs in the text.
    names() { q un "SELECT 'fk=' || (SELECT count(*) FROM pragma_foreign_key_list('users')) ||
                     ' unique=' || (SELECT count(*) FROM pragma_index_list('users') WHERE origin = 'u') ||
                     ' check=' || ((length(sql) - length(replace(sql, 'CHECK', ''))) / 5)
                     FROM sqlite_master WHERE name = 'users'"; }
    at_u2="fk=2 unique=1 check=2"
    at_u3="fk=1 unique=1 check=1"
fi

newdb un
U=$(url un)
run --url "$U" upgrade u2
expect_eq "u2: the constraints, by PostgreSQL's names" "0 $at_u2" "$status $(names)"
run --url "$U" upgrade head
expect_eq "u3: dropped by their default names" "0 $at_u3" "$status $(names)"
run --url "$U" check
expect_eq "check at head" 0 "$status"
run --url "$U" downgrade u2
expect_eq "downgrade u2: the dropped ones are back" "0 $at_u2" "$status $(names)"
run --url "$U" downgrade u1
expect_eq "downgrade u1: none left" "0 u1" "$status $(rows un)"
[ "$dialect" = postgresql ] && expect_eq "u1: no constraint" "" "$(names)"
[ "$dialect" = sqlite ] && expect_eq "u1: no constraint" "fk=0 unique=0 check=0" "$(names)"
run --url "$U" upgrade head
run --url "$U" check
expect_eq "upgrade head again, check" 0 "$status"
finish
