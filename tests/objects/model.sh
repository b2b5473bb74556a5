#!/bin/sh
# model.sh RETORT DIR WORK
#
# Views and triggers through the model commands: `retort schema --model`
# reads back with no difference; a model whose view query changed, with a
# trigger gone and a view and a trigger new, is what `check --model`
# reports, and `revision --autogenerate` writes the revision that makes
# the history match it (its SQLite upgrade and downgrade scripts run).
set -u
retort=$1 src=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/h" && cp "$src"/*.rev "$work/h"/ || exit 1
H=$work/h
"$retort" schema "$H" --model >"$work/head.model" || fail "schema --model"
"$retort" check "$H" --model "$work/head.model" || fail "the head's own model differs"

# The changed model.
sed -e 's/LEFT JOIN owners/JOIN owners/' "$work/head.model" |
    awk '/^create_trigger tr_items_gone/ { skip = 1 } skip && /\$\$;$/ { skip = 0; next }
         !skip' >"$work/changed.model"
cat >>"$work/changed.model" <<'MODEL'

create_view v_owners as $$SELECT id, name FROM owners$$;
create_trigger tr_owners_gone on owners
    sqlite $$CREATE TRIGGER tr_owners_gone AFTER DELETE ON owners
             BEGIN DELETE FROM items WHERE owner_id = old.id; END$$
    postgresql $$CREATE TRIGGER tr_owners_gone AFTER DELETE ON owners
                 FOR EACH ROW EXECUTE FUNCTION audit_item('owner')$$;
MODEL
grep -q 'i JOIN owners' "$work/changed.model" || fail "sed did not change the view"
grep -q tr_items_gone "$work/changed.model" && fail "awk did not drop the trigger"
out=$("$retort" check "$H" --model "$work/changed.model" 2>&1) && fail "check --model passed"
echo "$out"
for want in "view 'v_items': its query differs" \
            "trigger 'tr_items_gone' on items is in the history but not in the model" \
            "view 'v_owners' is missing from the history" \
            "trigger 'tr_owners_gone' on owners is missing from the history"; do
    case "$out" in *"$want"*) echo "ok: $want" ;; *) fail "check --model lacks: $want" ;; esac
done

"$retort" revision "$H" -m "match the model" --autogenerate "$work/changed.model" ||
    fail "autogenerate"
cat "$H"/*match_the_model.rev
"$retort" check "$H" --model "$work/changed.model" || fail "still differs after autogenerate"
"$retort" sql "$H" --dialect sqlite upgrade head >"$work/up.sql" || fail "sql upgrade"
sqlite3 -bail "$work/db" <"$work/up.sql" >/dev/null || fail "the upgrade script fails"
test "$(sqlite3 "$work/db" "SELECT sql FROM sqlite_master WHERE name = 'v_items'")" != "" ||
    fail "v_items is gone"
sqlite3 "$work/db" "SELECT sql FROM sqlite_master WHERE name = 'v_items'" | grep -q 'i JOIN owners' ||
    fail "v_items was not replaced"
"$retort" sql "$H" --dialect sqlite downgrade head:v3 >"$work/down.sql" || fail "sql downgrade"
sqlite3 -bail "$work/db" <"$work/down.sql" >/dev/null || fail "the downgrade script fails"
test "$(sqlite3 "$work/db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
        WHERE type IN ('view', 'trigger') ORDER BY name)")" = \
    "tr_items_gone tr_items_qty v_items" || fail "the downgrade did not restore v3's objects"
sqlite3 "$work/db" "SELECT sql FROM sqlite_master WHERE name = 'v_items'" | grep -q 'LEFT JOIN' ||
    fail "v_items is not back to v3's"
echo "model: ok"
