#!/bin/sh
# readonly.sh MIGRATOR WORKDIR: a SQLite database the migrator cannot write
# (the file mode 444, or a directory it cannot create the journal in).
# Commands that only read work on it; commands that write refuse with one
# line, exit 1, and leave the file as it was.  Run as root, the migrator
# runs as `nobody`, for whom the modes hold.
H=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"

if [ "$(id -u)" = 0 ]; then
    # A copy of the migrator where nobody can run it.
    dir=$(mktemp -d /tmp/retort-ro.XXXXXX)
    chmod 755 "$dir"
    cp "$H" "$dir/migrate"
    H=$dir/migrate
    as() { runuser -u nobody -- "$@"; }
else
    dir=$work
    as() { "$@"; }
fi
# runas ARGS...: run() as the unprivileged user.
runas() {
    as "$H" "$@" >"$work/out" 2>"$work/err"
    status=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

mkdir -p "$dir/file" "$dir/dir"
[ "$(id -u)" = 0 ] && chown -R nobody "$dir"
for d in file dir; do
    as "$H" --url "sqlite:///$dir/$d/t.db" upgrade ddd400 2>/dev/null
done
as chmod 444 "$dir/file/t.db"
as chmod 555 "$dir/dir"

for d in file dir; do
    U=sqlite:///$dir/$d/t.db
    before=$(cksum <"$dir/$d/t.db")
    runas --url "$U" current
    expect_eq "$d read-only: current" "0 ddd400" "$status $out"
    runas --url "$U" current --verbose
    expect_eq "$d read-only: current --verbose" 0 "$status"
    runas --url "$U" history
    expect_eq "$d read-only: history" 0 "$status"
    runas --url "$U" heads
    expect_eq "$d read-only: heads" "0 eee500 (head)" "$status $out"
    runas --url "$U" check
    expect_eq "$d read-only: check (not at head)" 1 "$status"
    expect_contains "$d read-only: check says why" "not at head" "$out$err"
    expect_lacks "$d read-only: check not refused as read-only" "read-only" "$out$err"
    for cmd in "upgrade" "downgrade -1" "stamp head" "stamp base --purge"; do
        runas --url "$U" $cmd
        expect_eq "$d read-only: $cmd exits 1" 1 "$status"
        expect_eq "$d read-only: $cmd one line" 1 "$(printf '%s\n' "$err" | wc -l)"
        expect_contains "$d read-only: $cmd says read-only" "is read-only" "$err"
    done
    expect_eq "$d read-only: file unchanged" "$before" "$(cksum <"$dir/$d/t.db")"
    runas --url "$U" current
    expect_eq "$d read-only: still at ddd400" "0 ddd400" "$status $out"
done
as chmod 755 "$dir/dir"
rm -rf "$dir"
finish
