#!/usr/bin/env bash
# The whole test suite: a strict build (-Wall -Wextra -Werror) and its ctest
# run, then the same suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer.  Real SQLite files and a throwaway PostgreSQL
# cluster (tests/lib/pg_cluster.sh) back every database test.  The second
# run's PostgreSQL speaks German (lc_messages): nothing in retort may
# depend on the words of a server message, only on its SQLSTATE.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRETORT_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRETORT_WERROR=ON \
    -DRETORT_SANITIZE=ON -DCMAKE_C_COMPILER=clang
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    RETORT_PG_LC_MESSAGES=de_DE.UTF-8 ctest --test-dir build-asan --output-on-failure -j"$jobs"
