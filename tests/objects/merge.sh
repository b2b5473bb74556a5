#!/bin/sh
# merge.sh RETORT DIR: a view created on one branch and a trigger on the
# other are both in the merge's schema; both go again after it.
set -u
retort=$1 dir=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
"$retort" check "$dir" || fail "check"
at_d=$("$retort" schema "$dir" --model --at d) || fail "schema --at d"
echo "$at_d"
echo "$at_d" | grep -q '^create_view v as' || fail "the merge lost the view"
echo "$at_d" | grep -q '^create_trigger tr on t' || fail "the merge lost the trigger"
head=$("$retort" schema "$dir" --model) || fail "schema"
echo "$head" | grep -q 'create_view v \|create_trigger' && fail "dropped objects remain"
echo "$head" | grep -q '^create_view w as' || fail "the conditional view is missing"
echo "merge: ok"
