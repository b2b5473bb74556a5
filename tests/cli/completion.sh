#!/bin/bash
# completion.sh SCRIPT RETORT: the bash completion offers every command
# `retort --help` lists, and each command's own options.
. "$1"
retort=$2
failures=0
complete_line() {   # complete_line WORD... : COMPREPLY for the last word
    COMP_WORDS=(retort "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _retort
    printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ' -
}
listed=$("$retort" --help | sed -n 's/^  \([a-z]*\) .*/\1/p' | sort | paste -sd' ' -)
offered=$(complete_line '' | tr ' ' '\n' | grep -v '^--' | sort | paste -sd' ' -)
if [ "$listed" = "$offered" ]; then echo "ok: every command"; else
    echo "FAIL: retort --help lists [$listed], completion offers [$offered]" >&2; failures=1; fi
got=$(complete_line li)
[ "$got" = lint ] && echo "ok: li -> lint" || { echo "FAIL: li -> [$got]" >&2; failures=1; }
got=$(complete_line lint --)
[ "$got" = "--help --json --strict" ] && echo "ok: lint options" || { echo "FAIL: lint -- -> [$got]" >&2; failures=1; }
got=$(complete_line schema d --dialect p)
[ "$got" = postgresql ] && echo "ok: --dialect values" || { echo "FAIL: --dialect p -> [$got]" >&2; failures=1; }
exit $failures
