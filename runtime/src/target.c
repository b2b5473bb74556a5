/* target.c: turning the TARGET words of SPEC section 6 into the revisions
 * a command moves, with Alembic's meaning (docs/alembic-compat.md).
 *
 * Every command goes through rt_target_select(): upgrade, downgrade and
 * the offline scripts ask it which revisions to run from a state (the
 * version rows and what they imply), stamp asks rt_target_upgrade() which
 * revisions a target names.  A TARGET is parsed once, as Alembic's
 * `(LABEL@)?(SYMBOL)?([+-]N)` for relative forms and `LABEL@SYMBOL`
 * otherwise; "lineage" is Alembic's: the ancestors and descendants of a
 * revision through parents only (a depends_on edge is no branch). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Appends "a, b, c" of revisions to buf (bounded, with "..." when long). */
static void list_ids(const retort_history *h, const unsigned *revs,
                     unsigned n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
                         rt_str(h, h->revisions[revs[i]].id));
        if (w < 0 || (size_t)w >= cap - len) {
            if (cap > 4)
                memcpy(buf + cap - 4, "...", 4);
            return;
        }
        len += (size_t)w;
    }
}

/* The revision carrying branch label label[0..n), or -1 (a pass over all). */
static long label_find(const retort_history *h, const char *label, size_t n)
{
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        for (unsigned k = 0; k < v->labels_count; k++) {
            const char *l = rt_str(h, h->labels[v->labels_first + k]);
            if (strlen(l) == n && strncmp(l, label, n) == 0)
                return (long)i;
        }
    }
    return -1;
}

/* Marks in `mark` the lineage of revision b: b, its ancestors and its
 * descendants through parents only. */
static void lineage(const retort_history *h, unsigned b, unsigned char *mark)
{
    unsigned char *up = calloc(h->revision_count + 1, 1);
    if (!up)
        return;   /* callers treat an empty lineage as "no revision" */
    up[b] = 1;
    rt_graph_close_ancestors(h, up, b, 0);
    memset(mark, 0, h->revision_count);
    mark[b] = 1;
    rt_graph_close_descendants(h, mark, b, 0);
    for (unsigned i = 0; i <= b; i++)
        mark[i] |= up[i];
    free(up);
}

/* The parsed form of a TARGET. */
typedef struct tparse {
    char label[64];            /* LABEL of LABEL@..., or "" */
    char symbol[64];           /* the revision part, or "" */
    long rel;                  /* +N / -N; 0 when absolute */
} tparse;

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* Splits text as Alembic does: a relative form `(LABEL@)?(SYMBOL)?[+-]N`,
 * else `LABEL@SYMBOL` (the last '@') or a bare SYMBOL. */
static int parse_target(retort *r, const char *text, tparse *t)
{
    const char *at = strchr(text, '@'), *s = at ? at + 1 : text, *p = s;
    memset(t, 0, sizeof *t);
    if (strlen(text) >= sizeof t->label)
        return rt_fail(r, RETORT_EUSAGE, "unknown revision '%.60s...'", text);
    while (is_word(*p))
        p++;
    if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9') {
        char *end;
        long n = strtol(p + 1, &end, 10);
        if (*end == '\0') {
            if (at)
                memcpy(t->label, text, (size_t)(at - text));
            memcpy(t->symbol, s, (size_t)(p - s));
            t->rel = *p == '-' ? -n : n;
            if (n == 0)
                return rt_fail(r, RETORT_EUSAGE, "'%s': a relative target needs N > 0", text);
            return 0;
        }
    }
    at = strrchr(text, '@');
    if (at) {
        memcpy(t->label, text, (size_t)(at - text));
        snprintf(t->symbol, sizeof t->symbol, "%s", at + 1);
    } else {
        snprintf(t->symbol, sizeof t->symbol, "%s", text);
    }
    return 0;
}

/* The revision a LABEL of LABEL@... stands for: a branch label's revision,
 * else (Alembic's REV@head) a revision id or prefix. */
static int branch_rev(retort *r, const char *label, unsigned *out)
{
    long l = label_find(r->h, label, strlen(label));
    if (l >= 0) {
        *out = (unsigned)l;
        return 0;
    }
    if (rt_target_one(r, label, out) < 0)
        return rt_fail(r, RETORT_EUSAGE, "no such branch: '%s'", label);
    return 0;
}

int rt_target_one(retort *r, const char *text, unsigned *out)
{
    const retort_history *h = r->h;
    unsigned lo, hi, n = 0, hit = 0;
    long i = rt_graph_find(h, text);
    char list[512];
    if (i >= 0) {
        *out = (unsigned)i;
        return 0;
    }
    if (strcmp(text, "head") == 0) {
        if (h->head_count == 1) {
            *out = h->heads[0];
            return 0;
        }
        if (h->head_count == 0)
            return rt_fail(r, RETORT_EUSAGE, "the history has no revisions");
        list_ids(h, h->heads, h->head_count, list, sizeof list);
        return rt_fail(r, RETORT_EUSAGE,
                       "multiple heads (%s): name one, or use 'heads'", list);
    }
    /* An exact branch label wins over an id prefix, as in Alembic. */
    i = label_find(h, text, strlen(text));
    if (i >= 0) {
        *out = (unsigned)i;
        return 0;
    }
    if (*text && !strchr(text, '@')) {
        /* Alembic matches a prefix against the ids and branch labels
         * longer than 3 characters. */
        size_t tl = strlen(text);
        rt_graph_prefix(h, text, &lo, &hi);
        for (unsigned k = lo; k < hi; k++)
            if (strlen(rt_str(h, h->revisions[h->by_id[k]].id)) > 3) {
                hit = h->by_id[k];
                n++;
            }
        for (unsigned x = 0; x < h->revision_count; x++) {
            const retort_revision *v = &h->revisions[x];
            for (unsigned k = 0; k < v->labels_count; k++) {
                const char *l = rt_str(h, h->labels[v->labels_first + k]);
                if (strlen(l) > 3 && strncmp(l, text, tl) == 0) {
                    hit = x;
                    n++;
                }
            }
        }
        if (n == 1) {
            *out = hit;
            return 0;
        }
        if (n > 1) {
            list_ids(h, h->by_id + lo, hi - lo, list, sizeof list);
            return rt_fail(r, RETORT_EUSAGE,
                           "ambiguous revision prefix '%s': matches %s",
                           text, list);
        }
    }
    return rt_fail(r, RETORT_EUSAGE, "unknown revision '%s'", text);
}

/* Whether x is one of the version rows. */
static int is_row(const rt_state *s, unsigned x)
{
    for (unsigned i = 0; s && i < s->nrows; i++)
        if (s->rows[i] == x)
            return 1;
    return 0;
}

/* Marks in `mark` the heads (parents only) in the lineage of b; returns
 * how many, the last one in *one. */
static unsigned heads_in_lineage(retort *r, unsigned b, unsigned char *mark,
                                 unsigned *one)
{
    const retort_history *h = r->h;
    unsigned char *lin = calloc(h->revision_count + 1, 1);
    unsigned n = 0;
    if (!lin)
        return 0;
    lineage(h, b, lin);
    for (unsigned i = 0; i < h->head_count; i++)
        if (lin[h->heads[i]]) {
            mark[h->heads[i]] = 1;
            *one = h->heads[i];
            n++;
        }
    free(lin);
    return n;
}

/* One revision named by SYMBOL within LABEL (either may be ""); -1 with
 * *base for "base". */
static int resolve_symbol(retort *r, const tparse *t, int *base, unsigned *out)
{
    unsigned b, n;
    unsigned char *mark;
    *base = 0;
    if (strcmp(t->symbol, "base") == 0) {
        *base = 1;
        return 0;
    }
    if (!t->label[0])
        return rt_target_one(r, t->symbol, out);
    if (branch_rev(r, t->label, &b) < 0)
        return RETORT_EUSAGE;
    if (strcmp(t->symbol, "head") == 0) {
        mark = calloc(r->h->revision_count + 1, 1);
        if (!mark)
            return rt_fail(r, RETORT_ENOMEM, "out of memory");
        n = heads_in_lineage(r, b, mark, out);
        free(mark);
        if (n != 1)
            return rt_fail(r, RETORT_EUSAGE, "'%s@head' names %s", t->label,
                           n ? "several heads" : "no head");
        return 0;
    }
    if (rt_target_one(r, t->symbol, out) < 0)
        return RETORT_EUSAGE;
    mark = calloc(r->h->revision_count + 1, 1);
    if (!mark)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    lineage(r->h, b, mark);
    n = mark[*out];
    free(mark);
    if (!n)
        return rt_fail(r, RETORT_EUSAGE, "'%s@%s': revision %s is not a member "
                       "of branch '%s'", t->label, t->symbol,
                       rt_str(r->h, r->h->revisions[*out].id), t->label);
    return 0;
}

/* Walks `steps` children up from `from` (-1: base), each step the only
 * child (through parents) in the lineage of `within` (-1: anywhere). */
static int walk_up(retort *r, long from, long steps, long within,
                   const char *text, unsigned *out)
{
    const retort_history *h = r->h;
    unsigned char *lin = calloc(h->revision_count + 1, 1);
    int rc = 0;
    if (!lin)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    if (within >= 0)
        lineage(h, (unsigned)within, lin);
    for (long step = 0; step < steps && rc == 0; step++) {
        long next = -1;
        unsigned count = 0;
        for (unsigned i = from < 0 ? 0 : (unsigned)from + 1; i < h->revision_count; i++) {
            const retort_revision *v = &h->revisions[i];
            int child = from < 0 && v->parents_count == 0;
            for (unsigned k = 0; k < v->parents_count && !child; k++)
                child = (long)h->refs[v->parents_first + k] == from;
            if (child && (within < 0 || lin[i]) && count++ == 0)
                next = (long)i;
        }
        if (count == 0)
            rc = rt_fail(r, RETORT_EUSAGE, "relative target '%s' goes beyond the head", text);
        else if (count > 1)
            rc = rt_fail(r, RETORT_EUSAGE, "relative target '%s' is ambiguous: %s has %u children",
                         text, from < 0 ? "base" : rt_str(h, h->revisions[from].id), count);
        from = next;
    }
    free(lin);
    if (rc == 0)
        *out = (unsigned)from;
    return rc;
}

/* Walks `steps` parents down from `from`; *base when the walk ends just
 * below a root.  At a merge the walk takes the first parent, so that -1
 * from a merge unapplies the merge (Alembic calls it an ambiguous walk;
 * docs/alembic-compat.md). */
static int walk_down(retort *r, unsigned from, long steps, const char *text,
                     int *base, unsigned *out)
{
    const retort_history *h = r->h;
    *base = 0;
    for (long step = 0; step < steps; step++) {
        const retort_revision *v = &h->revisions[from];
        if (*base)
            return rt_fail(r, RETORT_EUSAGE, "relative target '%s' goes beyond base", text);
        if (v->parents_count == 0)
            *base = 1;
        else
            from = h->refs[v->parents_first];
    }
    *out = from;
    return 0;
}

/* The one current row in the lineage of `b` (-1: any), for a relative
 * target; -1 in *out when the database is at base. */
static int current_in(retort *r, const rt_state *s, long b, const char *text, long *out)
{
    unsigned char *lin = calloc(r->h->revision_count + 1, 1);
    unsigned n = 0, found[2] = {0, 0};
    char list[512];
    if (!lin)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    if (b >= 0)
        lineage(r->h, (unsigned)b, lin);
    for (unsigned i = 0; s && i < s->nrows; i++)
        if (b < 0 || lin[s->rows[i]]) {
            if (n < 2)
                found[n] = s->rows[i];
            n++;
        }
    free(lin);
    *out = n ? (long)found[0] : -1;
    if (n > 1) {
        list_ids(r->h, s->rows, s->nrows, list, sizeof list);
        return rt_fail(r, RETORT_EUSAGE,
                       "'%s' is ambiguous: the database is at several heads (%s)",
                       text, list);
    }
    return 0;
}

/* The one current revision on the branch of label b for LABEL@+N: a row
 * in its lineage, else the newest applied revision of the branch, else
 * base (-1). */
static int current_on_branch(retort *r, const rt_state *s, unsigned b,
                             const char *text, long *out)
{
    const retort_history *h = r->h;
    unsigned char *lin;
    int rc = current_in(r, s, (long)b, text, out);
    if (rc < 0 || *out >= 0 || !s || s->nrows == 0)
        return rc;
    lin = calloc(h->revision_count + 1, 1);
    if (!lin)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    lineage(h, b, lin);
    for (unsigned i = 0; i < h->revision_count; i++)
        if (lin[i] && s->applied[i])
            *out = (long)i;   /* ancestors come first: the last is the tip */
    free(lin);
    return 0;
}

int rt_target_upgrade(retort *r, const char *text, const rt_state *s,
                      unsigned char *mark)
{
    const retort_history *h = r->h;
    tparse t;
    unsigned rev, b = 0;
    long from = -1;
    int rc, base;
    if ((rc = parse_target(r, text, &t)) < 0)
        return rc;
    if (t.label[0] && (rc = branch_rev(r, t.label, &b)) < 0)
        return rc;
    if (t.rel < 0) {
        if (!t.symbol[0])
            return rt_fail(r, RETORT_EUSAGE,
                           "upgrade to '%s': a relative upgrade is written +N", text);
        tparse one = t;
        one.rel = 0;
        if ((rc = resolve_symbol(r, &one, &base, &rev)) < 0)
            return rc;
        if (base)
            return rt_fail(r, RETORT_EUSAGE, "relative target '%s' goes beyond base", text);
        if ((rc = walk_down(r, rev, -t.rel, text, &base, &rev)) < 0)
            return rc;
        if (!base)
            mark[rev] = 1;
        return 0;
    }
    if (t.rel > 0) {
        if (t.symbol[0]) {
            tparse one = t;
            one.rel = 0;
            one.label[0] = '\0';
            if ((rc = resolve_symbol(r, &one, &base, &rev)) < 0)
                return rc;
            from = base ? -1 : (long)rev;
        } else if (t.label[0]) {
            rc = current_on_branch(r, s, b, text, &from);
        } else {
            rc = current_in(r, s, -1, text, &from);
        }
        if (rc == 0)
            rc = walk_up(r, from, t.rel, t.label[0] ? (long)b : -1, text, &rev);
        if (rc == 0)
            mark[rev] = 1;
        return rc;
    }
    if (strcmp(t.symbol, "heads") == 0) {
        /* Alembic's `heads`: the heads nothing depends on (the others
         * come with them). */
        if (t.label[0]) {
            if (heads_in_lineage(r, b, mark, &rev) == 0)
                return rt_fail(r, RETORT_EUSAGE, "'%s' names no head", text);
        } else {
            unsigned char *dep = calloc(h->revision_count + 1, 1);
            if (!dep)
                return rt_fail(r, RETORT_ENOMEM, "out of memory");
            for (unsigned i = 0; i < h->revision_count; i++)
                for (unsigned k = 0; k < h->revisions[i].depends_count; k++)
                    dep[h->refs[h->revisions[i].depends_first + k]] = 1;
            for (unsigned i = 0; i < h->head_count; i++)
                mark[h->heads[i]] = !dep[h->heads[i]];
            free(dep);
        }
        return 0;
    }
    if (strcmp(t.symbol, "head") == 0 && !t.label[0] && h->head_count == 0)
        return 0;
    if ((rc = resolve_symbol(r, &t, &base, &rev)) < 0)
        return rc;
    if (!base)
        mark[rev] = 1;
    return 0;
}

/* The downgrade target of `text`: *base, or *out; *branch is the revision
 * whose lineage picks among several children (-1: none). */
static int downgrade_target(retort *r, const char *text, const rt_state *s,
                            int *base, unsigned *out, long *branch)
{
    tparse t;
    unsigned b = 0, rev;
    long from;
    int rc;
    *branch = -1;
    if ((rc = parse_target(r, text, &t)) < 0)
        return rc;
    if (t.label[0]) {
        if ((rc = branch_rev(r, t.label, &b)) < 0)
            return rc;
        *branch = (long)b;
    }
    if (t.rel > 0) {
        if (!t.symbol[0])
            return rt_fail(r, RETORT_EUSAGE,
                           "downgrade to '%s': a relative downgrade is written -N", text);
        tparse one = t;
        one.rel = 0;
        one.label[0] = '\0';
        if ((rc = resolve_symbol(r, &one, base, &rev)) < 0)
            return rc;
        from = *base ? -1 : (long)rev;
        *base = 0;
        return walk_up(r, from, t.rel, t.label[0] ? (long)b : -1, text, out);
    }
    if (t.rel < 0) {
        if (t.symbol[0]) {
            tparse one = t;
            one.rel = 0;
            if ((rc = resolve_symbol(r, &one, base, &rev)) < 0)
                return rc;
            if (*base)
                return rt_fail(r, RETORT_EUSAGE, "relative target '%s' goes beyond base", text);
        } else {
            rc = t.label[0] ? current_on_branch(r, s, b, text, &from)
                            : current_in(r, s, -1, text, &from);
            if (rc < 0)
                return rc;
            if (from < 0)
                return rt_fail(r, RETORT_EUSAGE,
                               "relative target '%s': nothing is applied%s", text,
                               t.label[0] ? " on that branch" : "");
            rev = (unsigned)from;
            if (!t.label[0])
                *branch = from;
        }
        return walk_down(r, rev, -t.rel, text, base, out);
    }
    /* Alembic's downgrade reads LABEL@REV as REV, the label only
     * picking among REV's children. */
    if (t.label[0] && strcmp(t.symbol, "head") != 0 && strcmp(t.symbol, "base") != 0) {
        t.label[0] = '\0';
        if (strcmp(t.symbol, "heads") == 0)
            return rt_fail(r, RETORT_EUSAGE, "'%s' names no single revision", text);
    }
    return resolve_symbol(r, &t, base, out);
}

/* Marks in sel the applied descendants (parents and depends_on) of the
 * marked roots. */
static void applied_below(const retort_history *h, const rt_state *s,
                          unsigned char *sel)
{
    rt_graph_close_descendants(h, sel, 0, 1);
    for (unsigned i = 0; i < h->revision_count; i++)
        sel[i] = sel[i] && s->applied[i];
}

/* Downgrade: Alembic unapplies the children of the target through
 * parents, and everything built on them (depends_on included); a
 * revision that only depends on the target stays. */
static int select_down(retort *r, const char *text, const rt_state *s,
                       unsigned char *sel)
{
    const retort_history *h = r->h;
    unsigned t = 0, nroots = 0;
    long branch;
    int base, rc;
    char list[512];
    unsigned char *anc = NULL;
    if ((rc = downgrade_target(r, text, s, &base, &t, &branch)) < 0)
        return rc;
    if (branch >= 0) {
        anc = calloc(h->revision_count + 1, 1);
        if (!anc)
            return rt_fail(r, RETORT_ENOMEM, "out of memory");
        anc[branch] = 1;
        rt_graph_close_ancestors(h, anc, (unsigned)branch, 0);
    }
    /* The roots to unapply: the target's children, or the history's
     * roots for base; on a branch, those below the branch. */
    for (unsigned i = base ? 0 : t + 1; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        int root = base && v->parents_count == 0;
        for (unsigned k = 0; k < v->parents_count && !base && !root; k++)
            root = h->refs[v->parents_first + k] == t;
        if (root) {
            sel[i] = 1;
            nroots++;
        }
    }
    if (anc && nroots > 1) {
        nroots = 0;
        for (unsigned i = 0; i < h->revision_count; i++)
            if (sel[i]) {
                sel[i] = anc[i];
                nroots += sel[i];
            }
        if (nroots == 0) {
            free(anc);
            return rt_fail(r, RETORT_EUSAGE,
                           "'%s' is not a valid downgrade target from the current heads", text);
        }
    }
    free(anc);
    applied_below(h, s, sel);
    if (!base && !s->applied[t]) {
        list_ids(h, s->rows, s->nrows, list, sizeof list);
        return rt_fail(r, RETORT_EUSAGE,
                       "'%s' is not a valid downgrade target: %s is not applied "
                       "(the database is at %s)", text, rt_str(h, h->revisions[t].id),
                       s->nrows ? list : "base");
    }
    if (!base && !is_row(s, t)) {
        int any = 0;
        for (unsigned i = 0; i < h->revision_count; i++)
            any |= sel[i];
        if (!any) {
            list_ids(h, s->rows, s->nrows, list, sizeof list);
            return rt_fail(r, RETORT_EUSAGE,
                           "'%s' is not a valid downgrade target: nothing above %s "
                           "to unapply on its branch (the database is at %s)", text,
                           rt_str(h, h->revisions[t].id), list);
        }
    }
    return 0;
}

/* Upgrade: the targets and everything applied before them, less what is
 * applied.  A target already applied below a version row names no move
 * (Alembic does nothing and exits 0; see docs/alembic-compat.md). */
static int select_up(retort *r, const char *text, const rt_state *s,
                     unsigned char *sel)
{
    const retort_history *h = r->h;
    char list[512];
    int rc = rt_target_upgrade(r, text, s, sel);
    if (rc < 0)
        return rc;
    for (unsigned i = 0; i < h->revision_count; i++)
        if (sel[i] && s->applied[i] && !is_row(s, i)) {
            list_ids(h, s->rows, s->nrows, list, sizeof list);
            return rt_fail(r, RETORT_EUSAGE,
                           "'%s' is not a valid upgrade target: %s is already applied "
                           "below the current revision(s) %s; use downgrade to go back",
                           text, rt_str(h, h->revisions[i].id), list);
        }
    rt_graph_close_ancestors(h, sel, h->revision_count, 1);
    for (unsigned i = 0; i < h->revision_count; i++)
        sel[i] = sel[i] && !s->applied[i];
    return 0;
}

int rt_target_select(retort *r, int down, const char *text, const rt_state *s,
                     unsigned char *sel)
{
    memset(sel, 0, r->h->revision_count);
    return down ? select_down(r, text, s, sel) : select_up(r, text, s, sel);
}

int rt_target_contradiction(retort *r, const rt_state *s)
{
    const retort_history *h = r->h;
    unsigned char *below = calloc(h->revision_count + 1, 1);
    int rc = 0;
    if (!below)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    /* Everything strictly below the rows: a row there is implied by
     * another one. */
    for (unsigned i = 0; i < s->nrows; i++) {
        const retort_revision *v = &h->revisions[s->rows[i]];
        for (unsigned k = 0; k < v->parents_count; k++)
            below[h->refs[v->parents_first + k]] = 1;
        for (unsigned k = 0; k < v->depends_count; k++)
            below[h->refs[v->depends_first + k]] = 1;
    }
    rt_graph_close_ancestors(h, below, h->revision_count, 1);
    for (unsigned i = 0; i < s->nrows && rc == 0; i++) {
        unsigned x = s->rows[i];
        if (!below[x])
            continue;
        for (unsigned j = 0; j < s->nrows; j++) {
            unsigned char *one;
            unsigned y = s->rows[j];
            if (y == x)
                continue;
            one = calloc(h->revision_count + 1, 1);
            if (!one) {
                rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
                break;
            }
            one[y] = 1;
            rt_graph_close_ancestors(h, one, y, 1);
            if (one[x])
                rc = rt_fail(r, RETORT_ERROR,
                             "the version table contradicts itself: %s is applied before %s, "
                             "yet both are rows; refusing to migrate. Check the schema, then "
                             "repair the table with 'stamp --purge' and the real revision(s)",
                             rt_str(h, h->revisions[x].id), rt_str(h, h->revisions[y].id));
            free(one);
            if (rc < 0)
                break;
        }
    }
    free(below);
    return rc;
}
