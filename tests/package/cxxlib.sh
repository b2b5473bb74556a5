#!/bin/sh
# cxxlib.sh BUILD_DIR WORK_DIR CXX_COMPILER
#
# Embedding from the installed package (SPEC section 6): a C++-only
# project (tests/package/cxxlib) builds retort_add_migrator(... LIBRARY)
# libraries, one with a `call` function in C++ and one also STATIC, and
# applications linking them migrate a SQLite database at start-up: the
# pending revisions before, head after, the C++ function's rows in the
# table; a second start has nothing pending and the runtime says so.  The STATIC library's
# application links no libsqlite3.so and refuses a PostgreSQL URL.
set -eu
build=$1
work=$2
cxx=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "cxxlib: FAIL: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cp -R "$here/cxxlib" "$work/app"
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; fail "configure"; }
cmake --build "$work/app/build" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "build"; }
[ -f "$work/app/build/libinventory.a" ] || fail "no static library libinventory.a"
cd "$work"
for app in inventory-app inventory-lite-app; do
    db=$work/$app.db
    out=$("$work/app/build/$app" "sqlite:///$db" 2>"$work/$app.err") ||
        { cat "$work/$app.err" >&2; fail "$app: first start"; }
    [ "$out" = "pending: b7c0ffee0001 b7c0ffee0002
current: b7c0ffee0002" ] || fail "$app: first start printed [$out]"
    [ "$(sqlite3 "$db" "SELECT version_num FROM alembic_version")" = b7c0ffee0002 ] ||
        fail "$app: version row"
    [ "$(sqlite3 "$db" "SELECT group_concat(name || '=' || qty, ' ') FROM (SELECT * FROM items ORDER BY id)")" = \
      "bolt=10 nut=20 washer=30" ] || fail "$app: the C++ call's rows"
    out=$("$work/app/build/$app" "sqlite:///$db" 2>"$work/$app.err") ||
        { cat "$work/$app.err" >&2; fail "$app: second start"; }
    [ "$out" = "pending:
current: b7c0ffee0002" ] || fail "$app: second start printed [$out]"
    [ "$(cat "$work/$app.err")" = "Already at head, nothing to do" ] ||
        fail "$app: second start's log [$(cat "$work/$app.err")]"
    echo "cxxlib: ok: $app"
done
ldd "$work/app/build/inventory-lite-app" | grep -q libsqlite3 &&
    fail "inventory-lite-app links libsqlite3.so"
if "$work/app/build/inventory-lite-app" "postgresql:///nowhere" 2>"$work/lite.err"; then
    fail "inventory-lite-app accepted a PostgreSQL URL"
fi
grep -q "without PostgreSQL support" "$work/lite.err" ||
    fail "inventory-lite-app: [$(cat "$work/lite.err")]"
echo "cxxlib: ok"
