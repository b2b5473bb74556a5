#!/bin/sh
# helpdesk.sh MIGRATOR WORK_DIR PG_DIR
#
# The PostgreSQL-only sample (samples/helpdesk) end to end: rows written
# half way, then up to head, where the checked update set the priorities,
# the application's C function made the slugs, update ... from filled
# closed_by, and the trigger and the view work; `check` at head; down to
# base and `check` there; a SQLite URL and an offline script over the
# revision that calls C are refused with one line.
set -u
migrate=$1
work=$2
pgdir=$3
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1: expected [$2], got [$3]"; fi
}
rm -rf "$work"
mkdir -p "$work"
base=$(cat "$pgdir/url")
psql "$base" -qAt -c "DROP DATABASE IF EXISTS helpdesk" -c "CREATE DATABASE helpdesk" \
    >/dev/null || fail "createdb"
u=$(printf '%s' "$base" | sed "s|:///postgres?|:///helpdesk?|")
q() { psql "$u" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

"$migrate" --url "$u" upgrade a1c0ffee0004 || fail "upgrade to the view"
q "INSERT INTO agents (email, name) VALUES ('ann@example.org', 'Ann'), ('bo@example.org', 'Bo');
   INSERT INTO tickets (subject, status, agent_id) VALUES
       ('URGENT: printer on fire!', 'open', 1),
       ('Password reset', 'closed', 2),
       ('Invoice #42 -- wrong VAT', 'pending', NULL)" || fail "rows"
"$migrate" --url "$u" upgrade head || fail "upgrade head"
expect "priorities (checked update)" "1 3 3" "$(q "SELECT priority FROM tickets ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect "slugs (call fill_ticket_slugs)" "1-urgent-printer-on-fire 2-password-reset 3-invoice-42-wrong-vat" \
    "$(q "SELECT slug FROM tickets ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect "closed_by (update ... from)" "-|2|-" \
    "$(q "SELECT string_agg(coalesce(closed_by::text, '-'), '|' ORDER BY id) FROM tickets")"
expect "the queue (view)" "2" "$(q "SELECT count(*) FROM open_tickets")"
q "UPDATE tickets SET status = 'escalated' WHERE id = 3" || fail "escalate"
expect "the trigger stamps updated_at" "t" "$(q "SELECT updated_at IS NOT NULL FROM tickets WHERE id = 3")"
case "$("$migrate" --url "$u" check 2>&1)" in
*"the schema matches the history"*) echo "ok: check at head" ;;
*) fail "check at head" ;;
esac

q "UPDATE tickets SET status = 'open' WHERE id = 3" || fail "un-escalate"
"$migrate" --url "$u" downgrade base || fail "downgrade base"
expect "nothing left" "0" "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'alembic_version%'")"
expect "no function left" "0" "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'touch_updated_at'")"

"$migrate" --url "sqlite:///$work/x.db" upgrade head 2>"$work/err"
expect "a SQLite URL: exit 1" "1" "$?"
expect "a SQLite URL: one line" "1" "$(wc -l <"$work/err")"
"$migrate" upgrade --sql --dialect postgresql head >"$work/out.sql" 2>"$work/err"
expect "offline over the call: exit 1" "1" "$?"
expect "offline over the call: nothing written" "0" "$(wc -c <"$work/out.sql")"
grep -q "a1c0ffee0006" "$work/err" && echo "ok: the error names the revision" ||
    fail "the error does not name the revision: $(cat "$work/err")"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
