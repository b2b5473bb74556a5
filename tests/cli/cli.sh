#!/bin/sh
# cli.sh RETORT VERSION: the compiler's command line: --version, --help for
# every command, "did you mean" for misspelt commands and options, and
# exit 2 with one line for every usage error.
retort=$1 version=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# expect WHAT STATUS NEEDLE -- ARGS: the exit status, and NEEDLE in the
# output (stdout and stderr together).
expect() {
    what=$1 want=$2 needle=$3
    shift 4
    out=$("$retort" "$@" 2>&1)
    status=$?
    if [ "$status" != "$want" ]; then
        fail "$what: exit $status, expected $want: $out"
    else
        case $out in
        *"$needle"*) ok "$what" ;;
        *) fail "$what: [$out] lacks [$needle]" ;;
        esac
    fi
}

expect "--version" 0 "retort $version (history ABI " -- --version
expect "--help" 0 "usage: retort COMMAND DIR" -- --help
for cmd in compile check heads history branches show schema sql revision merge lint; do
    expect "$cmd --help" 0 "usage: retort $cmd DIR" -- "$cmd" --help
done
expect "no command" 2 "usage: retort COMMAND DIR" --
expect "misspelt command" 2 "unknown command 'chek'; did you mean 'check'?" -- chek dir
expect "misspelt command, far off" 2 "unknown command 'frobnicate' ('retort --help' lists them)" -- frobnicate
expect "misspelt option" 2 "unknown option '--dialet'; did you mean '--dialect'?" -- schema dir --dialet sqlite
expect "option of another command" 2 "option '--strict' does not go with 'check'" -- check dir --strict
expect "missing value" 2 "-o needs a value" -- compile dir -o
expect "missing directory" 2 "heads needs a migrations directory" -- heads
# One line for an unknown word, not the whole usage.
lines=$("$retort" chek dir 2>&1 | wc -l)
[ "$lines" = 1 ] && ok "one line for a misspelt command" || fail "misspelt command: $lines lines"

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all passed"
