#!/bin/sh
# big.sh RETORT EXPECT_FAIL
# A 10 MB revision file (over 50,000 tables with an index each) is checked
# like any other; a file over 16 MiB is refused with one clear line.
retort=$1
expect_fail=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# big FILE BYTES: a valid revision of at least BYTES bytes.
big() {
    awk -v limit="$2" 'BEGIN {
        printf "revision big1\nparent none\nupgrade {\n"
        for (i = 0; n < limit; i++) {
            line = sprintf("    create_table t_%d (id integer primary key, name varchar(64) not null, note text);\n    create_index ix_t_%d on t_%d (name);\n", i, i, i)
            printf "%s", line
            n += length(line)
        }
        printf "}\n" }' > "$1"
}
mkdir "$tmp/ten" "$tmp/huge"
big "$tmp/ten/a.rev" 10485760
"$retort" check "$tmp/ten" || { echo "big: a 10 MB history was not accepted" >&2; exit 1; }
[ "$("$retort" heads "$tmp/ten")" = "big1 (head)" ] || { echo "big: wrong head" >&2; exit 1; }
big "$tmp/huge/a.rev" 17825792
sh "$expect_fail" "is larger than 16 MiB" -- "$retort" check "$tmp/huge" >"$tmp/out" 2>&1
status=$?
tail -n 3 "$tmp/out"
exit $status
