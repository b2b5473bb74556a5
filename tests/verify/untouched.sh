#!/bin/sh
# untouched.sh DIALECT MIGRATOR WORKDIR [PGDIR]: verify finds a difference
# in a table the revision's upgrade never touched (tests/verify/untouched:
# u2's downgrade indexes `b`).  verify compares the whole schema at every
# step, however it narrows the work down: a walk that compared only the
# tables a revision touches would pass this history.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

newdb vuntouched
run -q --url "$(url vuntouched)" verify
expect_eq "untouched table: verify fails" 1 "$status"
expect_contains "untouched table: the step" "after the downgrade of u2 (u2.rev)" "$out"
expect_contains "untouched table: what differs" "ix_b_label" "$out"
expect_lacks "untouched table: u3 not reached" "of u3" "$out"
finish
