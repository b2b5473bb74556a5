#!/bin/sh
# verify.sh DIALECT SAMPLE_MIGRATOR PLANTED_MIGRATOR WORKDIR [PGDIR]:
# `verify` passes over the sample history (branches, a merge, rebuilds,
# transaction none); it stops at the planted non-inverse downgrade of
# tests/verify/planted (v2) and says which step and what differs; it
# refuses a database that is not a scratch one unless --force.
sample=$2
planted=$3
set -- "$1" "$3" "$4" "${5:-}"
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"
case $sample in /*) ;; *) sample=$OLDPWD/$sample ;; esac

newdb vsample
run_sample() { "$sample" "$@" >"$work/out" 2>"$work/err"; status=$?; out=$(cat "$work/out"); err=$(cat "$work/err"); }
run_sample -q --url "$(url vsample)" verify
expect_eq "sample history: verify passes" 0 "$status"
expect_contains "sample history: says so" "verified 17 revisions" "$out"
run_sample -q --url "$(url vsample)" verify
expect_eq "not a scratch database: refused" 1 "$status"
expect_contains "not a scratch database: the way out" "--force" "$err"

newdb vplanted
run -q --url "$(url vplanted)" verify
expect_eq "planted: verify fails" 1 "$status"
expect_contains "planted: the step" "after the downgrade of v2 (v2.rev)" "$out"
expect_contains "planted: what differs" "cost" "$out"
expect_lacks "planted: v3 not reached" "of v3" "$out"
expect_contains "planted: one error line" "verify: the downgrade of revision v2 (v2.rev)" "$err"

newdb vforce
q vforce "CREATE TABLE other (x integer)" >/dev/null
run -q --url "$(url vforce)" verify
expect_eq "a table of its own: refused" 1 "$status"
newdb vforce2
run -q --url "$(url vforce2)" upgrade v1
run -q --url "$(url vforce2)" verify
expect_eq "at v1: refused" 1 "$status"
run -q --url "$(url vforce2)" verify --force
expect_contains "--force: goes on from v1 (and finds the planted bug)" "after the downgrade of v2" "$out"
expect_lacks "--force: v1 is not walked again" "of v1" "$out"
run_sample -q --url "$(url vsample)" verify --force
expect_contains "--force at head: nothing walked, and it says so" "verified 0 revisions" "$out"
finish
