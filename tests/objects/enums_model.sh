#!/bin/sh
# enums_model.sh RETORT DIR WORK
#
# Enums through the model commands: `retort schema --model` reads back
# with no difference; a model with a label added and one gone, and a new
# enum used by a new column, is what `check --model` reports, and
# `revision --autogenerate` writes the revision that makes the history
# match it; its SQLite scripts run both ways.
set -u
retort=$1 src=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/h" && cp "$src"/*.rev "$work/h"/ || exit 1
H=$work/h
"$retort" schema "$H" --model >"$work/head.model" || fail "schema --model"
"$retort" check "$H" --model "$work/head.model" || fail "the head's own model differs"
sed -e "s/create_enum mood ('blue', 'fine', 'happy')/create_enum mood ('blue', 'fine', 'glad')/" \
    -e "s/^    fav     enum colour,/    fav     enum colour,\n    shade   enum tone,/" \
    "$work/head.model" >"$work/changed.model"
echo "create_enum tone ('light', 'dark');" >>"$work/changed.model"
grep -q "'glad'" "$work/changed.model" && grep -q "shade" "$work/changed.model" ||
    fail "sed did not change the model"
out=$("$retort" check "$H" --model "$work/changed.model" 2>&1) && fail "check --model passed"
echo "$out"
for want in "enum 'mood': ('blue', 'fine', 'happy') in the history, ('blue', 'fine', 'glad') in the model" \
            "enum 'tone' is missing from the history" \
            "column people.shade is missing from the history"; do
    case "$out" in *"$want"*) echo "ok: $want" ;; *) fail "check --model lacks: $want" ;; esac
done
"$retort" revision "$H" -m "enums" --autogenerate "$work/changed.model" || fail "autogenerate"
cat "$H"/*_enums.rev
"$retort" check "$H" --model "$work/changed.model" || fail "still differs after autogenerate"
"$retort" sql "$H" --dialect sqlite upgrade head >"$work/up.sql" || fail "sql upgrade"
sqlite3 -bail "$work/db" <"$work/up.sql" >/dev/null || fail "the upgrade script fails"
sqlite3 "$work/db" "SELECT sql FROM sqlite_master WHERE name = 'people'" |
    grep -q "CHECK (feeling IN ('blue', 'fine', 'glad'))" || fail "people's CHECK was not rebuilt"
"$retort" sql "$H" --dialect sqlite downgrade head:e5 >"$work/down.sql" || fail "sql downgrade"
sqlite3 -bail "$work/db" <"$work/down.sql" >/dev/null || fail "the downgrade script fails"
sqlite3 "$work/db" "SELECT sql FROM sqlite_master WHERE name = 'people'" |
    grep -q "CHECK (feeling IN ('blue', 'fine', 'happy'))" || fail "the downgrade did not restore the labels"
echo "enums_model: ok"
