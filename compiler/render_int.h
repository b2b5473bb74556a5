/*
 * render_int.h: what render.c and render_sqlite.c share.  Not for other
 * modules: they use render.h.
 */
#ifndef RETORT_RENDER_INT_H
#define RETORT_RENDER_INT_H

#include <stddef.h>

#include "render.h"

/* A growable text buffer (malloc'd); rbuf_finish() moves it into the
 * arena.  Start with `rbuf b = {0};`. */
typedef struct rbuf {
    char *p;
    size_t len, cap;
} rbuf;

void rbuf_putn(rbuf *b, const char *s, size_t n);
void rbuf_put(rbuf *b, const char *s);
char *rbuf_finish(arena *a, rbuf *b);
/* Appends the buffer's text to `out` as one render_sql and resets it. */
void render_push(arena *a, ptr_list *out, rbuf *b, int expect_empty);

int render_is_reserved(const char *word);
void rbuf_ident(rbuf *b, const char *name);
void rbuf_qname(rbuf *b, const ast_qname *q);
void rbuf_type(rbuf *b, enum retort_dialect d, const ast_type *t);
void rbuf_string(rbuf *b, const char *s);
void rbuf_expr(rbuf *b, enum retort_dialect d, const ast_expr *e);
void rbuf_coldef(rbuf *b, enum retort_dialect d, const ast_coldef *c);
void rbuf_constraint(rbuf *b, enum retort_dialect d, const ast_constraint *k);
void rbuf_create_table(rbuf *b, enum retort_dialect d, const ast_qname *name,
                       const ptr_list *columns, const ptr_list *constraints,
                       int if_not_exists);
void rbuf_create_index(rbuf *b, enum retort_dialect d, const char *name,
                       const ast_qname *table, const ptr_list *elems,
                       const char *method, int unique, const char *where, int concurrently,
                       int if_not_exists);

/* SQLite: when `st` needs the table rebuild, appends it to `out` and
 * returns 1; otherwise returns 0 and appends nothing. */
int render_sqlite_rebuild(arena *a, const ast_stmt *st, ptr_list *out);

#endif
