#!/bin/sh
# cli.sh MIGRATOR WORKDIR: the commands that need no database, and usage.
H=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"

run heads
expect_eq "heads" "eee500 (head)" "$out"
RT_HISTORY=twoheads run heads
expect_eq "two heads" "bbb200 (head)
aab300 (side) (head)" "$out"
run branches
expect_eq "branches" "aaa100 (branchpoint)
       -> bbb200
       -> aab300 (side)" "$out"
run history
expect_eq "history" "ddd400 -> eee500 (head), add index
bbb200, aab300 -> ddd400 (mergepoint), merge
aaa100 -> aab300 (side), side branch
aaa100 -> bbb200, add account
<base> -> aaa100 (branchpoint), initial schema" "$out"
run history -r aaa100:bbb200
expect_eq "history -r" "aaa100 -> bbb200, add account
<base> -> aaa100 (branchpoint), initial schema" "$out"
run history -r bbb200:
expect_eq "history -r A:" "ddd400 -> eee500 (head), add index
bbb200, aab300 -> ddd400 (mergepoint), merge
aaa100 -> bbb200, add account" "$out"
run show ddd
expect_contains "show: merge" "Merges: bbb200, aab300" "$out"
expect_contains "show: path" "Path: ddd400_merge.rev" "$out"
run show aab300
expect_contains "show: label" "Branch names: side" "$out"
run history --verbose
expect_contains "history --verbose" "Rev: aaa100 (branchpoint)
Parent: <base>
Branches into: bbb200, aab300" "$out"
run show nope
expect_eq "show unknown: status" 1 "$status"
run
expect_eq "no command" 2 "$status"
run frobnicate
expect_eq "unknown command: status" 2 "$status"
expect_eq "unknown command" "error: unknown command 'frobnicate'" "$err"
run --bogus heads
expect_eq "unknown option" 2 "$status"
run --help
expect_eq "--help" 0 "$status"
expect_contains "--help names COMMAND --help" "COMMAND --help' says more" "$out"

# --version, COMMAND --help for every command --help lists.
run --version
expect_eq "--version: status" 0 "$status"
expect_contains "--version: the runtime's version and ABI" "(retort " "$out"
expect_contains "--version: history ABI" "history ABI " "$out"
run --help
cmds=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort -u)
expect_eq "--help lists every command" \
    "branches check current downgrade heads history show stamp status upgrade verify" \
    "$(echo $cmds)"
for c in $cmds; do
    run $c --help
    expect_eq "$c --help: status" 0 "$status"
    expect_contains "$c --help: its usage" "] $c" "$(printf '%s\n' "$out" | head -2)"
    run $c -h
    expect_eq "$c -h: status" 0 "$status"
done
run frobnicate --help
expect_eq "unknown command --help: status" 2 "$status"

# Did you mean; every usage error exits 2 with one line.
run updrade
expect_eq "misspelt command: status" 2 "$status"
expect_eq "misspelt command" "error: unknown command 'updrade'; did you mean 'upgrade'?" "$err"
run heads --jsn
expect_eq "misspelt option: status" 2 "$status"
expect_eq "misspelt option" "error: unknown option '--jsn'; did you mean '--json'?" "$err"
run --ulr=sqlite:///x.db current
expect_eq "misspelt option with a value" "error: unknown option '--ulr=sqlite:///x.db'; did you mean '--url'?" "$err"
for line in "current extra" "heads extra" "status extra" "check extra" "upgrade a b" \
            "heads --purge" "history --force" "show" "stamp" "history -r foo" \
            "upgrade --dialect sqlite" "history -r" "upgrade --version"; do
    run $line
    expect_eq "'$line': usage error" 2 "$status"
    expect_eq "'$line': one line" 1 "$(printf '%s\n' "$err" | wc -l)"
done
run history -r foo:
expect_eq "an unknown revision in a range is not a usage error" 1 "$status"
run downgrade
expect_eq "downgrade without target" 2 "$status"
run upgrade --sql
expect_eq "--sql without dialect" 1 "$status"
run upgrade --sql --dialect postgresql aaa100:bbb200
expect_eq "--sql range" "BEGIN;

-- Running upgrade aaa100 -> bbb200

CREATE TABLE account (id INTEGER PRIMARY KEY, user_id INTEGER, CONSTRAINT fk_account_user FOREIGN KEY (user_id) REFERENCES users (id));

-- offline: not column_exists users age taken as true (from the history)

ALTER TABLE users ADD COLUMN age INTEGER;

-- offline: constraint_exists fk_account_user on account taken as true (from the history)

CREATE TABLE cond_ok (x INTEGER);

UPDATE alembic_version SET version_num='bbb200' WHERE alembic_version.version_num = 'aaa100';

COMMIT;" "$out"
finish
