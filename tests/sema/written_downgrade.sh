#!/bin/sh
# A written downgrade that leaves the schema other than it was before the
# upgrade is a warning at its `downgrade` line (with what differs), and
# only such a downgrade: `check` still exits 0.
# usage: written_downgrade.sh RETORT (run from tests/sema)
out=$("$1" check written_downgrade 2>&1)
status=$?
printf '%s\n' "$out"
fail() { echo "written_downgrade: $*" >&2; exit 1; }
[ "$status" -eq 0 ] || fail "check exited $status"
[ "$(printf '%s\n' "$out" | grep -c 'warning:')" -eq 2 ] || fail "expected exactly 2 warnings"
printf '%s\n' "$out" | grep -qF "written_downgrade/b.rev:7:1: warning: the downgrade of revision b does not undo its upgrade" || fail "no warning for b"
printf '%s\n' "$out" | grep -qF "note: column users.age is in the schema after the downgrade but not in the schema before the upgrade" || fail "no note for users.age"
printf '%s\n' "$out" | grep -qF "an empty downgrade does nothing" || fail "no hint for the empty block"
printf '%s\n' "$out" | grep -qF "written_downgrade/e.rev:7:1: warning: the downgrade of revision e does not undo its upgrade" || fail "no warning for e"
printf '%s\n' "$out" | grep -qF "note: column users.cost is in the schema after the downgrade but not in the schema before the upgrade" || fail "no note for users.cost"
exit 0
