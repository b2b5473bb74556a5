/* status.c: what the database holds and what upgrade would do next:
 * `current` and `status`, as text or JSON (docs/migrator.md). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Warns on the log about what upgrade would refuse: an interrupted
 * `transaction none` revision. */
static void warn_interrupted(retort *r, const rt_state *s)
{
    int down = 0;
    long bad = rt_state_interrupted(r, s, &down);
    if (bad >= 0)
        fprintf(r->log, "warning: revision %s (%s) is incomplete: its %s, outside "
                "a transaction, was interrupted\n", rt_str(r->h, r->h->revisions[bad].id),
                rt_str_or(r->h, r->h->revisions[bad].file, "?"),
                down ? "downgrade" : "upgrade");
    else if (bad == -2)
        fprintf(r->log, "warning: the database records an interrupted revision "
                "'%s', which this history does not have\n", s->stray);
}

/* The state of the connected database (markers only: every applied
 * revision has a checksum row, and reading them all would make `current`
 * grow with the history; changed revisions are reported by `check` and
 * refused by upgrade). */
static int read_state(retort *r, rt_state *s)
{
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    return rt_state_read_markers(r, s);
}

int retort_current(retort *r, FILE *out, int flags)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    int rc;
    if ((rc = read_state(r, &s)) < 0)
        goto cleanup;
    if (flags & RETORT_JSON) {
        fputs("{\n  \"database\": ", out);
        rt_json_str(out, r->url_shown);
        fputs(",\n  ", out);
        rt_json_revs(out, "current", h, s.rows, s.nrows, NULL);
        fputs("\n}\n", out);
    } else {
        if (flags & RETORT_VERBOSE)
            fprintf(out, "Current revision(s) for %s:\n",
                    r->url_shown ? r->url_shown : "the database");
        for (unsigned i = 0; i < s.nrows; i++) {
            if (flags & RETORT_VERBOSE) {
                if ((rc = retort_show(r, out, rt_str(h, h->revisions[s.rows[i]].id))) < 0)
                    goto cleanup;
            } else {
                fprintf(out, "%s%s\n", rt_str(h, h->revisions[s.rows[i]].id),
                        rt_graph_is_head(h, s.rows[i]) ? " (head)" : "");
            }
        }
    }
    warn_interrupted(r, &s);
cleanup:
    rt_state_free(&s);
    return rc;
}

/* The rows and, in order, the revisions `upgrade heads` would apply, as
 * indices (*rows and *pending are malloc'd). */
static int state_and_pending(retort *r, rt_state *s, unsigned **pending,
                             unsigned *npending)
{
    const retort_history *h = r->h;
    unsigned char *want;
    int rc;
    *pending = NULL;
    *npending = 0;
    if ((rc = read_state(r, s)) < 0)
        return rc;
    want = calloc(h->revision_count + 1, 1);
    *pending = calloc(h->revision_count + 1, sizeof **pending);
    if (!want || !*pending) {
        free(want);
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    }
    /* upgrade's own selection, so status never disagrees with it; a
     * table upgrade would refuse is refused here with the same words. */
    if ((rc = rt_target_select(r, 0, "heads", s, want)) == 0)
        for (unsigned i = 0; i < h->revision_count; i++)
            if (want[i] && !s->applied[i])
                (*pending)[(*npending)++] = i;
    free(want);
    return rc;
}

int retort_status(retort *r, retort_status_info **out)
{
    if (out)
        *out = NULL;
    RT_USABLE(r);
    if (!out)
        return rt_fail(r, RETORT_EUSAGE, "retort_status: no place for the result (out is NULL)");
    const retort_history *h = r->h;
    rt_state s = {0};
    unsigned *pending = NULL, np = 0;
    retort_status_info *st = NULL;
    int rc;
    *out = NULL;
    if ((rc = state_and_pending(r, &s, &pending, &np)) < 0)
        goto cleanup;
    st = calloc(1, sizeof *st);
    if (st) {
        st->current = calloc(s.nrows + 1, sizeof *st->current);
        st->pending = calloc(np + 1, sizeof *st->pending);
    }
    if (!st || !st->current || !st->pending) {
        retort_status_free(st);
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (unsigned i = 0; i < s.nrows; i++)
        st->current[st->current_count++] = rt_str(h, h->revisions[s.rows[i]].id);
    for (unsigned i = 0; i < np; i++)
        st->pending[st->pending_count++] = rt_str(h, h->revisions[pending[i]].id);
    *out = st;
cleanup:
    free(pending);
    rt_state_free(&s);
    return rc;
}

void retort_status_free(retort_status_info *s)
{
    if (!s)
        return;
    free(s->current);
    free(s->pending);
    free(s);
}

int retort_print_status(retort *r, FILE *out, int flags)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    unsigned *pending = NULL, np = 0;
    int rc;
    if ((rc = state_and_pending(r, &s, &pending, &np)) < 0)
        goto cleanup;
    if (flags & RETORT_JSON) {
        fputs("{\n  \"database\": ", out);
        rt_json_str(out, r->url_shown);
        fputs(",\n  ", out);
        rt_json_revs(out, "current", h, s.rows, s.nrows, NULL);
        fputs(",\n  ", out);
        rt_json_revs(out, "pending", h, pending, np, NULL);
        fprintf(out, ",\n  \"at_head\": %s\n}\n", np ? "false" : "true");
    } else {
        fprintf(out, "Database: %s\nCurrent:", r->url_shown ? r->url_shown : "");
        for (unsigned i = 0; i < s.nrows; i++)
            fprintf(out, "%s%s", i ? ", " : " ", rt_str(h, h->revisions[s.rows[i]].id));
        fputs(s.nrows ? "\n" : " base (no revision applied)\n", out);
        if (np == 0)
            fputs("Pending: none, at head\n", out);
        else
            fprintf(out, "Pending: %u revision%s, in the order upgrade applies them:\n",
                    np, np == 1 ? "" : "s");
        for (unsigned i = 0; i < np; i++) {
            const retort_revision *v = &h->revisions[pending[i]];
            char parents[1024];
            rt_graph_parents_text(h, pending[i], parents, sizeof parents);
            fprintf(out, "  %s -> %s, %s\n", parents[0] ? parents : "<base>",
                    rt_str(h, v->id), rt_str_or(h, v->message, ""));
        }
    }
    warn_interrupted(r, &s);
cleanup:
    free(pending);
    rt_state_free(&s);
    return rc;
}
