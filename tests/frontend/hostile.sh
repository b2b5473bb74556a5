#!/bin/sh
# hostile.sh PARSE_DUMP EXPECT_FAIL
# Inputs too big or too odd to commit, made in a temporary directory: each
# must give one clear error, never a crash or a stack overflow.
dump=$1
expect_fail=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
# nest N OPEN CLOSE FILE: the header, `upgrade {`, N times OPEN, N times
# CLOSE, `}`.
nest() {
    awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN {
        printf "revision a1\nparent none\nupgrade {\n"
        for (i = 0; i < n; i++) printf "%s", o
        for (i = 0; i < n; i++) printf "%s", c
        printf "\n}\n" }' > "$4"
}
check() {
    sh "$expect_fail" "$1" -- "$dump" "$2" > "$tmp/out" 2>&1 || {
        cat "$tmp/out"
        fail=1
    }
}

nest 100000 '{' '}' "$tmp/braces.rev"
check "braces.rev:4:1: error: syntax error: unexpected '{'" "$tmp/braces.rev"

nest 100000 'if table_exists t {' '}' "$tmp/ifs.rev"
check "ifs.rev:4:" "$tmp/ifs.rev"
check "error: blocks nested too deeply" "$tmp/ifs.rev"

nest 100000 'if table_exists t {' '' "$tmp/unclosed.rev"
check "error: blocks nested too deeply" "$tmp/unclosed.rev"

nest 100000 '(' ')' "$tmp/parens.rev"
check "parens.rev:4:1: error: syntax error: unexpected '('" "$tmp/parens.rev"

printf 'revision a1\nparent none\nupgrade { create_table t %s' "$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "(" }')" > "$tmp/cparens.rev"
check "cparens.rev:3:27: error: syntax error: unexpected '('" "$tmp/cparens.rev"

printf 'revision a1\nparent\0none\n' > "$tmp/nul.rev"
check "nul.rev:2:7: error: the file holds a NUL byte" "$tmp/nul.rev"

exit $fail
