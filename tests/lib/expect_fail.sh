#!/bin/sh
# expect_fail.sh EXPECTED -- COMMAND [ARGS...]
#
# Runs COMMAND and passes when it exits non-zero (but not by a signal) and
# its combined output contains the fixed string EXPECTED.  Used by the
# error-class tests: EXPECTED is usually "file.rev:LINE:COL: error: ...".
expected=$1
shift
[ "$1" = "--" ] && shift
out=$("$@" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -eq 0 ]; then
    echo "expect_fail: the command succeeded; it should have failed" >&2
    exit 1
fi
if [ "$status" -gt 125 ]; then
    echo "expect_fail: the command died with status $status" >&2
    exit 1
fi
case "$out" in
*"$expected"*) exit 0 ;;
esac
echo "expect_fail: the output lacks: $expected" >&2
exit 1
