/* target.c: turning the TARGET words of SPEC section 6 into revisions. */
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

/* The revision carrying branch label `label`, or -1 (a pass over all). */
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

/* The only head among the descendants of `rev`. */
static int branch_head(retort *r, unsigned rev, const char *text,
                       unsigned *out)
{
    const retort_history *h = r->h;
    unsigned char *mark = calloc(h->revision_count + 1, 1);
    unsigned *found = malloc((h->head_count + 1) * sizeof *found), n = 0;
    char list[512];
    int rc = 0;
    if (!mark || !found) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    mark[rev] = 1;
    rt_graph_close_descendants(h, mark, rev);
    for (unsigned i = 0; i < h->head_count; i++)
        if (mark[h->heads[i]])
            found[n++] = h->heads[i];
    if (n != 1) {
        list_ids(h, found, n, list, sizeof list);
        rc = rt_fail(r, RETORT_EUSAGE, "'%s' names several heads: %s",
                     text, list);
        goto cleanup;
    }
    *out = found[0];
cleanup:
    free(mark);
    free(found);
    return rc;
}

static int unique_head(retort *r, unsigned *out)
{
    char list[512];
    if (r->h->head_count == 1) {
        *out = r->h->heads[0];
        return 0;
    }
    if (r->h->head_count == 0)
        return rt_fail(r, RETORT_EUSAGE, "the history has no revisions");
    list_ids(r->h, r->h->heads, r->h->head_count, list, sizeof list);
    return rt_fail(r, RETORT_EUSAGE,
                   "multiple heads (%s): name one, or use 'heads'", list);
}

int rt_target_one(retort *r, const char *text, unsigned *out)
{
    const retort_history *h = r->h;
    const char *at = strchr(text, '@');
    unsigned lo, hi;
    long i = rt_graph_find(h, text);
    char list[512];
    if (i >= 0) {
        *out = (unsigned)i;
        return 0;
    }
    if (strcmp(text, "head") == 0)
        return unique_head(r, out);
    if (at) {
        long l = label_find(h, text, (size_t)(at - text));
        if (l < 0)
            return rt_fail(r, RETORT_EUSAGE, "unknown branch label '%.*s'",
                           (int)(at - text), text);
        if (strcmp(at + 1, "head") != 0)
            return rt_fail(r, RETORT_EUSAGE,
                           "unsupported target '%s' (use LABEL@head)", text);
        return branch_head(r, (unsigned)l, text, out);
    }
    if (*text) {
        rt_graph_prefix(h, text, &lo, &hi);
        if (hi - lo == 1) {
            *out = h->by_id[lo];
            return 0;
        }
        if (hi - lo > 1) {
            list_ids(h, h->by_id + lo, hi - lo, list, sizeof list);
            return rt_fail(r, RETORT_EUSAGE,
                           "ambiguous revision prefix '%s': matches %s",
                           text, list);
        }
        i = label_find(h, text, strlen(text));
        if (i >= 0) {
            *out = (unsigned)i;
            return 0;
        }
    }
    return rt_fail(r, RETORT_EUSAGE, "unknown revision '%s'", text);
}

/* Parses a positive count; 0 on anything else. */
static long count_of(const char *s)
{
    char *end;
    long n;
    if (*s < '0' || *s > '9')
        return 0;
    n = strtol(s, &end, 10);
    return *end == '\0' && n > 0 ? n : 0;
}

/* Steps `n` children forward from `from` (-1: base); each step must be
 * unambiguous. */
static int walk_forward(retort *r, long from, long n, const char *text,
                        unsigned *out)
{
    const retort_history *h = r->h;
    for (long step = 0; step < n; step++) {
        long next = -1;
        unsigned count = 0;
        for (unsigned i = from < 0 ? 0 : (unsigned)from + 1;
             i < h->revision_count; i++) {
            const retort_revision *v = &h->revisions[i];
            int child = 0;
            if (from < 0)
                child = v->parents_count == 0;
            for (unsigned k = 0; k < v->parents_count && !child; k++)
                child = (long)h->refs[v->parents_first + k] == from;
            if (child) {
                if (count++ == 0)
                    next = (long)i;
            }
        }
        if (count == 0)
            return rt_fail(r, RETORT_EUSAGE,
                           "'%s' goes beyond the head", text);
        if (count > 1)
            return rt_fail(r, RETORT_EUSAGE,
                           "'%s' is ambiguous: %s has %u children",
                           text, from < 0 ? "base" : rt_str(h, h->revisions[from].id),
                           count);
        from = next;
    }
    *out = (unsigned)from;
    return 0;
}

/* Steps `n` first parents back from `from`; *base when it leaves the
 * root on the last step. */
static int walk_back(retort *r, unsigned from, long n, const char *text,
                     int *base, unsigned *out)
{
    const retort_history *h = r->h;
    for (long step = 0; step < n; step++) {
        const retort_revision *v = &h->revisions[from];
        if (v->parents_count == 0) {
            if (step == n - 1) {
                *base = 1;
                return 0;
            }
            return rt_fail(r, RETORT_EUSAGE, "'%s' goes beyond base", text);
        }
        from = h->refs[v->parents_first];
    }
    *base = 0;
    *out = from;
    return 0;
}

/* The only current head, for relative targets. */
static int current_one(retort *r, const unsigned *cur, unsigned ncur,
                       const char *text, long *out)
{
    char list[512];
    if (ncur == 0) {
        *out = -1;
        return 0;
    }
    if (ncur > 1) {
        list_ids(r->h, cur, ncur, list, sizeof list);
        return rt_fail(r, RETORT_EUSAGE,
                       "'%s' is ambiguous: the database is at several heads (%s)",
                       text, list);
    }
    *out = (long)cur[0];
    return 0;
}

/* The revision named by `text` up to `sign`, the `+` or `-` of REV+N and
 * REV-N. */
static int revision_before(retort *r, const char *text, const char *sign,
                           unsigned *rev)
{
    char name[256];
    size_t len = (size_t)(sign - text);
    if (len >= sizeof name)
        return rt_fail(r, RETORT_EUSAGE, "unknown revision '%s'", text);
    memcpy(name, text, len);
    name[len] = '\0';
    return rt_target_one(r, name, rev);
}

int rt_target_upgrade(retort *r, const char *text, const unsigned *cur,
                   unsigned ncur, unsigned char *mark)
{
    const retort_history *h = r->h;
    const char *plus = strrchr(text, '+');
    unsigned rev;
    long from = -1, n;   /* set by current_one; GCC -O2 cannot tell */
    int rc;
    if (strcmp(text, "heads") == 0) {
        for (unsigned i = 0; i < h->head_count; i++)
            mark[h->heads[i]] = 1;
        return 0;
    }
    if (strcmp(text, "base") == 0)
        return 0;
    if (strcmp(text, "head") == 0 && h->head_count == 0)
        return 0;
    if (text[0] == '-')
        return rt_fail(r, RETORT_EUSAGE,
                       "upgrade to '%s': a relative upgrade is written +N", text);
    if (plus && (n = count_of(plus + 1)) > 0) {
        if (plus == text) {
            rc = current_one(r, cur, ncur, text, &from);
        } else {
            rc = revision_before(r, text, plus, &rev);
            from = (long)rev;
        }
        if (rc == 0)
            rc = walk_forward(r, from, n, text, &rev);
        if (rc == 0)
            mark[rev] = 1;
        return rc;
    }
    rc = rt_target_one(r, text, &rev);
    if (rc == 0)
        mark[rev] = 1;
    return rc;
}

int rt_target_downgrade(retort *r, const char *text, const unsigned *cur,
                     unsigned ncur, int *base, unsigned *out)
{
    const char *minus = strrchr(text, '-');
    long n, from = -1;   /* set by current_one; GCC -O2 cannot tell */
    int rc;
    *base = 0;
    if (strcmp(text, "base") == 0) {
        *base = 1;
        return 0;
    }
    if (minus && (n = count_of(minus + 1)) > 0) {
        unsigned rev;
        if (minus == text) {
            rc = current_one(r, cur, ncur, text, &from);
            if (rc == 0 && from < 0)
                return rt_fail(r, RETORT_EUSAGE,
                               "'%s': the database is at base", text);
        } else {
            rc = revision_before(r, text, minus, &rev);
            from = (long)rev;
        }
        if (rc == 0)
            rc = walk_back(r, (unsigned)from, n, text, base, out);
        return rc;
    }
    if (text[0] == '+')
        return rt_fail(r, RETORT_EUSAGE,
                       "downgrade to '%s': a relative downgrade is written -N", text);
    return rt_target_one(r, text, out);
}
