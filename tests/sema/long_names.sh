#!/bin/sh
# long_names.sh RETORT SRCDIR: a name longer than PostgreSQL keeps (63
# bytes) is a warning at its place, saying what PostgreSQL makes of it
# (cut at a character boundary), in a history that targets PostgreSQL;
# none in a SQLite-only history, none for a name of exactly 63 bytes or a
# header's branch label; the build still succeeds.
retort=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "long_names: FAIL: $*" >&2; exit 1; }
for conf in "" postgresql sqlite; do
    d=$tmp/h_${conf:-both}
    mkdir "$d"
    cp "$src/a.rev" "$d/"
    [ -n "$conf" ] && echo "dialects $conf" >"$d/retort.conf"
    out=$("$retort" check "$d" 2>&1) || fail "check failed (${conf:-both}): $out"
    n=$(printf '%s\n' "$out" | grep -c 'warning: postgresql keeps the first 63 bytes')
    if [ "$conf" = sqlite ]; then
        [ "$n" -eq 0 ] || fail "a SQLite-only history warned: $out"
        continue
    fi
    [ "$n" -eq 2 ] || fail "$n warnings (${conf:-both}), not 2: $out"
    printf '%s\n' "$out" | grep -qF "a.rev:11:30: warning: postgresql keeps the first 63 bytes of a name: this one (70 bytes) becomes 'short_table_a_very_long_constraint_name_that_goes_on_and_on_and' there" ||
        fail "the constraint's warning: $out"
    printf '%s\n' "$out" | grep -qF "a.rev:12:18: warning: postgresql keeps the first 63 bytes of a name: this one (66 bytes) becomes 'ix_short_table_with_an_accent_near_the_end_of_the_name_xxxxxxx' there" ||
        fail "the index's warning (cut before the two-byte character): $out"
done
echo "long_names: ok"
