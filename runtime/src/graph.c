/* graph.c: walks over the revision graph's flat arrays.  revisions[] is
 * topologically ordered, so closures are single passes over an index
 * range rather than searches. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

long rt_graph_find(const retort_history *h, const char *id)
{
    unsigned lo = 0, hi = h->revision_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        int c = strcmp(rt_str(h, h->revisions[h->by_id[mid]].id), id);
        if (c == 0)
            return (long)h->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Two binary searches over by_id[]: ids with the prefix are contiguous. */
void rt_graph_prefix(const retort_history *h, const char *prefix,
                  unsigned *plo, unsigned *phi)
{
    size_t n = strlen(prefix);
    unsigned lo = 0, hi = h->revision_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (strncmp(rt_str(h, h->revisions[h->by_id[mid]].id), prefix, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *plo = lo;
    hi = h->revision_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (strncmp(rt_str(h, h->revisions[h->by_id[mid]].id), prefix, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *phi = lo;
}

/* heads[] is in revisions[] order, so a binary search answers. */
int rt_graph_is_head(const retort_history *h, unsigned rev)
{
    unsigned lo = 0, hi = h->head_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (h->heads[mid] == rev)
            return 1;
        if (h->heads[mid] < rev)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void rt_graph_close_ancestors(const retort_history *h, unsigned char *mark,
                              unsigned hi, int deps)
{
    if (h->revision_count == 0)
        return;
    if (hi >= h->revision_count)
        hi = h->revision_count - 1;
    for (unsigned i = hi + 1; i-- > 0;) {
        const retort_revision *v = &h->revisions[i];
        if (!mark[i])
            continue;
        for (unsigned k = 0; k < v->parents_count; k++)
            mark[h->refs[v->parents_first + k]] = 1;
        for (unsigned k = 0; deps && k < v->depends_count; k++)
            mark[h->refs[v->depends_first + k]] = 1;
    }
}

void rt_graph_close_descendants(const retort_history *h, unsigned char *mark,
                                unsigned lo, int deps)
{
    for (unsigned i = lo; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        if (mark[i])
            continue;
        for (unsigned k = 0; k < v->parents_count && !mark[i]; k++)
            if (mark[h->refs[v->parents_first + k]])
                mark[i] = 1;
        for (unsigned k = 0; deps && k < v->depends_count && !mark[i]; k++)
            if (mark[h->refs[v->depends_first + k]])
                mark[i] = 1;
    }
}

/* The k-th distinct revision applied right before `rev` (parents, then
 * depends_on targets that are not also parents), or -1 past the end. */
long rt_graph_pred(const retort_history *h, unsigned rev, unsigned k)
{
    const retort_revision *v = &h->revisions[rev];
    if (k < v->parents_count)
        return (long)h->refs[v->parents_first + k];
    for (unsigned d = 0; d < v->depends_count; d++) {
        unsigned x = h->refs[v->depends_first + d];
        int dup = 0;
        for (unsigned p = 0; p < v->parents_count && !dup; p++)
            dup = h->refs[v->parents_first + p] == x;
        for (unsigned e = 0; e < d && !dup; e++)
            dup = h->refs[v->depends_first + e] == x;
        if (!dup && k-- == v->parents_count)
            return (long)x;
    }
    return -1;
}

void rt_graph_count_kids(const retort_history *h, const unsigned char *mark,
                         unsigned *kids)
{
    memset(kids, 0, h->revision_count * sizeof *kids);
    for (unsigned i = 0; i < h->revision_count; i++) {
        long p;
        if (!mark[i])
            continue;
        for (unsigned k = 0; (p = rt_graph_pred(h, i, k)) >= 0; k++)
            kids[p]++;
    }
}

int rt_graph_heads_of(const retort_history *h, const unsigned char *mark,
                      unsigned *out)
{
    unsigned *kids = calloc(h->revision_count + 1, sizeof *kids);
    int n = 0;
    if (!kids)
        return RETORT_ENOMEM;
    rt_graph_count_kids(h, mark, kids);
    for (unsigned i = 0; i < h->revision_count; i++)
        if (mark[i] && !kids[i])
            out[n++] = i;
    free(kids);
    return n;
}

unsigned *rt_graph_child_counts(const retort_history *h)
{
    unsigned *c = calloc(h->revision_count + 1, sizeof *c);
    if (!c)
        return NULL;
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        for (unsigned k = 0; k < v->parents_count; k++)
            c[h->refs[v->parents_first + k]]++;
    }
    return c;
}

void rt_graph_parents_text(const retort_history *h, unsigned rev, char *buf,
                        size_t cap)
{
    const retort_revision *v = &h->revisions[rev];
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < v->parents_count && len < cap; k++) {
        int w = snprintf(buf + len, cap - len, "%s%s", k ? ", " : "",
                         rt_str(h, h->revisions[h->refs[v->parents_first + k]].id));
        if (w < 0)
            break;
        len += (size_t)w;
    }
}
