/*
 * guestbook_app.c: an application that migrates its own database at
 * start-up (SPEC section 6, embedding).
 *
 *     guestbook-app [URL] [AUTHOR]      URL: else $DATABASE_URL
 *
 * It links the library that retort_add_migrator(guestbook
 * MIGRATIONS guestbook LIBRARY) builds (samples/CMakeLists.txt), whose
 * header guestbook_history.h declares guestbook_history(), the compiled
 * history.  At start-up it prints where the database is and what is
 * pending, upgrades to head (or says it is already there), and only then
 * opens the database itself, with SQLite's or libpq's own API as any
 * application does, to sign the guest book and count its entries.
 *
 * Output, one fact a line (tests/samples/embed.sh reads it):
 *     current: 9e57b0000001            (or "(base)")
 *     pending: 9e57b0000002            (or "(none)")
 *     upgraded to: 9e57b0000002        (or "already at head")
 *     entries: 3
 * Failures: one line on stderr, exit 1; usage: exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "guestbook_history.h"

/* Prints "LABEL: id id ..." or "LABEL: EMPTY". */
static void print_ids(const char *label, const char **ids, unsigned n,
                      const char *empty)
{
    printf("%s:", label);
    if (!n)
        printf(" %s", empty);
    for (unsigned i = 0; i < n; i++)
        printf(" %s", ids[i]);
    putchar('\n');
}

/* Brings the database at `url` to head through the runtime's API.  The
 * handle is freed (and its connection closed) before the application
 * opens its own.  Returns 0, or -1 after one line on stderr. */
static int migrate(const char *url)
{
    retort *r = NULL;
    retort_status_info *st = NULL;
    int rc = -1;
    /* Progress lines ("Running upgrade ...") go to stderr, as the
     * migrator's do; stdout keeps the application's own lines. */
    retort_options opts = {0};
    opts.log = stderr;
    opts.lock_timeout_ms = 60000;   /* another instance migrating: wait a minute */
    if (retort_new(&r, guestbook_history(), &opts) < 0 || retort_connect(r, url) < 0 ||
        retort_status(r, &st) < 0)
        goto cleanup;
    print_ids("current", st->current, st->current_count, "(base)");
    print_ids("pending", st->pending, st->pending_count, "(none)");
    if (!st->pending_count) {
        puts("already at head");
    } else {
        if (retort_upgrade(r, "heads") < 0)
            goto cleanup;
        retort_status_free(st);
        st = NULL;
        if (retort_status(r, &st) < 0)
            goto cleanup;
        print_ids("upgraded to", st->current, st->current_count, "(base)");
    }
    rc = 0;
cleanup:
    if (rc < 0)
        fprintf(stderr, "guestbook: %s\n",
                r ? retort_errmsg(r) : "out of memory");
    retort_status_free(st);
    retort_free(r);
    return rc;
}

/* $1 is a parameter on both databases. */
static const char sign_sql[] =
    "INSERT INTO entries (author, body) VALUES ($1, 'was here')";
static const char count_sql[] =
    "SELECT count(*), count(signed_at) FROM entries";

/* The application's own work on SQLite: sign, then count.  `path` is the
 * URL's file name (sqlite:///rel.db -> rel.db, sqlite:////abs -> /abs). */
static int work_sqlite(const char *path, const char *author)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sign_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, author, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto cleanup;
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, count_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto cleanup;
    printf("entries: %d (%d signed at a time)\n", sqlite3_column_int(st, 0),
           sqlite3_column_int(st, 1));
    rc = 0;
cleanup:
    if (rc < 0)
        fprintf(stderr, "guestbook: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* The same on PostgreSQL.  libpq takes the URL as it is once an
 * SQLAlchemy driver suffix (postgresql+psycopg2://) is cut out. */
static int work_postgresql(const char *url, const char *author)
{
    char *conninfo = malloc(strlen(url) + 1);
    if (!conninfo) {
        fputs("guestbook: out of memory\n", stderr);
        return -1;
    }
    const char *plus = strchr(url, '+'), *rest = strstr(url, "://");
    if (plus && rest && plus < rest)
        sprintf(conninfo, "%.*s%s", (int)(plus - url), url, rest);
    else
        strcpy(conninfo, url);
    PGconn *c = PQconnectdb(conninfo);
    free(conninfo);
    PGresult *res = NULL;
    int rc = -1;
    if (PQstatus(c) != CONNECTION_OK)
        goto cleanup;
    res = PQexecParams(c, sign_sql, 1, NULL, &author, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto cleanup;
    PQclear(res);
    res = PQexec(c, count_sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        goto cleanup;
    printf("entries: %s (%s signed at a time)\n", PQgetvalue(res, 0, 0),
           PQgetvalue(res, 0, 1));
    rc = 0;
cleanup:
    if (rc < 0)
        fprintf(stderr, "guestbook: %s", PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
    return rc;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : getenv("DATABASE_URL");
    const char *author = argc > 2 ? argv[2] : "guestbook";
    if (argc > 3 || !url || !*url) {
        fputs("usage: guestbook-app [URL] [AUTHOR] (URL: else $DATABASE_URL)\n", stderr);
        return 2;
    }
    if (migrate(url) < 0)
        return 1;
    /* The runtime accepted the URL, so it is one of its forms.  (An
     * in-memory SQLite database, sqlite://:memory:, is the runtime's own
     * connection's and gone when it closes: nothing for the application.) */
    if (!strncmp(url, "sqlite", 6)) {
        const char *path = strstr(url, "://") + 3;
        return work_sqlite(*path == '/' ? path + 1 : path, author) < 0;
    }
    return work_postgresql(url, author) < 0;
}
