/*
 * retort/retort.h: the runtime library behind every migrator binary.
 *
 * One opaque handle, `retort`, holds a compiled history, the options and,
 * once retort_connect() succeeded, a database connection.  Every function
 * returns 0 on success or a negative RETORT_E* code; the message of the
 * last failure stays on the handle (retort_errmsg), as with sqlite3_errmsg
 * and PQerrorMessage.  There is no global state: two handles are
 * independent.  A NULL handle (what a failed retort_new() leaves) is
 * RETORT_EUSAGE for every function that takes one.
 *
 * The commands that need no database (heads, branches, history, show and
 * the offline script) work on a handle that never connected; the compiler
 * uses them to answer `retort heads`, `retort sql` and friends from the
 * files alone.
 */
#ifndef RETORT_RETORT_H
#define RETORT_RETORT_H

#include <stddef.h>
#include <stdio.h>

#include "history.h"

#ifdef __cplusplus
extern "C" {
#endif

enum retort_error {
    RETORT_OK = 0,
    RETORT_ERROR = -1,     /* a database or I/O failure */
    RETORT_EUSAGE = -2,    /* a bad target, URL or argument */
    RETORT_ENOMEM = -3,
    RETORT_EDRIFT = -4,    /* check: the database differs or is not at head */
    /* Database failures of a kind a caller may act on (retry later, point
     * at the primary); the message is the server's, with a hint. */
    RETORT_ELOCKED = -5,   /* a lock wait timed out (lock_timeout, SQLite busy) */
    RETORT_EREADONLY = -6  /* the database takes no writes (standby, read-only) */
};

typedef struct retort retort;

typedef struct retort_options {
    const char *version_table;   /* NULL: "alembic_version" */
    int verbosity;               /* -1 quiet, 0 normal, 1 verbose */
    FILE *log;                   /* progress lines; NULL: stderr */
    /* How long upgrade, downgrade, stamp (and check on PostgreSQL) wait
     * for the migration lock another migrator holds: 0 as long as it
     * takes, > 0 that many milliseconds, < 0 not at all.  Giving up is
     * RETORT_ELOCKED with a one-line message. */
    long lock_timeout_ms;
} retort_options;

/* A handle over `history`, which must outlive it.  `opts` may be NULL.
 * On RETORT_ENOMEM *out is NULL.  On RETORT_EUSAGE (a history compiled
 * for another history ABI, a bad version table name) *out is a handle
 * whose retort_errmsg() says why; every other call on it returns
 * RETORT_EUSAGE.  Free it with retort_free() either way. */
int retort_new(retort **out, const retort_history *history,
               const retort_options *opts);
void retort_free(retort *r);
/* The last failure's one-line message ("" when none).  Never holds a
 * password. */
const char *retort_errmsg(const retort *r);

/* A dialect by name: "sqlite", "postgresql" or "postgres"; -1 otherwise.
 * The compiler's --dialect and the migrator's read names through it. */
int retort_dialect_parse(const char *name);

/* URL: sqlite:///rel.db, sqlite:////abs.db, sqlite://:memory:,
 * postgresql://... or postgres://... (handed to libpq).  NULL (an unset
 * environment variable) or "" is RETORT_EUSAGE. */
int retort_connect(retort *r, const char *url);

/* TARGET as in SPEC section 6: head, heads, base, id or unique prefix,
 * +N, -N, REV+N, LABEL@head.
 *
 * Beside the version table, retort keeps a table of its own,
 * `<version table>_retort` (revision, checksum, state, applied_at): the
 * checksum of each revision it applied, written in the revision's
 * transaction, and a marker while a `transaction none` revision runs.
 * Upgrade and downgrade refuse, before running any SQL, a database whose
 * applied revisions were recorded with other checksums or that holds a
 * marker (an interrupted `transaction none` revision); revisions without
 * a row (e.g. applied by Alembic) are accepted.  Stamp clears markers and
 * records the history's checksums of the revisions it leaves applied. */
int retort_upgrade(retort *r, const char *target);
int retort_downgrade(retort *r, const char *target);
int retort_stamp(retort *r, const char *target, int purge);
/* `flags` of the printing functions (current, heads, branches, history,
 * status): RETORT_VERBOSE for Alembic's long entries, RETORT_JSON for one
 * JSON document (docs/migrator.md gives each schema), which wins.  1 is
 * RETORT_VERBOSE, so `verbose` as 0 or 1 works as it did. */
enum { RETORT_VERBOSE = 1, RETORT_JSON = 2,
       RETORT_CURRENT = 4,  /* history: mark the database's revisions */
       RETORT_GRAPH = 8     /* history: draw the branches (not with JSON) */ };

/* Also warns (on the log) about what upgrade would refuse. */
int retort_current(retort *r, FILE *out, int flags);

/* The database's state as data: the current revisions (the version
 * rows, in the history's order) and the revisions `upgrade heads` would
 * apply, in the order it would apply them.  Ids point into the history.
 * Free with retort_status_free().  *out is NULL after a failure; `out`
 * itself NULL is RETORT_EUSAGE. */
typedef struct retort_status_info {
    unsigned current_count;
    const char **current;
    unsigned pending_count;
    const char **pending;
} retort_status_info;
int retort_status(retort *r, retort_status_info **out);
void retort_status_free(retort_status_info *s);
/* retort_status() written to `out`: text, or with RETORT_JSON a document. */
int retort_print_status(retort *r, FILE *out, int flags);
/* The drift check: compares the live schema with the one the history
 * implies at the database's revision(s), rebuilt by replaying the upgrades
 * into a scratch space (SQLite: an in-memory database; PostgreSQL: a
 * schema in a transaction that is rolled back).  Writes whether the
 * database is at head and each difference, one per line, to `out`;
 * RETORT_EDRIFT when it is not at head or anything differs. */
int retort_check(retort *r, FILE *out);
/* retort_check() with RETORT_JSON: one document (docs/migrator.md) instead
 * of the lines; the return value is the same. */
int retort_print_check(retort *r, FILE *out, int flags);

/* The stairway test on a scratch database: each revision, in the
 * history's order, upgraded, downgraded and upgraded again, the schema
 * compared with the history's after every step (as retort_check does).
 * Writes the first difference and its step to `out`; RETORT_EDRIFT then.
 * A database that holds a revision or a table is refused (RETORT_EUSAGE)
 * unless `force`, which starts from where it is. */
int retort_verify(retort *r, FILE *out, int force);

/* No connection needed (but `current` in a history range reads it).
 * flags: RETORT_VERBOSE, RETORT_JSON (not for branches). */
int retort_heads(retort *r, FILE *out, int flags);
int retort_branches(retort *r, FILE *out, int flags);
int retort_print_history(retort *r, FILE *out, const char *range,
                         int flags);
int retort_show(retort *r, FILE *out, const char *rev);
/* The offline script for `range` ("B" or "A:B"; for an upgrade A defaults
 * to base) in Alembic's layout. */
/* `stamp --sql [FROM:]TARGET`: the version-table statements that stamp
 * would run, from revision FROM (none: an empty database, whose version
 * table the script creates). */
int retort_offline_stamp(retort *r, FILE *out, enum retort_dialect dialect,
                         const char *range);
int retort_offline_script(retort *r, FILE *out, enum retort_dialect dialect,
                          int downgrade, const char *range);

/* ---- Application code: `call NAME` --------------------------------
 *
 * A revision's `call NAME;` runs the application's function
 *
 *     int NAME(retort_call *ctx);
 *
 * (linked into the migrator with retort_add_migrator(... CALLBACKS
 * file.c)) at its place among the revision's statements, on the
 * migrator's own connection, inside the revision's transaction.  It
 * returns 0 on success.  Anything else, or any statement of it that
 * failed, fails the revision: its transaction is rolled back whole and
 * the migrator prints one line naming the revision and the function, with
 * the function's message (retort_call_error) or the database's.
 *
 * A function changes rows, never the schema (the compiler's model of the
 * schema does not see what it does, and `check` would report it).  It
 * must not end the transaction: BEGIN, COMMIT, ROLLBACK and the like are
 * refused, except in a `transaction none` revision, where the function
 * runs outside any transaction (each statement commits by itself) and may
 * group its statements with BEGIN ... COMMIT, but must not leave one
 * open.  Offline scripts (--sql) cannot run application code: they stop
 * before writing anything, naming the revision.
 *
 * Parameters are text, written $1, $2, ... on both databases (NULL is SQL
 * NULL); each call runs one statement.  Values come back as text (NULL for
 * SQL NULL).  `ctx` belongs to the migrator and is valid only until the
 * function returns; rows stay valid until retort_rows_free(). */

/* Runs one statement with `nparams` text parameters (params may be NULL
 * when nparams is 0).  0, or a negative code with the message in
 * retort_call_errmsg(); after a failure every later statement of the call
 * fails too, as PostgreSQL's aborted transaction does. */
int retort_call_exec(retort_call *ctx, const char *sql, int nparams,
                     const char *const *params);

/* The rows of one query, all read before it returns (page through a big
 * table with `WHERE id > $1 ORDER BY id LIMIT n`); at most 64 columns. */
typedef struct retort_rows retort_rows;
int retort_call_query(retort_rows **out, retort_call *ctx, const char *sql,
                      int nparams, const char *const *params);
size_t retort_rows_count(const retort_rows *rows);
int retort_rows_columns(const retort_rows *rows);
/* The value at (row, col) as text: NULL for SQL NULL or out of range. */
const char *retort_rows_value(const retort_rows *rows, size_t row, int col);
void retort_rows_free(retort_rows *rows);

/* The database the migrator is connected to. */
enum retort_dialect retort_call_dialect(const retort_call *ctx);
/* The id of the revision running the call. */
const char *retort_call_revision(const retort_call *ctx);
/* 1 when the call is part of a downgrade, 0 in an upgrade. */
int retort_call_downgrade(const retort_call *ctx);
/* Sets the message the migrator reports when the function fails, and
 * returns RETORT_ERROR, so `return retort_call_error(ctx, "...", ...);`
 * fails the revision with it. */
int retort_call_error(retort_call *ctx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The last failure's message ("" when none). */
const char *retort_call_errmsg(const retort_call *ctx);

/* The migrator's command line (SPEC section 6); returns the exit status. */
int retort_cli_main(const retort_history *history, int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
