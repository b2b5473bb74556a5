#!/bin/sh
# run.sh CASE RETORT WORK [ARGS...]
#
# The authoring commands (retort revision, merge, schema --model, check
# --model, revision --autogenerate), one CASE per ctest test.  Every case
# works on a copy of a history in WORK (emptied first), never on the
# source tree.  HERE is this directory: its history/ and models/.
set -u
CASE=$1 RETORT=$2 WORK=$3
shift 3
HERE=$(cd "$(dirname "$0")" && pwd)

fail() {
    echo "authoring.$CASE: FAIL: $*" >&2
    exit 1
}

# run CMD...: runs a command, echoing it; fails the test if it fails.
run() {
    echo "+ $*" >&2
    "$@" || fail "exit $?: $*"
}

# copy SRC: a fresh copy of the history SRC in $WORK/h.
copy() {
    rm -rf "$WORK" && mkdir -p "$WORK/h" || exit 1
    cp -R "$1"/. "$WORK/h"/ || fail "cannot copy $1"
    H=$WORK/h
}

# header FILE KEY: the value of a header line.
header() {
    sed -n "s/^$2[[:space:]]\{1,\}//p" "$1" | head -n 1
}

# new_revision OUTPUT: the path printed by revision/merge, checked to be a
# new, well-named file.
new_revision() {
    path=$(printf '%s\n' "$1" | tail -n 1)
    [ -f "$path" ] || fail "no file at the printed path '$path'"
    case $(basename "$path") in
    [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]_[0-9][0-9][0-9][0-9]-*.rev) ;;
    *) fail "bad file name $(basename "$path")" ;;
    esac
    id=$(header "$path" revision)
    printf '%s\n' "$id" | grep -Eq '^[0-9a-f]{12}$' || fail "bad id '$id'"
    basename "$path" | grep -q -- "-${id}" || fail "the file name lacks the id $id"
    printf '%s\n' "$path"
}

# pg_introspect URL: tables, columns, indexes and constraints of the
# public schema, in a form that does not depend on how they came to be
# (column order and retort's own tables do not count).
pg_introspect() {
    psql "$1" -qAt -v ON_ERROR_STOP=1 -c "
        SELECT 'column|' || table_name || '|' || column_name || '|' || data_type || '|' ||
               coalesce(character_maximum_length::text, '-') || '|' || is_nullable || '|' ||
               coalesce(column_default, '-') || '|' || is_identity
          FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE 'alembic_version%'
        UNION ALL
        SELECT 'index|' || tablename || '|' || indexname || '|' || indexdef
          FROM pg_indexes
         WHERE schemaname = 'public' AND tablename NOT LIKE 'alembic_version%'
        UNION ALL
        SELECT 'constraint|' || c.conrelid::regclass::text || '|' || c.conname || '|' ||
               pg_get_constraintdef(c.oid)
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname = 'public' AND c.conrelid::regclass::text NOT LIKE 'alembic_version%'
        ORDER BY 1" || fail "cannot introspect $1"
}

# fork: a second head on the tests' history, off its first revision.
fork() {
    cat >"$H/20240103_0900-ccc333ccc333_tags.rev" <<'EOF'
revision ccc333ccc333
parent   aaa111aaa111
message  'tags'
upgrade {
    create_table tags (id integer primary key, label text not null);
}
EOF
}

# introspect DB: tables, columns, indexes and foreign keys of a SQLite file
# in a form that does not depend on how they came to be (column order,
# table DDL text and automatic index names do not count).
introspect() {
    sqlite3 -bail -batch -noheader -list "$1" "
        WITH t AS (SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'alembic_version%')
        SELECT 'column', t.name, p.name, p.type, p.\"notnull\",
               coalesce(p.dflt_value, '-'), p.pk
          FROM t JOIN pragma_table_info(t.name) p
        UNION ALL
        SELECT 'index', t.name,
               CASE WHEN il.origin = 'c' THEN il.name ELSE il.origin END,
               il.\"unique\", il.partial,
               (SELECT group_concat(name, ',') FROM
                   (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)),
               ''
          FROM t JOIN pragma_index_list(t.name) il
        UNION ALL
        SELECT 'fk', t.name, f.\"from\", f.\"table\", f.\"to\", f.on_update,
               f.on_delete
          FROM t JOIN pragma_foreign_key_list(t.name) f
        ORDER BY 1, 2, 3, 4;"
}

# same_schema DB SQL: DB's introspection equals that of a fresh file
# loaded from SQL.
same_schema() {
    rm -f "$WORK/fresh.db"
    sqlite3 -bail -batch "$WORK/fresh.db" <"$2" || fail "$2 does not load"
    introspect "$1" >"$WORK/got.txt" || fail "cannot introspect $1"
    introspect "$WORK/fresh.db" >"$WORK/want.txt" || fail "cannot introspect"
    diff -u "$WORK/want.txt" "$WORK/got.txt" ||
        fail "$1 differs from a fresh load of $2 (want: -, got: +)"
}

case $CASE in

revision)
    # One head: the new revision goes on it, with empty blocks, and passes
    # the checks; it becomes the single head.
    copy "$HERE/history"
    out=$(run "$RETORT" revision "$H" -m "Add widgets, gadgets & more!") || exit 1
    echo "$out"
    rev=$(new_revision "$out") || exit 1
    case $(basename "$rev") in
    *-[0-9a-f]*_add_widgets_gadgets_more.rev) ;;
    *) fail "bad slug in $(basename "$rev")" ;;
    esac
    [ "$(header "$rev" parent)" = bbb222bbb222 ] || fail "parent is not bbb222bbb222"
    [ "$(header "$rev" message)" = "'Add widgets, gadgets & more!'" ] || fail "bad message line"
    header "$rev" created | grep -Eq "^'[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'$" ||
        fail "bad created line"
    grep -q '^upgrade {' "$rev" && grep -q '^downgrade {' "$rev" || fail "blocks missing"
    cat "$rev"
    run "$RETORT" check "$H"
    id=$(header "$rev" revision)
    heads=$("$RETORT" heads "$H") || fail "heads failed"
    echo "$heads"
    [ "$(printf '%s\n' "$heads" | grep -c .)" = 1 ] || fail "not one head"
    printf '%s\n' "$heads" | grep -q "$id" || fail "the new revision is not the head"
    # A long message is cut at a word boundary.
    out=$(run "$RETORT" revision "$H" -m "one two three four five six seven eight nine ten") || exit 1
    rev=$(new_revision "$out") || exit 1
    case $(basename "$rev") in
    *_one_two_three_four_five_six_seven_eight.rev) ;;
    *) fail "long slug not cut: $(basename "$rev")" ;;
    esac
    run "$RETORT" check "$H"
    # An empty directory: a root.
    mkdir -p "$WORK/empty"
    out=$(run "$RETORT" revision "$WORK/empty" -m first) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" parent)" = none ] || fail "a revision in an empty directory must be a root"
    run "$RETORT" check "$WORK/empty"
    ;;

two_heads)
    # Two heads: an error that names both, unless --head picks one.
    copy "$HERE/history"
    fork
    out=$("$RETORT" revision "$H" -m "next" 2>&1) && fail "revision on two heads succeeded"
    echo "$out"
    printf '%s\n' "$out" | grep -q bbb222bbb222 || fail "the error does not name bbb222bbb222"
    printf '%s\n' "$out" | grep -q ccc333ccc333 || fail "the error does not name ccc333ccc333"
    [ "$(ls "$H" | wc -l)" = 3 ] || fail "a file was written"
    out=$(run "$RETORT" revision "$H" -m "on tags" --head ccc333) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" parent)" = ccc333ccc333 ] || fail "--head ccc333 not followed"
    run "$RETORT" check "$H"
    # A revision that is not a head needs --branch.
    "$RETORT" revision "$H" -m "fork" --head aaa111aaa111 >/dev/null 2>&1 &&
        fail "revision on a non-head without --branch succeeded"
    "$RETORT" revision "$H" -m "x" --head nosuchrev >/dev/null 2>&1 &&
        fail "--head with an unknown revision succeeded"
    ;;

branch)
    # --head base --branch: a new root carrying the label; --branch with
    # that label again extends the branch.
    copy "$HERE/history"
    out=$(run "$RETORT" revision "$H" -m "audit root" --head base --branch audit) || exit 1
    root=$(new_revision "$out") || exit 1
    [ "$(header "$root" parent)" = none ] || fail "--head base is not a root"
    [ "$(header "$root" branch)" = audit ] || fail "no branch line"
    run "$RETORT" check "$H"
    out=$(run "$RETORT" revision "$H" -m "audit two" --branch audit) || exit 1
    two=$(new_revision "$out") || exit 1
    [ "$(header "$two" parent)" = "$(header "$root" revision)" ] ||
        fail "--branch audit did not extend the audit branch"
    [ -z "$(header "$two" branch)" ] || fail "the label was written twice"
    run "$RETORT" check "$H"
    run "$RETORT" branches "$H"
    # --branch on the single head labels the new revision.
    copy "$HERE/history"
    out=$(run "$RETORT" revision "$H" -m "feature" --branch feature) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" parent)" = bbb222bbb222 ] || fail "--branch did not go on the head"
    [ "$(header "$rev" branch)" = feature ] || fail "no branch line"
    run "$RETORT" check "$H"
    ;;

merge)
    copy "$HERE/history"
    out=$("$RETORT" merge "$H" -m "nothing" 2>&1) && fail "merge of one head succeeded"
    echo "$out"
    fork
    out=$(run "$RETORT" merge "$H" -m "merge tags and posts") || exit 1
    rev=$(new_revision "$out") || exit 1
    cat "$rev"
    [ "$(header "$rev" parent)" = "(bbb222bbb222, ccc333ccc333)" ] ||
        fail "bad parent line: $(header "$rev" parent)"
    run "$RETORT" check "$H"
    heads=$("$RETORT" heads "$H") || fail "heads failed"
    echo "$heads"
    [ "$(printf '%s\n' "$heads" | grep -c .)" = 1 ] || fail "not one head after the merge"
    printf '%s\n' "$heads" | grep -q "$(header "$rev" revision)" || fail "the merge is not the head"
    # Named revisions; an ancestor pair is refused.
    copy "$HERE/history"
    fork
    "$RETORT" merge "$H" -m "bad" aaa111aaa111 bbb222bbb222 >/dev/null 2>&1 &&
        fail "merge of a revision with its ancestor succeeded"
    out=$(run "$RETORT" merge "$H" -m "named" ccc333ccc333 bbb222bbb222) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" parent)" = "(ccc333ccc333, bbb222bbb222)" ] || fail "bad parent line"
    run "$RETORT" check "$H"
    ;;

rev_id)
    # --rev-id names the new revision (Alembic's revision --rev-id); an id
    # that is taken, a prefix of one, a label or not a word is refused and
    # nothing is written.
    copy "$HERE/history"
    out=$(run "$RETORT" revision "$H" -m "chosen id" --rev-id feed00000001) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" revision)" = feed00000001 ] || fail "id is $(header "$rev" revision)"
    case $rev in *-feed00000001_chosen_id.rev) ;; *) fail "file name $rev";; esac
    run "$RETORT" check "$H"
    before=$(ls "$H" | sort)
    for bad in feed00000001 feed aaa111 'two words' 12345; do
        "$RETORT" revision "$H" -m "again" --rev-id "$bad" >/dev/null 2>"$WORK/err" &&
            fail "--rev-id '$bad' accepted"
        grep -q "rev-id" "$WORK/err" || fail "no reason for '$bad': $(cat "$WORK/err")"
    done
    [ "$(ls "$H" | sort)" = "$before" ] || fail "a refused --rev-id wrote a file"
    fork
    out=$(run "$RETORT" merge "$H" -m "merge" --rev-id feed00000002) || exit 1
    rev=$(new_revision "$out") || exit 1
    [ "$(header "$rev" revision)" = feed00000002 ] || fail "merge id is $(header "$rev" revision)"
    "$RETORT" heads "$H" --rev-id x >/dev/null 2>&1
    [ $? = 2 ] || fail "--rev-id with heads is not a usage error"
    ;;

schema_model)
    # schema --model is a model of the head: check --model passes on it,
    # and the output is stable (the model of the model is the model).
    SRC=${1:-$HERE/history}
    copy "$SRC"
    run "$RETORT" schema "$H" --model >"$WORK/head.model" || exit 1
    cat "$WORK/head.model"
    run "$RETORT" check "$H" --model "$WORK/head.model"
    mkdir -p "$WORK/m"
    { printf 'revision mmmmmm\nparent none\nupgrade {\n'
      cat "$WORK/head.model"
      printf '}\n'; } >"$WORK/m/m.rev"
    run "$RETORT" schema "$WORK/m" --model >"$WORK/again.model" || exit 1
    diff -u "$WORK/head.model" "$WORK/again.model" || fail "schema --model is not stable"
    ;;

check_model)
    # A model with one difference of each kind: exit 1, each one listed.
    copy "$HERE/history"
    out=$("$RETORT" check "$H" --model "$HERE/models/changed.model" 2>&1)
    status=$?
    echo "$out"
    [ "$status" = 1 ] || fail "exit $status, want 1"
    for want in \
        "model: table 'coupons' is missing from the history" \
        "model: column users.email: type varchar(255) in the history, varchar(320) in the model" \
        "model: column users.name: nullable in the history, not null in the model" \
        "model: column users.name: no default in the history, default 'anonymous' in the model" \
        "model: table users: constraint 'uq_users_name' (unique (name)) is missing from the history" \
        "model: column posts.body is in the history but not in the model" \
        "model: column posts.published is missing from the history" \
        "model: index 'ix_users_name': on users (name) in the history, on users (name, email) in the model" \
        "model: index 'ix_posts_user' (on posts (user_id)) is in the history but not in the model"
    do
        printf '%s\n' "$out" | grep -qxF "$want" || fail "missing line: $want"
    done
    [ "$(printf '%s\n' "$out" | grep -c '^model: ')" = 9 ] || fail "not exactly 9 differences"
    ;;

autogenerate)
    # ARGS: CC RUNTIME_INCLUDE LIBS...  The new revision brings the head to
    # the model: check --model and check pass, and the migrator built from
    # the new history, run on a SQLite file that holds rows, ends at the
    # model's schema; its downgrade goes back to the old head's schema.
    CC=$1
    INC=$2
    shift 2
    copy "$HERE/history"
    MODEL=$HERE/models/autogen.model
    "$RETORT" check "$H" --model "$MODEL" >/dev/null 2>&1 && fail "the model equals the history already"
    out=$(run "$RETORT" revision "$H" -m "comments and wider email" --autogenerate "$MODEL") || exit 1
    rev=$(new_revision "$out") || exit 1
    cat "$rev"
    run "$RETORT" check "$H"
    run "$RETORT" check "$H" --model "$MODEL"
    for want in "create_table comments" "alter_column users email type varchar(320);" \
        "add_column users status varchar(20) not null default 'active';" \
        "drop_index ix_users_name;" "create_index ix_users_name on users (name);" \
        "drop_table comments;" "drop_column users status;" \
        "alter_column users email type varchar(255);"
    do
        grep -qF "$want" "$rev" || fail "the revision lacks: $want"
    done
    # Nothing left to do: no file.
    n=$(ls "$H" | wc -l)
    out=$(run "$RETORT" revision "$H" -m "again" --autogenerate "$MODEL") || exit 1
    echo "$out"
    printf '%s\n' "$out" | grep -q "no changes detected" || fail "no 'no changes detected'"
    [ "$(ls "$H" | wc -l)" = "$n" ] || fail "a file was written for no changes"

    run "$RETORT" compile "$H" -o "$WORK/migrations.c" --name authoring-migrate
    run "$CC" -o "$WORK/migrate" "$WORK/migrations.c" -I"$INC" "$@"
    DB=$WORK/app.db
    URL=sqlite:///$DB
    run "$WORK/migrate" --url "$URL" upgrade bbb222bbb222
    sqlite3 -bail "$DB" "INSERT INTO users (email, name) VALUES ('a@example.com', 'Ann');
        INSERT INTO posts (user_id, title) VALUES (1, 'hello');" || fail "cannot insert rows"
    run "$WORK/migrate" --url "$URL" upgrade head
    run "$RETORT" schema "$H" --dialect sqlite >"$WORK/head.sql"
    same_schema "$DB" "$WORK/head.sql"
    [ "$(sqlite3 "$DB" "SELECT email || '|' || status FROM users")" = "a@example.com|active" ] ||
        fail "the user row did not survive with the default status"
    run "$WORK/migrate" --url "$URL" check
    run "$WORK/migrate" --url "$URL" downgrade -1
    run "$RETORT" schema "$H" --at bbb222bbb222 --dialect sqlite >"$WORK/old.sql"
    same_schema "$DB" "$WORK/old.sql"

    # The same revision on PostgreSQL, when the pg fixture's directory is
    # given (AUTHORING_PG_DIR): the migrated database and a fresh one
    # loaded from `retort schema --dialect postgresql` must match.
    [ -n "${AUTHORING_PG_DIR:-}" ] || { echo "authoring.$CASE: ok"; exit 0; }
    base=$(cat "$AUTHORING_PG_DIR/url")
    run psql "$base" -qAt -c 'DROP DATABASE IF EXISTS autogen_m' -c 'CREATE DATABASE autogen_m' \
        -c 'DROP DATABASE IF EXISTS autogen_f' -c 'CREATE DATABASE autogen_f'
    PGM=$(printf '%s' "$base" | sed 's|:///postgres?|:///autogen_m?|')
    PGF=$(printf '%s' "$base" | sed 's|:///postgres?|:///autogen_f?|')
    run "$WORK/migrate" --url "$PGM" upgrade bbb222bbb222
    run psql "$PGM" -qAt -v ON_ERROR_STOP=1 -c "INSERT INTO users (email, name) VALUES ('a@example.com', 'Ann')"
    run "$WORK/migrate" --url "$PGM" upgrade head
    run "$RETORT" schema "$H" --dialect postgresql >"$WORK/head.pg.sql"
    run psql "$PGF" -qAt -v ON_ERROR_STOP=1 -f "$WORK/head.pg.sql"
    pg_introspect "$PGM" >"$WORK/pg.got"
    pg_introspect "$PGF" >"$WORK/pg.want"
    grep -q '^column|comments|post_id' "$WORK/pg.want" || fail "PostgreSQL introspection found nothing"
    diff -u "$WORK/pg.want" "$WORK/pg.got" ||
        fail "the PostgreSQL database differs from a fresh load of the model's schema"
    [ "$(psql "$PGM" -qAt -c "SELECT email || '|' || status FROM users")" = "a@example.com|active" ] ||
        fail "the PostgreSQL user row did not survive with the default status"
    run "$WORK/migrate" --url "$PGM" check
    ;;

rename_hint)
    # A column gone and one of the same type new: a drop and an add, with a
    # comment that says it may be a rename.
    copy "$HERE/history"
    "$RETORT" schema "$H" --model |
        sed -e 's/^    name /    display_name /' -e 's/on users (name)/on users (display_name)/' \
        >"$WORK/renamed.model"
    grep -q display_name "$WORK/renamed.model" || fail "cannot make the model"
    out=$(run "$RETORT" revision "$H" -m "display name" --autogenerate "$WORK/renamed.model") || exit 1
    rev=$(new_revision "$out") || exit 1
    cat "$rev"
    grep -q "cannot tell a rename from a drop and an" "$rev" || fail "no rename hint"
    grep -qF "alter_column users name rename to display_name;" "$rev" || fail "no suggested rename"
    grep -qF "drop_column users name;" "$rev" || fail "no drop"
    grep -qF "add_column users display_name text;" "$rev" || fail "no add"
    run "$RETORT" check "$H"
    run "$RETORT" check "$H" --model "$WORK/renamed.model"
    ;;

*)
    fail "unknown case"
    ;;
esac
echo "authoring.$CASE: ok"
