/*
 * live.c: rt_live (common/rt_live.h), the compiler's read-only connection.
 *
 * A thin wrapper over the backends (db.h) and url.c: `retort inspect`
 * must read a URL exactly as the migrator would, and must not create a
 * SQLite file that is not there (a typo in a path would otherwise print
 * an empty schema).  Every query runs inside one read transaction opened
 * at connect on PostgreSQL (REPEATABLE READ), so the catalog is read as
 * of one moment; SQLite reads under a deferred BEGIN for the same reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rt_live.h"
#include "internal.h"

struct rt_live {
    db *d;
    int in_tx;
    char *shown;
    char *secrets;
    size_t secrets_len;
};

int rt_live_open(rt_live **out, const char *url, char *err, size_t errlen)
{
    url_info u;
    rt_live *l = NULL;
    struct stat st;
    int rc;
    *out = NULL;
    memset(&u, 0, sizeof u);
    if ((rc = rt_url_parse(&u, url, err, errlen)) < 0)
        return rc;
    if (!(l = calloc(1, sizeof *l))) {
        snprintf(err, errlen, "out of memory");
        rc = RETORT_ENOMEM;
        goto cleanup;
    }
    if (u.dialect == RETORT_SQLITE) {
        if (strcmp(u.target, ":memory:") != 0 && stat(u.target, &st) != 0) {
            snprintf(err, errlen, "cannot open %s: %s", u.shown ? u.shown : url,
                     strerror(errno));
            rc = RETORT_ERROR;
            goto cleanup;
        }
        if (strcmp(u.target, ":memory:") != 0 && !S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "cannot open %s: not a file", u.shown ? u.shown : url);
            rc = RETORT_ERROR;
            goto cleanup;
        }
        rc = rt_db_sqlite_open(&l->d, u.target, err, errlen);
    } else {
        rc = rt_db_postgresql_open(&l->d, u.target, u.password, u.secrets, err, errlen);
    }
    if (rc < 0)
        goto cleanup;
    l->shown = u.shown;
    u.shown = NULL;
    l->secrets = u.secrets;
    l->secrets_len = u.secrets_len;
    u.secrets = NULL;
    /* One snapshot for the whole read. */
    rc = db_exec(l->d, l->d->dialect == RETORT_SQLITE
                           ? "BEGIN DEFERRED"
                           : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc < 0) {
        snprintf(err, errlen, "%s", l->d->err);
        goto cleanup;
    }
    l->in_tx = 1;
    *out = l;
    l = NULL;
cleanup:
    rt_live_close(l);
    rt_url_info_clear(&u);
    return rc;
}

int rt_live_dialect(const rt_live *l)
{
    return (int)l->d->dialect;
}

int rt_live_query(rt_live *l, const char *sql, int nparams, const char *const *params,
                  rt_live_row_fn fn, void *ctx)
{
    return db_query(l->d, sql, nparams, params, fn, ctx);
}

const char *rt_live_error(const rt_live *l)
{
    return l->d->err;
}

const char *rt_live_shown(const rt_live *l)
{
    return l->shown ? l->shown : "";
}

void rt_live_close(rt_live *l)
{
    if (!l)
        return;
    if (l->d) {
        if (l->in_tx)
            l->d->vt->rollback(l->d);
        l->d->vt->close(l->d);
    }
    if (l->secrets) {
        memset(l->secrets, 0, l->secrets_len);
        free(l->secrets);
    }
    free(l->shown);
    free(l);
}
