/* emit.h: migrations.c from a compiled history; byte-identical for
 * identical input, and clean under -Wall -Wextra -Werror -pedantic. */
#ifndef RETORT_EMIT_H
#define RETORT_EMIT_H

#include <stdio.h>

#include <retort/history.h>

/* Returns 0, or -1 when writing failed. */
int emit_c(FILE *out, const retort_history *h);

#endif
