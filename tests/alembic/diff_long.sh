#!/bin/sh
# The differential test against Alembic over many random histories, for a
# longer run than ctest's (alembic.diff.seeds runs three):
#   tests/alembic/diff_long.sh BUILD_DIR [SEED [COUNT]]
# e.g. tests/alembic/diff_long.sh build 3 50.  Exit 0 when everything that
# is not a known, documented difference (docs/alembic-compat.md) agreed.
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [SEED [COUNT]]" >&2
    exit 2
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
seed=${2:-1}
count=${3:-50}
exec /usr/bin/python3 "$src/tests/alembic/diff.py" \
    --retort "$build/compiler/retort" --cc "${CC:-cc}" \
    --lib "$build/runtime/libretort.a" --inc "$src/runtime/include" \
    --work "$build/alembic_long_$seed" --seed "$seed" --count "$count"
