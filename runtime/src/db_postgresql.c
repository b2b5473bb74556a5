/* db_postgresql.c: the PostgreSQL backend (libpq). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "internal.h"

typedef struct db_pg {
    db base;
    PGconn *conn;
    char *password;     /* decoded, only to scrub libpq's messages */
} db_pg;

static PGconn *conn_of(db *d) { return ((db_pg *)d)->conn; }

/* Copies a libpq message into d->err as one line, without the password. */
static int fail_with(db *d, const char *msg)
{
    snprintf(d->err, sizeof d->err, "%s", msg && *msg ? msg : "unknown libpq error");
    for (char *p = d->err; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    for (size_t n = strlen(d->err); n > 0 && d->err[n - 1] == ' '; n--)
        d->err[n - 1] = '\0';
    rt_url_scrub(d->err, sizeof d->err, ((db_pg *)d)->password);
    return RETORT_ERROR;
}

static int check(db *d, PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    if (res) {
        /* "ERROR:  message" without the severity prefix or the hint. */
        const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        if (m)
            return fail_with(d, m);
    }
    return fail_with(d, PQerrorMessage(conn_of(d)));
}

static int pg_exec(db *d, const char *sql)
{
    PGresult *res = PQexec(conn_of(d), sql);
    int rc = check(d, res);
    PQclear(res);
    return rc;
}

/* Always PQexecParams: names reach the server as parameters, never pasted. */
static int pg_query(db *d, const char *sql, int nparams,
                    const char *const *params, db_row_fn fn, void *ctx)
{
    PGresult *res = PQexecParams(conn_of(d), sql, nparams, NULL, params,
                                 NULL, NULL, 0);
    const char *vals[64];
    int rc = check(d, res);
    if (rc == 0 && fn) {
        int rows = PQntuples(res), cols = PQnfields(res);
        if (cols > 64)
            cols = 64;
        for (int i = 0; i < rows && rc == 0; i++) {
            for (int c = 0; c < cols; c++)
                vals[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
            rc = fn(ctx, cols, vals);
        }
    }
    PQclear(res);
    return rc;
}

static int pg_begin(db *d) { return pg_exec(d, "BEGIN"); }
static int pg_commit(db *d) { return pg_exec(d, "COMMIT"); }

static int pg_rollback(db *d)
{
    if (PQtransactionStatus(conn_of(d)) != PQTRANS_IDLE)
        PQclear(PQexec(conn_of(d), "ROLLBACK"));
    return 0;
}

static int first_is_true(void *ctx, int n, const char *const *v)
{
    *(int *)ctx = n > 0 && v[0] && v[0][0] == 't';
    return 0;
}

/* Polls pg_try_advisory_lock: a blocking pg_advisory_lock could deadlock
 * with CREATE INDEX CONCURRENTLY, which waits for every transaction. */
static int pg_lock(db *d, long long key)
{
    char k[32];
    const char *p[1] = {k};
    snprintf(k, sizeof k, "%lld", key);
    for (;;) {
        int got = 0;
        struct timespec ts = {0, 100 * 1000 * 1000};
        if (pg_query(d, "SELECT pg_try_advisory_lock($1::bigint)", 1, p,
                     first_is_true, &got) < 0)
            return RETORT_ERROR;
        if (got)
            return 0;
        nanosleep(&ts, NULL);
    }
}

static int pg_unlock(db *d, long long key)
{
    char k[32];
    const char *p[1] = {k};
    snprintf(k, sizeof k, "%lld", key);
    return pg_query(d, "SELECT pg_advisory_unlock($1::bigint)", 1, p, NULL, NULL);
}

static int found_row(void *ctx, int n, const char *const *v)
{
    (void)n; (void)v;
    *(int *)ctx = 1;
    return 0;
}

/* Conditions through pg_catalog, in `schema` or current_schema(). */
static int pg_cond(db *d, const retort_step *s, int *holds)
{
    const char *p[3] = {s->schema, s->table, s->name};
    *holds = 0;
    switch (s->cond) {
    case RETORT_COND_TABLE_EXISTS:
        return pg_query(d,
            "SELECT 1 FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = coalesce($1, current_schema()) AND c.relname = $2 "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')", 2, p, found_row, holds);
    case RETORT_COND_COLUMN_EXISTS:
        return pg_query(d,
            "SELECT 1 FROM pg_catalog.pg_attribute a "
            "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = coalesce($1, current_schema()) AND c.relname = $2 "
            "AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped",
            3, p, found_row, holds);
    case RETORT_COND_INDEX_EXISTS:
        return pg_query(d,
            "SELECT 1 FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = coalesce($1, current_schema()) AND c.relname = $3 "
            "AND c.relkind IN ('i', 'I') AND ($2::text IS NULL OR EXISTS ("
            "SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t "
            "ON t.oid = i.indrelid WHERE i.indexrelid = c.oid AND t.relname = $2))",
            3, p, found_row, holds);
    case RETORT_COND_CONSTRAINT_EXISTS:
        return pg_query(d,
            "SELECT 1 FROM pg_catalog.pg_constraint co "
            "JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = coalesce($1, current_schema()) AND c.relname = $2 "
            "AND co.conname = $3", 3, p, found_row, holds);
    default:
        snprintf(d->err, sizeof d->err, "unknown condition %d", s->cond);
        return RETORT_ERROR;
    }
}

static void pg_close(db *d)
{
    db_pg *g = (db_pg *)d;
    PQfinish(g->conn);
    if (g->password) {
        memset(g->password, 0, strlen(g->password));
        free(g->password);
    }
    free(g);
}

static const struct db_vtable pg_vtable = {
    pg_exec, pg_query, pg_begin, pg_commit, pg_rollback, pg_lock, pg_unlock,
    pg_cond, pg_close
};

/* NOTICEs (e.g. "relation already exists, skipping") are not progress. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int rt_db_postgresql_open(db **out, const char *url, const char *password,
                       char *err, size_t errlen)
{
    db_pg *d = calloc(1, sizeof *d);
    int rc = 0;
    *out = NULL;
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return RETORT_ENOMEM;
    }
    d->base.vt = &pg_vtable;
    d->base.dialect = RETORT_POSTGRESQL;
    if (password) {
        size_t n = strlen(password) + 1;
        d->password = malloc(n);
        if (!d->password) {
            rc = RETORT_ENOMEM;
            snprintf(err, errlen, "out of memory");
            goto cleanup;
        }
        memcpy(d->password, password, n);
    }
    d->conn = PQconnectdb(url);
    if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
        fail_with(&d->base, d->conn ? PQerrorMessage(d->conn) : "out of memory");
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", d->base.err);
        rc = RETORT_ERROR;
        goto cleanup;
    }
    PQsetNoticeProcessor(d->conn, ignore_notice, NULL);
    *out = &d->base;
    d = NULL;
cleanup:
    if (d)
        pg_close(&d->base);
    return rc;
}
