#!/bin/sh
# golden.sh RETORT DIR WORK GOLDEN_PREFIX
#
# The SQL of DIR's revisions after the first, upgrade then downgrade, for
# each dialect, and `retort schema --model`, against the golden files
# GOLDEN_PREFIX.sqlite.sql, .postgresql.sql and .model.  After changing
# the renderer on purpose, regenerate them with the same commands.
set -u
retort=$1 dir=$2 work=$3 golden=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
status=0
first=$("$retort" history "$dir" | tail -n 1 | sed 's/^<base> -> \([^ ,]*\).*/\1/')
for d in sqlite postgresql; do
    { "$retort" sql "$dir" --dialect $d upgrade "$first:head" &&
      "$retort" sql "$dir" --dialect $d downgrade "head:$first"; } >"$work/$d.sql" ||
        { echo "FAIL: retort sql --dialect $d" >&2; status=1; }
    diff -u "$golden.$d.sql" "$work/$d.sql" || { echo "FAIL: $d SQL differs" >&2; status=1; }
done
"$retort" schema "$dir" --model >"$work/model" || { echo "FAIL: schema --model" >&2; status=1; }
diff -u "$golden.model" "$work/model" || { echo "FAIL: --model differs" >&2; status=1; }
[ $status = 0 ] && echo "golden: ok"
exit $status
