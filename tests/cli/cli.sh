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

# revision --dir SUB: into a subfolder of the history, made if missing;
# never outside it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/h"
printf 'revision r1\nparent none\nupgrade { create_table t (id integer); }\n' >"$work/h/r1.rev"
out=$("$retort" revision "$work/h" -m 'in a folder' --dir 2025/q1 2>&1)
status=$?
case $status:$out in
0:"$work/h/2025/q1/"*_in_a_folder.rev) ok "revision --dir writes into the subfolder" ;;
*) fail "revision --dir: exit $status: $out" ;;
esac
[ "$("$retort" heads "$work/h" 2>&1 | grep -c head)" = 1 ] && ok "the new revision is the head" ||
    fail "revision --dir: heads: $("$retort" heads "$work/h" 2>&1)"
expect "revision --dir outside" 2 "--dir ../x must name a folder inside" -- revision "$work/h" -m x --dir ../x
expect "revision --dir absolute" 2 "--dir /tmp must name a folder inside" -- revision "$work/h" -m x --dir /tmp
[ "$(find "$work" -name '*.rev' | wc -l)" = 2 ] && ok "nothing written for a bad --dir" ||
    fail "bad --dir wrote a file: $(find "$work" -name '*.rev')"

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all passed"
