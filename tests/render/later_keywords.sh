#!/bin/sh
# later_keywords.sh RETORT DIR WORK: the checksums of a revision naming
# words that later releases made (or may make) keywords stay what the
# release before them computed (recorded from retort 0.2.0, checksum form
# 1).  A keyword added to the language must never change a checksum, or
# every database that applied such a revision would refuse to upgrade.
retort=$1 dir=$2 work=$3
mkdir -p "$work" || exit 1
"$retort" compile "$dir" -o "$work/m.c" || { echo "FAIL: compile" >&2; exit 1; }
status=0
# k2's (deferrable, initially, deferred, immediate) were recorded by the
# compiler of main 222387f, before those words were keywords.
for sum in 0f443a77055a13707906869f88166d5d0b9ae2985445dd7e01852b3438666eb0 \
           ace3d88c038fc304aac4cd6c053d4b9cd396b6a8885cd23790dacfd2e5fee391 \
           57f92891482c88e815bb2602b51f0e47aad574ce0506efba46b668dcbf99464c \
           0d3e0ad55172b4b4f2a86ba15aa553aee5beb9369c2b476ad0e2da024ef1e1aa; do
    grep -q "$sum" "$work/m.c" || { echo "FAIL: checksum $sum changed" >&2; status=1; }
done
[ $status = 0 ] && echo "later_keywords: ok"
exit $status
