#!/bin/sh
# progress.sh MIGRATOR WORK_DIR
#
# Progress (docs/migrator.md): on a terminal (script(1) gives the migrator
# one) each revision's line says [n/N] and its time, and a summary ends
# the run; not on a terminal the lines stay Alembic's plain ones, with
# nothing added.
set -u
migrate=$1
work=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work" && mkdir -p "$work" || exit 1
command -v script >/dev/null || { echo "SKIP: no script(1)"; exit 77; }
u="sqlite:///$work/p.db"

script -qec "$migrate --url $u upgrade 0d80809d41fc" /dev/null | tr -d '\r' >"$work/tty.out"
expect "tty: four numbered lines" "1/4 2/4 3/4 4/4" \
    "$(sed -n 's/^\[\([0-9]*\/[0-9]*\)\] Running upgrade .* ([0-9.]* s)$/\1/p' "$work/tty.out" | paste -sd' ' -)"
expect "tty: the summary" "1" "$(grep -c '^Upgraded 4 revisions in [0-9.]* s$' "$work/tty.out")"

"$migrate" --url "$u" downgrade base 2>"$work/plain.err"
expect "not a tty: plain lines" "4" "$(grep -c '^Running downgrade ' "$work/plain.err")"
expect "not a tty: nothing added" "0" "$(grep -c '^\[\|^Downgraded\|( *[0-9.]* s)' "$work/plain.err")"

script -qec "$migrate --url $u -q upgrade 0d80809d41fc" /dev/null | tr -d '\r' >"$work/quiet.out"
expect "tty with -q: nothing" "" "$(cat "$work/quiet.out")"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
