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
 *     database; `lock_table` is not in the model's DDL, and a function
 *     statement stops the prefix (a trigger needs its function);
 *   - `not valid` constraints: a CREATE TABLE would make them valid;
 *   - a revision outside a transaction (`transaction none`), or with
 *     `schema_check off`, does what the model does not see;
 *   - a merge or depends_on: the model joins two schemas as well as it
 *     can, which is not a replay of both (snapshot_fold_point()).
 * Such a statement or revision is a barrier: the fold stops before it and
 * the runtime replays from it.  Everything else is listed below; the
 * equivalence test (tests/fresh) compares a folded database with a
 * replayed one for every history of the tests, so a statement whose
 * snapshot differs from its replay is found there and must then either be
 * rendered right or be listed as a barrier.
 */
#include <string.h>

#include "render.h"
#include "render_int.h"
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
    /* Only a chain folds: revision 0 without parent, and each next one
     * with the one before it as its only parent and no depends_on.  Then
     * revisions[0 .. i] is exactly i and its ancestors, the runtime
     * applies them in that order, and the model's schema after i is a
     * plain sequence of statements.  A merge (or depends_on) is a
     * barrier: the model joins the schemas of two branches as well as it
     * can (it warns when both change one object and keeps one side),
     * which is not a replay of both. */
    int best = -1;
    for (int i = 0; i < g->count; i++) {
        const rev_node *n = &g->nodes[i];
        int chained = i == 0 ? n->parent_count == 0
                             : n->parent_count == 1 && n->parents[0] == i - 1;
        if (!chained || n->depends_count || !revision_folds(n->rev))
            break;
        best = i;
    }
    return best;
}

/* Whether table `t` has an AUTOINCREMENT column. */
static int autoincrement(const sch_table *t)
{
    for (int i = 0; i < t->columns.count; i++)
        if (((const ast_coldef *)t->columns.items[i])->autoincrement)
            return 1;
    return 0;
}

/* SQLite: the sqlite_sequence rows a replay of revisions[0 .. at] leaves.
 * A table rebuild copies the rows with INSERT ... SELECT, and an INSERT
 * into an AUTOINCREMENT table writes the table's sqlite_sequence row,
 * even when it copies nothing: after the prefix (which holds no data
 * statement) that row reads (T, 0) for every table whose last rebuild
 * was of an AUTOINCREMENT table; CREATE TABLE starts without one and
 * DROP TABLE deletes it.  Renames are barriers, so names hold still. */
static void sequence_rows(arena *a, const rev_graph *g, int at, const schema *s,
                          ptr_list *out)
{
    ptr_list seeded = {0};        /* const char*: table names with a row */
    for (int i = 0; i <= at; i++) {
        const ast_revision *rev = g->nodes[i].rev;
        for (int k = 0; k < rev->upgrade.count; k++) {
            const ast_stmt *st = rev->upgrade.items[k];
            const sch_table *t = render_sqlite_rebuilt(st);
            const char *name = t ? t->name.name.text
                             : st->kind == ST_CREATE_TABLE || st->kind == ST_DROP_TABLE
                             ? st->table.name.text : NULL;
            if (!name)
                continue;
            for (int j = 0; j < seeded.count; j++)
                if (seeded.items[j] && strcmp(seeded.items[j], name) == 0)
                    seeded.items[j] = NULL;
            if (t && autoincrement(t))
                list_push(a, &seeded, (void *)name);
        }
    }
    for (int j = 0; j < seeded.count; j++) {
        const char *name = seeded.items[j];
        strbuf b = {0};
        if (!name || !schema_table(s, NULL, name))
            continue;
        sb_put(&b, "INSERT INTO sqlite_sequence (name, seq) VALUES (");
        render_put_string(&b, name);
        sb_put(&b, ", 0)");
        render_push(a, out, &b, 0);
    }
}

void snapshot_statements(arena *a, const rev_graph *g, int at, const schema *s,
                         enum retort_dialect d, ptr_list *out)
{
    render_schema_stmts(a, d, s, out);
    if (d == RETORT_SQLITE)
        sequence_rows(a, g, at, s, out);
}
