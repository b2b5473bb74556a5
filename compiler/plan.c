/*
 * plan.c: the compiled history in memory (retort/history.h).
 *
 * Each revision's upgrade and downgrade is rendered for every dialect into
 * one flat steps[] array.  A script is a contiguous run of top-level steps;
 * an `if` becomes a RETORT_STEP_IF whose then/else ranges were appended
 * earlier (blocks are finished inside-out, so nested ranges always precede
 * the block that refers to them).  `dialect` conditions are decided here,
 * per dialect, and leave no trace in the output.
 *
 * Every string goes into one pool, `strings`, and the arrays hold offsets
 * into it (retort/history.h); migrations.c (emit.c) lays the same
 * strings out its own way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "plan.h"
#include "render.h"
#include "schema.h"
#include "checksum.h"
#include "dialect.h"
#include "sha256.h"
#include "snapshot.h"
#include "strbuf.h"

/* A malloc'd vector; the finished arrays are copied into the arena. */
typedef struct vec {
    void *v;
    unsigned n, cap;
} vec;

static void *vec_push(vec *x, size_t size)
{
    if (x->n == x->cap) {
        unsigned cap = x->cap ? x->cap * 2 : 64;
        x->v = xrealloc(x->v, size * cap);
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

/* The offset of a copy of s, NUL included, in the string pool;
 * RETORT_NO_STRING for NULL. */
static unsigned pool_add(strbuf *x, const char *s)
{
    if (!s)
        return RETORT_NO_STRING;
    size_t len = strlen(s) + 1, at = x->len;
    if (at + len >= RETORT_NO_STRING) {
        fprintf(stderr, "retort: the history's strings exceed 4 GiB\n");
        exit(1);
    }
    sb_putn(x, s, len);
    return (unsigned)at;
}

typedef struct planner {
    arena *a;
    enum retort_dialect d;
    vec steps;                /* retort_step */
    strbuf strings;          /* the string pool */
    ptr_list calls;           /* const char*: each function `call` names,
                                 in order of first use (retort_step.call) */
} planner;

/* The index of function `name` in the history's calls[], added on first
 * use: one entry per distinct function, however many steps call it. */
static unsigned call_index(planner *p, const char *name)
{
    for (int i = 0; i < p->calls.count; i++)
        if (strcmp(p->calls.items[i], name) == 0)
            return (unsigned)i;
    list_push(p->a, &p->calls, (void *)name);
    return (unsigned)p->calls.count - 1;
}

static retort_script block(planner *p, const ptr_list *stmts);

/* The render_sql* of `out` as steps appended to `local`. */
static void push_rendered(planner *p, vec *local, const ptr_list *out)
{
    for (int i = 0; i < out->count; i++) {
        const render_sql *r = out->items[i];
        retort_step *s = vec_push(local, sizeof *s);
        s->kind = r->expect_empty ? RETORT_STEP_EXPECT_EMPTY : RETORT_STEP_SQL;
        s->sql = pool_add(&p->strings, r->sql);
        s->schema = s->table = s->name = s->alias = RETORT_NO_STRING;
    }
}

static void push_sql(planner *p, vec *local, const ast_stmt *st)
{
    ptr_list out = {0};
    render_stmt(p->a, p->d, st, &out);
    push_rendered(p, local, &out);
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

/* Where the dialect has no ADD COLUMN IF NOT EXISTS nor DROP COLUMN IF
 * EXISTS (SQLite), those become an IF on the live column. */
static int guarded(const planner *p, const ast_stmt *st)
{
    return !dialect_get(p->d)->add_column_if_not_exists &&
           ((st->kind == ST_ADD_COLUMN && st->if_not_exists) ||
            (st->kind == ST_DROP_COLUMN && st->if_exists));
}

/* The condition as written: "not table_exists t". */
static const char *cond_text(arena *a, const ast_cond *k)
{
    const char *neg = k->negate ? "not " : "";
    const char *q = k->table.name.text
        ? (k->table.schema.text
           ? arena_printf(a, "%s.%s", k->table.schema.text, k->table.name.text)
           : k->table.name.text)
        : "";
    switch (k->kind) {
    case COND_TABLE_EXISTS:
        return arena_printf(a, "%stable_exists %s", neg, q);
    case COND_COLUMN_EXISTS:
        return arena_printf(a, "%scolumn_exists %s %s", neg, q, k->name.text);
    case COND_INDEX_EXISTS:
        return arena_printf(a, "%sindex_exists %s", neg, k->name.text);
    case COND_CONSTRAINT_EXISTS:
        return arena_printf(a, "%sconstraint_exists %s on %s", neg,
                            k->name.text, q);
    case COND_DIALECT:
        break;
    }
    return arena_printf(a, "%sdialect", neg);
}

static void collect(planner *p, vec *local, const ptr_list *stmts)
{
    for (int i = 0; i < stmts->count; i++) {
        const ast_stmt *st = stmts->items[i];
        if (st->kind == ST_IF && st->cond.kind == COND_DIALECT) {
            int holds = (st->cond.dialect & dialect_get(p->d)->mask) != 0;
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
            s->sql = RETORT_NO_STRING;
            s->schema = pool_add(&p->strings, st->cond.table.schema.text);
            s->table = pool_add(&p->strings, st->cond.table.name.text);
            s->name = pool_add(&p->strings, st->cond.name.text);
            s->alias = st->cond.text_name &&
                       !dialect_get(p->d)->stores_default_names
                ? pool_add(&p->strings, st->cond.text_name) : RETORT_NO_STRING;
            if (st->cond.branch_key || st->cond.replay)
                s->sql = pool_add(&p->strings,
                                  arena_printf(p->a, "%d", st->cond.branch_key));
            if (st->cond.replay) {
                /* The upgrade's branch, not the condition: see history.h. */
                s->cond = RETORT_COND_RECORDED;
                s->negate = 0;
                s->schema = s->table = s->alias = RETORT_NO_STRING;
                s->name = pool_add(&p->strings, cond_text(p->a, &st->cond));
            }
            s->then_first = then.first;
            s->then_count = then.count;
            s->else_first = els.first;
            s->else_count = els.count;
        } else if (st->kind == ST_CALL) {
            retort_step *s = vec_push(local, sizeof *s);
            s->kind = RETORT_STEP_CALL;
            s->sql = s->schema = s->table = s->alias = RETORT_NO_STRING;
            s->name = pool_add(&p->strings, st->name.text);
            s->call = call_index(p, st->name.text);
        } else if (guarded(p, st)) {
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
            s->sql = RETORT_NO_STRING;
            s->schema = pool_add(&p->strings, st->table.schema.text);
            s->table = pool_add(&p->strings, st->table.name.text);
            s->name = pool_add(&p->strings, col);
            s->alias = RETORT_NO_STRING;
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

/* A render_settings() list as SQL steps. */
static void push_settings(planner *p, vec *local, const ast_revision *rev,
                          int begin)
{
    ptr_list out = {0};
    render_settings(p->a, p->d, rev, begin, &out);
    push_rendered(p, local, &out);
}

/* One direction of a revision: its statements between the revision's
 * settings and their reset.  An empty script stays empty. */
static retort_script revision_script(planner *p, const ast_revision *rev,
                                     const ptr_list *stmts)
{
    vec local = {0};
    push_settings(p, &local, rev, 1);
    unsigned settings = local.n;
    collect(p, &local, stmts);
    if (local.n == settings)
        local.n = 0;
    else
        push_settings(p, &local, rev, 0);
    return commit_range(p, &local);
}

/* ---- the ABI 2 checksum ----
 *
 * Databases that an ABI 2 migrator moved hold this form: a hash of the
 * rendered SQL of every dialect.  It is still computed, so that the runtime
 * can recognise such a row and replace it with the per-dialect form
 * (compiler/checksum.c); nothing else uses it. */

static void hash_str(sha256_ctx *c, const char *strings, unsigned off)
{
    const char *s = off == RETORT_NO_STRING ? NULL : strings + off;
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
                       const char *strings, unsigned first, unsigned count)
{
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &steps[i];
        char head[32];
        int n = snprintf(head, sizeof head, "%u,%u,%u;", s->kind, s->cond, s->negate);
        sha256_update(c, head, (size_t)n);
        if (s->kind == RETORT_STEP_CALL) {
            hash_str(c, strings, s->name);
            continue;
        }
        if (s->kind != RETORT_STEP_IF) {
            hash_str(c, strings, s->sql);
            continue;
        }
        hash_str(c, strings, s->schema);
        hash_str(c, strings, s->table);
        hash_str(c, strings, s->name);
        sha256_update(c, "{", 1);
        hash_range(c, steps, strings, s->then_first, s->then_count);
        sha256_update(c, "}{", 2);
        hash_range(c, steps, strings, s->else_first, s->else_count);
        sha256_update(c, "}", 1);
    }
}

static unsigned legacy_checksum(strbuf *strings, const retort_step *steps,
                         const retort_revision *r)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    char out[65];
    sha256_ctx c;
    sha256_init(&c);
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
        char head[16];
        int n = snprintf(head, sizeof head, "dialect %d\n", k);
        sha256_update(&c, head, (size_t)n);
        hash_range(&c, steps, strings->p, r->upgrade[k].first, r->upgrade[k].count);
    }
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return pool_add(strings, out);
}

/* ---- the history ---- */

static const retort_revision *sort_base;
static const char *sort_strings;

static int by_id_cmp(const void *x, const void *y)
{
    return strcmp(sort_strings + sort_base[*(const unsigned *)x].id,
                  sort_strings + sort_base[*(const unsigned *)y].id);
}

/* expect.c's sink: strings into the pool, facts into facts[]. */
typedef struct fact_sink {
    strbuf *strings;
    vec facts;                /* retort_fact */
} fact_sink;

static unsigned sink_str(void *ctx, const char *s)
{
    return pool_add(((fact_sink *)ctx)->strings, s);
}

static void sink_fact(void *ctx, const retort_fact *f)
{
    *(retort_fact *)vec_push(&((fact_sink *)ctx)->facts, sizeof *f) = *f;
}

/* The fold point's snapshot (snapshot.h) as steps of each targeted
 * dialect, appended to steps[]; 0 snapshots when no prefix folds. */
static retort_snapshot *plan_snapshot(planner *p, const rev_graph *g, int at,
                                      const schema *kept, unsigned *n)
{
    retort_snapshot *snap;
    *n = 0;
    if (at < 0 || !kept)
        return NULL;
    snap = arena_alloc(p->a, sizeof *snap);
    snap->revision = (unsigned)at;
    snap->count = (unsigned)at + 1;
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
        ptr_list out = {0};
        vec local = {0};
        snap->script[k].first = p->steps.n;
        snap->script[k].count = 0;
        if (!(g->dialects & dialect_get((enum retort_dialect)k)->mask))
            continue;
        snapshot_statements(p->a, g, at, kept, (enum retort_dialect)k, &out);
        push_rendered(p, &local, &out);
        snap->script[k] = commit_range(p, &local);
    }
    *n = 1;
    return snap;
}

static retort_history *build(arena *a, const rev_graph *g, const char *name,
                             const char *default_url, int at, const schema *kept)
{
    retort_history *h = arena_alloc(a, sizeof *h);
    retort_revision *revs = arena_alloc(a, sizeof *revs * ((size_t)g->count + 1));
    planner p = {a, RETORT_SQLITE, {0}, {0}, {0}};
    vec refs = {0}, labels = {0};
    expect *ex = expect_new(a);
    fact_sink fs = {&p.strings, {0}};
    expect_sink sink = {&fs, sink_str, sink_fact};

    for (int i = 0; i < g->count; i++) {
        const rev_node *n = &g->nodes[i];
        const ast_revision *rev = n->rev;
        retort_revision *r = &revs[i];
        r->id = pool_add(&p.strings, rev->id.text);
        r->message = pool_add(&p.strings, rev->message ? rev->message : "");
        r->created = pool_add(&p.strings, rev->created ? rev->created : "");
        r->file = pool_add(&p.strings, rev->file && rev->file->rel ? rev->file->rel : "");
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
            *(unsigned *)vec_push(&labels, sizeof(unsigned)) = pool_add(
                &p.strings, ((const ast_name *)rev->branches.items[k])->text);

        for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
            p.d = (enum retort_dialect)k;
            if (!(g->dialects & dialect_get(p.d)->mask))
                continue;     /* not targeted (retort.conf): no scripts */
            r->upgrade[k] = revision_script(&p, rev, &rev->upgrade);
            r->downgrade[k] = revision_script(&p, rev, &rev->downgrade);
        }
        r->legacy_checksum = legacy_checksum(&p.strings, p.steps.v, r);
        for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
            char sum[65];
            checksum_revision(a, rev, (enum retort_dialect)k, sum);
            r->checksum[k] = pool_add(&p.strings, sum);
        }
        r->pg_facts_first = fs.facts.n;
        expect_revision(ex, rev, &sink);
        r->pg_facts_count = fs.facts.n - r->pg_facts_first;
        r->schema_known = rev->schema_check != 0;
    }

    h->snapshot_count = 0;
    h->snapshots = plan_snapshot(&p, g, at, kept, &h->snapshot_count);

    unsigned *by_id = arena_alloc(a, sizeof *by_id * ((size_t)g->count + 1));
    for (int i = 0; i < g->count; i++)
        by_id[i] = (unsigned)i;
    sort_base = revs;
    sort_strings = p.strings.p;
    qsort(by_id, (size_t)g->count, sizeof *by_id, by_id_cmp);
    sort_base = NULL;
    sort_strings = NULL;

    unsigned *heads = arena_alloc(a, sizeof *heads * ((size_t)g->head_count + 1));
    for (int i = 0; i < g->head_count; i++)
        heads[i] = (unsigned)g->heads[i];

    h->abi = RETORT_HISTORY_ABI;
    h->name = name ? name : "";
    h->default_url = default_url;
    h->strings = sb_finish(a, &p.strings);
    h->revisions = revs;
    h->revision_count = (unsigned)g->count;
    h->step_count = p.steps.n;
    h->steps = vec_to_arena(a, &p.steps, sizeof(retort_step));
    h->ref_count = refs.n;
    h->refs = vec_to_arena(a, &refs, sizeof(unsigned));
    h->label_count = labels.n;
    h->labels = vec_to_arena(a, &labels, sizeof(unsigned));
    h->by_id = by_id;
    h->heads = heads;
    h->head_count = (unsigned)g->head_count;
    h->fact_count = fs.facts.n;
    h->facts = vec_to_arena(a, &fs.facts, sizeof(retort_fact));
    h->dialects = 0;
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++)
        if (g->dialects & dialect_get((enum retort_dialect)k)->mask)
            h->dialects |= 1u << k;
    if (h->dialects == (1u << RETORT_DIALECT_COUNT) - 1)
        h->dialects = 0;
    h->version_table = g->version_table;
    /* The functions themselves are the application's: only migrations.c
     * (emit.c) can point at them. */
    h->calls = NULL;
    h->call_count = (unsigned)p.calls.count;
    return h;
}

retort_history *plan_build(arena *a, const rev_graph *g, const char *name,
                           const char *default_url)
{
    return build(a, g, name, default_url, -1, NULL);
}

retort_history *plan_build_snapshot(arena *a, const rev_graph *g, const char *name,
                                    const char *default_url, int at, const schema *kept)
{
    return build(a, g, name, default_url, at, kept);
}
