/* db_postgresql.c: the PostgreSQL backend (libpq, loaded at run time).
 *
 * Built with RETORT_NO_POSTGRESQL (the runtime of a static SQLite-only
 * migrator), it only says that PostgreSQL is not available. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#ifdef RETORT_NO_POSTGRESQL

/* Refuses every PostgreSQL URL: this runtime has no libpq, not even one to
 * load (a static executable cannot dlopen it). */
int rt_db_postgresql_open(db **out, const char *url, const char *password,
                          const char *secrets, char *err, size_t errlen)
{
    (void)url;
    (void)password;
    (void)secrets;
    *out = NULL;
    snprintf(err, errlen, "this migrator was built without PostgreSQL support");
    return RETORT_ERROR;
}

/* Never called: no PostgreSQL connection can exist. */
int rt_db_postgresql_lock_holder(db *d, long long key, char *out, size_t cap)
{
    (void)d;
    (void)key;
    if (cap)
        out[0] = '\0';
    return 0;
}

/* Never called: no PostgreSQL connection can exist. */
int rt_db_postgresql_probe(db *d, int *in_recovery, int *pooled)
{
    (void)d;
    *in_recovery = *pooled = 0;
    return 0;
}

/* Never called: no PostgreSQL connection can exist. */
int rt_db_postgresql_lock_shared(db *d, long long key, long timeout_ms)
{
    (void)key;
    (void)timeout_ms;
    return db_failf(d, "this migrator was built without PostgreSQL support");
}

/* Never called: no PostgreSQL connection can exist. */
int rt_db_postgresql_xact_lock(db *d, long long key, long timeout_ms, int shared)
{
    (void)key;
    (void)timeout_ms;
    (void)shared;
    return db_failf(d, "this migrator was built without PostgreSQL support");
}

#else

#include <dlfcn.h>
#include <stddef.h>

#include <libpq-fe.h>   /* only for the types: nothing links libpq */

/* The libpq functions this backend calls, taken with dlsym() when a
 * PostgreSQL connection opens.  Linking libpq made every migrator map it
 * and its ~24 dependencies at start-up (about 3 ms and 6 MiB), even for
 * SQLite and the offline commands.  The table lives in the connection (no
 * global state); dlopen() counts references, so a second connection only
 * repeats the lookups. */
typedef struct pq_api {
    void *lib;                     /* dlopen handle, dlclose()d with the conn */
    PGconn *(*connectdbParams)(const char *const *keywords,
                               const char *const *values, int expand_dbname);
    ConnStatusType (*status)(const PGconn *conn);
    char *(*errorMessage)(const PGconn *conn);
    PQnoticeProcessor (*setNoticeProcessor)(PGconn *conn, PQnoticeProcessor proc,
                                            void *arg);
    PGTransactionStatusType (*transactionStatus)(const PGconn *conn);
    int (*backendPID)(const PGconn *conn);
    void (*finish)(PGconn *conn);
    PGresult *(*exec)(PGconn *conn, const char *query);
    PGresult *(*execParams)(PGconn *conn, const char *command, int nParams,
                            const Oid *paramTypes, const char *const *paramValues,
                            const int *paramLengths, const int *paramFormats,
                            int resultFormat);
    ExecStatusType (*resultStatus)(const PGresult *res);
    char *(*resultErrorField)(const PGresult *res, int fieldcode);
    int (*ntuples)(const PGresult *res);
    int (*nfields)(const PGresult *res);
    int (*getisnull)(const PGresult *res, int tup_num, int field_num);
    char *(*getvalue)(const PGresult *res, int tup_num, int field_num);
    void (*clear)(PGresult *res);
    int (*sendQuery)(PGconn *conn, const char *query);
    PGresult *(*getResult)(PGconn *conn);
    char *(*fname)(const PGresult *res, int field_num);
    int (*clientEncoding)(const PGconn *conn);
    int (*mblen)(const char *s, int encoding);
    int (*putCopyEnd)(PGconn *conn, const char *errormsg);
} pq_api;

/* Where each symbol goes in pq_api (constant data, not state). */
static const struct pq_sym {
    const char *name;
    size_t off;
} pq_syms[] = {
    {"PQconnectdbParams", offsetof(pq_api, connectdbParams)},
    {"PQstatus", offsetof(pq_api, status)},
    {"PQerrorMessage", offsetof(pq_api, errorMessage)},
    {"PQsetNoticeProcessor", offsetof(pq_api, setNoticeProcessor)},
    {"PQtransactionStatus", offsetof(pq_api, transactionStatus)},
    {"PQbackendPID", offsetof(pq_api, backendPID)},
    {"PQfinish", offsetof(pq_api, finish)},
    {"PQexec", offsetof(pq_api, exec)},
    {"PQexecParams", offsetof(pq_api, execParams)},
    {"PQresultStatus", offsetof(pq_api, resultStatus)},
    {"PQresultErrorField", offsetof(pq_api, resultErrorField)},
    {"PQntuples", offsetof(pq_api, ntuples)},
    {"PQnfields", offsetof(pq_api, nfields)},
    {"PQgetisnull", offsetof(pq_api, getisnull)},
    {"PQgetvalue", offsetof(pq_api, getvalue)},
    {"PQclear", offsetof(pq_api, clear)},
    {"PQsendQuery", offsetof(pq_api, sendQuery)},
    {"PQgetResult", offsetof(pq_api, getResult)},
    {"PQfname", offsetof(pq_api, fname)},
    {"PQclientEncoding", offsetof(pq_api, clientEncoding)},
    {"PQmblen", offsetof(pq_api, mblen)},
    {"PQputCopyEnd", offsetof(pq_api, putCopyEnd)},
};

/* Loads libpq.so.5 into *api: 0, or RETORT_ERROR with a one-line message
 * in err (api->lib NULL).  RTLD_LOCAL keeps libpq's symbols (and those of
 * OpenSSL, Kerberos, ...) out of the global namespace.  RTLD_NODELETE
 * keeps them mapped after the last dlclose(): libpq's dependencies leave
 * thread-specific data and exit handlers behind (LeakSanitizer crashed
 * at exit on the unmapped pages), and a later connection reuses them. */
static int pq_load(pq_api *api, char *err, size_t errlen)
{
    const char *why;
    int rc = 0;
    memset(api, 0, sizeof *api);
    if (!(api->lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))) {
        why = dlerror();
        snprintf(err, errlen, "PostgreSQL support needs libpq.so.5: %s",
                 why ? why : "cannot load it");
        rc = RETORT_ERROR;
        goto cleanup;
    }
    for (size_t i = 0; i < sizeof pq_syms / sizeof pq_syms[0]; i++) {
        void *f = dlsym(api->lib, pq_syms[i].name);
        if (!f) {
            why = dlerror();
            snprintf(err, errlen, "PostgreSQL support needs libpq.so.5: %s",
                     why ? why : pq_syms[i].name);
            rc = RETORT_ERROR;
            goto cleanup;
        }
        /* POSIX guarantees a data pointer from dlsym() converts to a
         * function pointer; memcpy says so without a cast ISO C lacks. */
        memcpy((char *)api + pq_syms[i].off, &f, sizeof f);
    }
cleanup:
    if (rc < 0 && api->lib) {
        dlclose(api->lib);
        api->lib = NULL;
    }
    return rc;
}

typedef struct db_pg {
    db base;
    PGconn *conn;
    char *secrets;      /* rt_url_scrub's list, for libpq's messages */
    size_t secrets_len;
    pq_api pq;
} db_pg;

static PGconn *conn_of(db *d) { return ((db_pg *)d)->conn; }
static const pq_api *pq_of(db *d) { return &((db_pg *)d)->pq; }

/* Copies a libpq message into d->err as one line, without the password. */
static int fail_with(db *d, const char *msg)
{
    d->failure = DB_FAIL_OTHER;
    d->code[0] = '\0';
    snprintf(d->err, sizeof d->err, "%s", msg && *msg ? msg : "unknown libpq error");
    for (char *p = d->err; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    for (size_t n = strlen(d->err); n > 0 && d->err[n - 1] == ' '; n--)
        d->err[n - 1] = '\0';
    rt_url_scrub(d->err, sizeof d->err, ((db_pg *)d)->secrets);
    return RETORT_ERROR;
}

/* SQLSTATEs (or their class, by prefix) that callers treat apart; the
 * first match wins.  Appendix A of the PostgreSQL manual lists them. */
static const struct {
    const char *state;
    enum db_failure kind;
} pg_failures[] = {
    {"55P03", DB_FAIL_LOCK_TIMEOUT},  /* lock_not_available */
    {"57014", DB_FAIL_CANCELED},      /* query_canceled */
    {"25006", DB_FAIL_READ_ONLY},     /* read_only_sql_transaction */
    {"42501", DB_FAIL_PRIVILEGE},     /* insufficient_privilege */
    {"40001", DB_FAIL_CONFLICT},      /* serialization_failure */
    {"40P01", DB_FAIL_CONFLICT},      /* deadlock_detected */
    {"08", DB_FAIL_CONNECTION},       /* connection_exception */
    {"57P0", DB_FAIL_CONNECTION},     /* admin/crash shutdown, cannot connect now */
};

static enum db_failure classify(const char *state)
{
    for (size_t i = 0; i < sizeof pg_failures / sizeof pg_failures[0]; i++)
        if (strncmp(state, pg_failures[i].state, strlen(pg_failures[i].state)) == 0)
            return pg_failures[i].kind;
    return DB_FAIL_OTHER;
}

static int check(db *d, PGresult *res)
{
    const pq_api *pq = pq_of(d);
    ExecStatusType st = pq->resultStatus(res);
    const char *state = res ? pq->resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int rc;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    /* "ERROR:  message" without the severity prefix or the hint. */
    const char *m = res ? pq->resultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    rc = fail_with(d, m ? m : pq->errorMessage(conn_of(d)));
    if (state) {
        snprintf(d->code, sizeof d->code, "%s", state);
        d->failure = classify(state);
    } else if (pq->status(conn_of(d)) != CONNECTION_OK) {
        d->failure = DB_FAIL_CONNECTION;
    }
    return rc;
}

/* One simple query: several statements separated by ';' travel in one
 * round trip, and the first failing one stops the rest. */
static int pg_exec(db *d, const char *sql)
{
    PGresult *res = pq_of(d)->exec(conn_of(d), sql);
    int rc = check(d, res);
    pq_of(d)->clear(res);
    return rc;
}

/* Always PQexecParams: names reach the server as parameters, never pasted. */
static int pg_query(db *d, const char *sql, int nparams,
                    const char *const *params, db_row_fn fn, void *ctx)
{
    const pq_api *pq = pq_of(d);
    PGresult *res = pq->execParams(conn_of(d), sql, nparams, NULL, params,
                                   NULL, NULL, 0);
    const char *vals[64];
    int rc = check(d, res);
    if (rc == 0 && fn && pq->nfields(res) > 64)
        rc = db_failf(d, "the query returns %d columns (at most 64)", pq->nfields(res));
    if (rc == 0 && fn) {
        int rows = pq->ntuples(res), cols = pq->nfields(res);
        for (int i = 0; i < rows && rc == 0; i++) {
            for (int c = 0; c < cols; c++)
                vals[c] = pq->getisnull(res, i, c) ? NULL : pq->getvalue(res, i, c);
            rc = fn(ctx, cols, vals);
        }
    }
    pq->clear(res);
    return rc;
}

static int pg_begin(db *d) { return pg_exec(d, "BEGIN"); }
static int pg_commit(db *d) { return pg_exec(d, "COMMIT"); }

static int pg_rollback(db *d)
{
    const pq_api *pq = pq_of(d);
    if (pq->transactionStatus(conn_of(d)) != PQTRANS_IDLE)
        pq->clear(pq->exec(conn_of(d), "ROLLBACK"));
    return 0;
}

static int first_is_true(void *ctx, int n, const char *const *v)
{
    *(int *)ctx = n > 0 && v[0] && v[0][0] == 't';
    return 0;
}

/* "backend pid N, application 'X', client ADDR" of the first row (the
 * application and client when known). */
static int holder_text(void *ctx, int n, const char *const *v)
{
    char *out = ctx;
    if (n >= 3 && v[0] && !*out)
        snprintf(out, 256, "backend pid %s%s%s%s%s%s", v[0],
                 v[1] && *v[1] ? ", application '" : "", v[1] && *v[1] ? v[1] : "",
                 v[1] && *v[1] ? "'" : "", v[2] ? ", client " : "", v[2] ? v[2] : "");
    return 0;
}

int rt_db_postgresql_lock_holder(db *d, long long key, char *out, size_t cap)
{
    /* An advisory lock on a bigint key shows in pg_locks as classid (the
     * high 32 bits), objid (the low 32 bits) and objsubid 1. */
    char hi[16], lo[16], who[256] = "";
    const char *p[2] = {hi, lo};
    snprintf(hi, sizeof hi, "%llu", ((unsigned long long)key >> 32) & 0xffffffffULL);
    snprintf(lo, sizeof lo, "%llu", (unsigned long long)key & 0xffffffffULL);
    out[0] = '\0';
    if (pg_query(d, "SELECT a.pid, a.application_name, host(a.client_addr) "
                 "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a "
                 "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                 "AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1 "
                 "AND l.pid <> pg_catalog.pg_backend_pid() ORDER BY a.pid LIMIT 1",
                 2, p, holder_text, who) < 0)
        return RETORT_ERROR;
    snprintf(out, cap, "%s", who);
    return 0;
}

/* One try at the advisory lock whose key is p[0]; *got says whether it
 * was had; `shared`: the lock `check` takes, beside other checks. */
typedef int (*lock_try)(db *d, const char *const *p, int shared, int *got);

static int try_session_lock(db *d, const char *const *p, int shared, int *got)
{
    return pg_query(d, shared ? "SELECT pg_catalog.pg_try_advisory_lock_shared($1::bigint)"
                              : "SELECT pg_try_advisory_lock($1::bigint)",
                    1, p, first_is_true, got);
}

/* Each try in its own transaction, left open only when the lock was had:
 * nothing is held between tries, no snapshot and no server connection
 * kept from a pooler.  READ COMMITTED on purpose: every later statement
 * takes its snapshot after the lock was had. */
static int try_xact_lock(db *d, const char *const *p, int shared, int *got)
{
    if (pg_exec(d, shared ? "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY"
                          : "BEGIN ISOLATION LEVEL READ COMMITTED") < 0)
        return RETORT_ERROR;
    if (pg_query(d, shared ? "SELECT pg_catalog.pg_try_advisory_xact_lock_shared($1::bigint)"
                           : "SELECT pg_catalog.pg_try_advisory_xact_lock($1::bigint)",
                 1, p, first_is_true, got) < 0) {
        pg_rollback(d);     /* keeps the message */
        return RETORT_ERROR;
    }
    if (!*got)
        pg_rollback(d);
    return 0;
}

/* Polls `try` until the lock is had, or timeout_ms is over: then who
 * holds it goes on d->err and the result is RETORT_ELOCKED.  Polling, not
 * a blocking pg_advisory_lock, which could deadlock with CREATE INDEX
 * CONCURRENTLY (it waits for every transaction). */
static int poll_lock(db *d, long long key, long timeout_ms, int shared, lock_try try)
{
    char k[32], who[256];
    const char *p[1] = {k};
    long long start = db_now_ms();
    snprintf(k, sizeof k, "%lld", key);
    for (;;) {
        int got = 0;
        struct timespec ts = {0, 100 * 1000 * 1000};
        if (try(d, p, shared, &got) < 0)
            return RETORT_ERROR;
        if (got)
            return 0;
        if (db_wait_over(start, timeout_ms)) {
            if (rt_db_postgresql_lock_holder(d, key, who, sizeof who) < 0)
                who[0] = '\0';    /* who holds it is a courtesy */
            snprintf(d->err, sizeof d->err, "%s", who);
            return RETORT_ELOCKED;
        }
        nanosleep(&ts, NULL);
    }
}

static int pg_lock(db *d, long long key, long timeout_ms)
{
    return poll_lock(d, key, timeout_ms, 0, try_session_lock);
}

int rt_db_postgresql_lock_shared(db *d, long long key, long timeout_ms)
{
    return poll_lock(d, key, timeout_ms, 1, try_session_lock);
}

int rt_db_postgresql_xact_lock(db *d, long long key, long timeout_ms, int shared)
{
    return poll_lock(d, key, timeout_ms, shared, try_xact_lock);
}

typedef struct probe_ctx {
    int in_recovery;
    long pid;
} probe_ctx;

static int take_probe(void *ctx, int n, const char *const *v)
{
    probe_ctx *c = ctx;
    c->in_recovery = n > 0 && v[0] && v[0][0] == 't';
    c->pid = n > 1 && v[1] ? strtol(v[1], NULL, 10) : -1;
    return 0;
}

int rt_db_postgresql_probe(db *d, int *in_recovery, int *pooled)
{
    probe_ctx c = {0, -1};
    *in_recovery = *pooled = 0;
    if (pg_query(d, "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.pg_backend_pid()",
                 0, NULL, take_probe, &c) < 0) {
        /* An engine without these functions (undefined_function) is
         * neither a standby nor known to be pooled. */
        if (strcmp(d->code, "42883") == 0)
            return 0;
        return RETORT_ERROR;
    }
    *in_recovery = c.in_recovery;
    *pooled = c.pid != (long)pq_of(d)->backendPID(conn_of(d));
    return 0;
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
static int pg_cond(db *d, const rt_cond *s, int *holds)
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
        db_failf(d, "unknown condition %d", s->cond);
        return RETORT_ERROR;
    }
}

static void pg_close(db *d)
{
    db_pg *g = (db_pg *)d;
    if (g->conn)
        g->pq.finish(g->conn);
    /* Drops this connection's reference; RTLD_NODELETE keeps it mapped. */
    if (g->pq.lib)
        dlclose(g->pq.lib);
    if (g->secrets) {
        memset(g->secrets, 0, g->secrets_len);
        free(g->secrets);
    }
    free(g);
}

/* ---- several texts in one round trip (db_vtable.exec_each) ----------
 *
 * The texts go out as one simple query, each followed by "\n;\n" (the
 * newline ends a trailing `--` comment that would swallow the ';').  The
 * server answers with one result per statement, in order, and stops at
 * the first error, skipping the rest (COMMIT included: the transaction
 * is left failed, for the caller's ROLLBACK).  Counting results names the
 * text that failed.  A text whose statement count is unknown (raw SQL) is
 * followed by a marker, a SELECT of one column named MARK and its index,
 * whose result closes that text.  A syntax error anywhere stops the whole
 * string before anything runs; the server gives its position, in
 * characters of the string, which names the text. */

#define MARK "retort_text_done_"

typedef struct each_text {
    char *sql;
    size_t *start;       /* byte offset of each text (n + 1 entries) */
} each_text;

/* Builds the simple query of st[0..n) into t: 0, or RETORT_ERROR. */
static int each_build(db *d, const db_stmt *st, size_t n, each_text *t)
{
    size_t len = 1, at = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(st[i].sql) + 3 + (st[i].count ? 0 : sizeof MARK + 40);
    t->sql = malloc(len);
    t->start = malloc((n + 1) * sizeof *t->start);
    if (!t->sql || !t->start)
        return db_failf(d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(st[i].sql);
        t->start[i] = at;
        memcpy(t->sql + at, st[i].sql, k);
        memcpy(t->sql + at + k, "\n;\n", 3);
        at += k + 3;
        if (!st[i].count)
            at += (size_t)snprintf(t->sql + at, len - at, "SELECT 1 AS " MARK "%zu\n;\n", i);
    }
    t->sql[at] = '\0';
    t->start[n] = at;
    return 0;
}

/* Whether res is the marker that closes text i. */
static int is_mark(const pq_api *pq, PGresult *res, size_t i)
{
    char name[sizeof MARK + 24];
    const char *f;
    if (pq->resultStatus(res) != PGRES_TUPLES_OK || pq->nfields(res) != 1)
        return 0;
    f = pq->fname(res, 0);
    snprintf(name, sizeof name, MARK "%zu", i);
    return f && strcmp(f, name) == 0;
}

/* The text holding the 1-based character position `pos` of t->sql (in
 * the client encoding, as the server counts), or 0. */
static size_t text_at(db *d, const each_text *t, size_t n, const char *pos)
{
    const pq_api *pq = pq_of(d);
    long want = pos ? strtol(pos, NULL, 10) : 0;
    int enc = pq->clientEncoding(conn_of(d));
    size_t off = 0;
    for (long c = 1; c < want && t->sql[off]; c++) {
        int k = pq->mblen(t->sql + off, enc);
        off += k > 0 ? (size_t)k : 1;
    }
    for (size_t i = n; i-- > 0;)
        if (t->start[i] <= off)
            return i;
    return 0;
}

static int pg_exec_each(db *d, const db_stmt *st, size_t n, size_t *failed)
{
    const pq_api *pq = pq_of(d);
    each_text t = {NULL, NULL};
    PGresult *res;
    size_t i = 0, got = 0;      /* the text the next result is of; its results so far */
    int rc = 0, any = 0;
    *failed = 0;
    if (n == 0)
        return 0;
    if ((rc = each_build(d, st, n, &t)) < 0)
        goto cleanup;
    if (!pq->sendQuery(conn_of(d), t.sql)) {
        rc = fail_with(d, pq->errorMessage(conn_of(d)));
        d->failure = DB_FAIL_CONNECTION;
        goto cleanup;
    }
    while ((res = pq->getResult(conn_of(d)))) {
        ExecStatusType s = pq->resultStatus(res);
        if (rc == 0 && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)) {
            if (i < n && !st[i].count && is_mark(pq, res, i)) {
                i++;
                got = 0;
            } else if (i < n && st[i].count && ++got == st[i].count) {
                i++;
                got = 0;
            }
            any = 1;
        } else if (rc == 0) {
            /* The first failure; the server skips the rest. */
            if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH)
                rc = db_failf(d, "COPY to or from the client is not supported here");
            else
                rc = check(d, res);
            *failed = any ? (i < n ? i : n - 1)
                          : text_at(d, &t, n, pq->resultErrorField(res, PG_DIAG_STATEMENT_POSITION));
            if (s == PGRES_COPY_IN)
                pq->putCopyEnd(conn_of(d), "COPY from the client is not supported here");
        }
        pq->clear(res);
        if (s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH)
            break;              /* a COPY out is never read: the run stops */
    }
cleanup:
    free(t.sql);
    free(t.start);
    return rc;
}

/* In a block, or in a failed one not yet rolled back. */
static int pg_in_transaction(db *d)
{
    return pq_of(d)->transactionStatus(conn_of(d)) != PQTRANS_IDLE;
}

static const struct db_vtable pg_vtable = {
    pg_exec, pg_query, pg_begin, pg_commit, pg_rollback, pg_lock, pg_unlock,
    pg_cond, pg_close, pg_in_transaction, pg_exec_each
};

/* NOTICEs (e.g. "relation already exists, skipping") are not progress. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Loads libpq (the first time) and connects: 0, or RETORT_ERROR /
 * RETORT_ENOMEM with a one-line message, without the password, in err. */
int rt_db_postgresql_open(db **out, const char *url, const char *password,
                          const char *secrets, char *err, size_t errlen)
{
    db_pg *d = calloc(1, sizeof *d);
    /* dbname first: the password after it overrides whatever the URL
     * holds, and the URL holds none (url.c took it out). */
    const char *keys[] = {"dbname", "password", NULL};
    const char *vals[] = {url, password, NULL};
    int rc = 0;
    *out = NULL;
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return RETORT_ENOMEM;
    }
    d->base.vt = &pg_vtable;
    d->base.dialect = RETORT_POSTGRESQL;
    if (secrets) {
        const char *p = secrets;
        while (*p)
            p += strlen(p) + 1;
        d->secrets_len = (size_t)(p - secrets) + 1;
        d->secrets = malloc(d->secrets_len);
        if (!d->secrets) {
            rc = RETORT_ENOMEM;
            snprintf(err, errlen, "out of memory");
            goto cleanup;
        }
        memcpy(d->secrets, secrets, d->secrets_len);
    }
    if (!password)
        keys[1] = NULL;
    if ((rc = pq_load(&d->pq, err, errlen)) < 0)
        goto cleanup;
    d->conn = d->pq.connectdbParams(keys, vals, 1);
    if (!d->conn || d->pq.status(d->conn) != CONNECTION_OK) {
        fail_with(&d->base, d->conn ? d->pq.errorMessage(d->conn) : "out of memory");
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", d->base.err);
        rc = RETORT_ERROR;
        goto cleanup;
    }
    d->pq.setNoticeProcessor(d->conn, ignore_notice, NULL);
    *out = &d->base;
    d = NULL;
cleanup:
    if (d)
        pg_close(&d->base);
    return rc;
}

#endif /* RETORT_NO_POSTGRESQL */
