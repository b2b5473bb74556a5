#!/bin/sh
# man.sh BUILD_DIR WORK_DIR RETORT MIGRATOR
#
# The man pages made from docs/man/*.md: installed under share/man/man1,
# rendered by groff without a warning, and complete: every command and
# every option that `retort --help` and a migrator's `--help` list is in
# the page, so a new command or option cannot ship undocumented.
set -u
build=$1 work=$2 retort=$3 migrator=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "package.man: FAIL: $*" >&2; failures=1; }
failures=0

cmake --install "$build" --prefix "$work/prefix" >/dev/null || { echo "install failed" >&2; exit 1; }
for page in retort.1 retort-migrator.1; do
    f=$work/prefix/share/man/man1/$page
    [ -s "$f" ] || { fail "install lacks share/man/man1/$page"; continue; }
    warnings=$(groff -man -Tutf8 -ww -z "$f" 2>&1)
    [ -z "$warnings" ] || fail "groff warns on $page: $warnings"
    head -n 1 "$f" | grep -q "^\.TH " || fail "$page does not start with .TH"
done

# covers PAGE HELP_TEXT: each command (the first word of an indented usage
# line) is a tagged paragraph of the page, and each --option is in it.
covers() {
    page=$work/prefix/share/man/man1/$1
    text=$(groff -man -Tascii -P-c -P-b -P-u "$page" 2>/dev/null)
    for cmd in $(printf '%s\n' "$2" | sed -n 's/^  \([a-z][a-z|]*\) .*/\1/p' | tr '|' ' '); do
        printf '%s\n' "$text" | grep -Eq "^ {7}$cmd( |$)" ||
            fail "$1 does not describe the command '$cmd'"
    done
    for opt in $(printf '%s\n' "$2" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        printf '%s\n' "$text" | grep -q -- "$opt" || fail "$1 does not mention $opt"
    done
}
covers retort.1 "$("$retort" --help 2>&1)"
covers retort-migrator.1 "$("$migrator" --help 2>&1)"
[ $failures = 0 ] && echo "package.man: ok"
exit $failures
