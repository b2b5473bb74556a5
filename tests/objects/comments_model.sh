#!/bin/sh
# comments_model.sh RETORT DIR WORK
#
# Comments through the model commands: `retort schema --model` reads back
# with no difference; a model with a changed table comment and a column
# comment gone is what `check --model` reports, and `revision
# --autogenerate` writes the revision that makes the history match it,
# with a downgrade that restores the history's comments.
set -u
retort=$1 src=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/h" && cp "$src"/*.rev "$work/h"/ || exit 1
H=$work/h
"$retort" schema "$H" --model >"$work/head.model" || fail "schema --model"
"$retort" check "$H" --model "$work/head.model" || fail "the head's own model differs"
grep -v "set comment 'Title'" "$work/head.model" >"$work/changed.model"
echo "alter_table docs set comment 'All documents';" >>"$work/changed.model"
out=$("$retort" check "$H" --model "$work/changed.model" 2>&1) && fail "check --model passed"
echo "$out"
for want in "table docs: no comment in the history, comment 'All documents' in the model" \
            "column docs.title: comment 'Title' in the history, no comment in the model"; do
    case "$out" in *"$want"*) echo "ok: $want" ;; *) fail "check --model lacks: $want" ;; esac
done
"$retort" revision "$H" -m "comments" --autogenerate "$work/changed.model" || fail "autogenerate"
rev=$(ls "$H"/*_comments.rev)
cat "$rev"
"$retort" check "$H" --model "$work/changed.model" || fail "still differs after autogenerate"
grep -q "alter_column docs title drop comment;" "$rev" || fail "no drop comment in the upgrade"
grep -q "alter_column docs title set comment 'Title';" "$rev" ||
    fail "the downgrade does not restore the comment"
echo "comments_model: ok"
