#!/bin/sh
# embed.sh KIND APP RETORT HISTORY_DIR DIALECT WORK [PGDIR]
#
# An application that migrates its own database at start-up (SPEC section
# 6, embedding; samples/guestbook_app.c and samples/tasks_app.cpp, built
# on retort_add_migrator(... LIBRARY)).  KIND is guestbook or tasks.
#
#   1. an empty database: the application reports base and both revisions
#      pending, upgrades (the runtime's progress lines on stderr), reports
#      head, and its own query then works; the tables, the index and the
#      one version row are really there;
#   2. a second start-up, the URL from $DATABASE_URL: nothing pending,
#      "already at head", no upgrade run, the version row unchanged, the
#      application's rows kept;
#   3. a database at the first revision (made by `retort sql` offline):
#      the current revision and the one pending, and only it runs;
#   4. a database at a revision the application does not know (a newer
#      deploy's): one line on stderr, exit 1, and the application's own
#      work does not run.
set -u
KIND=$1 APP=$2 RETORT=$3 HIST=$4 DIALECT=$5 WORK=$6
TEST_NAME="embed_$KIND.$DIALECT"
TEST_ID="embed_${KIND}_$DIALECT"
. "$(dirname "$0")/lib.sh"
[ "$DIALECT" = postgresql ] && pg_setup "${7:?PGDIR is needed for postgresql}"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

case $KIND in
guestbook)
    R1=9e57b0000001 R2=9e57b0000002
    TABLES="entries"
    INDEX=ix_entries_signed_at
    own() { echo "entries: $1 ($1 signed at a time)"; }
    rows() { db_query "$1" "SELECT count(*) FROM entries"; } ;;
tasks)
    R1=7a5c00000001 R2=7a5c00000002
    TABLES="tasks task_tags"
    INDEX=
    own() { echo "tasks: $1, tags: $1"; }
    rows() { db_query "$1" "SELECT count(*) FROM tasks"; } ;;
*) die "unknown KIND $KIND" ;;
esac

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect WHAT EXPECTED ACTUAL
expect() {
    if [ "$2" = "$3" ]; then echo "ok: $1"; else
        fail "$1:"; printf 'expected:\n%s\ngot:\n%s\n' "$2" "$3" >&2; fi
}
# has_index HANDLE NAME: 1 or 0.
has_index() {
    case $DIALECT in
    sqlite) db_query "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '$2'" ;;
    postgresql) db_query "$1" "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = '$2'" ;;
    esac
}
# start WHAT [URL]: runs the application; its stdout in out, stderr in
# err, status in st.
start() {
    what=$1
    shift
    "$APP" "$@" >"$WORK/out" 2>"$WORK/err"
    st=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
}

# 1. An empty database.
db=$(db_fresh first) || exit 1
url=$(db_url "$db")
start first "$url"
expect "first start: exit 0" 0 "$st"
expect "first start: status, upgrade, own query" "current: (base)
pending: $R1 $R2
upgraded to: $R2
$(own 1)" "$out"
expect "first start: the runtime's progress lines" "Running upgrade  -> $R1, $(sed -n "s/^message *'\(.*\)'/\1/p" "$HIST"/*"$R1"*.rev)
Running upgrade $R1 -> $R2, $(sed -n "s/^message *'\(.*\)'/\1/p" "$HIST"/*"$R2"*.rev)" "$err"
expect "first start: version row" "$R2" "$(db_versions "$db")"
for t in $TABLES; do
    expect "first start: table $t" 1 "$(db_has_table "$db" "$t")"
done
[ -n "$INDEX" ] && expect "first start: index $INDEX" 1 "$(has_index "$db" "$INDEX")"

# 2. Again, the URL from the environment: nothing to do.
DATABASE_URL=$url
export DATABASE_URL
start second
unset DATABASE_URL
expect "second start: exit 0" 0 "$st"
expect "second start: nothing pending" "current: $R2
pending: (none)
already at head
$(own 2)" "$out"
expect "second start: no upgrade ran" "" "$err"
expect "second start: version row" "$R2" "$(db_versions "$db")"

# 3. A database at the first revision, from the offline script.
half=$(db_fresh half) || exit 1
"$RETORT" sql "$HIST" --dialect "$DIALECT" upgrade "$R1" >"$WORK/r1.sql" ||
    fail "retort sql upgrade $R1"
db_run "$half" "$WORK/r1.sql" || fail "running the script to $R1"
expect "half way: version row before" "$R1" "$(db_versions "$half")"
start half "$(db_url "$half")"
expect "half way: exit 0" 0 "$st"
expect "half way: one pending" "current: $R1
pending: $R2
upgraded to: $R2
$(own 1)" "$out"
expect "half way: only it ran" "Running upgrade $R1 -> $R2, $(sed -n "s/^message *'\(.*\)'/\1/p" "$HIST"/*"$R2"*.rev)" "$err"
expect "half way: version row" "$R2" "$(db_versions "$half")"

# 4. A database migrated by a newer deploy: refused, the application's
# own work not done.
db_query "$db" "UPDATE alembic_version SET version_num = 'fe11fe11fe11'" >/dev/null ||
    fail "setting an unknown revision"
before=$(rows "$db")
start newer "$url"
expect "newer database: exit 1" 1 "$st"
expect "newer database: no output" "" "$out"
expect "newer database: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
case $err in
*fe11fe11fe11*) echo "ok: newer database: the line names the revision" ;;
*) fail "newer database: [$err] does not name fe11fe11fe11" ;;
esac
expect "newer database: own work not done" "$before" "$(rows "$db")"

[ "$DIALECT" = postgresql ] && { db_drop "$db"; db_drop "$half"; }
[ "$failures" = 0 ] || { echo "$TEST_NAME: $failures failure(s)" >&2; exit 1; }
echo "$TEST_NAME: ok"
