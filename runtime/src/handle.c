/* handle.c: the retort handle, its options and its last error. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sql_reserved.h"

/* A version table name is pasted into SQL (quoted by rt_ident), so only
 * plain words are accepted, optionally schema-qualified: letters, digits
 * and _, any case, digits first allowed. */
static int valid_table_name(const char *s)
{
    size_t n = strlen(s), dots = 0;
    if (n == 0 || n >= 128 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.')
            dots++;
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return dots <= 1;
}

/* Whether the word w[0..n) must be quoted: as SQLAlchemy decides for
 * Alembic, anything but a lower-case word that is not reserved.  Quoting
 * keeps the case on PostgreSQL, so the catalog lookups (by the name as
 * given) find what the statements created. */
static int needs_quotes(const char *w, size_t n)
{
    if (n == 0 || !(w[0] == '_' || (w[0] >= 'a' && w[0] <= 'z')))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!(w[i] == '_' || (w[i] >= 'a' && w[i] <= 'z') ||
              (w[i] >= '0' && w[i] <= '9')))
            return 1;
    return sql_reserved(w, n);
}

void rt_ident(char *out, size_t cap, const char *name, const char *suffix)
{
    char raw[256];
    size_t n = 0;
    snprintf(raw, sizeof raw, "%s%s", name, suffix ? suffix : "");
    out[0] = '\0';
    for (const char *p = raw;;) {
        size_t len = strcspn(p, ".");
        int q = needs_quotes(p, len);
        n += (size_t)snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0,
                              "%s%.*s%s", q ? "\"" : "", (int)len, p,
                              q ? "\"" : "");
        if (!p[len])
            break;
        n += (size_t)snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0, ".");
        p += len + 1;
    }
}

/* PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and cuts the rest
 * silently, so two derived names could become one. */
#define PG_NAME_MAX 63
/* The longest name derived from the version table's. */
#define LONGEST_SUFFIX "_retort_markers"

const char *rt_vt_name_error(const char *vt, int dialect)
{
    const char *dot = strchr(vt, '.');
    const char *table = dot ? dot + 1 : vt;
    size_t schema_len = dot ? (size_t)(dot - vt) : 0;
    if (!valid_table_name(vt))
        return "letters, digits and _ only, with one optional schema dot";
    if (dialect == RETORT_SQLITE) {
        /* SQLite's schema `temp` is the connection's own, gone at close. */
        if (dot && schema_len == 4 && strncmp(vt, "temp", 4) == 0)
            return "the temp schema is dropped when the migrator exits";
        return NULL;
    }
    if (dialect != RETORT_POSTGRESQL)
        return NULL;
    if (strlen(table) + strlen(LONGEST_SUFFIX) > PG_NAME_MAX)
        return "too long for PostgreSQL: at most 48 bytes, as retort's "
               "NAME_retort_markers must fit in 63";
    if (schema_len > PG_NAME_MAX)
        return "schema name longer than PostgreSQL's 63 bytes";
    /* pg_temp, pg_temp_N and pg_toast_temp_N are temporary (gone when the
     * session ends); PostgreSQL reserves every pg_ schema to itself. */
    if (dot && schema_len >= 3 && strncmp(vt, "pg_", 3) == 0)
        return "pg_ schemas belong to PostgreSQL (pg_temp is dropped when "
               "the migrator exits)";
    return NULL;
}

/* Allocates a handle; fails with RETORT_EUSAGE on a bad version table. */
int retort_new(retort **out, const retort_history *history,
               const retort_options *opts)
{
    retort *r;
    const char *vt;
    *out = NULL;
    r = calloc(1, sizeof *r);
    if (!r)
        return RETORT_ENOMEM;
    r->log = stderr;
    *out = r;
    if (!history)
        return rt_fail(r, RETORT_EUSAGE, "no history given");
    if (history->abi != RETORT_HISTORY_ABI)
        return rt_fail(r, RETORT_EUSAGE, "the history '%s' was compiled for history "
                       "ABI %u, this runtime reads ABI %u: rebuild it with this "
                       "release's retort", history->name ? history->name : "?",
                       history->abi, (unsigned)RETORT_HISTORY_ABI);
    vt = opts && opts->version_table ? opts->version_table
       : history->version_table ? history->version_table : "alembic_version";
    if (!valid_table_name(vt))
        return rt_fail(r, RETORT_EUSAGE, "bad version table name '%.60s' (letters, "
                       "digits and _, with one optional schema dot)", vt);
    r->h = history;
    memcpy(r->vt, vt, strlen(vt) + 1);
    /* Retort's own table (checksums, interrupted-revision markers) sits
     * beside the version table, in its schema, so that two version
     * tables (--version-table) keep separate records. */
    snprintf(r->rt, sizeof r->rt, "%s_retort", vt);
    rt_ident(r->vt_sql, sizeof r->vt_sql, r->vt, NULL);
    rt_ident(r->rt_sql, sizeof r->rt_sql, r->rt, NULL);
    r->verbosity = opts ? opts->verbosity : 0;
    r->lock_timeout_ms = opts ? opts->lock_timeout_ms : 0;
    r->log = opts && opts->log ? opts->log : stderr;
    return 0;
}

void retort_free(retort *r)
{
    if (!r)
        return;
    db_close(r->db);
    if (r->secrets) {
        /* Do not leave the secrets lying in freed memory. */
        memset(r->secrets, 0, r->secrets_len);
        free(r->secrets);
    }
    free(r->url_shown);
    free(r->branches);
    free(r);
}

const char *retort_errmsg(const retort *r)
{
    return r ? r->err : "no handle";
}

int rt_fail(retort *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    /* Messages are one line. */
    for (char *p = r->err; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    for (size_t n = strlen(r->err); n > 0 && r->err[n - 1] == ' '; n--)
        r->err[n - 1] = '\0';
    rt_url_scrub(r->err, sizeof r->err, r->secrets);
    return code;
}

/* Per kind of database failure (db.h): what retort adds to the server's
 * own words, and the code it returns.  By kind, never by message text:
 * the server may speak another language (lc_messages). */
static const struct {
    const char *hint;
    int code;
} failures[] = {
    [DB_FAIL_OTHER] = {"", RETORT_ERROR},
    [DB_FAIL_LOCK_TIMEOUT] = {" (a lock wait timed out: another session holds a lock "
                              "on what this needs; run again when it is released)",
                              RETORT_ELOCKED},
    [DB_FAIL_CANCELED] = {" (the statement was cancelled: statement_timeout, or a "
                          "cancel request)", RETORT_ERROR},
    [DB_FAIL_READ_ONLY] = {" (the database takes no writes: a standby in recovery, "
                           "default_transaction_read_only, or a read-only file)",
                           RETORT_EREADONLY},
    [DB_FAIL_PRIVILEGE] = {" (the role lacks a privilege this needs)", RETORT_ERROR},
    [DB_FAIL_CONFLICT] = {" (a deadlock or serialization failure with another "
                          "session: run again)", RETORT_ERROR},
    [DB_FAIL_CONNECTION] = {" (the connection to the server failed)", RETORT_ERROR},
};

int rt_fail_db_as(retort *r, const db *d, const char *what, const char *detail)
{
    enum db_failure k = d ? d->failure : DB_FAIL_OTHER;
    const char *m = d ? db_errmsg(d) : "not connected";
    if ((size_t)k >= sizeof failures / sizeof failures[0])
        k = DB_FAIL_OTHER;
    return rt_fail(r, failures[k].code, "%s%s%s%s%s%s", what ? what : "",
                   what && *what ? ": " : "", detail ? detail : "",
                   detail && *detail ? " : " : "", m, failures[k].hint);
}

int rt_fail_db(retort *r, const char *what)
{
    return rt_fail_db_as(r, r->db, what, NULL);
}

void rt_log(retort *r, const char *fmt, ...)
{
    va_list ap;
    if (r->verbosity < 0)
        return;
    va_start(ap, fmt);
    vfprintf(r->log, fmt, ap);
    va_end(ap);
    fputc('\n', r->log);
    fflush(r->log);
}

/*
 * TEST ONLY: the crash hook.  When the environment variable
 * RETORT_TEST_CRASH_AFTER=N (N > 0) is set at connect time, the migrator
 * calls _exit(137), as if killed by SIGKILL, right after the Nth SQL
 * statement of the run completed (db.h counts them).  The reliability
 * tests (tests/reliability/) use it to interrupt a run at every statement
 * boundary.  Unset, it costs one compare per statement.  Compiled in
 * only with the build option RETORT_TEST_HOOKS (on for test builds).
 */
void rt_db_crash_hook(db *d)
{
    if (++d->statements >= d->crash_after)
        _exit(137);
}

static long long crash_after_from_env(void)
{
#ifndef RETORT_TEST_HOOKS
    return 0;      /* a release build: no hook */
#else
    const char *e = getenv("RETORT_TEST_CRASH_AFTER");
    char *end;
    long long n;
    if (!e || !*e)
        return 0;
    n = strtoll(e, &end, 10);
    return *end == '\0' && n > 0 ? n : 0;
#endif
}

static const char *const dialect_names[RETORT_DIALECT_COUNT] = {
    [RETORT_SQLITE] = "sqlite", [RETORT_POSTGRESQL] = "postgresql",
};

int rt_dialect_targeted(retort *r, enum retort_dialect d)
{
    unsigned all = r->h->dialects;
    if (!all || (all & (1u << d)))
        return 0;
    char names[64] = "";
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++)
        if (all & (1u << k))
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     names[0] ? ", " : "", dialect_names[k]);
    return rt_fail(r, RETORT_EUSAGE, "the history '%s' targets %s only "
                   "(retort.conf): it has no migrations for %s",
                   r->h->name ? r->h->name : "?", names,
                   dialect_names[d]);
}

/* Opens the database named by `url`; replaces an earlier connection.
 * An embedding application may hand over getenv()'s NULL: a usage error,
 * as an empty URL is. */
int retort_connect(retort *r, const char *url)
{
    RT_USABLE(r);
    if (!url)
        return rt_fail(r, RETORT_EUSAGE, "no database URL given "
                       "(use sqlite:///path.db or postgresql://...)");
    url_info u = {0};
    db *d = NULL;
    char err[RT_ERRMAX];
    int rc = rt_url_parse(&u, url, err, sizeof err);
    if (rc < 0) {
        rc = rt_fail(r, rc, "%s", err);
        goto cleanup;
    }
    if ((rc = rt_dialect_targeted(r, u.dialect)) < 0)
        goto cleanup;
    const char *bad = rt_vt_name_error(r->vt, u.dialect);
    if (bad) {
        rc = rt_fail(r, RETORT_EUSAGE, "--version-table %s: %s", r->vt, bad);
        goto cleanup;
    }
    if (r->secrets) {
        memset(r->secrets, 0, r->secrets_len);
        free(r->secrets);
    }
    r->secrets = u.secrets;
    r->secrets_len = u.secrets_len;
    u.secrets = NULL;
    free(r->url_shown);
    free(r->branches);
    r->url_shown = u.shown;
    u.shown = NULL;
    if (u.dialect == RETORT_SQLITE)
        rc = rt_db_sqlite_open(&d, u.target, err, sizeof err);
    else
        rc = rt_db_postgresql_open(&d, u.target, u.password, r->secrets,
                                   err, sizeof err);
    if (rc < 0) {
        rc = rt_fail(r, rc, "%s", err);
        goto cleanup;
    }
    if ((rc = rt_tenant_schema(r, d)) < 0) {
        db_close(d);
        goto cleanup;
    }
    d->crash_after = crash_after_from_env();
    db_close(r->db);
    r->db = d;
    r->probed = r->in_recovery = r->pooled = 0;
cleanup:
    rt_url_info_clear(&u);
    return rc;
}
