#!/bin/sh
# emit.sh RENDER_TEST CC RUNTIME_INCLUDE WORKDIR
# The emitted migrations.c must be identical on two runs and compile under
# -std=c99 -Wall -Wextra -Werror -pedantic.
set -e
prog=$1 cc=$2 inc=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
"$prog" emit > "$work/a.c"
"$prog" emit > "$work/b.c"
cmp "$work/a.c" "$work/b.c"
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$work/a.c" -o "$work/a.o"
# A 10,000-revision history stays quick to compile (flat arrays).
"$prog" big 10000 > "$work/big.c"
"$cc" -O2 -std=c99 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$work/big.c" -o "$work/big.o"
# The tables hold string offsets, not pointers (retort/history.h, ABI 2):
# only the history's own few pointers need relocating, whatever the size
# (ABI 1: 17 per revision, 170,000 at every start of a PIE migrator).
if command -v readelf >/dev/null 2>&1; then
    relocs=$(readelf -rW "$work/big.o" | grep -c '^[0-9a-f]\{8,\} ' || true)
    if [ "$relocs" -gt 16 ]; then
        echo "big.o has $relocs relocations: pointers in the tables?" >&2
        exit 1
    fi
fi
# An empty history: no zero-length arrays.
"$prog" empty > "$work/empty.c"
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$work/empty.c" -o "$work/empty.o"
