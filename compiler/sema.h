/*
 * sema.h: static checks.  Follows the schema through the revision graph in
 * topological order, checks every statement against the schema at its
 * point, and fills what the renderer needs (ast_stmt.before/.after,
 * ast_cond.offline_value).  Revisions without a downgrade block get one
 * derived (downgrade.c).  Errors go to `d`.
 */
#ifndef RETORT_SEMA_H
#define RETORT_SEMA_H

#include "revgraph.h"
#include "schema.h"

/* Runs the checks over the whole graph.  Returns the schema after node
 * `capture`, or when `capture` is -1 the schema of all heads joined.
 * Returns NULL when errors were reported. */
schema *sema_run(arena *a, diag *d, rev_graph *g, int capture);
/* sema_run for one dialect (enum retort_dialect): `if dialect` blocks are
 * decided for it, so the schema is the one that dialect's database gets.
 * (sema_run checks both sides of them and keeps the `then` side.) */
schema *sema_run_dialect(arena *a, diag *d, rev_graph *g, int capture,
                         int dialect);
/* sema_run(capture -1) that also keeps, in *kept, the schema after node
 * `keep` (-1: none), from the same walk: a second walk of the same
 * trees is not guaranteed to give the same model (snapshot.c). */
schema *sema_run_keep(arena *a, diag *d, rev_graph *g, int keep, schema **kept);

/* Derives the downgrade of `rev` from its upgrade, given the schema before
 * the upgrade.  Appends ast_stmt* to rev->downgrade in execution order.
 * The inverses are built from the statements' before/after: sema_run
 * walks the upgrade first and passes `before` NULL; any other caller
 * passes the schema before the upgrade, which is then walked on a copy. */
void sema_derive_downgrade(arena *a, diag *d, ast_revision *rev,
                           const schema *before);

/* Applies one statement to `s` (used by sema and by autogenerate). */
void sema_apply(arena *a, diag *d, schema *s, ast_stmt *st,
                const char *revision_id);
/* The same, checked for the databases in `dialects` (DIALECT_* bits):
 * a model read for a history that targets PostgreSQL only may hold what
 * only PostgreSQL has (arrays, operator classes, index methods). */
void sema_apply_for(arena *a, diag *d, schema *s, ast_stmt *st,
                    const char *revision_id, int dialects);

/* 1 for a column that only an `if column_exists` vouched for (its
 * definition is unknown). */
int sema_is_assumed(const ast_coldef *col);

/* The name that the unnamed constraint `name` of `t` has in the table's
 * text now, by the same rules but with t's current table and column names
 * and numbers counted within t (what SQLite's migrator derives); NULL when
 * `name` is not such a constraint of `t` or the two names agree. */
const char *cname_text_name(arena *a, const sch_table *t, const char *name);
/* The name PostgreSQL gives the identity sequence of `col` when `t` is
 * made as it is now (cname.c; compare col->identity_seq, kept from the
 * column's creation through renames). */
const char *cname_identity_seq(arena *a, const sch_table *t, const ast_coldef *col);

#endif
