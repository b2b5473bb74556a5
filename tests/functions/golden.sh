#!/bin/sh
# golden.sh RETORT DIR WORK GOLDEN: the PostgreSQL SQL of DIR (a history
# that targets PostgreSQL only), upgrade to head then downgrade to base,
# against GOLDEN.  Regenerate with the same commands after a deliberate
# change.
set -u
retort=$1 dir=$2 work=$3 golden=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
{ "$retort" sql "$dir" --dialect postgresql upgrade head &&
  "$retort" sql "$dir" --dialect postgresql downgrade head:base; } >"$work/pg.sql" ||
    { echo "FAIL: retort sql" >&2; exit 1; }
diff -u "$golden" "$work/pg.sql" || { echo "FAIL: SQL differs" >&2; exit 1; }
echo "golden: ok"
