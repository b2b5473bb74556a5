/*
 * render_int.h: what render.c and render_sqlite.c share.  Not for other
 * modules: they use render.h.
 */
#ifndef RETORT_RENDER_INT_H
#define RETORT_RENDER_INT_H

#include <stddef.h>

#include "render.h"
#include "strbuf.h"

/* Appends the buffer's text to `out` as one render_sql and resets it. */
void render_push(arena *a, ptr_list *out, strbuf *b, int expect_empty);

void render_put_ident(strbuf *b, const char *name);
void render_put_qname(strbuf *b, const ast_qname *q);
void render_put_type(strbuf *b, enum retort_dialect d, const ast_type *t);
void render_put_string(strbuf *b, const char *s);
void render_put_expr(strbuf *b, enum retort_dialect d, const ast_expr *e);
void render_put_coldef(strbuf *b, enum retort_dialect d, const ast_coldef *c);
void render_put_constraint(strbuf *b, enum retort_dialect d, const ast_constraint *k);
void render_put_create_table(strbuf *b, enum retort_dialect d, const ast_qname *name,
                             const ptr_list *columns, const ptr_list *constraints,
                             int if_not_exists);
void render_put_create_index(strbuf *b, enum retort_dialect d, const char *name,
                             const ast_qname *table, const ptr_list *elems,
                             const char *method, int unique, const char *where, int concurrently,
                             int if_not_exists);

/* SQLite: when `st` needs the table rebuild, appends it to `out` and
 * returns 1; otherwise returns 0 and appends nothing. */
int render_sqlite_rebuild(arena *a, const ast_stmt *st, ptr_list *out);

#endif
