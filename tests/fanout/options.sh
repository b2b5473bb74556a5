#!/bin/sh
# options.sh MIGRATOR WORKDIR: fan-out over SQLite files: --fail-fast,
# --json, --urls-from's comments and stdin, -v, the read commands, and the
# usage errors (exit 2, one line, before any database is touched).  A
# broken target is a file in a directory that does not exist (it cannot
# be opened, whoever runs the test).
H=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/../runtime/common.sh"

u() { printf 'sqlite:///%s/%s.db' "$work" "$1"; }
broken="sqlite:///$work/no/such/dir/x.db"
vt() { sqlite3 "$work/$1.db" 'SELECT group_concat(version_num) FROM alembic_version' 2>/dev/null; }

# json EXPR: EXPR over the list of objects of the JSON lines in $out (as
# `d`), or "invalid ..." when a line is not one JSON object.
json() {
    printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
try:
    d = [json.loads(l) for l in sys.stdin.read().splitlines()]
    assert all(isinstance(x, dict) for x in d)
except Exception as e:
    print("invalid: %s" % e)
    sys.exit(0)
print(eval(sys.argv[1]))' "$1"
}

# ---- --fail-fast: no database after the first failure is started -----
run --url "$(u a)" --url "$broken" --url "$(u b)" --url "$(u c)" --fail-fast upgrade
expect_eq "fail-fast: exit 1" 1 "$status"
expect_eq "fail-fast: lines" "ok
FAILED
skipped
skipped" "$(printf '%s\n' "$out" | grep -v ' databases: ' | sed 's/ .*//')"
expect_contains "fail-fast: the failure says why" "directory '$work/no/such/dir' does not exist" "$out"
expect_contains "fail-fast: summary" "4 databases: 1 ok, 1 failed ($broken), 2 not started (--fail-fast)" "$out"
expect_eq "fail-fast: the first is at head" f3 "$(vt a)"
expect_eq "fail-fast: the ones after were not touched" "no no" \
    "$( [ -e "$work/b.db" ] && echo yes || echo no) $( [ -e "$work/c.db" ] && echo yes || echo no)"
# Without it, every database is tried.
run --url "$(u a)" --url "$broken" --url "$(u b)" --url "$(u c)" upgrade
expect_eq "no fail-fast: exit 1" 1 "$status"
expect_contains "no fail-fast: summary" "4 databases: 3 ok, 1 failed ($broken)" "$out"
expect_eq "no fail-fast: b and c at head" "f3 f3" "$(vt b) $(vt c)"
# With --jobs, the databases already running finish; whatever ran, the
# lines come in the list's order and the failure is named.
run --url "$broken" --url "$(u d)" --url "$(u e)" --url "$(u f)" --jobs 2 --fail-fast upgrade
expect_eq "fail-fast --jobs 2: exit 1" 1 "$status"
expect_eq "fail-fast --jobs 2: first line is the failure" FAILED \
    "$(printf '%s\n' "$out" | head -1 | sed 's/ .*//')"
expect_contains "fail-fast --jobs 2: named" "1 failed ($broken)" "$out"

# ---- all fine: exit 0 ---------------------------------------------------
run --url "$(u a)" --url "$(u b)" --jobs 2 downgrade -1
expect_eq "downgrade -1 on two: exit 0" 0 "$status"
expect_eq "downgrade -1 on two: lines" "ok      $(u a): f3 -> f2
ok      $(u b): f3 -> f2" "$(printf '%s\n' "$out" | sed -n '1,2s/ (.*//p')"
expect_contains "downgrade -1 on two: summary" "2 databases: 2 ok, 0 failed" "$out"
expect_eq "downgrade -1 on two: both at f2" "f2 f2" "$(vt a) $(vt b)"
run --url "$(u a)" --url "$(u c)" --url "$(u g)" status
expect_eq "status: lines" "ok      $(u a): at f2 (1 pending)
ok      $(u c): at f3 (head)
ok      $(u g): at base (3 pending)" "$(printf '%s\n' "$out" | sed -n '1,3s/ ([0-9.]* s)$//p')"
run --url "$(u a)" --url "$(u c)" check
expect_eq "check: exit 1 (a is not at head)" 1 "$status"
expect_contains "check: a failed, saying why" "FAILED  $(u a): the database is not at head" "$out"
expect_contains "check: c ok" "ok      $(u c): at f3 (head)" "$out"
run --url "$(u m)" --url "$(u n)" stamp f3
expect_eq "stamp: from -> to" "ok      $(u m): base -> f3
ok      $(u n): base -> f3" "$(printf '%s\n' "$out" | sed -n '1,2s/ (.*//p')"
# -v: each database's progress lines under its result line.
run -v --url "$(u a)" --url "$(u c)" upgrade
expect_eq "-v: progress under each line" "ok      $(u a): f2 -> f3
    Running upgrade f2 -> f3, seed" "$(printf '%s\n' "$out" | sed -n '1s/ (.*//p; 2p')"
expect_eq "-v: nothing on stderr" "" "$err"

# ---- --json: one object per database, in order ---------------------------
run --url "$(u a)" --url "$broken" --url "$(u h)" --json upgrade
expect_eq "json upgrade: exit 1" 1 "$status"
expect_eq "json upgrade: one object per database, in order" \
    "['$(u a)', '$broken', '$(u h)']" "$(json '[x["url"] for x in d]')"
expect_eq "json upgrade: statuses" "['ok', 'failed', 'ok']" "$(json '[x["status"] for x in d]')"
expect_eq "json upgrade: from and to" "[['f3'], ['f3']] [[], ['f3']]" \
    "$(json '[d[0]["from"], d[0]["to"]]') $(json '[d[2]["from"], d[2]["to"]]')"
expect_contains "json upgrade: the error" "does not exist" "$(json 'd[1]["error"]')"
expect_eq "json upgrade: no error when ok" "None" "$(json 'd[0]["error"]')"
expect_contains "json upgrade: the summary goes to stderr" "3 databases: 2 ok, 1 failed" "$err"
run --url "$(u a)" --url "$(u g)" --json status
expect_eq "json status: exit 0" 0 "$status"
expect_eq "json status: current and pending" "[['f3'], []] [[], ['f1', 'f2', 'f3']]" \
    "$(json '[d[0]["current"], d[0]["pending"]]') $(json '[d[1]["current"], d[1]["pending"]]')"
expect_eq "json status: the command's own document" "True False" \
    "$(json 'd[0]["result"]["at_head"]') $(json 'd[1]["result"]["at_head"]')"
run --url "$(u a)" --url "$broken" --json --fail-fast current
expect_eq "json fail-fast: not_started is an object too" "['ok', 'failed']" \
    "$(json '[x["status"] for x in d]')"

# ---- --urls-from: comments, blank lines, CRLF, stdin, --url first ----------
printf '# the fleet\n\n  %s   # trailing comment\r\n\t%s\n#%s\n' "$(u a)" "$(u i)" "$(u never)" >"$work/list"
run --url "$(u c)" --urls-from "$work/list" current
expect_eq "urls-from: --url first, then the file's, comments dropped" \
    "$(u c) $(u a) $(u i)" "$(printf '%s\n' "$out" | sed -n '1,3s/^ok      \([^ ]*\): .*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "urls-from: a commented URL is not touched" no "$( [ -e "$work/never.db" ] && echo yes || echo no)"
out=$(printf '%s\n%s\n' "$(u j)" "$(u k)" | "$H" --urls-from - --jobs 2 upgrade 2>&1)
expect_eq "urls-from -: stdin" "0 f3 f3" "$? $(vt j) $(vt k)"

# ---- usage errors: exit 2, one line, nothing touched -----------------------
printf '# nothing here\n\n' >"$work/empty"
for args in "--jobs 0 --url $(u z) upgrade" "--jobs x --url $(u z) upgrade" \
            "--jobs 257 --url $(u z) upgrade" "--jobs=-1 --url $(u z) upgrade" \
            "--urls-from $work/missing upgrade" "--urls-from $work/empty upgrade" \
            "--url $(u z) --url $(u y) upgrade --sql" \
            "--url $(u z) --url $(u y) heads" "--url $(u z) --url $(u y) history" \
            "--url $(u z) --url $(u y) show f1" "--url $(u z) --jobs 2 branches" \
            "--url $(u z) --url mysql://u@h/db upgrade" "--url $(u z) --url $(u z) upgrade" \
            "--url $(u z) --url postgresql:///x --version-table pg_temp.v upgrade" \
            "--url $(u z) --url $(u y) --jobs" "--url $(u z) --url $(u y) --sql --dialect sqlite upgrade"; do
    run $args
    expect_eq "usage: $args: exit 2" 2 "$status"
    expect_eq "usage: $args: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
    expect_eq "usage: $args: nothing on stdout" "" "$out"
    expect_eq "usage: $args: no database touched" no "$( [ -e "$work/z.db" ] && echo yes || echo no)"
done
run --urls-from "$work/missing" upgrade
expect_contains "usage: a missing list says so" "--urls-from $work/missing: No such file" "$err"
run --url "$(u z)" --url "mysql://u:pw@h/db" upgrade
expect_contains "usage: a URL of no database, named (redacted)" "mysql://u:***@h/db is not a database URL" "$err"

finish
