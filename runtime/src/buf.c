/* buf.c: the runtime's one growing text (rt_buf), for the SQL it builds
 * of unbounded length: batches of bookkeeping statements, stamp's and a
 * fresh database's rows of retort's own table, catalog queries.
 *
 * One out-of-memory policy: an append that cannot grow the buffer sets
 * `oom`, and every later append does nothing.  A builder appends freely
 * and its owner asks once, before using the text (rt_buf_failed), so no
 * statement is ever run cut short.  Prefix rt_buf_. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Room for `more` bytes and the NUL; doubles, so that appending a row
 * at a time stays linear.  0, or sets oom. */
static int grow(rt_buf *b, size_t more)
{
    size_t cap;
    char *g;
    if (b->oom)
        return -1;
    if (b->p && b->n + more + 1 <= b->cap)
        return 0;
    cap = (b->n + more + 1) * 2;
    if (!(g = realloc(b->p, cap))) {
        b->oom = 1;
        return -1;
    }
    b->p = g;
    b->cap = cap;
    return 0;
}

void rt_buf_put(rt_buf *b, const char *s)
{
    size_t len = strlen(s);
    if (grow(b, len) < 0)
        return;
    memcpy(b->p + b->n, s, len + 1);
    b->n += len;
}

void rt_buf_add(rt_buf *b, const char *fmt, ...)
{
    va_list ap;
    int w;
    va_start(ap, fmt);
    w = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (w < 0) {
        b->oom = 1;
        return;
    }
    if (grow(b, (size_t)w) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)w;
}

void rt_buf_lit(rt_buf *b, const char *s)
{
    char one[2] = {0, 0};
    rt_buf_put(b, "'");
    for (; *s; s++) {
        one[0] = *s;
        rt_buf_put(b, *s == '\'' ? "''" : one);
    }
    rt_buf_put(b, "'");
}

void rt_buf_stmt(rt_buf *b, const char *sql)
{
    if (b->n)
        rt_buf_put(b, ";\n");
    rt_buf_put(b, sql);
}

void rt_buf_clear(rt_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

int rt_buf_failed(retort *r, const rt_buf *b)
{
    return b->oom ? rt_fail(r, RETORT_ENOMEM, "out of memory") : 0;
}

void rt_buf_free(rt_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}
