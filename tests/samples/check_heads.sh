#!/bin/sh
# check_heads.sh RETORT SHOPDIR HEAD
#
# `retort check` passes on the sample history, and `retort heads` prints
# exactly one head: HEAD.
set -u
retort=$1 dir=$2 head=$3

if ! out=$("$retort" check "$dir" 2>&1); then
    printf '%s\n' "$out"
    echo "check_heads: retort check $dir failed" >&2
    exit 1
fi
printf '%s\n' "$out"
case "$out" in
*warning*)
    echo "check_heads: retort check $dir printed warnings" >&2
    exit 1 ;;
esac

if ! heads=$("$retort" heads "$dir" 2>&1); then
    printf '%s\n' "$heads"
    echo "check_heads: retort heads $dir failed" >&2
    exit 1
fi
printf '%s\n' "$heads"
lines=$(printf '%s\n' "$heads" | grep -c .)
if [ "$lines" -ne 1 ]; then
    echo "check_heads: expected exactly one head, got $lines lines" >&2
    exit 1
fi
case "$heads" in
*"$head"*) ;;
*)  echo "check_heads: the head should be $head" >&2
    exit 1 ;;
esac
exit 0
