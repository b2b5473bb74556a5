#!/bin/sh
# package.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]
#
# Installs the built tree into a prefix, builds a user's project that uses
# find_package(retort) and retort_add_migrator(), migrates a SQLite file
# with the result, then adds a revision and checks that the build picks it
# up (migrations.c is regenerated when the .rev files change).
set -eu
build=$1
work=$2
cc=$3
link_flags=${4:-}    # -fsanitize=... when the runtime was built with them
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "package: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/retort include/retort/retort.h include/retort/history.h \
         lib/cmake/retort/retortConfig.cmake lib/cmake/retort/RetortMigrator.cmake; do
    [ -e "$work/prefix/$f" ] || fail "install lacks $f"
done
ls "$work"/prefix/lib*/libretort.a >/dev/null 2>&1 || fail "install lacks libretort.a"

cp -R "$here/app" "$work/app"
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >/dev/null || fail "configure"
cmake --build "$work/app/build" >/dev/null || fail "build"
migrate=$work/app/build/app-migrate
cd "$work"
"$migrate" upgrade head                  # the compiled-in default URL
[ "$(sqlite3 app.db "SELECT version_num FROM alembic_version")" = a1b2c3d4e5f6 ] ||
    fail "not at a1b2c3d4e5f6 after upgrade"
sqlite3 app.db "INSERT INTO notes (title) VALUES ('first')"

# A new revision: the next build must regenerate migrations.c.
cat >"$work/app/migrations/b2_note_pinned.rev" <<'REV'
revision b2c3d4e5f6a1
parent   a1b2c3d4e5f6
message  'pin notes'
upgrade { add_column notes pinned boolean not null default false; }
REV
cmake --build "$work/app/build" >/dev/null || fail "rebuild"
[ "$("$migrate" heads)" = "b2c3d4e5f6a1 (head)" ] || fail "new revision not compiled in"
"$migrate" upgrade head
[ "$(sqlite3 app.db "SELECT title || ':' || pinned FROM notes")" = "first:0" ] ||
    fail "row or new column missing"
echo "package: ok"
