/* db_sqlite.c: the SQLite backend (libsqlite3). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "internal.h"

/* Queries prepared once and kept: check and verify run the same pragma
 * queries once per table, and preparing them each time was most of what
 * they cost.  A few entries, replaced in turn. */
#define STMT_CACHE 16

typedef struct db_sqlite {
    db base;
    sqlite3 *conn;
    char *path;
    int lock_fd;       /* -1 until the first lock */
    struct {
        char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    unsigned cache_next;
} db_sqlite;

static sqlite3 *conn_of(db *d) { return ((db_sqlite *)d)->conn; }

/* The kind of a failure by SQLite's primary result code. */
static enum db_failure classify(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_FAIL_LOCK_TIMEOUT;
    case SQLITE_READONLY:
        return DB_FAIL_READ_ONLY;
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return DB_FAIL_PRIVILEGE;
    case SQLITE_CANTOPEN:
        return DB_FAIL_CONNECTION;
    default:
        return DB_FAIL_OTHER;
    }
}

/* Records the connection's last failure: msg (or SQLite's own), its code
 * and kind. */
static int fail_msg(db *d, const char *msg)
{
    int code = sqlite3_extended_errcode(conn_of(d));
    snprintf(d->err, sizeof d->err, "%s", msg ? msg : sqlite3_errmsg(conn_of(d)));
    snprintf(d->code, sizeof d->code, "%d", code);
    d->failure = classify(code);
    return RETORT_ERROR;
}

static int fail(db *d) { return fail_msg(d, NULL); }

static int s_exec(db *d, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(conn_of(d), sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg(d, msg);
        sqlite3_free(msg);
        return RETORT_ERROR;
    }
    return 0;
}

/* Whether `tail` (what sqlite3_prepare_v2 left after the first
 * statement) holds another statement, not just blanks, ';' or comments.
 * -1 when it cannot be told (the message is on d). */
static int more_statements(db *d, const char *tail)
{
    sqlite3_stmt *st = NULL;
    while (tail && *tail) {
        const char *next = NULL;
        if (sqlite3_prepare_v2(conn_of(d), tail, -1, &st, &next) != SQLITE_OK)
            return fail(d), -1;
        if (st) {
            sqlite3_finalize(st);
            return 1;
        }
        if (next == tail)
            break;
        tail = next;
    }
    return 0;
}

/* Parameters are bound as text (NULL stays NULL): ?1..?n, or $1..$n as
 * PostgreSQL writes them (SQLite numbers `$N` by first appearance, so
 * they are bound by name: `$2 ... $1` must not swap).  Exactly one
 * statement, with exactly nparams parameters: anything else is an error
 * rather than a statement skipped or a parameter left NULL. */
/* A kept statement for exactly this text that is not running (a query in
 * a row callback may be the same text), reset for a new run; or NULL. */
static sqlite3_stmt *cached(db *d, const char *sql)
{
    db_sqlite *s = (db_sqlite *)d;
    for (unsigned i = 0; i < STMT_CACHE; i++)
        if (s->cache[i].sql && strcmp(s->cache[i].sql, sql) == 0 &&
            !sqlite3_stmt_busy(s->cache[i].st)) {
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    return NULL;
}

/* Keeps st (a statement s_query checked) for its text; 1 when kept, 0
 * when it could not be (the caller finalizes it then). */
static int keep(db *d, const char *sql, sqlite3_stmt *st)
{
    db_sqlite *s = (db_sqlite *)d;
    unsigned i = s->cache_next;
    size_t n = strlen(sql) + 1;
    char *copy;
    if ((s->cache[i].st && sqlite3_stmt_busy(s->cache[i].st)) || !(copy = malloc(n)))
        return 0;
    memcpy(copy, sql, n);
    sqlite3_finalize(s->cache[i].st);
    free(s->cache[i].sql);
    s->cache[i].sql = copy;
    s->cache[i].st = st;
    s->cache_next = (i + 1) % STMT_CACHE;
    return 1;
}

static int s_query(db *d, const char *sql, int nparams,
                   const char *const *params, db_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    const char *vals[64], *tail = NULL;
    int rc = 0, step, more, kept = 0;
    if ((st = cached(d, sql)) != NULL) {
        kept = 1;
        goto params;
    }
    if (sqlite3_prepare_v2(conn_of(d), sql, -1, &st, &tail) != SQLITE_OK) {
        rc = fail(d);
        goto cleanup;
    }
    if (!st) {
        rc = db_failf(d, "no statement to run");
        goto cleanup;
    }
    if ((more = more_statements(d, tail)) != 0) {
        rc = more < 0 ? RETORT_ERROR
                      : db_failf(d, "more than one statement (a query runs one)");
        goto cleanup;
    }
params:
    if (sqlite3_bind_parameter_count(st) != nparams) {
        rc = db_failf(d, "the statement has %d parameter%s, %d given",
                      sqlite3_bind_parameter_count(st),
                      sqlite3_bind_parameter_count(st) == 1 ? "" : "s", nparams);
        goto cleanup;
    }
    if (!kept)
        kept = keep(d, sql, st);
    for (int i = 0; i < nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int at = sqlite3_bind_parameter_index(st, name);
        if (params[i])
            sqlite3_bind_text(st, at ? at : i + 1, params[i], -1, SQLITE_STATIC);
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        if (n > 64) {
            rc = db_failf(d, "the query returns %d columns (at most 64)", n);
            goto cleanup;
        }
        for (int i = 0; i < n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        if (fn && (rc = fn(ctx, n, vals)) != 0)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = fail(d);
cleanup:
    /* A kept statement is reset, so that it holds no read lock. */
    if (kept)
        sqlite3_reset(st);
    else
        sqlite3_finalize(st);
    return rc;
}

/* IMMEDIATE takes the write lock at once, so two migrators serialise
 * here (waiting up to the busy timeout) instead of failing later. */
static int s_begin(db *d) { return s_exec(d, "BEGIN IMMEDIATE"); }
static int s_commit(db *d) { return s_exec(d, "COMMIT"); }

static int s_rollback(db *d)
{
    if (!sqlite3_get_autocommit(conn_of(d)))
        sqlite3_exec(conn_of(d), "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

/* SQLite has no session lock: BEGIN IMMEDIATE serialises each revision,
 * but a `transaction none` revision runs outside one.  So migrators also
 * take flock() on the database file, which Linux keeps apart from
 * SQLite's own fcntl() locks.  The descriptor stays open until the
 * connection closes: closing a descriptor of the file would drop the
 * fcntl() locks SQLite holds on it. */
/* errno's text, without strerror()'s shared buffer: fan-out runs
 * migrators on threads (XSI strerror_r, as _POSIX_C_SOURCE selects). */
static const char *errno_text(int e, char *buf, size_t cap)
{
    if (strerror_r(e, buf, cap) != 0)
        snprintf(buf, cap, "error %d", e);
    return buf;
}

static int s_lock(db *d, long long key, long timeout_ms)
{
    char why[128];
    db_sqlite *s = (db_sqlite *)d;
    long long start = db_now_ms();
    (void)key;
    if (!s->path)
        return 0;             /* :memory: is private to this process */
    if (s->lock_fd < 0 && (s->lock_fd = open(s->path, O_RDONLY | O_CLOEXEC)) < 0) {
        db_failf(d, "cannot open '%s' to lock it: %s",
                 s->path, errno_text(errno, why, sizeof why));
        return RETORT_ERROR;
    }
    while (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        if (errno != EWOULDBLOCK && errno != EINTR) {
            db_failf(d, "cannot lock '%s': %s", s->path,
                     errno_text(errno, why, sizeof why));
            return RETORT_ERROR;
        }
        if (db_wait_over(start, timeout_ms)) {
            d->err[0] = '\0';   /* flock() does not say who holds it */
            return RETORT_ELOCKED;
        }
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int s_unlock(db *d, long long key)
{
    db_sqlite *s = (db_sqlite *)d;
    (void)key;
    if (s->lock_fd >= 0)
        flock(s->lock_fd, LOCK_UN);
    return 0;
}

static int found_row(void *ctx, int n, const char *const *v)
{
    (void)n; (void)v;
    *(int *)ctx = 1;
    return 0;
}

static int take_sql(void *ctx, int n, const char *const *v)
{
    char **out = ctx;
    if (n > 0 && v[0] && !*out) {
        size_t len = strlen(v[0]) + 1;
        *out = malloc(len);
        if (*out)
            memcpy(*out, v[0], len);
    }
    return 0;
}

/* Conditions through sqlite_schema and the pragma table functions, with
 * bound parameters, each a lookup by name (an upgrade evaluates them once
 * per revision: a scan of every table made a long history quadratic).  A
 * schema other than NULL/"main" names an attached database, which these
 * queries reach through the schema argument or a quoted schema prefix. */
static int s_cond(db *d, const rt_cond *s, int *holds)
{
    const char *schema = s->schema ? s->schema : "main";
    const char *p[3];
    char *sql = NULL, *q = NULL;   /* q: a statement naming the schema */
    int rc = 0;
    *holds = 0;
    switch (s->cond) {
    case RETORT_COND_TABLE_EXISTS:
        p[0] = s->table; p[1] = schema;
        /* The name as the pragma's argument: SQLite then skips every
         * other table instead of producing a row for each (580 us to
         * 32 us a call on a 1,001-table file).  It compares names
         * case-insensitively, as SQLite resolves them. */
        rc = s_query(d, "SELECT 1 FROM pragma_table_list(?1) WHERE schema = ?2 "
                     "AND type IN ('table','view')", 2, p, found_row, holds);
        break;
    case RETORT_COND_COLUMN_EXISTS:
        p[0] = s->table; p[1] = schema; p[2] = s->name;
        rc = s_query(d, "SELECT 1 FROM pragma_table_info(?1, ?2) "
                     "WHERE name = ?3 COLLATE NOCASE", 3, p, found_row, holds);
        break;
    case RETORT_COND_INDEX_EXISTS:
        /* One lookup in the schema's catalog by name, rather than every
         * table's index list.  The catalog's schema cannot be a parameter:
         * it is quoted as an identifier (%w doubles '"'). */
        p[0] = s->name;
        if (!(q = sqlite3_mprintf("SELECT 1 FROM \"%w\".sqlite_schema WHERE "
                                  "type = 'index' AND name = ?1 COLLATE NOCASE",
                                  schema))) {
            db_failf(d, "out of memory");
            rc = RETORT_ERROR;
            break;
        }
        rc = s_query(d, q, 1, p, found_row, holds);
        break;
    case RETORT_COND_CONSTRAINT_EXISTS:
        /* The table's CREATE text from its own schema's catalog, by name. */
        p[0] = s->table;
        if (!(q = sqlite3_mprintf("SELECT sql FROM \"%w\".sqlite_schema WHERE "
                                  "type = 'table' AND name = ?1 COLLATE NOCASE",
                                  schema))) {
            db_failf(d, "out of memory");
            rc = RETORT_ERROR;
            break;
        }
        rc = s_query(d, q, 1, p, take_sql, &sql);
        /* Named in the text, or unnamed and called by its default name. */
        if (rc == 0 && sql &&
            (*holds = rt_db_sqlite_has_constraint(s->table, sql, s->name)) < 0) {
            *holds = 0;
            snprintf(d->err, sizeof d->err, "out of memory");
            rc = RETORT_ERROR;
        }
        /* A named unique constraint may also live as a unique index. */
        if (rc == 0 && !*holds) {
            p[0] = s->table; p[1] = schema; p[2] = s->name;
            rc = s_query(d, "SELECT 1 FROM pragma_index_list(?1, ?2) "
                         "WHERE name = ?3 COLLATE NOCASE", 3, p, found_row, holds);
        }
        free(sql);
        break;
    default:
        db_failf(d, "unknown condition %d", s->cond);
        rc = RETORT_ERROR;
    }
    sqlite3_free(q);
    return rc;
}

static void s_close(db *d)
{
    db_sqlite *s = (db_sqlite *)d;
    for (unsigned i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    sqlite3_close(s->conn);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    free(s->path);
    free(s);
}

static int s_in_transaction(db *d) { return !sqlite3_get_autocommit(conn_of(d)); }

/* In process there is no round trip to save: one sqlite3_exec() each. */
static int s_exec_each(db *d, const db_stmt *st, size_t n, size_t *failed)
{
    for (size_t i = 0; i < n; i++)
        if (s_exec(d, st[i].sql) < 0) {
            *failed = i;
            return RETORT_ERROR;
        }
    return 0;
}

static const struct db_vtable sqlite_vtable = {
    s_exec, s_query, s_begin, s_commit, s_rollback, s_lock, s_unlock,
    s_cond, s_close, s_in_transaction, s_exec_each
};

/* The directory part of path must exist: otherwise SQLite's message is a
 * vague "unable to open database file". */
static int check_directory(const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    struct stat st;
    if (!slash)
        return 0;
    if (slash == path)
        return 0;
    if ((size_t)(slash - path) >= sizeof dir) {
        snprintf(err, errlen, "SQLite database path is too long");
        return RETORT_ERROR;
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen,
                 "cannot open SQLite database '%s': directory '%s' does not exist",
                 path, dir);
        return RETORT_ERROR;
    }
    return 0;
}

/* Whether this process may create files beside path (the journal). */
static int directory_writable(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        return access(".", W_OK | X_OK) == 0;
    if (slash == path)
        return access("/", W_OK | X_OK) == 0;
    if ((size_t)(slash - path) >= sizeof dir)
        return 1;          /* check_directory refused it already */
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    return access(dir, W_OK | X_OK) == 0;
}

int rt_db_sqlite_open(db **out, const char *path, char *err, size_t errlen)
{
    db_sqlite *d = NULL;
    int rc = 0;
    int memory = strcmp(path, ":memory:") == 0;
    *out = NULL;
    if (!memory && (rc = check_directory(path, err, errlen)) < 0)
        goto cleanup;
    d = calloc(1, sizeof *d);
    if (!d) {
        rc = RETORT_ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    d->base.vt = &sqlite_vtable;
    d->base.dialect = RETORT_SQLITE;
    d->lock_fd = -1;
    if (!memory) {
        size_t n = strlen(path) + 1;
        if (!(d->path = malloc(n))) {
            rc = RETORT_ENOMEM;
            snprintf(err, errlen, "out of memory");
            goto cleanup;
        }
        memcpy(d->path, path, n);
    }
    if (sqlite3_open_v2(path, &d->conn,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open SQLite database '%s': %s", path,
                 d->conn ? sqlite3_errmsg(d->conn) : "out of memory");
        rc = RETORT_ERROR;
        goto cleanup;
    }
    /* READWRITE silently falls back to read-only on a protected file;
     * in a directory it cannot write, SQLite reads but fails at the first
     * write, when it creates the journal. */
    d->base.readonly = sqlite3_db_readonly(d->conn, "main") == 1 ||
                       (!memory && !directory_writable(path));
    sqlite3_busy_timeout(d->conn, 30000);
    /* Table rebuilds need foreign keys off; the compiler adds explicit
     * foreign_key_check steps instead.  Reading the schema tells at once
     * a file that is not a database. */
    if (s_exec(&d->base, "PRAGMA foreign_keys=OFF") < 0 ||
        s_exec(&d->base, "SELECT count(*) FROM sqlite_schema") < 0) {
        snprintf(err, errlen, "cannot use SQLite database '%s': %s", path,
                 d->base.err);
        rc = RETORT_ERROR;
        goto cleanup;
    }
    *out = &d->base;
    d = NULL;
cleanup:
    if (d)
        s_close(&d->base);
    return rc;
}
