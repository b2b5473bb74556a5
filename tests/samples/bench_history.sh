#!/bin/sh
# bench_history.sh RETORT GEN_HISTORY WORKDIR
#
# bench/gen_history.py writes two equivalent histories: with N=40, `retort
# check` accepts the retort form, and (when Alembic is installed) Alembic's
# upgrade head and the retort offline script give the same SQLite schema and
# version row, as do their downgrades to the first revision.
set -u
RETORT=$1 GEN=$2 WORK=$3
DIALECT=sqlite TEST_NAME=bench_history
. "$(dirname "$0")/lib.sh"

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
python3 "$GEN" 40 "$WORK/h" || die "gen_history.py failed"
[ "$(ls "$WORK/h/retort" | grep -c '\.rev$')" = 40 ] || die "expected 40 .rev files"
"$RETORT" check "$WORK/h/retort" || die "retort check rejects the generated history"
first=$(sed -n 's/^revision \(.*\)/\1/p' "$WORK"/h/retort/*_revision_1.rev)
last=$(sed -n 's/^revision \(.*\)/\1/p' "$WORK"/h/retort/*_revision_40.rev)
[ "$("$RETORT" heads "$WORK/h/retort" | cut -d' ' -f1)" = "$last" ] || die "the head should be $last"

ALEMBIC="/usr/bin/python3 -m alembic"
if ! $ALEMBIC --version >/dev/null 2>&1; then
    echo "bench_history: no Alembic (python3-alembic); the retort side passed"
    exit 0
fi
alembic() { $ALEMBIC -c "$WORK/h/alembic/alembic.ini" -x "url=sqlite:///$WORK/alembic.db" "$@"; }
alembic heads | grep -q "^$last (head)" || die "Alembic does not see $last as the head"

alembic upgrade head 2>"$WORK/alembic.log" || { cat "$WORK/alembic.log" >&2; die "alembic upgrade head failed"; }
"$RETORT" sql "$WORK/h/retort" --dialect sqlite upgrade head >"$WORK/up.sql" || die "retort sql upgrade failed"
: >"$WORK/retort.db"
db_run "$WORK/retort.db" "$WORK/up.sql" || die "the retort script does not load"
db_introspect "$WORK/alembic.db" >"$WORK/alembic.txt"
db_introspect "$WORK/retort.db" >"$WORK/retort.txt"
expect_same "upgrade head: Alembic vs retort schema" "$WORK/alembic.txt" "$WORK/retort.txt"
[ "$(db_versions "$WORK/alembic.db")" = "$last" ] && [ "$(db_versions "$WORK/retort.db")" = "$last" ] ||
    die "upgrade head: the version rows differ"

alembic downgrade "$first" 2>"$WORK/alembic.log" || { cat "$WORK/alembic.log" >&2; die "alembic downgrade failed"; }
"$RETORT" sql "$WORK/h/retort" --dialect sqlite downgrade "head:$first" >"$WORK/down.sql" || die "retort sql downgrade failed"
db_run "$WORK/retort.db" "$WORK/down.sql" || die "the retort downgrade script does not load"
db_introspect "$WORK/alembic.db" >"$WORK/alembic.txt"
db_introspect "$WORK/retort.db" >"$WORK/retort.txt"
expect_same "downgrade $first: Alembic vs retort schema" "$WORK/alembic.txt" "$WORK/retort.txt"
[ "$(db_versions "$WORK/retort.db")" = "$first" ] || die "downgrade: the version row should be $first"
echo "bench_history: ok"
