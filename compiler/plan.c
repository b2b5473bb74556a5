/*
 * plan.c: the compiled history in memory (retort/history.h).
 *
 * Each revision's upgrade and downgrade is rendered for every dialect into
 * one flat steps[] array.  A script is a contiguous run of top-level steps;
 * an `if` becomes a RETORT_STEP_IF whose then/else ranges were appended
 * earlier (blocks are finished inside-out, so nested ranges always precede
 * the block that refers to them).  `dialect` conditions are decided here,
 * per dialect, and leave no trace in the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "render.h"
#include "schema.h"
#include "sha256.h"

/* A malloc'd vector; the finished arrays are copied into the arena. */
typedef struct vec {
    void *v;
    unsigned n, cap;
} vec;

static void *vec_push(vec *x, size_t size)
{
    if (x->n == x->cap) {
        unsigned cap = x->cap ? x->cap * 2 : 64;
        void *p = realloc(x->v, size * cap);
        if (!p)
            abort();
        x->v = p;
        x->cap = cap;
    }
    void *slot = (char *)x->v + size * x->n++;
    memset(slot, 0, size);
    return slot;
}

static void *vec_to_arena(arena *a, vec *x, size_t size)
{
    void *p = NULL;
    if (x->n) {
        p = arena_alloc(a, size * x->n);
        memcpy(p, x->v, size * x->n);
    }
    free(x->v);
    x->v = NULL;
    return p;
}

typedef struct planner {
    arena *a;
    enum retort_dialect d;
    vec steps;                /* retort_step */
} planner;

static retort_script block(planner *p, const ptr_list *stmts);

static void push_sql(planner *p, vec *local, const ast_stmt *st)
{
    ptr_list out = {0};
    render_stmt(p->a, p->d, st, &out);
    for (int i = 0; i < out.count; i++) {
        const render_sql *r = out.items[i];
        retort_step *s = vec_push(local, sizeof *s);
        s->kind = r->expect_empty ? RETORT_STEP_EXPECT_EMPTY : RETORT_STEP_SQL;
        s->sql = r->sql;
    }
}

/* Appends `local` to steps[] as one contiguous range. */
static retort_script commit_range(planner *p, vec *local)
{
    retort_script r = {p->steps.n, local->n};
    for (unsigned i = 0; i < local->n; i++)
        *(retort_step *)vec_push(&p->steps, sizeof(retort_step)) =
            ((retort_step *)local->v)[i];
    free(local->v);
    return r;
}

/* SQLite has no ADD COLUMN IF NOT EXISTS nor DROP COLUMN IF EXISTS: those
 * become an IF on the live column. */
static int sqlite_guarded(const planner *p, const ast_stmt *st)
{
    return p->d == RETORT_SQLITE &&
           ((st->kind == ST_ADD_COLUMN && st->if_not_exists) ||
            (st->kind == ST_DROP_COLUMN && st->if_exists));
}

static void collect(planner *p, vec *local, const ptr_list *stmts)
{
    for (int i = 0; i < stmts->count; i++) {
        const ast_stmt *st = stmts->items[i];
        if (st->kind == ST_IF && st->cond.kind == COND_DIALECT) {
            int holds = (st->cond.dialect & (1 << p->d)) != 0;
            collect(p, local, holds != st->cond.negate ? &st->then_body : &st->else_body);
        } else if (st->kind == ST_IF) {
            static const unsigned char conds[] = {
                [COND_TABLE_EXISTS] = RETORT_COND_TABLE_EXISTS,
                [COND_COLUMN_EXISTS] = RETORT_COND_COLUMN_EXISTS,
                [COND_INDEX_EXISTS] = RETORT_COND_INDEX_EXISTS,
                [COND_CONSTRAINT_EXISTS] = RETORT_COND_CONSTRAINT_EXISTS,
            };
            retort_script then = block(p, &st->then_body);
            retort_script els = block(p, &st->else_body);
            retort_step *s = vec_push(local, sizeof *s);
            s->kind = RETORT_STEP_IF;
            s->cond = conds[st->cond.kind];
            s->negate = st->cond.negate != 0;
            s->offline = st->cond.offline_value != 0;
            s->schema = st->cond.table.schema.text;
            s->table = st->cond.table.name.text;
            s->name = st->cond.name.text;
            s->then_first = then.first;
            s->then_count = then.count;
            s->else_first = els.first;
            s->else_count = els.count;
        } else if (sqlite_guarded(p, st)) {
            int add = st->kind == ST_ADD_COLUMN;
            const char *col = add ? st->column->name.text : st->name.text;
            int exists = st->before ? sch_column(st->before, col) != NULL : !add;
            vec inner = {0};
            push_sql(p, &inner, st);
            retort_script then = commit_range(p, &inner);
            retort_step *s = vec_push(local, sizeof *s);
            s->kind = RETORT_STEP_IF;
            s->cond = RETORT_COND_COLUMN_EXISTS;
            s->negate = add;
            s->offline = add ? !exists : exists;
            s->schema = st->table.schema.text;
            s->table = st->table.name.text;
            s->name = col;
            s->then_first = then.first;
            s->then_count = then.count;
            s->else_first = p->steps.n;
        } else {
            push_sql(p, local, st);
        }
    }
}

static retort_script block(planner *p, const ptr_list *stmts)
{
    vec local = {0};
    collect(p, &local, stmts);
    return commit_range(p, &local);
}

/* ---- checksum ---- */

static void hash_str(sha256_ctx *c, const char *s)
{
    char len[32];
    if (!s) {
        sha256_update(c, "-", 1);
        return;
    }
    int n = snprintf(len, sizeof len, "%zu:", strlen(s));
    sha256_update(c, len, (size_t)n);
    sha256_update(c, s, strlen(s));
}

/* A canonical, unambiguous serialisation of a script: every string is
 * length-prefixed and IF blocks are bracketed.  The offline choice is left
 * out: it follows from earlier revisions, not from this one. */
static void hash_range(sha256_ctx *c, const retort_step *steps,
                       unsigned first, unsigned count)
{
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &steps[i];
        char head[32];
        int n = snprintf(head, sizeof head, "%u,%u,%u;", s->kind, s->cond, s->negate);
        sha256_update(c, head, (size_t)n);
        if (s->kind != RETORT_STEP_IF) {
            hash_str(c, s->sql);
            continue;
        }
        hash_str(c, s->schema);
        hash_str(c, s->table);
        hash_str(c, s->name);
        sha256_update(c, "{", 1);
        hash_range(c, steps, s->then_first, s->then_count);
        sha256_update(c, "}{", 2);
        hash_range(c, steps, s->else_first, s->else_count);
        sha256_update(c, "}", 1);
    }
}

static const char *checksum(arena *a, const retort_step *steps,
                            const retort_revision *r)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    char *out = arena_alloc(a, 65);
    sha256_ctx c;
    sha256_init(&c);
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
        char head[16];
        int n = snprintf(head, sizeof head, "dialect %d\n", k);
        sha256_update(&c, head, (size_t)n);
        hash_range(&c, steps, r->upgrade[k].first, r->upgrade[k].count);
    }
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    return out;
}

/* ---- the history ---- */

static const retort_revision *sort_base;

static int by_id_cmp(const void *x, const void *y)
{
    return strcmp(sort_base[*(const unsigned *)x].id, sort_base[*(const unsigned *)y].id);
}

retort_history *plan_build(arena *a, const rev_graph *g, const char *name,
                           const char *default_url)
{
    retort_history *h = arena_alloc(a, sizeof *h);
    retort_revision *revs = arena_alloc(a, sizeof *revs * ((size_t)g->count + 1));
    planner p = {a, RETORT_SQLITE, {0}};
    vec refs = {0}, labels = {0};

    for (int i = 0; i < g->count; i++) {
        const rev_node *n = &g->nodes[i];
        const ast_revision *rev = n->rev;
        retort_revision *r = &revs[i];
        r->id = rev->id.text;
        r->message = rev->message ? rev->message : "";
        r->created = rev->created ? rev->created : "";
        r->file = rev->file && rev->file->rel ? rev->file->rel : "";
        r->transactional = rev->transactional != 0;

        r->parents_first = refs.n;
        r->parents_count = (unsigned)n->parent_count;
        for (int k = 0; k < n->parent_count; k++)
            *(unsigned *)vec_push(&refs, sizeof(unsigned)) = (unsigned)n->parents[k];
        r->depends_first = refs.n;
        r->depends_count = (unsigned)n->depends_count;
        for (int k = 0; k < n->depends_count; k++)
            *(unsigned *)vec_push(&refs, sizeof(unsigned)) = (unsigned)n->depends[k];
        r->labels_first = labels.n;
        r->labels_count = (unsigned)rev->branches.count;
        for (int k = 0; k < rev->branches.count; k++)
            *(const char **)vec_push(&labels, sizeof(char *)) =
                ((const ast_name *)rev->branches.items[k])->text;

        for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
            p.d = (enum retort_dialect)k;
            r->upgrade[k] = block(&p, &rev->upgrade);
            r->downgrade[k] = block(&p, &rev->downgrade);
        }
        r->checksum = checksum(a, p.steps.v, r);
    }

    unsigned *by_id = arena_alloc(a, sizeof *by_id * ((size_t)g->count + 1));
    for (int i = 0; i < g->count; i++)
        by_id[i] = (unsigned)i;
    sort_base = revs;
    qsort(by_id, (size_t)g->count, sizeof *by_id, by_id_cmp);
    sort_base = NULL;

    unsigned *heads = arena_alloc(a, sizeof *heads * ((size_t)g->head_count + 1));
    for (int i = 0; i < g->head_count; i++)
        heads[i] = (unsigned)g->heads[i];

    h->abi = RETORT_HISTORY_ABI;
    h->name = name ? name : "";
    h->default_url = default_url;
    h->revisions = revs;
    h->revision_count = (unsigned)g->count;
    h->step_count = p.steps.n;
    h->steps = vec_to_arena(a, &p.steps, sizeof(retort_step));
    h->ref_count = refs.n;
    h->refs = vec_to_arena(a, &refs, sizeof(unsigned));
    h->label_count = labels.n;
    h->labels = vec_to_arena(a, &labels, sizeof(char *));
    h->by_id = by_id;
    h->heads = heads;
    h->head_count = (unsigned)g->head_count;
    return h;
}
