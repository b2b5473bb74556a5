/*
 * plan.h: the compiled history in memory.  Renders every revision's upgrade
 * and downgrade for both dialects into the runtime's data structures
 * (retort/history.h), which emit.c prints as C and the runtime's printers
 * use directly for `retort sql`, `heads`, `history` and `show`.
 */
#ifndef RETORT_PLAN_H
#define RETORT_PLAN_H

#include <retort/history.h>

#include "revgraph.h"

retort_history *plan_build(arena *a, const rev_graph *g, const char *name,
                           const char *default_url);
/* plan_build() plus the fold point's snapshot (snapshot.h), for
 * migrations.c: it runs the schema model once more per dialect, which the
 * commands that only print (sql, heads, history) do not need. */
retort_history *plan_build_snapshots(arena *a, const rev_graph *g, const char *name,
                                     const char *default_url);

#endif
