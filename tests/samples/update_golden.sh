#!/bin/sh
# update_golden.sh [RETORT]: rewrite tests/samples/golden/ from the current
# compiler (default: build/compiler/retort under the source tree).
#
# Run it by hand when the output is meant to change, then READ the diff
# (git diff tests/samples/golden) before committing: every type, quote and
# statement order in there is what the golden tests hold the compiler to.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
retort=${1:-$top/build/compiler/retort}
shop=$top/samples/shop
g=$here/golden

for d in sqlite postgresql; do
    "$retort" schema "$shop" --dialect "$d"                >"$g/schema.$d.sql"
    "$retort" sql "$shop" --dialect "$d" upgrade head      >"$g/upgrade.$d.sql"
    "$retort" sql "$shop" --dialect "$d" downgrade head:base >"$g/downgrade.$d.sql"
done
echo "updated $g; now review: git diff -- $g"
