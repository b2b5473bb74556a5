#!/bin/sh
# hostile.sh DIALECT MIGRATOR WORKDIR [PGDIR]: hostile input and secrets,
# with the `big` history (b1 creates `blobs`, b2 writes about 1 MB).
# Every failure is one clear line on stderr and exit 1 (2 for a malformed
# URL: a usage error), leaving the database at a whole revision; a password
# never appears in any output.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# one_line WHAT STATUS NEEDLE: the last run failed with STATUS and one
# line on stderr (besides progress lines) containing NEEDLE, and printed
# nothing on stdout.
one_line() {
    e=$(printf '%s\n' "$err" | grep -v '^Running ')
    expect_eq "$1: status" "$2" "$status"
    expect_eq "$1: one line" 1 "$(printf '%s\n' "$e" | wc -l)"
    expect_contains "$1: says why" "$3" "$e"
    expect_eq "$1: nothing on stdout" "" "$out"
}

if [ "$dialect" = sqlite ]; then
    # --- malformed and unsupported URLs ---
    run --url "sqlite:relative.db" upgrade
    one_line "sqlite: without //" 1 "bad SQLite URL"
    run --url "" upgrade
    one_line "empty URL" 1 "empty database URL"
    run --url "http://example.com/db" upgrade
    one_line "http URL" 1 "unsupported database URL scheme 'http'"
    run --url "sqlite:///x.db?mode=ro" upgrade
    one_line "SQLite URL parameters" 1 "query parameters are not supported"

    # --- things that are not databases ---
    run --url "sqlite:///$work" upgrade
    one_line "a directory" 1 "cannot open SQLite database"
    printf 'this is not a database, just text that is long enough to matter\n%.0s' \
        1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 >text.db
    run --url "sqlite:///text.db" upgrade
    one_line "a text file" 1 "cannot use SQLite database 'text.db': file is not a database"
    expect_eq "a text file: untouched" 20 "$(wc -l <text.db)"

    # --- a read-only directory: the journal cannot be created ---
    if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
        mkdir -p rodir && chmod 777 rodir && chmod 755 "$work"
        runuser -u nobody -- "$H" -q --url "sqlite:///$work/rodir/r.db" upgrade b1
        chmod 555 rodir
        out=$(runuser -u nobody -- "$H" --url "sqlite:///$work/rodir/r.db" upgrade 2>"$work/err")
        status=$?
        err=$(cat "$work/err")
        one_line "read-only directory" 1 "error: "
        expect_eq "read-only directory: still at b1" b1 "$(sqlite3 "$work/rodir/r.db" 'SELECT version_num FROM alembic_version')"
        chmod 755 rodir
    else
        echo "skip: read-only directory (needs root to switch to nobody)"
    fi

    # --- a full disk ---
    mkdir -p full
    if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
        trap 'umount "$work/full" 2>/dev/null; rm -rf "$dbdir"' EXIT
        F="sqlite:///$work/full/f.db"
        run --url "$F" upgrade
        one_line "full disk" 1 "database or disk is full"
        expect_contains "full disk: names the revision" "revision b2 (" "$err"
        expect_eq "full disk: at the last whole revision" b1 \
            "$(sqlite3 full/f.db 'SELECT version_num FROM alembic_version')"
        expect_eq "full disk: nothing of b2" 0 "$(sqlite3 full/f.db 'SELECT count(*) FROM blobs')"
        run --url "$F" check
        expect_eq "full disk: check says not at head" 1 "$status"
        expect_eq "full disk: the schema is b1's" "" "$(diffs)"
        # Fill what is left: even a small downgrade has no room now.
        dd if=/dev/zero of=full/filler bs=4k count=1000 2>/dev/null
        run --url "$F" downgrade base
        if [ "$status" -ne 0 ]; then
            one_line "full disk, downgrade" 1 "error: "
            expect_eq "full disk, downgrade: still at b1" b1 \
                "$(sqlite3 full/f.db 'SELECT version_num FROM alembic_version')"
        fi
        rm -f full/filler
        run --url "$F" downgrade base
        expect_eq "room again: downgrade" "0 " "$status $(sqlite3 full/f.db 'SELECT version_num FROM alembic_version')"
        umount full 2>/dev/null
        trap 'rm -rf "$dbdir"' EXIT
    else
        echo "skip: full disk (mount -t tmpfs refused: not root, or no CAP_SYS_ADMIN)"
    fi
else
    PW=$PGC_PWPASS
    newdb rel_hostile
    # pwurl DB PASSWORD [EXTRA]: the password-protected role's URL.
    pwurl() { printf 'postgresql://%s:%s@/%s?host=%s&port=%s%s' "$PGC_PWUSER" "$2" "$1" "$PGC_SOCK" "$PGC_PORT" "${3:-}"; }
    P=$(pwurl rel_hostile "$PW")

    # --- a password never appears: success ---
    run --url "$P" upgrade
    expect_eq "success: status" 0 "$status"
    expect_lacks "success: no password" "$PW" "$out$err"
    run --url "$P" current --verbose
    expect_contains "success: the URL is shown redacted" "$PGC_PWUSER:***@" "$out"
    expect_lacks "current --verbose: no password" "$PW" "$out$err"
    run --url "$P" check
    expect_eq "check: status" 0 "$status"
    expect_lacks "check: no password" "$PW" "$out$err"
    # -v prints every statement.
    run --url "$P" -v downgrade b1
    expect_contains "-v: statements printed" "DELETE FROM blobs" "$err"
    expect_lacks "-v: no password" "$PW" "$out$err"
    run --url "$P" -v upgrade
    expect_lacks "-v upgrade: no password" "$PW" "$out$err"
    # As a parameter, and percent-encoded.
    run --url "postgresql:///rel_hostile?host=$PGC_SOCK&port=$PGC_PORT&user=$PGC_PWUSER&password=$PW" current --verbose
    expect_eq "password= parameter: status" 0 "$status"
    expect_lacks "password= parameter: not printed" "$PW" "$out$err"
    expect_contains "password= parameter: redacted" "password=***" "$out"

    # --- connection failure (no server there) ---
    run --url "postgresql://$PGC_PWUSER:$PW@/rel_hostile?host=$work/nowhere&port=1" upgrade
    one_line "no server" 1 "cannot connect to PostgreSQL"
    expect_lacks "no server: no password" "$PW" "$out$err"
    run --url "postgresql://$PGC_PWUSER:$PW@/rel_hostile?host=$work/nowhere&port=1" -v check
    expect_lacks "no server -v: no password" "$PW" "$out$err"

    # --- authentication failure ---
    WRONG='N0t-The-Pw%21'
    run --url "$(pwurl rel_hostile "$WRONG")" upgrade
    one_line "wrong password" 1 "$(pg_says "$(pwurl rel_hostile "$WRONG")" "")"
    expect_lacks "wrong password: not printed" "N0t-The-Pw" "$out$err"
    run --url "$(pwurl rel_hostile "$WRONG")" -v current --verbose
    expect_lacks "wrong password -v: not printed" "N0t-The-Pw" "$out$err"
    run --url "$(pwurl no_such_db "$PW")" upgrade
    one_line "no such database" 1 "$(pg_says "$(pwurl no_such_db "$PW")" "")"
    expect_lacks "no such database: no password" "$PW" "$out$err"

    # --- malformed URLs ---
    run --url "postgresql://$PGC_PWUSER:$PW@/x?host=$PGC_SOCK&port=notaport" upgrade
    one_line "bad port" 1 "cannot connect to PostgreSQL"
    expect_lacks "bad port: no password" "$PW" "$out$err"
    run --url "postgresql://$PGC_PWUSER:$PW@[::1/x" upgrade
    one_line "bad host" 1 "cannot connect to PostgreSQL"
    expect_lacks "bad host: no password" "$PW" "$out$err"
    run --url "postgresql://x/y?nosuchoption=1" upgrade
    one_line "unknown parameter" 1 "nosuchoption"
    run --url "mysql://root:$PW@localhost/db" upgrade
    one_line "mysql URL" 1 "unsupported database URL scheme 'mysql'"
    expect_lacks "mysql URL: no password" "$PW" "$out$err"

    # --- a read-only database ---
    newdb rel_ro
    R=$(url rel_ro)
    run --url "$R" upgrade b1
    psql -qX "$base_url" -c "ALTER DATABASE rel_ro SET default_transaction_read_only = on" >/dev/null
    run --url "$R" upgrade
    one_line "read-only database" 1 "the database takes no writes"
    expect_contains "read-only database: the server's words" \
        "$(pg_says "$R" "CREATE TABLE t_ro (i integer)")" "$err"
    expect_eq "read-only database: still at b1" b1 "$(q rel_ro 'SELECT version_num FROM alembic_version')"
    run --url "$R" check
    expect_eq "read-only database: check works" 1 "$status"
    expect_contains "read-only database: not at head" "current: b1" "$out"
    expect_eq "read-only database: the schema is b1's" "" "$(diffs)"
    psql -qX "$base_url" -c "DROP DATABASE rel_ro" -c "DROP DATABASE rel_hostile" >/dev/null
fi

# --- retort's own table, or the version table, replaced by one of another
# shape: every command names the table and the way out, in one line ---
SCHEMA=
newdb rel_shape
S=$(url rel_shape)
run --url "$S" upgrade b1
q rel_shape "DROP TABLE alembic_version_retort" >/dev/null
q rel_shape "CREATE TABLE alembic_version_retort (id integer, note varchar(20))" >/dev/null
for cmd in "upgrade" "current" "current --verbose" "downgrade base" "stamp b1" "stamp b1 --purge"; do
    run --url "$S" $cmd
    one_line "retort's table of another shape: $cmd" 1 "alembic_version_retort"
    expect_contains "retort's table of another shape: $cmd: the way out" "drop or rename it" "$err"
    expect_lacks "retort's table of another shape: $cmd: no SQL error" "no such column" "$err"
    expect_lacks "retort's table of another shape: $cmd: no SQL error (pg)" "does not exist" "$err"
done
expect_eq "retort's table of another shape: still at b1" b1 "$(rows rel_shape)"
expect_eq "retort's table of another shape: left alone" 1 "$(q rel_shape "SELECT count(*) FROM alembic_version_retort WHERE 1 = 0 UNION ALL SELECT 1" | tail -1)"
# The way out works.
q rel_shape "DROP TABLE alembic_version_retort" >/dev/null
run --url "$S" upgrade
expect_eq "after dropping it: upgrade" "0 b2" "$status $(rows rel_shape)"

newdb rel_shape2
S=$(url rel_shape2)
q rel_shape2 "CREATE TABLE alembic_version (version varchar(32))" >/dev/null
for cmd in "upgrade" "current" "stamp b1 --purge"; do
    run --url "$S" $cmd
    one_line "version table of another shape: $cmd" 1 "alembic_version"
    expect_contains "version table of another shape: $cmd: the way out" "--version-table" "$err"
    expect_lacks "version table of another shape: $cmd: no SQL error" "no such column" "$err"
    expect_lacks "version table of another shape: $cmd: no SQL error (pg)" "does not exist" "$err"
done
expect_eq "version table of another shape: nothing created" "" "$(q rel_shape2 "SELECT version FROM alembic_version")"

finish
