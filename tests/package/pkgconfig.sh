#!/bin/sh
# pkgconfig.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]
#
# A project without CMake: a plain Makefile that runs the installed retort
# and links the migrator with `pkg-config --cflags --libs retort`, then
# migrates a SQLite file with it.  And an application that migrates
# itself (docs/embedding.md): `retort compile --library notes --header
# notes_history.h`, linked the same way, brings a second file to head.
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
    '	$(RETORT) compile migrations -o $@' \
    'embedded: main.c notes_migrations.c' \
    '	$(CC) -o $@ main.c notes_migrations.c $(LDFLAGS) $$(pkg-config --cflags --libs retort)' \
    'notes_migrations.c: $(wildcard migrations/*.rev)' \
    '	$(RETORT) compile migrations -o $@ --library notes --header notes_history.h' \
    >"$work/app/Makefile"
cat >"$work/app/main.c" <<'C'
#include <stdio.h>
#include "notes_history.h"
int main(int argc, char **argv)
{
    retort *r = NULL;
    retort_status_info *st = NULL;
    int rc = argc == 2 ? retort_new(&r, notes_history(), NULL) : RETORT_EUSAGE;
    if (rc == 0)
        rc = retort_connect(r, argv[1]);
    if (rc == 0)
        rc = retort_upgrade(r, "heads");
    if (rc == 0)
        rc = retort_status(r, &st);
    if (rc == 0)
        printf("%u %s\n", st->pending_count, st->current_count ? st->current[0] : "-");
    else
        fprintf(stderr, "embedded: %s\n", r ? retort_errmsg(r) : "usage");
    retort_status_free(st);
    retort_free(r);
    return rc < 0;
}
C
make -s -C "$work/app" CC="$cc" RETORT="$work/prefix/bin/retort" \
    LDFLAGS="$link_flags" app-migrate embedded >/dev/null || fail "make"
cd "$work/app"
./app-migrate --url "sqlite:///$work/app/app.db" upgrade head 2>/dev/null || fail "upgrade"
[ "$(sqlite3 app.db "SELECT version_num FROM alembic_version")" = a1b2c3d4e5f6 ] ||
    fail "not at a1b2c3d4e5f6 after upgrade"
[ "$(./embedded "sqlite:///$work/app/embedded.db" 2>/dev/null)" = "0 a1b2c3d4e5f6" ] ||
    fail "the embedding application did not reach a1b2c3d4e5f6"
[ "$(sqlite3 embedded.db "SELECT version_num FROM alembic_version")" = a1b2c3d4e5f6 ] ||
    fail "embedded.db not at a1b2c3d4e5f6"
echo "pkgconfig: ok"
