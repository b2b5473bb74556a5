#!/bin/sh
# tutorial.sh BUILD_DIR WORK_DIR C_COMPILER [LINK_FLAGS]
#
# Installs the built tree into a prefix, as a user would, and replays
# docs/tutorial.md against it with tutorial.py (a fresh working directory
# each time).  The tutorial's CMake project is built with this build's C
# compiler and, under the sanitizers, their link flags.
set -eu
build=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
CC=$3 LDFLAGS=${4:-} exec python3 "$here/tutorial.py" "$here/../../docs/tutorial.md" \
    "$work/prefix" "$work/notes"
