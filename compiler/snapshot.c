/*
 * snapshot.c: where a history can be folded, and the DDL of the schema
 * there (snapshot.h).  plan.c puts the result into the history as its
 * retort_snapshot; the runtime's fresh.c uses it on an empty database.
 *
 * What makes folding safe is that the schema model (schema.c, followed by
 * sema) knows exactly what a replay of the prefix leaves, and that nothing
 * in the prefix depends on the state at its point except schema:
 *   - data statements (update, delete, insert ... select, bulk_insert)
 *     read and write rows as they are at their point; raw SQL (`execute`)
 *     and application code (`call`) may do anything; `if` asks the live
 *     database; `lock_table` and functions are not in the model's DDL
 *     (render_schema writes no functions);
 *   - `not valid` constraints: a CREATE TABLE would make them valid;
 *   - a revision outside a transaction (`transaction none`), or with
 *     `schema_check off`, does what the model does not see.
 * Such a statement or revision is a barrier: the fold stops before it and
 * the runtime replays from it.  Everything else is listed below; the
 * equivalence test (tests/fresh) compares a folded database with a
 * replayed one for every history of the tests, so a statement whose
 * snapshot differs from its replay is found there and must then either be
 * rendered right or be listed as a barrier.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "sema.h"
#include "snapshot.h"

/* Whether the model follows `st` completely: its effect on an empty
 * database is what render_schema writes for the schema after it. */
static int stmt_folds(const ast_stmt *st)
{
    switch (st->kind) {
    case ST_CREATE_TABLE:
    case ST_DROP_TABLE:
    case ST_ADD_COLUMN:
    case ST_DROP_COLUMN:
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_DROP_CONSTRAINT:
    case ST_VALIDATE_CONSTRAINT:
    case ST_DROP_VIEW:
    case ST_CREATE_VIEW:
    case ST_TABLE_COMMENT:
    case ST_COLUMN_COMMENT:
    case ST_CREATE_ENUM:
    case ST_DROP_ENUM:
        return 1;
    case ST_CREATE_INDEX:
    case ST_DROP_INDEX:
        return !st->concurrently;
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY:
        return !st->not_valid;
    /* Renames keep the names PostgreSQL derived from the old name
     * (a serial's sequence, an unnamed key's index), which a CREATE of
     * the new name would not: barriers until the model renders them. */
    case ST_RENAME_TABLE:
    case ST_ALTER_RENAME:
    case ST_RENAME_CONSTRAINT:
    case ST_RENAME_INDEX:
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_ALTER_ENUM_RENAME_TYPE:
    /* Triggers call functions, which the snapshot does not create. */
    case ST_CREATE_TRIGGER:
    case ST_DROP_TRIGGER:
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
        return 0;
    /* State at their point, or outside the model. */
    case ST_UPDATE:
    case ST_DELETE:
    case ST_INSERT_SELECT:
    case ST_EXECUTE:
    case ST_BULK_INSERT:
    case ST_LOCK_TABLE:
    case ST_CALL:
    case ST_IF:
    case ST_CREATE_FUNCTION:
    case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
        return 0;
    }
    return 0;
}

/* Whether a whole revision folds.  Session settings (lock_timeout,
 * statement_timeout) change no schema and do not stop it. */
static int revision_folds(const ast_revision *rev)
{
    if (!rev->transactional || !rev->schema_check)
        return 0;
    for (int i = 0; i < rev->upgrade.count; i++)
        if (!stmt_folds(rev->upgrade.items[i]))
            return 0;
    return 1;
}

int snapshot_fold_point(const rev_graph *g)
{
    /* revisions[0 .. i] is exactly i and its ancestors when i is the
     * prefix's only revision that no other revision of the prefix builds
     * on (through a parent or depends_on): from any other one, following
     * what builds on it climbs within the prefix and can only end at i.
     * `open` counts those revisions as the prefix grows. */
    char *built_on = NULL;
    int open = 0, best = -1;
    if (g->count == 0)
        return -1;
    built_on = xcalloc((size_t)g->count, 1);
    for (int i = 0; i < g->count; i++) {
        const rev_node *n = &g->nodes[i];
        if (!revision_folds(n->rev))
            break;
        open++;
        for (int k = 0; k < n->parent_count + n->depends_count; k++) {
            int p = k < n->parent_count ? n->parents[k] : n->depends[k - n->parent_count];
            if (!built_on[p]) {
                built_on[p] = 1;
                open--;
            }
        }
        if (open == 1)
            best = i;
    }
    free(built_on);
    return best;
}

int snapshot_statements(arena *a, const rev_graph *g, int at,
                        enum retort_dialect d, ptr_list *out)
{
    /* The model over the prefix only: no heads to join (they may lie
     * past it), the schema of `at` kept.  A diagnostics sink of its own:
     * the history was checked already, and its warnings must not be
     * printed twice. */
    rev_graph prefix = *g;
    diag quiet;
    FILE *sink = tmpfile();
    schema *s;
    if (!sink)
        return -1;
    prefix.count = at + 1;
    prefix.heads = NULL;
    prefix.head_count = 0;
    diag_init(&quiet, sink);
    s = sema_run_dialect(a, &quiet, &prefix, at, (int)d);
    fclose(sink);
    if (!s || diag_error_count(&quiet))
        return -1;
    render_schema_stmts(a, d, s, out);
    return 0;
}
