#!/bin/sh
# link.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]
#
# A user's project on the installed package: a history that calls
# `hash_passwords` must not build into a migrator without the function
# (a link error naming it, not a migrator that fails at deploy time), and
# builds and runs once retort_add_migrator(... CALLBACKS file.c) brings it.
set -eu
build=$1
work=$2
cc=$3
link_flags=${4:-}
rm -rf "$work"
mkdir -p "$work/app/migrations"
fail() { echo "call link: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cat >"$work/app/migrations/a1.rev" <<'REV'
revision a1
parent none
message 'users'
upgrade { create_table users (id integer primary key, password text, password_hash text);
          bulk_insert users (id, password) values (1, 'x'), (2, 'y'); }
downgrade { drop_table users; }
REV
cat >"$work/app/migrations/a2.rev" <<'REV'
revision a2
parent a1
message 'hash them in C'
upgrade { call hash_passwords; }
downgrade { update users set password_hash = null; }
REV
cat >"$work/app/hash.c" <<'C'
#include <retort/retort.h>
int hash_passwords(retort_call *ctx);
int hash_passwords(retort_call *ctx)
{
    return retort_call_exec(ctx, "UPDATE users SET password_hash = 'h:' || password",
                            0, 0) < 0;
}
C
write_project() {
    cat >"$work/app/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(app C)
find_package(retort REQUIRED)
retort_add_migrator(app-migrate MIGRATIONS \${CMAKE_SOURCE_DIR}/migrations $1)
CM
}

# Without the function: the build fails, at the link, naming it.
write_project ""
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >/dev/null || fail "configure"
if cmake --build "$work/app/build" >"$work/build.log" 2>&1; then
    fail "a migrator was built without hash_passwords"
fi
grep -q "undefined.*hash_passwords" "$work/build.log" ||
    fail "the build failed, but not with an undefined hash_passwords: $(tail -5 "$work/build.log")"
[ ! -e "$work/app/build/app-migrate" ] || fail "a migrator binary was left behind"

# With CALLBACKS: it builds, and the function runs.
write_project 'CALLBACKS ${CMAKE_SOURCE_DIR}/hash.c'
cmake --build "$work/app/build" >"$work/build.log" 2>&1 ||
    fail "build with CALLBACKS: $(tail -5 "$work/build.log")"
cd "$work"
"$work/app/build/app-migrate" --url sqlite:///app.db upgrade head 2>/dev/null || fail "upgrade"
[ "$(sqlite3 app.db "SELECT group_concat(password_hash, ',') FROM users")" = "h:x,h:y" ] ||
    fail "hash_passwords did not run: $(sqlite3 app.db "SELECT * FROM users")"
echo "call link: ok"
