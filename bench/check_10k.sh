#!/bin/sh
# check_10k.sh [BUILD_DIR]: how long `retort check` takes on a linear
# history of 10,000 revisions (bench/gen_history.py).
#
# Generates the history once into a temporary directory, runs `retort check`
# on it RUNS times (default 5; set RUNS=...), and prints every wall time and
# their median.  Nothing is asserted: these are figures to read.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
retort=$build/compiler/retort
n=${N:-10000}
runs=${RUNS:-5}

if [ ! -x "$retort" ]; then
    echo "check_10k: no retort at $retort (build first, or pass BUILD_DIR)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-check10k.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }

t0=$(now)
python3 "$here/gen_history.py" "$n" "$work"
t1=$(now)
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
printf 'generated %d revisions in %.2f s\n' "$n" "$(elapsed "$t0" "$t1")"

times=""
i=1
while [ "$i" -le "$runs" ]; do
    t0=$(now)
    if ! "$retort" check "$work/retort" >"$work/out" 2>&1; then
        echo "check_10k: retort check failed:" >&2
        tail -n 20 "$work/out" >&2
        exit 1
    fi
    t1=$(now)
    t=$(elapsed "$t0" "$t1")
    printf 'run %d: %.3f s\n' "$i" "$t"
    times="$times $t"
    i=$((i + 1))
done

median=$(printf '%s\n' $times | sort -g | awk '{ a[NR] = $1 }
    END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
printf 'retort check, %d revisions: median %.3f s over %d runs\n' "$n" "$median" "$runs"
