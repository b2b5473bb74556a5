#!/bin/sh
# redact.sh MIGRATOR PGDIR: a password in the database URL is never printed,
# whatever the URL's form (SPEC section 6): not in a URL error, not in a
# libpq message (libpq echoes parts of a URL it cannot parse), not by
# `current --verbose`.  Each form is checked for the password as written
# and as decoded.
H=$1
pgdir=$2
here=$(cd "$(dirname "$0")" && pwd)
case $H in /*) ;; *) H=$PWD/$H ;; esac
work=$pgdir/runtime_redact
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
. "$here/common.sh"
. "$pgdir/env"
base_url=$(cat "$pgdir/url")
psql -qX "$base_url" -c "DROP DATABASE IF EXISTS rt_redact" -c "CREATE DATABASE rt_redact" >/dev/null 2>&1
sock="host=$PGC_SOCK&port=$PGC_PORT"
"$H" --url "postgresql:///rt_redact?$sock&user=postgres" upgrade 2>/dev/null

# secret WHAT STATUS URL SECRET... : runs `current --verbose` on URL, expects
# STATUS, one line on stderr when failing, and none of the SECRETs anywhere.
secret() {
    what=$1 want=$2 u=$3
    shift 3
    run --url "$u" current --verbose
    expect_eq "$what: status" "$want" "$status"
    [ "$want" = 0 ] || expect_eq "$what: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
    for s in "$@"; do
        expect_lacks "$what: [$s] not printed" "$s" "$out$err"
    done
}

# An unclosed IPv6 bracket: libpq refuses the URL and echoes it.
secret "unclosed [ with an encoded password" 1 \
    "postgresql://u:Hid%64enPw1@[::1/rt_redact" 'Hid%64enPw1' HiddenPw1
# A malformed escape: libpq would echo the token.
secret "malformed escape" 1 \
    "postgresql://u:Hid%41%zzPw2@localhost/rt_redact" 'Hid%41%zzPw2' 'HidA%zzPw2' '%zzPw2'
secret "malformed escape in password=" 1 \
    "postgresql:///rt_redact?$sock&user=u&password=Hid%41%zzPw3" 'Hid%41%zzPw3' 'HidA%zzPw3'
# An encoded key: libpq decodes %70assword to password.
secret "?%70assword= with the right password" 0 \
    "postgresql:///rt_redact?$sock&user=$PGC_PWUSER&%70assword=$PGC_PWPASS" "$PGC_PWPASS"
secret "?%70assword= with a wrong one" 1 \
    "postgresql:///rt_redact?$sock&user=$PGC_PWUSER&%70assword=HiddenPw4" HiddenPw4
# A userinfo password and a password= parameter: libpq takes the last.
secret "userinfo then &password=" 0 \
    "postgresql://$PGC_PWUSER:HiddenPw5@/rt_redact?$sock&password=$PGC_PWPASS" HiddenPw5 "$PGC_PWPASS"
expect_contains "userinfo then &password=: shown" "postgresql://$PGC_PWUSER:***@/rt_redact?" "$out"
expect_contains "userinfo then &password=: parameter shown" "&password=***" "$out"
secret "two password= parameters" 0 \
    "postgresql:///rt_redact?$sock&user=$PGC_PWUSER&password=HiddenPw6&password=$PGC_PWPASS" HiddenPw6 "$PGC_PWPASS"
# An unsupported scheme, the password holding an unencoded /.
secret "mysql:// with / in the password" 1 "mysql://u:Hid/denPw7@h/db" 'Hid/denPw7' 'denPw7' 'Hid/'
expect_contains "mysql://: names the scheme" "unsupported database URL scheme 'mysql'" "$err"
# Unencoded / and @ in a userinfo password (a trust role: the password is
# not checked, but the host and database after it must be read right).
secret "unencoded / in the password" 0 \
    "postgresql://postgres:Hid/denPw8@/rt_redact?$sock" 'Hid/denPw8' 'denPw8'
expect_contains "unencoded /: shown" "postgresql://postgres:***@/rt_redact?" "$out"
secret "unencoded @ in the password" 0 \
    "postgresql://postgres:Hid@denPw9@/rt_redact?$sock" 'Hid@denPw9' 'denPw9'
secret "unencoded / and @, unreachable" 1 \
    "postgresql://postgres:Hid/@denPw10@/rt_redact?host=$work/nowhere&port=1" 'Hid/@denPw10' 'denPw10' '@denPw'
# libpq's own messages: a database that does not exist, a wrong password.
secret "no such database" 1 \
    "postgresql://$PGC_PWUSER:$PGC_PWPASS@/no_such_db?$sock" "$PGC_PWPASS"
secret "wrong encoded password" 1 \
    "postgresql://$PGC_PWUSER:Hidden%2FPw11@/rt_redact?$sock" 'Hidden%2FPw11' 'Hidden/Pw11'
# '@' in a query value without a userinfo is not a password.
run --url "postgresql:///rt_redact?$sock&user=postgres&application_name=me@corp" current
expect_eq "@ in a parameter value" "0 eee500 (head)" "$status $out"

finish
