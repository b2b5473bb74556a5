/*
 * call.c: application code, `call NAME` (retort.h, "Application code").
 *
 * A CALL step hands the application's function a retort_call: the
 * migrator's connection, the revision, and a place for the failure.  The
 * function's statements go through db_query() (one statement each, text
 * parameters $1..$n on both backends), so they run in the revision's own
 * transaction and count for the crash hook like the history's own.
 *
 * What a function cannot do silently:
 *   - fail a statement and carry on: the first failure is kept, every
 *     later statement of the call is refused, and the call fails even if
 *     the function returns 0;
 *   - end the revision's transaction: statements that control
 *     transactions are refused in a transactional revision, and the
 *     connection is checked after every statement and at the end;
 *   - leave a transaction open in a `transaction none` revision.
 * The migrator then reports one line naming the revision and the
 * function, and rt_step_move() (step.c) rolls the revision back.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct retort_call {
    retort *r;
    db *d;
    unsigned rev;
    const char *name;          /* the function's */
    int down;                  /* part of a downgrade */
    int transactional;         /* the revision runs in a transaction */
    int loud;                  /* -v: log each statement */
    int failed;                /* a statement failed: the call fails */
    char sql_err[RT_ERRMAX];   /* the first failed statement's message */
    char msg[RT_ERRMAX];       /* retort_call_error's, or "" */
};

struct retort_rows {
    size_t count, cap;
    int columns;
    char **vals;               /* count * columns, NULL for SQL NULL */
};

/* The first word of `sql` after blanks and comments, lower-cased, into
 * buf: what tells a statement that controls transactions. */
static void first_word(const char *sql, char *buf, size_t cap)
{
    const char *p = sql;
    size_t n = 0;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            p = strchr(p, '\n');
            if (!p)
                p = "";
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : "";
            continue;
        }
        break;
    }
    while (isalpha((unsigned char)*p) && n + 1 < cap)
        buf[n++] = (char)tolower((unsigned char)*p++);
    buf[n] = '\0';
}

static int controls_transaction(const char *sql)
{
    static const char *const words[] = {
        "begin", "start", "commit", "end", "rollback", "abort", "savepoint",
        "release", "prepare",
    };
    char w[16];
    first_word(sql, w, sizeof w);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(w, words[i]) == 0)
            return 1;
    return 0;
}

/* Records the failure of `sql` (message on ctx->d unless `why`), once:
 * the first failure is the one reported. */
static int call_fail(retort_call *ctx, const char *sql, const char *why)
{
    if (!ctx->failed) {
        char ab[80];
        size_t n = 0;
        int space = 0;
        for (const char *p = sql ? sql : ""; *p && n + 4 < sizeof ab; p++) {
            if (isspace((unsigned char)*p)) {
                space = n > 0;
                continue;
            }
            if (space)
                ab[n++] = ' ';
            space = 0;
            ab[n++] = *p;
            if (n >= 60 && p[1]) {
                memcpy(ab + n, "...", 3);
                n += 3;
                break;
            }
        }
        ab[n] = '\0';
        /* A long database message is cut: the line stays one line. */
        if (snprintf(ctx->sql_err, sizeof ctx->sql_err, "%s: %s", ab,
                     why ? why : db_errmsg(ctx->d)) >= (int)sizeof ctx->sql_err)
            ctx->sql_err[sizeof ctx->sql_err - 1] = '\0';
        rt_url_scrub(ctx->sql_err, sizeof ctx->sql_err, ctx->r->secrets);
    }
    ctx->failed = 1;
    return RETORT_ERROR;
}

/* Runs one statement of the function's, rows to fn. */
static int call_run(retort_call *ctx, const char *sql, int nparams,
                    const char *const *params, db_row_fn fn, void *arg)
{
    if (!ctx || !sql || nparams < 0 || (nparams > 0 && !params))
        return ctx ? call_fail(ctx, sql, "bad arguments") : RETORT_EUSAGE;
    if (ctx->failed)
        return call_fail(ctx, sql, "an earlier statement of the call failed");
    if (ctx->transactional && controls_transaction(sql))
        return call_fail(ctx, sql, "application code must not control the "
                         "revision's transaction");
    if (ctx->loud)
        rt_log(ctx->r, "%s;", sql);
    int rc = db_query(ctx->d, sql, nparams, params, fn, arg);
    if (rc == RETORT_ENOMEM)
        return call_fail(ctx, sql, "out of memory");
    if (rc < 0)
        return call_fail(ctx, sql, NULL);
    if (ctx->transactional && !db_in_transaction(ctx->d))
        return call_fail(ctx, sql, "the statement ended the revision's transaction");
    return 0;
}

int retort_call_exec(retort_call *ctx, const char *sql, int nparams,
                     const char *const *params)
{
    return call_run(ctx, sql, nparams, params, NULL, NULL);
}

/* A query's rows into a retort_rows. */
static int take_row(void *arg, int ncols, const char *const *vals)
{
    retort_rows *rows = arg;
    if (rows->count == 0 && rows->cap == 0)
        rows->columns = ncols;
    if (ncols != rows->columns)
        return RETORT_ERROR;
    if (rows->count == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 16;
        size_t cells = cap * (size_t)(ncols ? ncols : 1);
        char **v = realloc(rows->vals, cells * sizeof *v);
        if (!v)
            return RETORT_ENOMEM;
        rows->vals = v;
        rows->cap = cap;
    }
    char **row = rows->vals + rows->count * (size_t)ncols;
    for (int c = 0; c < ncols; c++) {
        row[c] = NULL;
        if (vals[c] && !(row[c] = strdup(vals[c]))) {
            for (int k = 0; k < c; k++)
                free(row[k]);
            return RETORT_ENOMEM;
        }
    }
    rows->count++;
    return 0;
}

int retort_call_query(retort_rows **out, retort_call *ctx, const char *sql,
                      int nparams, const char *const *params)
{
    if (!out)
        return ctx ? call_fail(ctx, sql, "no place for the rows") : RETORT_EUSAGE;
    *out = NULL;
    retort_rows *rows = calloc(1, sizeof *rows);
    if (!rows)
        return ctx ? call_fail(ctx, sql, "out of memory") : RETORT_ENOMEM;
    int rc = call_run(ctx, sql, nparams, params, take_row, rows);
    if (rc < 0) {
        retort_rows_free(rows);
        return rc;
    }
    *out = rows;
    return 0;
}

size_t retort_rows_count(const retort_rows *rows)
{
    return rows ? rows->count : 0;
}

int retort_rows_columns(const retort_rows *rows)
{
    return rows ? rows->columns : 0;
}

const char *retort_rows_value(const retort_rows *rows, size_t row, int col)
{
    if (!rows || row >= rows->count || col < 0 || col >= rows->columns)
        return NULL;
    return rows->vals[row * (size_t)rows->columns + (size_t)col];
}

void retort_rows_free(retort_rows *rows)
{
    if (!rows)
        return;
    for (size_t i = 0; i < rows->count * (size_t)rows->columns; i++)
        free(rows->vals[i]);
    free(rows->vals);
    free(rows);
}

enum retort_dialect retort_call_dialect(const retort_call *ctx)
{
    return ctx->d->dialect;
}

const char *retort_call_revision(const retort_call *ctx)
{
    return rt_str(ctx->r->h, ctx->r->h->revisions[ctx->rev].id);
}

int retort_call_downgrade(const retort_call *ctx)
{
    return ctx->down;
}

int retort_call_error(retort_call *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return RETORT_ERROR;
}

const char *retort_call_errmsg(const retort_call *ctx)
{
    return ctx->msg[0] ? ctx->msg : ctx->sql_err;
}

/* Newlines and tabs to spaces: the migrator's error is one line. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
}

int rt_call_step(retort *r, db *d, unsigned rev, const retort_step *s, int down)
{
    const retort_history *h = r->h;
    const retort_revision *v = &h->revisions[rev];
    const char *name = rt_str_or(h, s->name, "?");
    char why[2 * RT_ERRMAX + 8];
    retort_call *ctx;
    int rc, ret;

    if (!h->calls || s->call >= h->call_count || !h->calls[s->call])
        return rt_fail(r, RETORT_ERROR, "revision %s (%s): call %s: this program "
                       "has no application code (a migrator built with "
                       "retort_add_migrator(... CALLBACKS) runs it)",
                       rt_str(h, v->id), rt_str_or(h, v->file, "?"), name);
    if (!(ctx = calloc(1, sizeof *ctx)))
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    ctx->r = r;
    ctx->d = d;
    ctx->rev = rev;
    ctx->name = name;
    ctx->down = down;
    ctx->transactional = v->transactional != 0;
    ctx->loud = r->verbosity > 0;
    if (ctx->loud)
        rt_log(r, "-- call %s", name);

    ret = h->calls[s->call](ctx);

    why[0] = '\0';
    if (ctx->msg[0] && ctx->failed)
        snprintf(why, sizeof why, "%s (%s)", ctx->msg, ctx->sql_err);
    else if (ctx->msg[0])
        snprintf(why, sizeof why, "%s", ctx->msg);
    else if (ctx->failed)
        snprintf(why, sizeof why, "%s", ctx->sql_err);
    else if (ret != 0)
        snprintf(why, sizeof why, "returned %d", ret);
    else if (ctx->transactional && !db_in_transaction(d))
        snprintf(why, sizeof why, "the revision's transaction ended inside the function");
    else if (!ctx->transactional && db_in_transaction(d)) {
        db_rollback(d);
        snprintf(why, sizeof why, "left a transaction open (rolled back)");
    }
    rc = 0;
    if (why[0]) {     /* a message set with retort_call_error fails too */
        one_line(why);
        rc = rt_fail(r, RETORT_ERROR, "revision %s (%s): call %s failed: %s",
                     rt_str(h, v->id), rt_str_or(h, v->file, "?"), name, why);
    }
    free(ctx);
    return rc;
}
