#!/bin/sh
# cxx.sh BUILD_DIR WORK_DIR CXX_COMPILER
#
# A C++-only project (project(x CXX)) on the installed package: it
# configures (find_package enables C for the generated migrations.c),
# builds a migrator and a C++ program that includes <retort/retort.h>, and
# both run.
set -eu
build=$1
work=$2
cxx=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "cxx: FAIL: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cp -R "$here/cxxapp" "$work/app"
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; fail "configure"; }
cmake --build "$work/app/build" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "build"; }
[ "$("$work/app/build/cxxapp")" = postgresql ] || fail "the C++ program"
cd "$work"
"$work/app/build/cxxapp-migrate" upgrade head
[ "$(sqlite3 cxxapp.db "SELECT version_num FROM alembic_version")" = c1d2e3f4a5b6 ] ||
    fail "the migrator did not reach c1d2e3f4a5b6"
echo "cxx: ok"
