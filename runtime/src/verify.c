/*
 * verify.c: `verify`, the stairway test (pytest-alembic's, built in).
 *
 * On a scratch database, every revision in the history's order is
 * upgraded, downgraded and upgraded again, and after each of those steps
 * the live schema is compared with what the history implies there (the
 * comparison `check` makes).  A downgrade that is not the inverse of its
 * upgrade, or an upgrade that does not do what the compiler thinks it
 * does, shows at the first step where the schemas part, with the
 * difference.  The order is the compiler's topological order, so when a
 * revision is visited its ancestors are applied and its descendants are
 * not: its own downgrade is always a valid move.
 */
#include <string.h>

#include "internal.h"

/* Compares after `what` of revision x (with the walk's schemas when there
 * is a walk: `up` says which); returns a negative code on a difference
 * (printed to out with the step) or a failure, 0 when equal. */
static int compare_after(retort *r, rt_check_walk *w, int up, FILE *out,
                         const char *what, unsigned x)
{
    const retort_revision *v = &r->h->revisions[x];
    unsigned ndiff = 0;
    int rc = w ? rt_check_walk_compare(r, w, up, out, &ndiff)
               : rt_check_compare(r, out, &ndiff);
    if (rc < 0)
        return rc;
    if (ndiff) {
        fprintf(out, "after the %s of %s (%s): %u difference%s from the history\n", what,
                rt_str(r->h, v->id), rt_str_or(r->h, v->file, "?"), ndiff,
                ndiff == 1 ? "" : "s");
        return rt_fail(r, RETORT_EDRIFT, "verify: the %s of revision %s (%s) leaves a "
                       "schema other than the history's", what, rt_str(r->h, v->id),
                       rt_str_or(r->h, v->file, "?"));
    }
    return 0;
}

int retort_verify(retort *r, FILE *out, int force)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    rt_check_walk *w = NULL;
    unsigned ndiff = 0;
    int locked = 0, rc;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if ((rc = rt_migrate_begin(r, &s, &locked)) < 0)
        goto cleanup;
    /* A scratch database: no revision applied, nothing but the version
     * tables (what the empty history implies). */
    if (!force) {
        if (s.nrows) {
            rc = rt_fail(r, RETORT_EUSAGE, "verify runs on a scratch database, and this "
                         "one is at %s: point --url at an empty one (or add --force to "
                         "start from where it is)", rt_str(h, h->revisions[s.rows[0]].id));
            goto cleanup;
        }
        if ((rc = rt_check_compare(r, stderr, &ndiff)) < 0)
            goto cleanup;
        if (ndiff) {
            rc = rt_fail(r, RETORT_EUSAGE, "verify runs on a scratch database, and this "
                         "one holds tables (listed above): point --url at an empty one, "
                         "or add --force");
            goto cleanup;
        }
    }
    if ((rc = rt_check_walk_start(r, &s, &w)) < 0)
        goto cleanup;
    unsigned walked = 0;
    for (unsigned x = 0; x < h->revision_count; x++) {
        if (s.applied[x])
            continue;
        walked++;
        if ((w && (rc = rt_check_walk_step(r, w, x)) < 0) ||
            (rc = rt_migrate_move(r, &s, x, 0)) < 0 ||
            (rc = compare_after(r, w, 1, out, "upgrade", x)) < 0 ||
            (rc = rt_migrate_move(r, &s, x, 1)) < 0 ||
            (rc = compare_after(r, w, 0, out, "downgrade", x)) < 0 ||
            (rc = rt_migrate_move(r, &s, x, 0)) < 0 ||
            (rc = compare_after(r, w, 1, out, "second upgrade", x)) < 0)
            goto cleanup;
    }
    /* Only what was walked counts: with --force, the revisions the
     * database was already at were not. */
    fprintf(out, "verified %u revision%s: each upgrade, its downgrade and the upgrade "
            "again leave the schema the history implies\n", walked,
            walked == 1 ? "" : "s");
cleanup:
    rt_check_walk_free(w);
    rt_migrate_end(r, &s, locked);
    return rc;
}
