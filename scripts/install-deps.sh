#!/usr/bin/env bash
# Installs what building and testing retort needs on Debian (bookworm).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build re2c lemon pkg-config \
    libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client pgbouncer \
    python3 python3-alembic python3-psycopg2 \
    clang libclang-rt-14-dev locales groff-base >/dev/null
