#!/bin/sh
# walk.sh DIALECT MIGRATOR WORKDIR [PGDIR]: the drift check reports nothing
# at every revision of a realistic history (the sample's migrator): the
# database is upgraded one revision at a time, in `history` order, and
# `check` must name no difference at any of them; the same on the way down.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

DB=rel_walk
newdb $DB
U=$(url $DB)
revs=$("$H" history | sed -n 's/.*-> \([0-9A-Za-z_]*\).*/\1/p' | awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }')
[ -n "$revs" ] || fail "no revisions in the history"
for r in $revs; do
    run --url "$U" -q upgrade "$r"
    expect_eq "upgrade $r" 0 "$status"
    run --url "$U" check
    expect_eq "at $r: nothing differs" "" "$(diffs)"
done
run --url "$U" check
expect_eq "at head: check" 0 "$status"
steps=0
while [ -n "$(rows $DB)" ] && [ $steps -lt 200 ]; do
    run --url "$U" -q downgrade -1
    if [ "$status" -ne 0 ]; then
        # Several heads: go down one of them by name.
        run --url "$U" -q downgrade "$(rows $DB | cut -d, -f1)-1"
        [ "$status" -eq 0 ] || { fail "downgrade from [$(rows $DB)]: $err"; break; }
    fi
    run --url "$U" check
    expect_eq "down at [$(rows $DB)]: nothing differs" "" "$(diffs)"
    steps=$((steps + 1))
done
expect_eq "down to base" "" "$(rows $DB)"
[ "$dialect" = postgresql ] && psql -qX "$base_url" -c "DROP DATABASE $DB" >/dev/null
finish
