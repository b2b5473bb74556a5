/*
 * unparse.h: syntax trees and schemas back to retort source text.
 *
 * The output is canonical: keywords in lower case, one attribute order,
 * identifiers quoted only when they must be (not a plain word, or a
 * keyword), strings with '' doubling, raw SQL between $$ (or $r$ when the
 * SQL holds $$).  The same tree always gives the same bytes, so generated
 * revisions and `retort schema --model` diff cleanly.  Every result is a
 * NUL-terminated string in the arena.
 */
#ifndef RETORT_UNPARSE_H
#define RETORT_UNPARSE_H

#include "ast.h"
#include "schema.h"

const char *unparse_ident(arena *a, const char *name);
const char *unparse_qname(arena *a, const ast_qname *q);
const char *unparse_string(arena *a, const char *s);
const char *unparse_raw(arena *a, const char *sql);
const char *unparse_type(arena *a, const ast_type *t);
const char *unparse_expr(arena *a, const ast_expr *e);
/* `C TYPE attributes...`, as inside create_table or add_column. */
const char *unparse_coldef(arena *a, const ast_coldef *c);
/* `[constraint N] unique (a, b)` and friends, as inside create_table. */
const char *unparse_constraint(arena *a, const ast_constraint *c);
/* A condition of an `if`, without the `if`: `not table_exists t`;
 * `canonical` as for unparse_stmt_canonical. */
const char *unparse_cond(arena *a, const ast_cond *c, int canonical);
/* `references T (C, ...) [on delete A] [on update A]` */
const char *unparse_reference(arena *a, const ast_reference *r);

/* An index without its name: `on T (C, ...) [unique] [where $$...$$]`. */
const char *unparse_index_def(arena *a, const sch_index *ix);

/* One statement ending in `;` and a newline, every line indented by
 * `indent` spaces (if blocks and create_table span several lines). */
const char *unparse_stmt(arena *a, const ast_stmt *st, int indent);
/* The same, unindented, as checksums hash it: names are quoted by the
 * words of checksum form 1, so that a keyword added to the language later
 * changes no checksum. */
const char *unparse_stmt_canonical(arena *a, const ast_stmt *st);



/* A whole schema as a model file: one create_table per table, each
 * followed by its create_index statements, in creation order (adjusted by
 * schema_order_tables, so that the text also works as an upgrade block). */
const char *unparse_schema(arena *a, const schema *s);

#endif
