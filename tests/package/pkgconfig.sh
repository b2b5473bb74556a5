#!/bin/sh
# pkgconfig.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]
#
# A project without CMake: a plain Makefile that runs the installed retort
# and links the migrator with `pkg-config --cflags --libs retort`, then
# migrates a SQLite file with it.
set -eu
build=$1 work=$2 cc=$3 link_flags=${4:-}
rm -rf "$work"
mkdir -p "$work/app/migrations"
fail() { echo "pkgconfig: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
pc=$(ls "$work"/prefix/lib*/pkgconfig/retort.pc 2>/dev/null) || fail "install lacks retort.pc"
export PKG_CONFIG_PATH="$(dirname "$pc")"
[ "$(pkg-config --modversion retort)" != "" ] || fail "pkg-config does not read retort.pc"

cat >"$work/app/migrations/a1_notes.rev" <<'REV'
revision a1b2c3d4e5f6
parent   none
message  'notes'
upgrade { create_table notes (id integer primary key, title text not null); }
REV
# A recipe line must start with a tab.
printf '%s\n' \
    'app-migrate: migrations.c' \
    '	$(CC) -o $@ migrations.c $(LDFLAGS) $$(pkg-config --cflags --libs retort)' \
    'migrations.c: $(wildcard migrations/*.rev)' \
    '	$(RETORT) compile migrations -o $@' >"$work/app/Makefile"
make -s -C "$work/app" CC="$cc" RETORT="$work/prefix/bin/retort" \
    LDFLAGS="$link_flags" >/dev/null || fail "make"
cd "$work/app"
./app-migrate --url "sqlite:///$work/app/app.db" upgrade head 2>/dev/null || fail "upgrade"
[ "$(sqlite3 app.db "SELECT version_num FROM alembic_version")" = a1b2c3d4e5f6 ] ||
    fail "not at a1b2c3d4e5f6 after upgrade"
echo "pkgconfig: ok"
