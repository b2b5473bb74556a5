#!/bin/sh
# rebuild.sh BUILD_DIR WORK_DIR C_COMPILER GENERATOR [LINK_FLAGS]
#
# A migrator built with retort_add_migrator() through the installed package
# must follow its migrations directory on every rebuild with GENERATOR
# ("Unix Makefiles" or "Ninja"): deleting a .rev file, renaming one, and
# adding one whose modification time is older than the generated
# migrations.c (cp -p, git checkout of an old branch, a restored backup)
# must each regenerate it.  A stale migrator would still list the deleted
# revision as head and its `check` would exit 0.
set -eu
build=$1
work=$2
cc=$3
gen=$4
link_flags=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "rebuild ($gen): FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cp -R "$here/app" "$work/app"
revs=$work/app/migrations
cat >"$revs/b2_note_pinned.rev" <<'REV'
revision b2c3d4e5f6a1
parent   a1b2c3d4e5f6
message  'pin notes'
upgrade { add_column notes pinned boolean not null default false; }
REV
# Older than anything the build will write.
touch -d '2001-01-01 00:00:00' "$revs"/*.rev
cp -p "$revs/b2_note_pinned.rev" "$work/b2_saved.rev"

cmake -S "$work/app" -B "$work/app/build" -G "$gen" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >/dev/null || fail "configure"
migrate=$work/app/build/app-migrate
rebuild() { cmake --build "$work/app/build" >/dev/null || fail "build ($1)"; }
heads() { "$migrate" heads 2>&1 || fail "heads"; }
rebuild first
[ "$(heads)" = "b2c3d4e5f6a1 (head)" ] || fail "first build: heads $(heads)"

# Deleted: the revision must be gone from the migrator.
rm "$revs/b2_note_pinned.rev"
rebuild delete
[ "$(heads)" = "a1b2c3d4e5f6 (head)" ] || fail "after delete: heads $(heads)"
cd "$work"
"$migrate" --url sqlite:///app.db upgrade head 2>/dev/null || fail "upgrade"
"$migrate" --url sqlite:///app.db check >/dev/null 2>&1 || fail "check at a1"

# Added back with its old modification time.
cp -p "$work/b2_saved.rev" "$revs/b2_note_pinned.rev"
rebuild add
[ "$(heads)" = "b2c3d4e5f6a1 (head)" ] || fail "after add: heads $(heads)"
# The database is now behind: check must say so.
if "$migrate" --url sqlite:///app.db check >/dev/null 2>&1; then
    fail "check exits 0 on a database one revision behind"
fi

# Renamed (mv keeps the modification time): `show` names the new file.
mkdir "$revs/pinned"
mv "$revs/b2_note_pinned.rev" "$revs/pinned/b2_renamed.rev"
rebuild rename
"$migrate" show b2c3d4e5f6a1 | grep -q '^Path: pinned/b2_renamed.rev$' ||
    fail "after rename: $("$migrate" show b2c3d4e5f6a1 | grep Path)"

# Renamed away from .rev: gone, as a deletion.
mv "$revs/pinned/b2_renamed.rev" "$revs/pinned/b2_renamed.rev.off"
rebuild "rename away"
[ "$(heads)" = "a1b2c3d4e5f6 (head)" ] || fail "after rename away: heads $(heads)"

# A second build with nothing changed regenerates nothing.
stamp=$(ls -l --time-style=+%s.%N "$work/app/build/app-migrate_migrations.c")
rebuild "no change"
[ "$(ls -l --time-style=+%s.%N "$work/app/build/app-migrate_migrations.c")" = "$stamp" ] ||
    fail "migrations.c regenerated with nothing changed"
echo "rebuild ($gen): ok"
