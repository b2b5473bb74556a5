#!/bin/sh
# run.sh EXPECTED_STATUS EXPECTED_STDOUT_FILE -- COMMAND...: runs COMMAND
# (from this directory, so paths in messages are relative) and fails
# unless it exits with EXPECTED_STATUS and prints exactly the file.
status_want=$1 file=$2
shift 3
cd "$(dirname "$0")" || exit 1
out=$("$@" 2>/tmp/retort-lint-err.$$)
status=$?
rm -f /tmp/retort-lint-err.$$
want=$(cat "$file")
rc=0
if [ "$status" != "$status_want" ]; then
    echo "FAIL: exit status $status, expected $status_want" >&2
    rc=1
fi
if [ "$out" != "$want" ]; then
    echo "FAIL: the output differs from $file:" >&2
    printf '%s\n' "$out" | diff -u "$file" - >&2
    rc=1
fi
[ $rc = 0 ] && echo "ok: $*"
exit $rc
