/*
 * db.h: the small interface the migrator needs from a database.
 *
 * A backend fills a `struct db_vtable`; callers use the db_* wrappers.
 * Every function returns 0 or RETORT_ERROR with the message in db->err
 * (never holding a password).  Queries hand rows to a callback as text;
 * a non-zero return from the callback stops the query and is returned.
 */
#ifndef RETORT_DB_H
#define RETORT_DB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "retort/history.h"

typedef struct db db;

/* Milliseconds on the monotonic clock, for lock waits. */
static inline long long db_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether a lock wait that began at `start` (db_now_ms) with timeout_ms
 * (as db_vtable.lock takes it) has run out. */
static inline int db_wait_over(long long start, long timeout_ms)
{
    return timeout_ms < 0 || (timeout_ms > 0 && db_now_ms() - start >= timeout_ms);
}

/* An IF step's condition with its strings resolved from the history's
 * pool (NULL when absent): what db_cond() evaluates. */
typedef struct rt_cond {
    unsigned char cond;        /* enum retort_condition */
    unsigned char negate;      /* written with `not` (db_cond ignores it) */
    const char *schema;        /* or NULL */
    const char *table;         /* or NULL */
    const char *name;          /* column, index or constraint, or NULL */
} rt_cond;

static inline rt_cond rt_cond_of(const retort_history *h, const retort_step *s)
{
    rt_cond c;
    c.cond = s->cond;
    c.negate = s->negate;
    c.schema = retort_str(h, s->schema);
    c.table = retort_str(h, s->table);
    c.name = retort_str(h, s->name);
    return c;
}

typedef int (*db_row_fn)(void *ctx, int ncols, const char *const *vals);

/* One text of db_exec_each(): the SQL, and how many statements it holds,
 * or 0 when that is not known (raw SQL, which may hold several). */
typedef struct db_stmt {
    const char *sql;
    unsigned count;
} db_stmt;

/* What kind of failure the last error was, as the backend read it from
 * PostgreSQL's SQLSTATE or SQLite's result code.  Never from the words of
 * db->err: lc_messages translates them.  Callers that treat a kind of
 * failure apart (a hint, a return code) branch on this.  When adding a
 * kind, fill both backends' tables and rt_db_failure() in handle.c. */
enum db_failure {
    DB_FAIL_OTHER = 0,
    DB_FAIL_LOCK_TIMEOUT,    /* 55P03; SQLITE_BUSY, SQLITE_LOCKED */
    DB_FAIL_CANCELED,        /* 57014: statement_timeout, a cancel */
    DB_FAIL_READ_ONLY,       /* 25006 (also a standby); SQLITE_READONLY */
    DB_FAIL_PRIVILEGE,       /* 42501; SQLITE_PERM, SQLITE_AUTH */
    DB_FAIL_CONFLICT,        /* 40001, 40P01: serialization, deadlock */
    DB_FAIL_CONNECTION       /* class 08, 57P01-57P03; SQLITE_CANTOPEN */
};

struct db_vtable {
    int (*exec)(db *d, const char *sql);
    int (*query)(db *d, const char *sql, int nparams,
                 const char *const *params, db_row_fn fn, void *ctx);
    int (*begin)(db *d);          /* SQLite: BEGIN IMMEDIATE */
    int (*commit)(db *d);
    int (*rollback)(db *d);       /* quiet; keeps the earlier message */
    /* The migrator-wide lock, waiting up to timeout_ms (0: as long as
     * it takes, < 0: not at all); RETORT_ELOCKED when the wait ran out,
     * with db->err saying who holds it where the database can tell
     * ("" otherwise). */
    int (*lock)(db *d, long long key, long timeout_ms);
    int (*unlock)(db *d, long long key);
    /* Evaluates an IF step's condition (without its negation). */
    int (*cond)(db *d, const rt_cond *s, int *holds);
    void (*close)(db *d);
    /* 1 while the connection is inside a transaction block, else 0: how
     * application code (`call`) is held to the revision's transaction. */
    int (*in_transaction)(db *d);
    /* Runs st[0..n) in order, in one round trip where the backend can
     * (PostgreSQL: one simple query), stopping at the first failure:
     * RETORT_ERROR with *failed the index of the text that failed.
     * PostgreSQL runs texts sent together outside a transaction block as
     * one implicit transaction: callers bracket them with BEGIN, COMMIT. */
    int (*exec_each)(db *d, const db_stmt *st, size_t n, size_t *failed);
};

struct db {
    const struct db_vtable *vt;
    enum retort_dialect dialect;
    /* SQLite: the file, or its directory (where the journal goes), cannot
     * be written; reading works, writing commands refuse up front. */
    int readonly;
    char err[1024];
    /* Of the last failure: its kind, and PostgreSQL's SQLSTATE or
     * SQLite's extended result code in decimal ("" when neither). */
    enum db_failure failure;
    char code[8];
    /* TEST ONLY: the crash hook (RETORT_TEST_CRASH_AFTER, see
     * rt_db_crash_hook in handle.c).  0 when unset: one compare per
     * statement, nothing else. */
    long long crash_after;
    long long statements;
};

int rt_db_sqlite_open(db **out, const char *path, char *err, size_t errlen);
/* url without a password; password (or NULL) goes to libpq on its own;
 * secrets (rt_url_scrub's list, or NULL) are scrubbed from messages. */
/* Who holds the advisory lock `key` (other than this session), as
 * "backend pid N, application 'X', client ADDR", or "" when nobody. */
int rt_db_postgresql_lock_holder(db *d, long long key, char *out, size_t cap);
/* Asked once before a command that needs to know: whether the server is
 * a standby in recovery (pg_is_in_recovery()), and whether a connection
 * pooler sits between (the backend pid libpq was told at connect, which
 * PgBouncer makes up, is not pg_backend_pid()).  Through a pooler in
 * transaction mode, session state (session advisory locks, SET) does not
 * outlive a transaction.  An engine without these functions is taken as
 * neither. */
int rt_db_postgresql_probe(db *d, int *in_recovery, int *pooled);
/* The pooler-safe form of the migration lock: BEGIN (READ COMMITTED,
 * READ ONLY when shared) holding pg_advisory_xact_lock[_shared](key),
 * polled as db_vtable.lock does, each try in its own transaction.  On 0
 * the transaction is open and the lock lasts until it ends; on
 * RETORT_ELOCKED db->err says who holds it ("" when unknown). */
int rt_db_postgresql_xact_lock(db *d, long long key, long timeout_ms, int shared);
/* The migration lock in shared mode for the session (what `check` takes
 * on a direct connection), polled as db_vtable.lock is: waiting inside a
 * blocking pg_advisory_lock_shared would hold a snapshot for the whole
 * wait, and a CREATE INDEX CONCURRENTLY in the migrator holding the lock
 * waits for every older snapshot: a deadlock PostgreSQL ends by killing
 * one of them.  RETORT_ELOCKED as rt_db_postgresql_xact_lock. */
int rt_db_postgresql_lock_shared(db *d, long long key, long timeout_ms);
int rt_db_postgresql_open(db **out, const char *url, const char *password,
                          const char *secrets, char *err, size_t errlen);

/* TEST ONLY: _exit(137) once the crash_after-th statement completed. */
void rt_db_crash_hook(db *d);
static inline int db_counted(db *d, int rc)
{
    if (d->crash_after)
        rt_db_crash_hook(d);
    return rc;
}

/* Each statement sent (exec, query, cond, begin, commit) counts for the
 * crash hook; the lock, unlock, rollback and in_transaction do not.
 * A query runs one statement: more is an error, not a silent skip. */
static inline int db_exec(db *d, const char *sql)
{ return db_counted(d, d->vt->exec(d, sql)); }
static inline int db_query(db *d, const char *sql, int n, const char *const *p,
                           db_row_fn fn, void *ctx)
{ return db_counted(d, d->vt->query(d, sql, n, p, fn, ctx)); }
static inline int db_begin(db *d) { return db_counted(d, d->vt->begin(d)); }
static inline int db_commit(db *d) { return db_counted(d, d->vt->commit(d)); }
static inline int db_rollback(db *d) { return d->vt->rollback(d); }
static inline int db_lock(db *d, long long k, long timeout_ms)
{ return d->vt->lock(d, k, timeout_ms); }
static inline int db_unlock(db *d, long long k) { return d->vt->unlock(d, k); }
static inline int db_cond(db *d, const rt_cond *s, int *holds)
{ return db_counted(d, d->vt->cond(d, s, holds)); }
/* Each text counts as one statement for the crash hook, as db_exec()
 * would.  TEST ONLY: when the hook stops the run within these texts, only
 * those up to the stop are sent, so that it stops where running them one
 * by one would have: the Nth done, nothing after it sent. */
static inline int db_exec_each(db *d, const db_stmt *st, size_t n, size_t *failed)
{
    size_t m = n, done;
    int rc;
    *failed = 0;
    if (d->crash_after && d->crash_after - d->statements < (long long)n)
        m = (size_t)(d->crash_after - d->statements);
    rc = d->vt->exec_each(d, st, m, failed);
    done = rc < 0 ? *failed + 1 : m;
    for (size_t i = 0; i < done && d->crash_after; i++)
        rt_db_crash_hook(d);
    return rc;
}
static inline void db_close(db *d) { if (d) d->vt->close(d); }
static inline int db_in_transaction(db *d) { return d->vt->in_transaction(d); }
static inline const char *db_errmsg(const db *d) { return d->err; }

/* A failure the backend itself finds (no server code): its message, of
 * no particular kind.  Returns RETORT_ERROR. */
static inline int db_failf(db *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof d->err, fmt, ap);
    va_end(ap);
    d->failure = DB_FAIL_OTHER;
    d->code[0] = '\0';
    return RETORT_ERROR;
}

#endif
