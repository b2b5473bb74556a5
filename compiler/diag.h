/*
 * diag.h: source files, locations and diagnostics.
 *
 * Errors pile up here; each phase runs to the end of its input, and the
 * pipeline stops before the next phase when diag_error_count() is non-zero.
 * Every message is printed as
 *     path:line:col: error: message
 *         the source line
 *         ^
 * on the diag's stream (stderr unless set otherwise).
 */
#ifndef RETORT_DIAG_H
#define RETORT_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct src_file {
    const char *path;   /* as shown in messages */
    const char *rel;    /* relative to the migrations directory */
    const char *text;   /* NUL-terminated contents */
    size_t len;
} src_file;

/* line and col are 1-based; col counts bytes.  A NULL file means the
 * message has no place in the sources (then line and col are ignored). */
typedef struct src_loc {
    const src_file *file;
    int line, col;
} src_loc;

typedef struct diag {
    FILE *out;
    int errors, warnings;
    int max_errors;     /* printing stops after this many errors */
    int suppressed;
} diag;

void diag_init(diag *d, FILE *out);
void diag_error(diag *d, src_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void diag_warning(diag *d, src_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A follow-up line for the previous message ("first defined here"). */
void diag_note(diag *d, src_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Called once at the end: prints "N errors" past the limit. */
void diag_finish(diag *d);

static inline int diag_error_count(const diag *d) { return d->errors; }

#endif
