#!/bin/sh
# pool.sh gen REVDIR
# pool.sh check RETORT MIGRATOR CC RUNTIME_INCLUDE REVDIR WORKDIR
#
# Strings around the rows of migrations.c's string pool (compiler/emit.c:
# rows of 4096 bytes, each a literal of at most 4095 characters or, inside
# a string longer than a row, a brace list of bytes).  `gen` writes one
# revision whose statements are 4094 bytes long (the longest that packs
# into a row), 4095 (the shortest that starts its own), 8191 (ends exactly
# on a row's last byte), 8192 and ~9000 (three rows), with non-ASCII bytes,
# quotes, backslashes and '?' (no trigraph may form).  `check`:
#   - `retort compile` is byte-identical twice and compiles under
#     -std=c99 -Wall -Wextra -Werror -pedantic, with clang too when present;
#   - the migrator (compiled by retort_add_migrator) prints exactly the
#     scripts the compiler prints from its in-memory plan.
set -e
mode=$1
if [ "$mode" = gen ]; then
    dir=$2
    rm -rf "$dir" && mkdir -p "$dir"
    # `execute $$SELECT '<s>'$$` is 9 bytes plus the length of <s>.
    awk 'function rep(c, n,   s) { s = ""; while (n-- > 0) s = s c; return s }
    BEGIN {
        print "revision p00100000001"
        print "parent   none"
        print "message  '\''string pool edges ??= \303\274'\''"
        print ""
        print "upgrade {"
        print "    create_table t (id integer primary key, v text);"
        print "    execute $$SELECT '\''" rep("a", 4094 - 9) "'\''$$;"
        print "    execute $$SELECT '\''" rep("b", 4095 - 9) "'\''$$;"
        print "    execute $$SELECT '\''" rep("c", 8191 - 9) "'\''$$;"
        print "    execute $$SELECT '\''" rep("d", 8192 - 9) "'\''$$;"
        print "    execute $$SELECT '\''x'\''$$;"
        print "    execute $$SELECT '\''" rep("?\"\\\303\244", 2250) "'\''$$;"
        print "    execute $$SELECT '\''??( ??) ??/'\''$$;"
        print "}"
        print ""
        print "downgrade {"
        print "    drop_table t;"
        print "}"
    }' > "$dir/p001.rev"
    exit 0
fi

retort=$2 mig=$3 cc=$4 inc=$5 revs=$6 work=$7
rm -rf "$work" && mkdir -p "$work"
"$retort" compile "$revs" -o "$work/a.c"
"$retort" compile "$revs" -o "$work/b.c"
cmp "$work/a.c" "$work/b.c"
flags="-std=c99 -Wall -Wextra -Werror -pedantic -I$inc"
"$cc" $flags -c "$work/a.c" -o "$work/a.o"
if command -v clang >/dev/null 2>&1; then
    clang $flags -c "$work/a.c" -o "$work/a-clang.o"
fi
for d in sqlite postgresql; do
    "$retort" sql "$revs" --dialect $d upgrade head > "$work/plan-up.$d.sql"
    "$mig" upgrade --sql head --dialect $d > "$work/mig-up.$d.sql"
    cmp "$work/plan-up.$d.sql" "$work/mig-up.$d.sql"
    "$retort" sql "$revs" --dialect $d downgrade head:base > "$work/plan-down.$d.sql"
    "$mig" downgrade --sql head:base --dialect $d > "$work/mig-down.$d.sql"
    cmp "$work/plan-down.$d.sql" "$work/mig-down.$d.sql"
done
# The long statements really are in the script, whole.
grep -q "SELECT '$(awk 'BEGIN { while (n++ < 8182) printf "c" }')'" "$work/mig-up.sqlite.sql"
"$mig" history --verbose > "$work/history.txt"
grep -q 'string pool edges ??= ' "$work/history.txt"
