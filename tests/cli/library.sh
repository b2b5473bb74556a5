#!/bin/sh
# library.sh RETORT CC WORK [CXX]: `retort compile --library PREFIX --header
# FILE` (SPEC section 6, embedding): migrations.c without main() that
# exports `const retort_history *PREFIX_history(void)`, and a header
# declaring it that compiles as C and as C++.  The function returns the
# compiled history (its head is the history's head), and a program
# linking two libraries of one history sees two distinct prefixes.
# Usage errors: a prefix that is not a C identifier or that is the
# runtime's, --header without --library.
retort=$1 cc=$2 work=$3 cxx=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
inc=$(cd "$here/../../runtime/include" && pwd)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

# expect_usage WHAT NEEDLE -- ARGS: exit 2 and NEEDLE on stderr.
expect_usage() {
    what=$1 needle=$2
    shift 3
    out=$("$retort" "$@" 2>&1)
    st=$?
    if [ "$st" != 2 ]; then
        fail "$what: exit $st, expected 2: $out"
    else
        case $out in
        *"$needle"*) ok "$what" ;;
        *) fail "$what: [$out] lacks [$needle]" ;;
        esac
    fi
}

if "$retort" compile "$here/library" -o lists.c --name lists-db \
        --library lists --header lists.h; then
    ok "compile --library"
else
    fail "compile --library"
fi
grep -q 'main' lists.c && fail "lists.c still mentions main: $(grep -n main lists.c)"
grep -q '^const retort_history \*lists_history(void)$' lists.c ||
    fail "lists.c does not define lists_history()"
grep -q 'lists_history(void);' lists.h || fail "lists.h does not declare lists_history()"
grep -q 'extern "C"' lists.h || fail "lists.h is not extern \"C\" for C++"

# A program of its own calls it through the header; -Wmissing-prototypes
# and -Werror: the generated file declares what it defines.
cat >use.c <<'C'
#include <stdio.h>
#include <string.h>
#include "lists.h"
int main(void)
{
    const retort_history *h = lists_history();
    const retort_revision *head = &h->revisions[h->heads[0]];
    printf("%s %u %s\n", retort_str(h, head->id), h->revision_count,
           h->name);
    return h != lists_history();
}
C
if "$cc" -std=c99 -Wall -Wextra -Wmissing-prototypes -Werror -I"$inc" -I. \
        -c lists.c -o lists.o &&
   "$cc" -std=c99 -Wall -Wextra -Werror -I"$inc" -I. use.c lists.o -o use; then
    got=$(./use)
    [ "$got" = "5e1f00000002 2 lists-db" ] && ok "lists_history() is the history" ||
        fail "lists_history(): [$got], expected [5e1f00000002 2 lists-db]"
else
    fail "lists.c and a C program using lists.h do not build"
fi
nm lists.o | grep -q ' T lists_history$' || fail "lists.o does not export lists_history"
nm lists.o | grep -q ' T main$' && fail "lists.o defines main"

if [ -n "$cxx" ]; then
    cat >use.cpp <<'CPP'
#include <cstdio>
#include "lists.h"
int main()
{
    const retort_history *h = lists_history();
    std::printf("%u\n", h->revision_count);
    return 0;
}
CPP
    if "$cxx" -Wall -Wextra -Werror -I"$inc" -I. use.cpp lists.o -o usecxx &&
       [ "$(./usecxx)" = 2 ]; then
        ok "C++ calls lists_history() through lists.h"
    else
        fail "C++ program using lists.h"
    fi
fi

# Without --library: a program, as before.
"$retort" compile "$here/library" -o prog.c || fail "compile without --library"
grep -q '^int main(int argc, char \*\*argv)$' prog.c || fail "prog.c has no main()"
grep -q '_history(void)' prog.c && fail "prog.c exports a history function"

expect_usage "prefix not an identifier" \
    "--library 'lists-db' is not a C identifier (letters, digits and '_', not starting with a digit)" \
    -- compile "$here/library" -o x.c --library lists-db
expect_usage "prefix starting with a digit" "--library '2lists' is not a C identifier" \
    -- compile "$here/library" -o x.c --library 2lists
expect_usage "the runtime's prefix" \
    "--library 'retort': the prefix must not be retort or start with retort_ or rt_ (the runtime's names)" \
    -- compile "$here/library" -o x.c --library retort
expect_usage "--header alone" "--header needs --library" \
    -- compile "$here/library" -o x.c --header x.h
[ -e x.c ] && fail "a usage error wrote x.c"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "library: ok"
