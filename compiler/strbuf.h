/*
 * strbuf.h: the compiler's one growable text buffer.
 *
 * malloc'd while it grows (through xrealloc, so running out of memory is
 * the one policy of arena.h: a message and exit 1), then moved into the
 * compilation's arena by sb_finish.  The text is always NUL-terminated.
 * Start with `strbuf b = {0};`.
 */
#ifndef RETORT_STRBUF_H
#define RETORT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"

typedef struct strbuf {
    char *p;
    size_t len, cap;
} strbuf;

void sb_putn(strbuf *b, const char *s, size_t n);
void sb_put(strbuf *b, const char *s);
void sb_putf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sb_vputf(strbuf *b, const char *fmt, va_list ap);
/* The text, copied into the arena; the buffer is freed and empty again. */
char *sb_finish(arena *a, strbuf *b);
/* Drops the text (for a buffer whose text is not wanted after all). */
void sb_free(strbuf *b);

#endif
