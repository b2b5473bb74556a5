/* info.c: heads, branches, history and show, in Alembic's formats.  None
 * needs a database, and heads and show never walk the whole history. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Whether a revision has several children: a pass over refs[] (plain
 * integers), or a lookup in `kids` when the caller counted them. */
static unsigned children_of(const retort_history *h, const unsigned *kids,
                            unsigned rev)
{
    unsigned n = 0;
    if (kids)
        return kids[rev];
    for (unsigned i = rev + 1; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        for (unsigned k = 0; k < v->parents_count; k++)
            n += h->refs[v->parents_first + k] == rev;
    }
    return n;
}

static void print_labels(const retort_history *h, FILE *out, unsigned rev)
{
    const retort_revision *v = &h->revisions[rev];
    if (v->labels_count == 0)
        return;
    fputs(" (", out);
    for (unsigned k = 0; k < v->labels_count; k++)
        fprintf(out, "%s%s", k ? ", " : "", rt_str(h, h->labels[v->labels_first + k]));
    fputc(')', out);
}

static void print_parents(const retort_history *h, FILE *out, unsigned rev)
{
    char buf[1024];
    rt_graph_parents_text(h, rev, buf, sizeof buf);
    fputs(buf[0] ? buf : "<base>", out);
}

/* Whether a later revision names `rev` in its depends_on (a pass over
 * the revisions after it; asked only of heads). */
static int depended_on(const retort_history *h, unsigned rev)
{
    for (unsigned i = rev + 1; i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        for (unsigned k = 0; k < v->depends_count; k++)
            if (h->refs[v->depends_first + k] == rev)
                return 1;
    }
    return 0;
}

/* What print_short writes before or after the id: nothing (heads,
 * branches), Alembic's "parents (depends_on) -> " (history), or only
 * "(depends on ...)" after it (history --graph, whose lanes are the
 * parents). */
enum { SHOW_ID = 0, SHOW_PARENTS = 1, SHOW_DEPENDS = 2 };

/* Alembic's one-line form: [parents (depends_on) -> ]id (labels) (head)
 * (branchpoint) (mergepoint)[, message]; a head that another revision
 * depends on is an "effective head". */
static void print_short(const retort_history *h, FILE *out, unsigned rev,
                        const unsigned *kids, int parents, int tree, int doc,
                        int current)
{
    const retort_revision *v = &h->revisions[rev];
    if (parents == SHOW_PARENTS) {
        print_parents(h, out, rev);
        for (unsigned k = 0; k < v->depends_count; k++)
            fprintf(out, "%s%s", k ? ", " : " (",
                    rt_str(h, h->revisions[h->refs[v->depends_first + k]].id));
        fputs(v->depends_count ? ") -> " : " -> ", out);
    }
    fputs(rt_str(h, v->id), out);
    print_labels(h, out, rev);
    if (parents == SHOW_DEPENDS && v->depends_count) {
        /* The graph draws parents only; say what else must come first. */
        for (unsigned k = 0; k < v->depends_count; k++)
            fprintf(out, "%s%s", k ? ", " : " (depends on ",
                    rt_str(h, h->revisions[h->refs[v->depends_first + k]].id));
        fputc(')', out);
    }
    if (rt_graph_is_head(h, rev))
        fputs(depended_on(h, rev) ? " (effective head)" : " (head)", out);
    if (current)
        fputs(" (current)", out);
    if (tree) {
        if (children_of(h, kids, rev) > 1)
            fputs(" (branchpoint)", out);
        if (v->parents_count > 1)
            fputs(" (mergepoint)", out);
    }
    if (doc)
        fprintf(out, ", %s", rt_str_or(h, v->message, ""));
    fputc('\n', out);
}

/* Alembic's log entry (history --verbose, show). */
static void print_long(const retort_history *h, FILE *out, unsigned rev,
                       const unsigned *kids, int current)
{
    const retort_revision *v = &h->revisions[rev];
    unsigned nkids = children_of(h, kids, rev);
    fprintf(out, "Rev: %s%s%s%s%s\n", rt_str(h, v->id), rt_graph_is_head(h, rev) ? " (head)" : "",
            nkids > 1 ? " (branchpoint)" : "",
            v->parents_count > 1 ? " (mergepoint)" : "",
            current ? " (current)" : "");
    fputs(v->parents_count > 1 ? "Merges: " : "Parent: ", out);
    print_parents(h, out, rev);
    fputc('\n', out);
    if (v->depends_count) {
        fputs("Also depends on: ", out);
        for (unsigned k = 0; k < v->depends_count; k++)
            fprintf(out, "%s%s", k ? ", " : "",
                    rt_str(h, h->revisions[h->refs[v->depends_first + k]].id));
        fputc('\n', out);
    }
    if (nkids > 1) {
        unsigned shown = 0;
        fputs("Branches into: ", out);
        for (unsigned i = rev + 1; i < h->revision_count; i++) {
            const retort_revision *c = &h->revisions[i];
            for (unsigned k = 0; k < c->parents_count; k++)
                if (h->refs[c->parents_first + k] == rev)
                    fprintf(out, "%s%s", shown++ ? ", " : "", rt_str(h, c->id));
        }
        fputc('\n', out);
    }
    if (v->labels_count) {
        fputs("Branch names: ", out);
        for (unsigned k = 0; k < v->labels_count; k++)
            fprintf(out, "%s%s", k ? ", " : "", rt_str(h, h->labels[v->labels_first + k]));
        fputc('\n', out);
    }
    fprintf(out, "Path: %s\n\n", rt_str_or(h, v->file, ""));
    fprintf(out, "    %s\n    \n    Revision ID: %s\n    Revises: ",
            rt_str_or(h, v->message, ""), rt_str(h, v->id));
    {
        char buf[1024];
        rt_graph_parents_text(h, rev, buf, sizeof buf);
        fputs(buf, out);
    }
    fprintf(out, "\n    Create Date: %s\n\n", rt_str_or(h, v->created, ""));
}

int retort_heads(retort *r, FILE *out, int flags)
{
    RT_USABLE(r);
    if (flags & RETORT_JSON) {
        fputs("{\n  ", out);
        rt_json_revs(out, "heads", r->h, r->h->heads, r->h->head_count, NULL);
        fputs("\n}\n", out);
        return 0;
    }
    for (unsigned i = 0; i < r->h->head_count; i++) {
        if (flags & RETORT_VERBOSE)
            print_long(r->h, out, r->h->heads[i], NULL, 0);
        else
            print_short(r->h, out, r->h->heads[i], NULL, SHOW_ID, 0, 0, 0);
    }
    return 0;
}

int retort_branches(retort *r, FILE *out, int flags)
{
    RT_USABLE(r);
    int verbose = flags & RETORT_VERBOSE;
    const retort_history *h = r->h;
    unsigned *kids = rt_graph_child_counts(h);
    if (!kids)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    for (unsigned i = h->revision_count; i-- > 0;) {
        size_t pad = strlen(rt_str(h, h->revisions[i].id));
        if (kids[i] < 2)
            continue;
        if (verbose)
            print_long(h, out, i, kids, 0);
        else
            print_short(h, out, i, kids, SHOW_ID, 1, 0, 0);
        for (unsigned c = i + 1; c < h->revision_count; c++) {
            const retort_revision *v = &h->revisions[c];
            for (unsigned k = 0; k < v->parents_count; k++) {
                if (h->refs[v->parents_first + k] != i)
                    continue;
                fprintf(out, "%*s -> ", (int)pad, "");
                print_short(h, out, c, kids, SHOW_ID, 1, verbose, 0);
            }
        }
        fputc('\n', out);
    }
    free(kids);
    return 0;
}

/* Marks the revisions one end of a history range names: a TARGET as
 * upgrade reads it, or `current` (the database's rows). */
static int range_end(retort *r, const char *text, unsigned char *mark)
{
    rt_state s = {0};
    int rc;
    if (strcmp(text, "current") != 0)
        return rt_target_upgrade(r, text, NULL, mark);
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "'current' in a range needs a database");
    if ((rc = rt_state_read_markers(r, &s)) < 0)
        return rc;
    for (unsigned i = 0; i < s.nrows; i++)
        mark[s.rows[i]] = 1;
    rt_state_free(&s);
    return 0;
}

int retort_print_history(retort *r, FILE *out, const char *range, int flags)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    unsigned N = h->revision_count, n = 0;
    unsigned char *in = NULL, *low = NULL, *below = NULL, *desc = NULL, *cur = NULL;
    unsigned *kids = NULL, *list = NULL;
    rt_lanes *lanes = NULL;
    char from[256] = "", to[256] = "heads";
    int rc = 0;
    rt_state s = {0};
    if (range) {
        const char *colon = strchr(range, ':');
        size_t n = colon ? (size_t)(colon - range) : 0;
        if (!colon || n >= sizeof from || strlen(colon + 1) >= sizeof to) {
            rc = rt_fail(r, RETORT_EUSAGE, "bad range '%s' (expected A:B)", range);
            goto cleanup;
        }
        memcpy(from, range, n);
        from[n] = '\0';
        if (colon[1])
            snprintf(to, sizeof to, "%s", colon + 1);
    }
    kids = rt_graph_child_counts(h);
    in = calloc(N + 1, 1);
    low = calloc(N + 1, 1);
    below = calloc(N + 1, 1);
    desc = calloc(N + 1, 1);
    list = calloc(N + 1, sizeof *list);
    if ((flags & RETORT_GRAPH) && (flags & (RETORT_JSON | RETORT_VERBOSE))) {
        rc = rt_fail(r, RETORT_EUSAGE, "a history graph is drawn beside one-line entries only");
        goto cleanup;
    }
    if ((flags & RETORT_GRAPH) && !(lanes = rt_lanes_new(h)))
        goto nomem;
    if (!kids || !in || !low || !below || !desc || !list)
        goto nomem;
    /* -i: the revisions of the version rows, as Alembic marks them. */
    if ((flags & RETORT_CURRENT) && !(flags & RETORT_JSON)) {
        if (!r->db) {
            rc = rt_fail(r, RETORT_EUSAGE, "not connected to a database");
            goto cleanup;
        }
        if ((rc = rt_state_read(r, &s)) < 0)
            goto cleanup;
        if (!(cur = calloc(N + 1, 1))) {
            rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
            goto cleanup;
        }
        for (unsigned k = 0; k < s.nrows; k++)
            cur[s.rows[k]] = 1;
    }
    /* Alembic's A:B: what B needs (depends_on included), less what A
     * needs, plus A itself, among A's descendants through parents. */
    if ((rc = range_end(r, to, in)) < 0)
        goto cleanup;
    rt_graph_close_ancestors(h, in, N, 1);
    if (from[0] && strcmp(from, "base") != 0) {
        if ((rc = range_end(r, from, low)) < 0)
            goto cleanup;
        for (unsigned i = 0; i < N; i++) {
            if (!low[i])
                continue;
            if (!in[i]) {
                rc = rt_fail(r, RETORT_EUSAGE,
                             "bad range '%s:%s': %s is not an ancestor of %s",
                             from, to, rt_str(h, h->revisions[i].id), to);
                goto cleanup;
            }
        }
        memcpy(below, low, N);
        rt_graph_close_ancestors(h, below, N, 1);
        memcpy(desc, low, N);
        rt_graph_close_descendants(h, desc, 0, 0);
        for (unsigned i = 0; i < N; i++)
            in[i] = in[i] && desc[i] && (!below[i] || low[i]);
    }
    for (unsigned i = N; i-- > 0;) {
        if (!in[i])
            continue;
        list[n++] = i;
        if (flags & RETORT_JSON)
            continue;
        if (lanes) {
            rt_lanes_node(lanes, out, i);
            print_short(h, out, i, kids, SHOW_DEPENDS, 1, 1, cur && cur[i]);
            rt_lanes_edges(lanes, out, h, i, in);
        } else if (flags & RETORT_VERBOSE)
            print_long(h, out, i, kids, cur && cur[i]);
        else
            print_short(h, out, i, kids, SHOW_PARENTS, 1, 1, cur && cur[i]);
    }
    if (flags & RETORT_JSON) {
        fputs("{\n  ", out);
        rt_json_revs(out, "revisions", h, list, n, kids);
        fputs("\n}\n", out);
    }
    goto cleanup;
nomem:
    rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
cleanup:
    rt_lanes_free(lanes);
    rt_state_free(&s);
    free(cur);
    free(list);
    free(in);
    free(low);
    free(below);
    free(desc);
    free(kids);
    return rc;
}

int retort_show(retort *r, FILE *out, const char *rev)
{
    RT_USABLE(r);
    unsigned i;
    int rc;
    if (strcmp(rev, "heads") == 0)
        return retort_heads(r, out, 1);
    if ((rc = rt_target_one(r, rev, &i)) < 0)
        return rc;
    print_long(r->h, out, i, NULL, 0);
    return 0;
}
