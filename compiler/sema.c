/*
 * sema.c: static checks over the revision graph; see sema.h.
 *
 * The schema flows through the graph in topological order without being
 * copied per revision: a revision's schema moves to its only child, is
 * cloned only for the extra children of a branch point, and the parents'
 * schemas are joined at a merge (schema_join).  Statements never change a
 * table in place; they install a new version (sch_table_next), so the
 * old and new versions are the statement's `before` and `after`.
 *
 * The two sides of an `if`, and a revision's downgrade, are walked under
 * the schema's undo journal and rolled back, so they cost what they
 * change, not the size of the schema.
 */
#include "dialect.h"
#include "diff.h"
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>

static void walk(sctx *c, ptr_list *body);

/* --- conditions --- */

/* Does `k` (negation applied) hold in `s`?  -1 for a dialect. */
static int cond_holds(const schema *s, const ast_cond *k)
{
    const sch_table *t = NULL;
    int v = 0;
    if (k->kind != COND_INDEX_EXISTS && k->kind != COND_DIALECT)
        t = schema_table(s, k->table.schema.text, k->table.name.text);
    switch (k->kind) {
    case COND_TABLE_EXISTS:
        v = t != NULL;
        break;
    case COND_COLUMN_EXISTS:
        v = t && sch_column(t, k->name.text);
        break;
    case COND_INDEX_EXISTS:
        v = schema_index(s, k->name.text) != NULL;
        break;
    case COND_CONSTRAINT_EXISTS:
        v = t && sch_has_constraint(t, k->name.text);
        break;
    case COND_DIALECT:
        return -1;
    }
    return k->negate ? !v : v;
}

void sema_need_dialects(sctx *c, src_loc loc, int has, const char *what)
{
    if (!(c->reach & ~has))
        return;
    const dialect *D = dialect_of_mask(has);
    const char *name = D ? D->name : "some databases";
    ERR(c, loc, "%s exists on %s only: write it inside `if dialect %s { }`, "
        "or make the history target %s only (`dialects %s` in retort.conf)",
        what, name, name, name, name);
}

/* Marks the stand-in columns that assume() makes. */
static const char assumed_mark[] = "assumed";

int sema_is_assumed(const ast_coldef *col)
{
    return col && col->type.raw == assumed_mark;
}

/* A stand-in table for one that a condition says exists though the
 * history does not know it: its columns are unknown (opaque). */
static sch_table *stand_in(sctx *c, const ast_cond *k)
{
    sch_table *t = schema_table(c->s, k->table.schema.text, k->table.name.text);
    if (t)
        return t;
    t = sch_table_next(c->a, NULL);
    t->name = k->table;
    t->opaque = 1;
    t->created_by = c->rev;
    t->loc = k->loc;
    t->seq = schema_next_seq(c->s);
    return t;
}

/* Changes the schema (under the journal) so that `k` holds when `want`
 * is 1 and fails when it is 0: each side of an `if` is checked on the
 * schema its condition implies. */
static void assume(sctx *c, const ast_cond *k, int want)
{
    int h = cond_holds(c->s, k);
    if (h < 0 || h == want)
        return;
    int exists = k->negate ? !want : want;
    sch_table *t;
    switch (k->kind) {
    case COND_TABLE_EXISTS:
        if (exists) {
            chk_install(c, stand_in(c, k));
        } else {
            t = schema_table(c->s, k->table.schema.text, k->table.name.text);
            for (int i = 0; i < t->indexes.count; i++)
                schema_put_index(c->s, ((sch_index *)t->indexes.items[i])->name,
                                 NULL);
            schema_put_table(c->s, k->table.schema.text, k->table.name.text,
                             NULL);
        }
        break;
    case COND_COLUMN_EXISTS:
        t = sch_table_next(c->a, stand_in(c, k));
        if (exists) {
            ast_coldef *col = arena_alloc(c->a, sizeof *col);
            col->name = k->name;
            col->type.kind = TY_TEXT;
            col->type.p = col->type.s = -1;
            col->type.raw = assumed_mark;
            col->loc = k->loc;
            list_push(c->a, &t->columns, col);
        } else {
            for (int i = 0; i < t->columns.count; i++)
                if (strcmp(((ast_coldef *)t->columns.items[i])->name.text,
                           k->name.text) == 0)
                    t->columns.items[i--] = t->columns.items[--t->columns.count];
        }
        chk_install(c, t);
        break;
    case COND_INDEX_EXISTS:
        if (exists) {
            sch_index *ix = arena_alloc(c->a, sizeof *ix);
            ix->name = k->name.text;
            ix->loc = k->loc;
            schema_put_index(c->s, ix->name, ix);   /* owned by no table */
        } else {
            sch_index *ix = schema_index(c->s, k->name.text);
            t = ix->table.name.text
                ? schema_table(c->s, ix->table.schema.text, ix->table.name.text)
                : NULL;
            if (t) {
                t = sch_table_next(c->a, t);
                for (int i = 0; i < t->indexes.count; i++)
                    if (strcmp(((sch_index *)t->indexes.items[i])->name,
                               ix->name) == 0)
                        chk_remove_index_at(c, t, i--);
                chk_install(c, t);
            }
            schema_put_index(c->s, k->name.text, NULL);
        }
        break;
    case COND_CONSTRAINT_EXISTS:
        t = sch_table_next(c->a, stand_in(c, k));
        if (exists) {
            ast_constraint *con = arena_alloc(c->a, sizeof *con);
            con->kind = CONS_CHECK;
            con->name = k->name;
            con->check = "";
            con->loc = k->loc;
            list_push(c->a, &t->constraints, con);
        } else {
            while (chk_remove_constraint(c, t, k->name.text))
                ;
        }
        chk_install(c, t);
        break;
    case COND_DIALECT:
        break;
    }
}

/* `if`: each side is checked on the schema its condition implies, then
 * rolled back; the schema after the `if` is the side that holds in the
 * history (offline_value), and what differs between the sides is marked
 * uncertain.  For a dialect condition the `then` side is kept. */
static void if_stmt(sctx *c, ast_stmt *st)
{
    if (st->cond.kind == COND_DIALECT && c->dialect >= 0) {
        /* Decided at compile time for this dialect: the block is plain
         * code there, and the other side does not exist. */
        int holds = (st->cond.dialect & (1 << c->dialect)) != 0;
        walk(c, holds != st->cond.negate ? &st->then_body : &st->else_body);
        return;
    }
    /* A derived downgrade's `if` follows the upgrade's branch: the
     * history's choice, which derive copied into offline_value. */
    int replay = st->cond.replay;
    int h = replay ? st->cond.offline_value : cond_holds(c->s, &st->cond);
    if (st->cond.kind == COND_CONSTRAINT_EXISTS) {
        const sch_table *t = schema_table(c->s, st->cond.table.schema.text,
                                          st->cond.table.name.text);
        st->cond.text_name = t ? cname_text_name(c->a, t, st->cond.name.text)
                               : NULL;
    }
    if (h >= 0)
        st->cond.offline_value = h;
    int mark = schema_begin(c->s);
    int reach = c->reach;
    int on = st->cond.kind != COND_DIALECT ? reach
           : st->cond.negate ? reach & ~st->cond.dialect
           : reach & st->cond.dialect;
    c->in_if++;
    if (!replay)
        assume(c, &st->cond, 1);
    int body = schema_mark(c->s);
    c->reach = on;
    walk(c, &st->then_body);
    sch_branch *bt = schema_capture(c->s, mark, body);
    schema_undo(c->s, mark);
    if (!replay)
        assume(c, &st->cond, 0);
    body = schema_mark(c->s);
    c->reach = st->cond.kind == COND_DIALECT ? reach & ~on : reach;
    walk(c, &st->else_body);
    c->reach = reach;
    sch_branch *be = schema_capture(c->s, mark, body);
    schema_undo(c->s, mark);
    c->in_if--;
    schema_end(c->s);
    schema_join_branches(c->s, bt, be, h != 0);
}

static void apply(sctx *c, ast_stmt *st)
{
    if (st->kind == ST_IF)
        if_stmt(c, st);
    else
        chk_stmt(c, st);
}

static void walk(sctx *c, ptr_list *body)
{
    for (int i = 0; i < body->count; i++)
        apply(c, body->items[i]);
}

void sema_apply(arena *a, diag *d, schema *s, ast_stmt *st,
                const char *revision_id)
{
    sema_apply_for(a, d, s, st, revision_id, DIALECT_SQLITE | DIALECT_POSTGRESQL);
}

void sema_apply_for(arena *a, diag *d, schema *s, ast_stmt *st,
                    const char *revision_id, int dialects)
{
    sctx c = {a, d, s, revision_id, 1, 0, 0, -1, dialects, 0};
    apply(&c, st);
}

/* --- the graph --- */

typedef struct join_ctx {
    const rev_graph *g;
    char *side[2];            /* ancestor-or-self marks per node */
} join_ctx;

static int join_is_ancestor(void *ctx, const char *rev_id, int side)
{
    join_ctx *j = ctx;
    int x = graph_find(j->g, rev_id);
    return x >= 0 && j->side[side][x];
}

/* Marks node x and everything applied before it, parents and depends_on
 * targets alike (iteratively: chains are long).  A table that a
 * depends_on target created and x dropped was dropped after it, so a join
 * must not bring it back. */
static void mark_ancestors(const rev_graph *g, int x, char *mark, int *stack)
{
    int sp = 0;
    if (!mark[x]) {
        mark[x] = 1;
        stack[sp++] = x;
    }
    while (sp > 0) {
        const rev_node *nd = &g->nodes[stack[--sp]];
        for (int k = 0; k < nd->parent_count + nd->depends_count; k++) {
            int p = k < nd->parent_count ? nd->parents[k]
                                         : nd->depends[k - nd->parent_count];
            if (!mark[p]) {
                mark[p] = 1;
                stack[sp++] = p;
            }
        }
    }
}

/* Joins the schemas of nodes[ids[1..n-1]] into `acc` (the schema of
 * ids[0]).  Errors are reported at `at`. */
static void join_all(rev_graph *g, diag *d, schema *acc, schema **of,
                     const int *ids, int n, src_loc at)
{
    join_ctx j = {g, {xcalloc((size_t)g->count + 1, 1),
                      xcalloc((size_t)g->count + 1, 1)}};
    int *stack = xmalloc(sizeof(int) * ((size_t)g->count + 1));
    mark_ancestors(g, ids[0], j.side[0], stack);
    for (int k = 1; k < n; k++) {
        memset(j.side[1], 0, (size_t)g->count);
        mark_ancestors(g, ids[k], j.side[1], stack);
        schema_join(acc, of[ids[k]], d, at, join_is_ancestor, &j);
        for (int i = 0; i < g->count; i++)
            j.side[0][i] |= j.side[1][i];
    }
    free(j.side[0]);
    free(j.side[1]);
    free(stack);
}

/* The parents of `nd`, then the depends_on targets that are not parents,
 * into `out`; returns how many. */
static int source_list(const rev_node *nd, int *out)
{
    int n = 0;
    for (int k = 0; k < nd->parent_count; k++)
        out[n++] = nd->parents[k];
    for (int k = 0; k < nd->depends_count; k++) {
        int dup = 0;
        for (int j = 0; j < n; j++)
            dup |= out[j] == nd->depends[k];
        if (!dup)
            out[n++] = nd->depends[k];
    }
    return n;
}

/* Whether the model can follow every statement of `stmts`: no raw SQL
 * that may change the schema behind its back, and no condition on the live
 * database (its branch is known only when the revision runs). */
static int followable(const ptr_list *stmts)
{
    for (int i = 0; i < stmts->count; i++) {
        const ast_stmt *st = stmts->items[i];
        if (st->kind == ST_EXECUTE)
            return 0;
        if (st->kind == ST_IF &&
            (st->cond.kind != COND_DIALECT || !followable(&st->then_body) ||
             !followable(&st->else_body)))
            return 0;
    }
    return 1;
}

/* A name longer than a targeted database keeps is cut there in silence
 * (PostgreSQL: a NOTICE), so the database's name is not the history's:
 * `check` and later statements that spell the whole name disagree with
 * it, and two names alike in their first 63 bytes become one.  A
 * warning, not an error: a history that ran on PostgreSQL this way keeps
 * running, and renaming an applied revision's objects would change it. */
static void warn_long_names(diag *d, const ast_revision *rev, int dialects)
{
    for (int i = 0; i < rev->long_names.count; i++) {
        const ast_name *n = rev->long_names.items[i];
        for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
            const dialect *D = dialect_get((enum retort_dialect)k);
            size_t len = strlen(n->text), cut = (size_t)D->name_bytes;
            if (!(dialects & D->mask) || !cut || len <= cut)
                continue;
            while (cut > 0 && ((unsigned char)n->text[cut] & 0xC0) == 0x80)
                cut--;        /* not inside a UTF-8 character */
            diag_warning(d, n->loc, "%s keeps the first %d bytes of a name: "
                         "this one (%zu bytes) becomes '%.*s' there",
                         D->name, D->name_bytes, len, (int)cut, n->text);
        }
    }
}

/* A written downgrade must bring the schema back to what it was before the
 * upgrade: else `downgrade` records the parent revision over a database
 * that still has the upgrade's changes, and the next `upgrade` fails or,
 * worse, succeeds on the wrong schema.  The typical case is the empty
 * `downgrade { }` that `retort revision` writes, left as it was.  A
 * warning, not an error: histories imported from Alembic carry such
 * downgrades, and a revision may mean to be one-way. */
static void check_written_downgrade(arena *a, diag *d, const ast_revision *rev,
                                    const schema *before, const schema *after)
{
    ptr_list left = {0};
    diff_describe_as(a, after, "schema after the downgrade", before,
                     "schema before the upgrade", &left);
    if (!left.count)
        return;
    diag_warning(d, rev->downgrade_loc,
                 "the downgrade of revision %s does not undo its upgrade",
                 rev->id.text);
    for (int i = 0; i < left.count && i < 5; i++)
        diag_note(d, (src_loc){0}, "%s", (const char *)left.items[i]);
    if (left.count > 5)
        diag_note(d, (src_loc){0}, "and %d more differences",
                  left.count - 5);
    diag_note(d, (src_loc){0},
              rev->downgrade.count
                  ? "write the statements that undo the upgrade, or delete the "
                    "block and retort derives them"
                  : "an empty downgrade does nothing: delete the block and "
                    "retort derives the downgrade");
}

schema *sema_run(arena *a, diag *d, rev_graph *g, int capture)
{
    return sema_run_dialect(a, d, g, capture, -1);
}

static schema *run(arena *a, diag *d, rev_graph *g, int capture, int dialect,
                   int keep, schema **kept);

schema *sema_run_dialect(arena *a, diag *d, rev_graph *g, int capture,
                         int dialect)
{
    return run(a, d, g, capture, dialect, -1, NULL);
}

schema *sema_run_keep(arena *a, diag *d, rev_graph *g, int keep, schema **kept)
{
    *kept = NULL;
    return run(a, d, g, -1, -1, keep, kept);
}

/* The walk behind both: `keep` >= 0 also copies the schema after that
 * revision into *kept, as it stands when the revision was walked. */
static schema *run(arena *a, diag *d, rev_graph *g, int capture, int dialect,
                   int keep, schema **kept)
{
    int errors0 = d->errors;
    schema **of = arena_alloc(a, sizeof *of * ((size_t)g->count + 1));
    int *left = arena_alloc(a, sizeof(int) * ((size_t)g->count + 1));
    /* A schema stays alive until every child and every revision that
     * depends on it has been joined with it. */
    for (int i = 0; i < g->count; i++)
        left[i] += g->nodes[i].child_count;
    for (int i = 0; i < g->count; i++)
        for (int k = 0; k < g->nodes[i].depends_count; k++)
            left[g->nodes[i].depends[k]]++;
    /* A head's schema is joined at the end, also when a depends_on (not
     * a child) was its last user. */
    for (int i = 0; i < g->head_count; i++)
        left[g->heads[i]]++;
    int *sources = arena_alloc(a, sizeof(int) * ((size_t)g->count + 1));

    for (int i = 0; i < g->count; i++) {
        rev_node *nd = &g->nodes[i];
        ast_revision *rev = nd->rev;
        schema *s;
        if (nd->parent_count == 0 && nd->depends_count == 0) {
            s = schema_new(a);
        } else if (nd->parent_count == 0) {
            /* A root that depends on others starts from their schema. */
            int n = source_list(nd, sources);
            s = schema_clone(a, of[sources[0]]);
            if (n > 1)
                join_all(g, d, s, of, sources, n, rev->id.loc);
            for (int k = 0; k < n; k++)
                if (--left[sources[k]] == 0 && sources[k] != capture)
                    of[sources[k]] = NULL;
        } else {
            /* The first parent's schema moves here when this is its last
             * child (and it is not the one asked for); else it is cloned. */
            int p = nd->parents[0];
            if (left[p] == 1 && p != capture) {
                s = of[p];
                of[p] = NULL;
            } else {
                s = schema_clone(a, of[p]);
            }
            /* depends_on brings its revisions' schema in as a merge
             * does: they are applied before this one. */
            int n = source_list(nd, sources);
            if (n > 1)
                join_all(g, d, s, of, sources, n, rev->id.loc);
            for (int k = 0; k < n; k++)
                if (--left[sources[k]] == 0 && sources[k] != capture)
                    of[sources[k]] = NULL;
        }

        if (dialect < 0)
            warn_long_names(d, rev, g->dialects);
        sctx c = {a, d, s, rev->id.text, rev->schema_check, 0,
                  rev->transactional, dialect,
                  dialect >= 0 ? 1 << dialect : g->dialects, !rev->has_downgrade};
        const schema *before = NULL;
        if (dialect < 0 && rev->has_downgrade && rev->schema_check &&
            followable(&rev->upgrade) && followable(&rev->downgrade))
            before = schema_clone(a, s);
        walk(&c, &rev->upgrade);
        if (!rev->has_downgrade)
            sema_derive_downgrade(a, d, rev, NULL);
        /* Walk the downgrade on the upgraded schema for its before/after
         * (and, when written, its checks), then roll it back. */
        int mark = schema_begin(s);
        c.check = rev->has_downgrade && rev->schema_check;
        int errors = d->errors;
        walk(&c, &rev->downgrade);
        if (before && d->errors == errors)
            check_written_downgrade(a, d, rev, before, s);
        schema_undo(s, mark);
        schema_end(s);
        of[i] = s;
        if (i == keep)
            *kept = schema_clone(a, s);
    }

    if (d->errors != errors0)
        return NULL;
    if (capture >= 0)
        return of[capture];
    if (g->head_count == 0)
        return schema_new(a);
    schema *acc = of[g->heads[0]];
    if (g->head_count > 1)
        join_all(g, d, acc, of, g->heads, g->head_count,
                 (src_loc){NULL, 0, 0});
    return d->errors != errors0 ? NULL : acc;
}
