/*
 * conf.h: retort.conf, the optional settings file beside the revisions.
 *
 * One setting a line, `#` comments:
 *     dialects       postgresql          # default: sqlite, postgresql
 *     version_table  alembic_version     # the migrator's default
 */
#ifndef RETORT_CONF_H
#define RETORT_CONF_H

#include "arena.h"
#include "diag.h"

typedef struct retort_conf {
    int dialects;             /* the targeted databases: DIALECT_SQLITE, ... bits */
    const char *version_table;/* NULL: the migrator's own default */
    const src_file *file;     /* NULL when there is no retort.conf */
} retort_conf;

/* Reads DIR/retort.conf into *out (the defaults when there is none).
 * Returns 0, or -1 after reporting each bad line at its file:line:col. */
int conf_read(arena *a, diag *d, const char *dir, retort_conf *out);

#endif
