/* graph_draw.c: the lanes of `history --graph`, drawn as `git log --graph`
 * draws them.  Revisions come newest first; each lane waits for the
 * revision it will meet next going down, so a branchpoint shows as lanes
 * joining ("|/") above it and a merge as lanes opening ("|\") below it.
 * Only parents are edges: depends_on is not a line (the text says it).
 *
 * Lane k is drawn at column 2k; what moves between rows is drawn in the
 * odd columns between them. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct rt_lanes {
    unsigned *lane;     /* the revision each lane waits for */
    unsigned n, cap;
    int apart;          /* the last lane just ended: a blank line before the
                           next node, which belongs to another tree */
    char *row;          /* one drawn row, 2 * cap + 2 characters */
};

/* Sized for the worst case up front (every parent edge its own lane), so
 * drawing never allocates and never fails halfway through a history. */
rt_lanes *rt_lanes_new(const retort_history *h)
{
    rt_lanes *L = calloc(1, sizeof *L);
    unsigned cap = 1;
    for (unsigned i = 0; i < h->revision_count; i++)
        cap += h->revisions[i].parents_count;
    if (!L)
        return NULL;
    L->cap = cap;
    L->lane = calloc(cap, sizeof *L->lane);
    L->row = calloc(2 * (size_t)cap + 2, 1);
    if (!L->lane || !L->row) {
        rt_lanes_free(L);
        return NULL;
    }
    return L;
}

void rt_lanes_free(rt_lanes *L)
{
    if (!L)
        return;
    free(L->lane);
    free(L->row);
    free(L);
}

/* Writes row[] without its trailing blanks. */
static void put_row(rt_lanes *L, FILE *out, size_t width)
{
    while (width > 0 && L->row[width - 1] == ' ')
        width--;
    fwrite(L->row, 1, width, out);
    fputc('\n', out);
}

static size_t blank(rt_lanes *L, unsigned lanes)
{
    size_t w = lanes ? 2 * (size_t)lanes - 1 : 0;
    memset(L->row, ' ', w + 2);
    for (unsigned k = 0; k < lanes; k++)
        L->row[2 * k] = '|';
    return w + 1;
}

/* Lane j ends in lane c < j (both wait for the same revision): it bends
 * left, runs under the lanes between as '_', and the lanes right of it
 * shift one place left. */
static void join(rt_lanes *L, FILE *out, unsigned c, unsigned j)
{
    size_t w = blank(L, L->n);
    for (unsigned k = j; k < L->n; k++) {
        L->row[2 * k] = ' ';
        L->row[2 * k - 1] = '/';
    }
    for (size_t p = 2 * (size_t)c + 1; p + 1 < 2 * (size_t)j; p += 2)
        L->row[p] = '_';
    put_row(L, out, w);
    memmove(&L->lane[j], &L->lane[j + 1], (L->n - j - 1) * sizeof *L->lane);
    L->n--;
}

void rt_lanes_node(rt_lanes *L, FILE *out, unsigned rev)
{
    unsigned c = L->n;
    for (unsigned k = 0; k < L->n; k++)
        if (L->lane[k] == rev) {
            c = k;
            break;
        }
    if (c == L->n) {            /* a head: a lane of its own */
        if (L->apart)
            fputc('\n', out);
        L->lane[L->n++] = rev;
    }
    L->apart = 0;
    for (unsigned j = L->n; j-- > c + 1;)
        if (L->lane[j] == rev)
            join(L, out, c, j);
    blank(L, L->n);
    L->row[2 * c] = '*';
    fwrite(L->row, 1, L->n ? 2 * (size_t)L->n : 0, out);
}

void rt_lanes_edges(rt_lanes *L, FILE *out, const retort_history *h,
                    unsigned rev, const unsigned char *shown)
{
    const retort_revision *v = &h->revisions[rev];
    unsigned c = 0, np = 0;
    while (c < L->n && L->lane[c] != rev)
        c++;
    if (c == L->n)
        return;                 /* rt_lanes_node was not called for rev */
    for (unsigned k = 0; k < v->parents_count; k++) {
        unsigned p = h->refs[v->parents_first + k];
        if (!shown[p])
            continue;
        if (np++ == 0) {
            L->lane[c] = p;
            continue;
        }
        /* Another parent: a new lane opens right of c; the lanes
         * right of it shift one place right. */
        unsigned at = c + 1;
        size_t w = blank(L, L->n) + 1;
        L->row[2 * at - 1] = '\\';
        for (unsigned q = at; q < L->n; q++) {
            L->row[2 * q] = ' ';
            L->row[2 * q + 1] = '\\';
        }
        put_row(L, out, w);
        memmove(&L->lane[at + 1], &L->lane[at], (L->n - at) * sizeof *L->lane);
        L->lane[at] = p;
        L->n++;
    }
    if (np > 0)
        return;
    /* A root (or its parents lie outside the range): its lane ends, and
     * the lanes right of it shift left.  The row is drawn even when no
     * lane moves, so that a head drawn next in the same place does not
     * read as this revision's parent. */
    if (L->n > 1) {
        size_t w = blank(L, L->n);
        L->row[2 * c] = ' ';
        for (unsigned k = c + 1; k < L->n; k++) {
            L->row[2 * k] = ' ';
            L->row[2 * k - 1] = '/';
        }
        put_row(L, out, w);
    }
    memmove(&L->lane[c], &L->lane[c + 1], (L->n - c - 1) * sizeof *L->lane);
    L->apart = --L->n == 0;
}
