/*
 * snapshot.h: the fold point of a history, and the schema there as DDL.
 *
 * An empty database upgraded past the fold point can be built from the
 * schema at that revision (one CREATE per object) instead of replaying
 * every statement before it (docs/migrator.md, "Fresh databases").  The
 * fold point is the last revision P of the longest prefix
 * revisions[0 .. P] that (a) is a chain (each revision the only parent of
 * the next; no merge, no depends_on), and (b) holds
 * only statements the schema model follows completely (snapshot.c lists
 * them; every other statement, and any revision outside a transaction, is
 * a barrier).
 */
#ifndef RETORT_SNAPSHOT_H
#define RETORT_SNAPSHOT_H

#include <retort/history.h>

#include "revgraph.h"
#include "schema.h"

/* The fold point: the index P, or -1 when no prefix folds. */
int snapshot_fold_point(const rev_graph *g);

/* The statements (render_sql*) that build `s`, the schema after revision
 * `at` (sema_run_keep() keeps it from the checking walk), on dialect d,
 * appended to `out`: render_schema's DDL, and on SQLite the
 * sqlite_sequence rows a replay's table rebuilds leave. */
void snapshot_statements(arena *a, const rev_graph *g, int at, const schema *s,
                         enum retort_dialect d, ptr_list *out);

#endif
