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
#include "schema.h"

retort_history *plan_build(arena *a, const rev_graph *g, const char *name,
                           const char *default_url);
/* plan_build() plus the snapshot at fold point `at` (snapshot.h; -1:
 * none), `kept` being the schema after it (sema_run_keep()), for
 * migrations.c. */
retort_history *plan_build_snapshot(arena *a, const rev_graph *g, const char *name,
                                    const char *default_url, int at, const schema *kept);

#endif
