/*
 * revgraph.c: the revision graph; see revgraph.h.
 *
 * Lookups go through arrays sorted by strcmp (ids and labels), so a name
 * costs a binary search and a prefix is a lower bound plus one neighbour.
 * The order is Kahn's algorithm with a min-heap keyed by id: parents and
 * depends_on targets first, ties broken by id.  Nothing recurses, so a
 * chain of any length is fine.
 */
#include "revgraph.h"

#include <stdlib.h>
#include <string.h>

/* The lookup tables behind graph_find(), hung off rev_graph.index. */
struct graph_index {
    int *by_id;               /* node indices sorted by id */
    int count;
    const char **labels;      /* sorted */
    int *label_node;          /* the node that declares labels[i] */
    int label_count;
};

typedef struct label_ref {
    const char *label;
    int rev;                  /* input index */
    src_loc loc;
} label_ref;

/* qsort has no context argument, so the id travels with its index. */
typedef struct id_ref {
    const char *id;
    int input;
} id_ref;

static int cmp_id_ref(const void *x, const void *y)
{
    const id_ref *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    /* Equal ids keep input (file) order: the first file is the original. */
    return c ? c : a->input - b->input;
}

/* The input indices of `revs`, sorted by id, into `out`. */
static void sort_by_id(arena *a, const ptr_list *revs, int *out)
{
    int n = revs->count;
    id_ref *refs = arena_alloc(a, sizeof *refs * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        refs[i] = (id_ref){((const ast_revision *)revs->items[i])->id.text, i};
    qsort(refs, (size_t)n, sizeof *refs, cmp_id_ref);
    for (int i = 0; i < n; i++)
        out[i] = refs[i].input;
}

static int cmp_label(const void *x, const void *y)
{
    const label_ref *a = x, *b = y;
    int c = strcmp(a->label, b->label);
    return c ? c : a->rev - b->rev;
}

/* Index into `sorted` (input indices sorted by id) of exactly `id`, or
 * -1. */
static int find_exact(const ptr_list *revs, const int *sorted, int n,
                      const char *id)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const ast_revision *r = revs->items[sorted[mid]];
        int c = strcmp(r->id.text, id);
        if (c == 0)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int find_label(const label_ref *labels, int n, const char *name)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(labels[mid].label, name);
        if (c == 0)
            return labels[mid].rev;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A binary min-heap of input indices keyed by revision id. */
typedef struct heap {
    int *v;
    int n;
    const ptr_list *revs;
} heap;

static int heap_less(const heap *h, int i, int j)
{
    const ast_revision *a = h->revs->items[h->v[i]];
    const ast_revision *b = h->revs->items[h->v[j]];
    return strcmp(a->id.text, b->id.text) < 0;
}

static void heap_push(heap *h, int x)
{
    int i = h->n++;
    h->v[i] = x;
    while (i > 0 && heap_less(h, i, (i - 1) / 2)) {
        int p = (i - 1) / 2, t = h->v[p];
        h->v[p] = h->v[i];
        h->v[i] = t;
        i = p;
    }
}

static int heap_pop(heap *h)
{
    int top = h->v[0];
    h->v[0] = h->v[--h->n];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && heap_less(h, l, m))
            m = l;
        if (r < h->n && heap_less(h, r, m))
            m = r;
        if (m == i)
            break;
        int t = h->v[m];
        h->v[m] = h->v[i];
        h->v[i] = t;
        i = m;
    }
    return top;
}

/* Edges in input indices: preds[i] are the revisions that must come
 * before i (parents, then depends_on). */
typedef struct edges {
    int *parents, *depends;   /* resolved, input indices */
    int parent_count, depends_count;
} edges;

/* Resolves one parent/depends_on name to an input index: an id, else a
 * branch label (the revision that declares it).  Reports and returns -1
 * when it names nothing. */
static int resolve_ref(diag *d, const ptr_list *revs, const int *sorted,
                       int n, const label_ref *labels, int nl,
                       const ast_name *name, const char *what)
{
    int r = find_exact(revs, sorted, n, name->text);
    if (r < 0)
        r = find_label(labels, nl, name->text);
    if (r < 0)
        diag_error(d, name->loc, "%s '%s' names no revision or branch label",
                   what, name->text);
    return r;
}

/* Reports one cycle among the revisions Kahn's algorithm could not
 * place (indeg > 0), walking predecessors iteratively. */
static void report_cycle(diag *d, const ptr_list *revs, const edges *e,
                         const int *indeg, int n)
{
    int start = -1;
    for (int i = 0; i < n && start < 0; i++)
        if (indeg[i] > 0)
            start = i;
    if (start < 0)
        return;
    /* Walk backwards along unplaced predecessors until a node repeats. */
    int *seen = xcalloc((size_t)n, sizeof *seen);   /* step + 1 */
    int *path = xmalloc((size_t)n * sizeof *path);
    int len = 0, cur = start;
    while (!seen[cur]) {
        seen[cur] = ++len;
        path[len - 1] = cur;
        int next = -1;
        for (int k = 0; k < e[cur].parent_count && next < 0; k++)
            if (indeg[e[cur].parents[k]] > 0)
                next = e[cur].parents[k];
        for (int k = 0; k < e[cur].depends_count && next < 0; k++)
            if (indeg[e[cur].depends[k]] > 0)
                next = e[cur].depends[k];
        cur = next;
    }
    /* path[seen[cur]-1 .. len-1] is the cycle, child to parent.  Print
     * it parent to child, starting from the smallest id. */
    int first = seen[cur] - 1, clen = len - first;
    int best = first;
    for (int i = first; i < len; i++) {
        const ast_revision *a = revs->items[path[i]];
        const ast_revision *b = revs->items[path[best]];
        if (strcmp(a->id.text, b->id.text) < 0)
            best = i;
    }
    size_t cap = 64;
    for (int i = first; i < len; i++)
        cap += strlen(((ast_revision *)revs->items[path[i]])->id.text) + 4;
    char *msg = xmalloc(cap), *p = msg;
    p += sprintf(p, "cycle: ");
    for (int k = 0; k <= clen; k++) {
        /* parent to child is backwards along path */
        int idx = first + ((best - first) - k % clen + clen) % clen;
        const ast_revision *r = revs->items[path[idx]];
        p += sprintf(p, "%s%s", k ? " -> " : "", r->id.text);
    }
    const ast_revision *at = revs->items[path[best]];
    diag_error(d, at->id.loc, "%s", msg);
    free(msg);
    free(seen);
    free(path);
}

int graph_build(rev_graph *g, arena *a, diag *d, const ptr_list *revisions)
{
    int errors0 = d->errors;
    memset(g, 0, sizeof *g);
    g->dialects = DIALECT_SQLITE | DIALECT_POSTGRESQL;
    /* Revisions without an id were reported by the parser; leave them
     * out rather than cascade. */
    ptr_list revs = {0};
    for (int i = 0; i < revisions->count; i++) {
        ast_revision *r = revisions->items[i];
        if (r && r->id.text)
            list_push(a, &revs, r);
        else if (r)
            diag_error(d, (src_loc){r->file, 1, 1},
                       "missing 'revision' line");
    }
    int n = revs.count;

    /* Ids: sort, then reject duplicates (reported at the later file). */
    int *sorted = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    sort_by_id(a, &revs, sorted);
    int un = 0;
    for (int i = 0; i < n; i++) {
        ast_revision *r = revs.items[sorted[i]];
        if (un > 0) {
            ast_revision *p = revs.items[sorted[un - 1]];
            if (strcmp(p->id.text, r->id.text) == 0) {
                /* Same id: stable order keeps the earlier file first. */
                diag_error(d, r->id.loc, "duplicate revision id '%s'",
                           r->id.text);
                diag_note(d, p->id.loc, "'%s' is first defined in %s",
                          p->id.text, p->file ? p->file->path : "?");
                continue;
            }
        }
        sorted[un++] = sorted[i];
    }
    if (un != n) {
        /* Drop the duplicates from the graph; the error stands. */
        ptr_list kept = {0};
        char *keep = arena_alloc(a, (size_t)n + 1);
        for (int i = 0; i < un; i++)
            keep[sorted[i]] = 1;
        for (int i = 0; i < n; i++)
            if (keep[i])
                list_push(a, &kept, revs.items[i]);
        revs = kept;
        n = revs.count;
        sort_by_id(a, &revs, sorted);
    }

    /* Branch labels: one revision each. */
    int nl = 0;
    for (int i = 0; i < n; i++)
        nl += ((ast_revision *)revs.items[i])->branches.count;
    label_ref *labels = arena_alloc(a, sizeof *labels * (size_t)(nl + 1));
    nl = 0;
    for (int i = 0; i < n; i++) {
        ast_revision *r = revs.items[i];
        for (int k = 0; k < r->branches.count; k++) {
            ast_name *nm = r->branches.items[k];
            labels[nl++] = (label_ref){nm->text, i, nm->loc};
        }
    }
    qsort(labels, (size_t)nl, sizeof *labels, cmp_label);
    int ul = 0;
    for (int i = 0; i < nl; i++) {
        if (ul > 0 && strcmp(labels[ul - 1].label, labels[i].label) == 0) {
            diag_error(d, labels[i].loc, "branch label '%s' is used twice",
                       labels[i].label);
            diag_note(d, labels[ul - 1].loc, "first used here");
            continue;
        }
        if (find_exact(&revs, sorted, n, labels[i].label) >= 0) {
            diag_error(d, labels[i].loc,
                       "branch label '%s' is also a revision id",
                       labels[i].label);
            continue;
        }
        labels[ul++] = labels[i];
    }
    nl = ul;

    /* Resolve the edges. */
    edges *e = arena_alloc(a, sizeof *e * (size_t)(n + 1));
    int *indeg = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *nchild = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *nsucc = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        ast_revision *r = revs.items[i];
        e[i].parents = arena_alloc(a, sizeof(int) * (size_t)(r->parents.count + 1));
        e[i].depends = arena_alloc(a, sizeof(int) * (size_t)(r->depends_on.count + 1));
        for (int k = 0; k < r->parents.count; k++) {
            ast_name *nm = r->parents.items[k];
            int p = resolve_ref(d, &revs, sorted, n, labels, nl, nm, "parent");
            if (p < 0)
                continue;
            if (p == i) {
                diag_error(d, nm->loc, "cycle: %s -> %s", r->id.text, r->id.text);
                continue;
            }
            e[i].parents[e[i].parent_count++] = p;
            nchild[p]++;
            nsucc[p]++;
            indeg[i]++;
        }
        for (int k = 0; k < r->depends_on.count; k++) {
            ast_name *nm = r->depends_on.items[k];
            int p = resolve_ref(d, &revs, sorted, n, labels, nl, nm,
                                "depends_on");
            if (p < 0)
                continue;
            if (p == i) {
                diag_error(d, nm->loc, "cycle: %s -> %s", r->id.text, r->id.text);
                continue;
            }
            e[i].depends[e[i].depends_count++] = p;
            nsucc[p]++;
            indeg[i]++;
        }
    }
    if (d->errors != errors0)
        return -1;

    /* Successor lists (input indices) for Kahn's algorithm. */
    int **succ = arena_alloc(a, sizeof(int *) * (size_t)(n + 1));
    int *fill = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        succ[i] = arena_alloc(a, sizeof(int) * (size_t)(nsucc[i] + 1));
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < e[i].parent_count; k++)
            succ[e[i].parents[k]][fill[e[i].parents[k]]++] = i;
        for (int k = 0; k < e[i].depends_count; k++)
            succ[e[i].depends[k]][fill[e[i].depends[k]]++] = i;
    }
    heap h = {arena_alloc(a, sizeof(int) * (size_t)(n + 1)), 0, &revs};
    for (int i = 0; i < n; i++)
        if (indeg[i] == 0)
            heap_push(&h, i);
    int *order = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int *pos = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    int placed = 0;
    while (h.n > 0) {
        int x = heap_pop(&h);
        pos[x] = placed;
        order[placed++] = x;
        for (int k = 0; k < nsucc[x]; k++)
            if (--indeg[succ[x][k]] == 0)
                heap_push(&h, succ[x][k]);
    }
    if (placed < n) {
        report_cycle(d, &revs, e, indeg, n);
        return -1;
    }

    /* The nodes, in order, with indices translated to positions. */
    g->count = n;
    g->nodes = arena_alloc(a, sizeof *g->nodes * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int x = order[i];
        rev_node *nd = &g->nodes[i];
        nd->rev = revs.items[x];
        nd->parent_count = e[x].parent_count;
        nd->parents = arena_alloc(a, sizeof(int) * (size_t)(nd->parent_count + 1));
        for (int k = 0; k < nd->parent_count; k++)
            nd->parents[k] = pos[e[x].parents[k]];
        nd->depends_count = e[x].depends_count;
        nd->depends = arena_alloc(a, sizeof(int) * (size_t)(nd->depends_count + 1));
        for (int k = 0; k < nd->depends_count; k++)
            nd->depends[k] = pos[e[x].depends[k]];
        nd->children = arena_alloc(a, sizeof(int) * (size_t)(nchild[x] + 1));
    }
    for (int i = 0; i < n; i++) {
        rev_node *nd = &g->nodes[i];
        for (int k = 0; k < nd->parent_count; k++) {
            rev_node *p = &g->nodes[nd->parents[k]];
            p->children[p->child_count++] = i;   /* ascending: i grows */
        }
    }
    g->heads = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        if (g->nodes[i].child_count == 0)
            g->heads[g->head_count++] = i;

    /* Lookup tables in node positions. */
    struct graph_index *ix = arena_alloc(a, sizeof *ix);
    ix->count = n;
    ix->by_id = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        ix->by_id[i] = pos[sorted[i]];
    ix->label_count = nl;
    ix->labels = arena_alloc(a, sizeof(char *) * (size_t)(nl + 1));
    ix->label_node = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
    for (int i = 0; i < nl; i++) {
        ix->labels[i] = labels[i].label;
        ix->label_node[i] = pos[labels[i].rev];
    }
    g->index = ix;
    return 0;
}

/* The head reached from node `x` (a branch label's revision): its
 * descendants' heads; -2 when there are several. */
static int branch_head(const rev_graph *g, int x)
{
    /* Descendants come after x in topological order, so one forward pass
     * marks them all. */
    char *mark = xcalloc((size_t)g->count, 1);
    mark[x] = 1;
    int head = -1;
    for (int i = x; i < g->count; i++) {
        if (!mark[i])
            continue;
        const rev_node *nd = &g->nodes[i];
        for (int k = 0; k < nd->child_count; k++)
            mark[nd->children[k]] = 1;
        if (nd->child_count == 0)
            head = head == -1 ? i : -2;
    }
    free(mark);
    return head;
}

int graph_find(const rev_graph *g, const char *name)
{
    const struct graph_index *ix = g->index;
    if (!ix || !name || !*name)
        return -1;
    /* Lower bound of `name` among ids. */
    int lo = 0, hi = ix->count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(g->nodes[ix->by_id[mid]].rev->id.text, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t len = strlen(name);
    if (lo < ix->count &&
        strcmp(g->nodes[ix->by_id[lo]].rev->id.text, name) == 0)
        return ix->by_id[lo];
    for (int i = 0; i < ix->label_count; i++)
        if (strcmp(ix->labels[i], name) == 0)
            return branch_head(g, ix->label_node[i]);
    if (lo < ix->count) {
        const char *id = g->nodes[ix->by_id[lo]].rev->id.text;
        if (strncmp(id, name, len) == 0) {
            /* A prefix: unique unless the next id shares it too. */
            if (lo + 1 < ix->count &&
                strncmp(g->nodes[ix->by_id[lo + 1]].rev->id.text, name, len) == 0)
                return -2;
            return ix->by_id[lo];
        }
    }
    return -1;
}
