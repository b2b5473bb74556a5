# common.sh: helpers for the runtime's shell tests (sourced).
# Each test script sets H (the migrator) and calls these.
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" != "$3" ]; then
        fail "$1: expected [$2], got [$3]"
    else
        echo "ok: $1"
    fi
}

# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
    case "$3" in
    *"$2"*) echo "ok: $1" ;;
    *) fail "$1: [$3] lacks [$2]" ;;
    esac
}

expect_lacks() {
    case "$3" in
    *"$2"*) fail "$1: [$3] contains [$2]" ;;
    *) echo "ok: $1" ;;
    esac
}

# run ARGS...: runs the migrator; sets out, err, status.
run() {
    "$H" "$@" >"$work/out" 2>"$work/err"
    status=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures failure(s)" >&2
        exit 1
    fi
    echo "all passed"
    exit 0
}

# pg_says URL SQL: the server's own message (after "ERROR:  " or
# "FATAL:  ") for running SQL at URL, as psql shows it: the oracle for
# tests that the migrator passes the server's words on, whatever language
# the server speaks (scripts/test.sh runs the suite once in German).
pg_says() {
    _m=$(psql -qX "$1" -c "$2" 2>&1 >/dev/null | sed -n 's/^.*[A-Z]:  //p' | head -1)
    printf '%s\n' "${_m:-(psql reported no error)}"
}
