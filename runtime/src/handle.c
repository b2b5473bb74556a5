/* handle.c: the retort handle, its options and its last error. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* A version table name is pasted into SQL, so only plain identifiers
 * (optionally schema-qualified) are accepted. */
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

/* Allocates a handle; fails with RETORT_EUSAGE on a bad version table. */
int retort_new(retort **out, const retort_history *history,
               const retort_options *opts)
{
    retort *r;
    const char *vt = opts && opts->version_table ? opts->version_table
                                                 : "alembic_version";
    *out = NULL;
    if (!history || history->abi != RETORT_HISTORY_ABI)
        return RETORT_EUSAGE;
    if (!valid_table_name(vt))
        return RETORT_EUSAGE;
    r = calloc(1, sizeof *r);
    if (!r)
        return RETORT_ENOMEM;
    r->h = history;
    memcpy(r->vt, vt, strlen(vt) + 1);
    /* Retort's own table (checksums, interrupted-revision markers) sits
     * beside the version table, in its schema, so that two version
     * tables (--version-table) keep separate records. */
    snprintf(r->rt, sizeof r->rt, "%s_retort", vt);
    r->verbosity = opts ? opts->verbosity : 0;
    r->log = opts && opts->log ? opts->log : stderr;
    *out = r;
    return 0;
}

void retort_free(retort *r)
{
    if (!r)
        return;
    db_close(r->db);
    if (r->password) {
        /* Do not leave the secret lying in freed memory. */
        memset(r->password, 0, strlen(r->password));
        free(r->password);
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
    rt_url_scrub(r->err, sizeof r->err, r->password);
    return code;
}

int rt_fail_db(retort *r, const char *what)
{
    const char *m = r->db ? db_errmsg(r->db) : "not connected";
    if (what && *what)
        return rt_fail(r, RETORT_ERROR, "%s: %s", what, m);
    return rt_fail(r, RETORT_ERROR, "%s", m);
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
 * boundary.  Unset, it costs one compare per statement.  No application
 * should set it.
 */
void rt_db_crash_hook(db *d)
{
    if (++d->statements >= d->crash_after)
        _exit(137);
}

static long long crash_after_from_env(void)
{
    const char *e = getenv("RETORT_TEST_CRASH_AFTER");
    char *end;
    long long n;
    if (!e || !*e)
        return 0;
    n = strtoll(e, &end, 10);
    return *end == '\0' && n > 0 ? n : 0;
}

/* Opens the database named by `url`; replaces an earlier connection. */
int retort_connect(retort *r, const char *url)
{
    url_info u = {0};
    db *d = NULL;
    char err[RT_ERRMAX];
    int rc = rt_url_parse(&u, url, err, sizeof err);
    if (rc < 0) {
        rc = rt_fail(r, rc, "%s", err);
        goto cleanup;
    }
    free(r->password);
    r->password = u.password;
    u.password = NULL;
    free(r->url_shown);
    free(r->branches);
    r->url_shown = u.shown;
    u.shown = NULL;
    if (u.dialect == RETORT_SQLITE)
        rc = rt_db_sqlite_open(&d, u.target, err, sizeof err);
    else
        rc = rt_db_postgresql_open(&d, u.target, r->password, err, sizeof err);
    if (rc < 0) {
        rc = rt_fail(r, rc, "%s", err);
        goto cleanup;
    }
    d->crash_after = crash_after_from_env();
    db_close(r->db);
    r->db = d;
cleanup:
    rt_url_info_clear(&u);
    return rc;
}
