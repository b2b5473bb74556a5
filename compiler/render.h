/*
 * render.h: SQL for one dialect.  Turns checked statements into SQL text:
 * portable types, defaults, quoting of identifiers that need it, and on
 * SQLite the table rebuild for what ALTER TABLE cannot do in place.
 */
#ifndef RETORT_RENDER_H
#define RETORT_RENDER_H

#include <retort/history.h>

#include "schema.h"

/* Appends one render_sql* per statement to `out`, in order. */
typedef struct render_sql {
    const char *sql;          /* no final ';' */
    int expect_empty;         /* a check query: any row is a failure */
} render_sql;

void render_stmt(arena *a, enum retort_dialect d, const ast_stmt *st,
                 ptr_list *out);

/* Appends the statements that apply (begin) or undo (!begin) a revision's
 * session settings (lock_timeout, statement_timeout) around its script;
 * nothing where the dialect has no such settings. */
void render_settings(arena *a, enum retort_dialect d, const ast_revision *rev,
                     int begin, ptr_list *out);

/* An identifier, quoted only when it needs to be. */
const char *render_ident(arena *a, const char *name);
const char *render_qname(arena *a, const ast_qname *q);
const char *render_type(arena *a, enum retort_dialect d, const ast_type *t);

/* The DDL of a whole schema: CREATE TABLE (in an order that satisfies
 * foreign keys where possible) and CREATE INDEX, each ending with ";\n". */
char *render_schema(arena *a, enum retort_dialect d, const schema *s);
/* The table a statement rebuilds on SQLite (render_sqlite.c), or NULL
 * when it is not rebuilt (enum changes, which rebuild several, too). */
const sch_table *render_sqlite_rebuilt(const ast_stmt *st);
/* The same statements, one render_sql each (no final ';'). */
void render_schema_stmts(arena *a, enum retort_dialect d, const schema *s,
                         ptr_list *out);

#endif
