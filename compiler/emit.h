/* emit.h: migrations.c from a compiled history; byte-identical for
 * identical input, and clean under -Wall -Wextra -Werror -pedantic. */
#ifndef RETORT_EMIT_H
#define RETORT_EMIT_H

#include <stdio.h>

#include <retort/history.h>

/* Returns 0, or -1 when writing failed. */
int emit_c(FILE *out, const retort_history *h);
/* migrations.c for a library (retort_add_migrator(... LIBRARY)): no
 * main(); it exports `const retort_history *PREFIX_history(void)`.
 * `prefix` is a C identifier (the command line checked it). */
int emit_c_library(FILE *out, const retort_history *h, const char *prefix);
/* The header declaring PREFIX_history(), for C and C++ callers. */
int emit_header(FILE *out, const char *prefix);

#endif
