/* strbuf.c: the growable text buffer of strbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void sb_putn(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sb_put(strbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* Formats into a stack buffer first: nearly every piece is short. */
void sb_vputf(strbuf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && n < (int)sizeof small)
        sb_putn(b, small, (size_t)n);
    else if (n >= 0) {
        char *big = xmalloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, again);
        sb_putn(b, big, (size_t)n);
        free(big);
    }
    va_end(again);
}

void sb_putf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vputf(b, fmt, ap);
    va_end(ap);
}

char *sb_finish(arena *a, strbuf *b)
{
    char *s = arena_strndup(a, b->p ? b->p : "", b->len);
    sb_free(b);
    return s;
}

void sb_free(strbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
