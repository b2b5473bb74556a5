/*
 * rt_live.h: a read-only connection to a live database, for the compiler.
 *
 * The compiler's `retort inspect` reads a database's catalog; it connects
 * through the runtime's own URL parsing and backends (runtime/src/live.c),
 * so a URL means the same to both binaries, a password never reaches a
 * message, and libpq is loaded the same way.  Not part of the public API
 * (runtime/include/retort/): the compiler links the runtime statically.
 */
#ifndef RETORT_RT_LIVE_H
#define RETORT_RT_LIVE_H

#include <stddef.h>

typedef struct rt_live rt_live;

/* One row: ncols values as text, NULL for SQL NULL.  Non-zero stops the
 * query and is returned by rt_live_query. */
typedef int (*rt_live_row_fn)(void *ctx, int ncols, const char *const *vals);

/* Connects to `url` (the migrator's --url forms).  A SQLite file must
 * exist (nothing is created).  On failure *out is NULL and err holds one
 * line without any password; returns a negative retort code
 * (RETORT_EUSAGE for a URL that is not one). */
int rt_live_open(rt_live **out, const char *url, char *err, size_t errlen);
/* enum retort_dialect of the connection. */
int rt_live_dialect(const rt_live *l);
/* Runs one query with $1.. (PostgreSQL) or ?1.. (SQLite) parameters;
 * 0, the callback's non-zero value, or a negative code with the message
 * in rt_live_error(). */
int rt_live_query(rt_live *l, const char *sql, int nparams, const char *const *params,
                  rt_live_row_fn fn, void *ctx);
const char *rt_live_error(const rt_live *l);
/* The URL as messages may show it (password redacted). */
const char *rt_live_shown(const rt_live *l);
void rt_live_close(rt_live *l);

#endif
