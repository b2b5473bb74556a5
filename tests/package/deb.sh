#!/bin/sh
# deb.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]: the Debian package that
# `cpack -G DEB` makes from the build tree is well formed, and once unpacked
# its retort, runtime and CMake package build a working migrator.
set -eu
build=$1 work=$2 cc=$3 link_flags=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "deb: FAIL: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "SKIP: no dpkg-deb"; exit 77; }

(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null) || fail "cpack"
deb=$(ls "$work"/out/retort_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no retort_*.deb made"
info=$(dpkg-deb -f "$deb" Package Version Depends)
case $info in
*"Package: retort"*"Depends: "*libsqlite3-dev*) ;;
*) fail "control fields: $info" ;;
esac
dpkg-deb -x "$deb" "$work/root" || fail "unpack"
for f in usr/bin/retort usr/include/retort/retort.h usr/share/bash-completion/completions/retort; do
    [ -e "$work/root/$f" ] || fail "the package lacks /$f"
done
ls "$work"/root/usr/lib*/pkgconfig/retort.pc >/dev/null 2>&1 || ls "$work"/root/usr/lib/*/pkgconfig/retort.pc >/dev/null 2>&1 ||
    fail "the package lacks retort.pc"
"$work/root/usr/bin/retort" --version | grep -q "^retort " || fail "the packaged retort does not run"

# A user's CMake project against the unpacked package.
cp -R "$here/app" "$work/app"
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$work/root/usr" -DCMAKE_EXE_LINKER_FLAGS="$link_flags" \
    >/dev/null || fail "configure against the package"
cmake --build "$work/app/build" >/dev/null || fail "build against the package"
cd "$work"
"$work/app/build/app-migrate" upgrade head 2>/dev/null || fail "upgrade"
[ "$(sqlite3 app.db "SELECT version_num FROM alembic_version")" = a1b2c3d4e5f6 ] ||
    fail "not at a1b2c3d4e5f6"
echo "deb: ok"
