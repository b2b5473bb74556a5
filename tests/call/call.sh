#!/bin/sh
# call.sh DIALECT MIGRATOR WORKDIR [PGDIR]: `call NAME` runs the
# application's C function (callbacks.c) inside the revision's
# transaction: it hashes a column row by row with bound parameters; a
# failure of any kind rolls the whole revision back, leaves the rows as
# they were and says so in one line naming the revision and the function;
# a written downgrade calls a function; a `transaction none` revision's
# function groups its own statements; offline scripts refuse the call.
here=$(cd "$(dirname "$0")/../reliability" && pwd)
. "$here/lib.sh"

# The expected hashes come from this independent FNV-1a, never from the
# function under test.
fnv() { python3 -c 'import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print("%016x" % h)' "$1"; }
users() { q call "SELECT id || ':' || email || ':' || coalesce(password_hash, '-') FROM users ORDER BY id" | tr '\n' ' '; }
want_c2="1:ada@x.org:$(fnv hunter2) 2:bob@y.org:$(fnv 'correct horse') 3:cy@z.org:$(fnv "it's") 4:dee@w.org:$(fnv '') 5:eve@v.org:$(fnv 'ünïcode') "
log() { q call "SELECT note FROM call_log ORDER BY note" | tr '\n' '|'; }
# The lines of stderr that are not progress ("Running ...").
errlines() { printf '%s\n' "$err" | grep -v '^Running ' | grep -c .; }

newdb call
U=$(url call)
run --url "$U" upgrade c2
expect_eq "upgrade c2" "0 c2" "$status $(rows call)"
expect_eq "hash_passwords hashed every row" "$want_c2" "$(users)"
run --url "$U" check
expect_eq "check at c2: behind head, the schema as the history says" "1 " "$status $(diffs)"

# Each way the function can fail, after it changed every row (and after
# the revision's own add_column and update): all of it rolled back.
for mode in message nonzero badsql commit; do
    CALL_FAIL_C3=$mode run --url "$U" upgrade head
    expect_eq "$mode: exit 1, still at c2" "1 c2" "$status $(rows call)"
    expect_eq "$mode: rows unchanged" "$want_c2" "$(users)"
    if has_column call users checked; then
        fail "$mode: c3's add_column survived the failure"
    fi
    expect_eq "$mode: one error line" "1" "$(errlines)"
    expect_contains "$mode: names the revision" "revision c3 (c3_rehash.rev)" "$err"
    expect_contains "$mode: names the function" "call rehash_or_fail failed" "$err"
done
CALL_FAIL_C3=message run --url "$U" upgrade head
expect_contains "message: the function's words" \
    "call rehash_or_fail failed: refusing after changing 5 rows" "$err"
CALL_FAIL_C3=nonzero run --url "$U" upgrade head
expect_contains "nonzero: the return value" "call rehash_or_fail failed: returned 7" "$err"
CALL_FAIL_C3=badsql run --url "$U" upgrade head
expect_contains "badsql: the statement" "UPDATE no_such_table SET x = 1: " "$err"
CALL_FAIL_C3=commit run --url "$U" upgrade head
expect_contains "commit: refused" "must not control the revision's transaction" "$err"

# No failure: c3 and the `transaction none` c4, whose function commits
# two batches of its own.
run --url "$U" upgrade head
expect_eq "upgrade head" "0 c4" "$status $(rows call)"
expect_eq "c3 checked every row" "5" "$(q call "SELECT count(*) FROM users WHERE checked")"
expect_eq "c4 logged two batches" "batch 1|batch 2|" "$(log)"
run --url "$U" check
expect_eq "check at head" "0" "$status"

# The written downgrades, c2's calling log_downgrade.
run --url "$U" downgrade c1
expect_eq "downgrade c1" "0 c1" "$status $(rows call)"
expect_eq "log_downgrade's note" "downgrade c2 on $dialect: 5 users|" "$(log)"
expect_eq "hashes cleared" "1:ada@x.org:- 2:bob@y.org:- 3:cy@z.org:- 4:dee@w.org:- 5:eve@v.org:- " \
    "$(users)"

# transaction none: a function that leaves a transaction open fails, and
# what it left open is rolled back.
run --url "$U" upgrade c3
CALL_FAIL_C4=leave_open run --url "$U" upgrade head
expect_eq "leave_open: exit 1" "1" "$status"
expect_contains "leave_open: names it" "revision c4 (c4_batches.rev): call log_in_batches failed: left a transaction open" "$err"
expect_eq "leave_open: batch 1 committed, batch 2 rolled back" \
    "batch 1|downgrade c2 on $dialect: 5 users|" "$(log)"

# Offline: no script at all over a revision that calls.
"$H" upgrade --sql --dialect "$dialect" head >"$work/script" 2>"$work/script.err"
status=$?
expect_eq "offline: exit 1" "1" "$status"
expect_eq "offline: nothing on stdout" "0" "$(wc -c <"$work/script")"
expect_contains "offline: names the revision and the function" \
    "revision c2 (c2_hash.rev): call hash_passwords runs application code" "$(cat "$work/script.err")"
expect_eq "offline: one line" "1" "$(grep -c . "$work/script.err")"
"$H" upgrade --sql --dialect "$dialect" c1 >"$work/script" 2>&1
expect_eq "offline up to c1 still works" "0" "$?"
finish
