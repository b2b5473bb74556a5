/* migrate.c: the commands that move a live database: upgrade,
 * downgrade and stamp (and verify.c's walk, one revision at a time).
 * Each takes the migration lock (lock.c), makes sure the bookkeeping
 * tables exist (version.c), reads and checks what they hold (state.c),
 * then moves revisions one by one (step.c; fresh.c first on an empty
 * database) or, for stamp, rewrites the rows (version.c, own.c).
 *
 * Retort's own table, `<version table>_retort`, holds one row per revision
 * this migrator applied (or stamped): its checksum (the history's hex
 * SHA-256 of the revision's canonical form for the database's dialect)
 * and a state:
 *   applied      written in the revision's own transaction, together with
 *                its version row; deleted with it on downgrade;
 *   upgrading,   a marker committed before a `transaction none` revision
 *   downgrading  starts; the final transaction, which moves the version
 *                row, turns it into `applied` (or deletes it).
 * Before running any SQL, upgrade and downgrade refuse a database with a
 * marker (a `transaction none` revision was interrupted: only a person can
 * tell how far it went; `stamp` says how to continue) or with an applied
 * revision recorded under a different checksum.  A revision without a row
 * (applied by Alembic, or before this table existed) is accepted as it is
 * and nothing is recorded for it retroactively; `stamp` records the
 * history's checksum for every revision it leaves applied, and clears
 * markers.  Alembic's version table itself is untouched by all this. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Takes the lock and makes sure the version table and retort's own table
 * exist.  Both are created under the lock, so concurrent migrators never
 * race on the catalog (on PostgreSQL, CREATE TABLE IF NOT EXISTS alone
 * can still fail on pg_type's unique index).
 *
 * Two forms of the lock.  On a direct connection, a session advisory
 * lock held for the whole command (*locked): no other migrator moves the
 * database meanwhile.  Through a pooler (rt_lock_probe), a session lock
 * would stay on whichever server connection took it, and be taken again
 * by whichever client next gets that connection: there the lock is
 * transaction-scoped, taken again by every transaction that writes the
 * version table (rt_lock_tx_begin), and rt_step_move() reads the state
 * again under it.  A standby refuses here, before anything is tried. */
static int prepare(retort *r, int *locked)
{
    int rc;
    *locked = 0;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if (r->db->readonly)
        return rt_fail(r, RETORT_ERROR, "the SQLite database %s is read-only (the "
                       "file, or its directory for the journal): this command "
                       "writes; current, history, heads and check only read",
                       r->url_shown ? r->url_shown : "");
    if ((rc = rt_lock_probe(r)) < 0)
        return rc;
    if (r->in_recovery)
        return rt_fail(r, RETORT_ERROR, "the PostgreSQL server at %s is in recovery "
                       "(a read-only standby): this command writes; run it on the "
                       "primary (current, status and check only read)",
                       r->url_shown ? r->url_shown : "the URL");
    if ((rc = rt_lock_take(r, locked)) < 0)
        return rc;
    if (!r->pooled && db_begin(r->db) < 0)
        return rt_fail_db(r, "creating the version table");
    return rt_vt_create_tables(r);
}

/* rt_vt_exec for the version table, as a vt_emit_fn. */
static int exec_emit(void *ctx, const char *sql)
{
    return rt_vt_exec(ctx, sql, "updating the version table");
}

/* The progress line of a move that ran no revision. */
static void nothing_to_do(retort *r, const char *target)
{
    if (!strcmp(target, "head") || !strcmp(target, "heads"))
        rt_log(r, "Already at head, nothing to do");
    else
        rt_log(r, "Already at '%s', nothing to do", target);
}

/* The progress line after a stamp: the rows it left. */
static void stamped(retort *r, const char *target, const unsigned *rows,
                    unsigned n)
{
    char list[512];
    size_t len = 0;
    list[0] = '\0';
    for (unsigned i = 0; i < n && len < sizeof list; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                         rt_str(r->h, r->h->revisions[rows[i]].id));
        if (w < 0)
            break;
        len += (size_t)w;
    }
    rt_log(r, "Stamped '%s': the version table now holds %s", target,
           n ? list : "no revision (base)");
}

int retort_upgrade(retort *r, const char *target)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    unsigned char *want = NULL;
    unsigned moved = 0;
    int locked = 0, rc;
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if ((rc = rt_state_read(r, &s)) < 0)
        goto cleanup;
    if ((rc = rt_state_verify(r, &s)) < 0 || (rc = rt_own_refresh(r, &s)) < 0)
        goto cleanup;
    want = calloc(h->revision_count + 1, 1);
    if (!want) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_target_select(r, 0, target ? target : "head", &s, want)) < 0)
        goto cleanup;
    unsigned total = 0;
    for (unsigned i = 0; i < h->revision_count; i++)
        total += want[i] && !s.applied[i];
    rt_progress_begin(r, total);
    /* An empty database: the revisions up to the history's fold point in
     * one transaction, from its snapshot (fresh.c); then as usual. */
    if ((rc = rt_fresh_upgrade(r, &s, want, &moved)) < 0)
        goto cleanup;
    for (unsigned i = 0; i < h->revision_count; i++) {
        if (!want[i] || s.applied[i])
            continue;
        if ((rc = rt_step_move(r, &s, i, 0)) < 0)
            goto cleanup;
        moved += rc == 0;
        rc = 0;
    }
    if (moved == 0)
        nothing_to_do(r, target ? target : "head");
cleanup:
    rt_progress_end(r, rc == 0 ? moved : 0, 0);
    rt_lock_release(r, locked);
    free(want);
    rt_state_free(&s);
    return rc;
}

int retort_downgrade(retort *r, const char *target)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    unsigned char *drop = NULL;
    unsigned moved = 0;
    int locked = 0, rc;
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if ((rc = rt_state_read(r, &s)) < 0)
        goto cleanup;
    if ((rc = rt_state_verify(r, &s)) < 0 || (rc = rt_own_refresh(r, &s)) < 0)
        goto cleanup;
    drop = calloc(h->revision_count + 1, 1);
    if (!drop) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_target_select(r, 1, target, &s, drop)) < 0)
        goto cleanup;
    unsigned total = 0;
    for (unsigned i = 0; i < h->revision_count; i++)
        total += drop[i] && s.applied[i];
    rt_progress_begin(r, total);
    for (unsigned i = h->revision_count; i-- > 0;) {
        if (!drop[i] || !s.applied[i])
            continue;
        if ((rc = rt_step_move(r, &s, i, 1)) < 0)
            goto cleanup;
        moved += rc == 0;
        rc = 0;
    }
    if (moved == 0)
        nothing_to_do(r, target);
cleanup:
    rt_progress_end(r, rc == 0 ? moved : 0, 1);
    rt_lock_release(r, locked);
    free(drop);
    rt_state_free(&s);
    return rc;
}

int rt_migrate_stamp_select(retort *r, const rt_state *s, const char *target,
                    unsigned char *want, unsigned char *next)
{
    const retort_history *h = r->h;
    int rc;
    if ((rc = rt_target_upgrade(r, target, s, want)) < 0)
        return rc;
    /* An applied target moves the rows back to it; another is added. */
    memcpy(next, s->applied, h->revision_count);
    for (unsigned i = 0; i < h->revision_count; i++) {
        if (!want[i])
            continue;
        unsigned char *one = calloc(h->revision_count + 1, 1);
        if (!one)
            return rt_fail(r, RETORT_ENOMEM, "out of memory");
        one[i] = 1;
        if (s->applied[i]) {
            rt_graph_close_descendants(h, one, i, 1);
            one[i] = 0;
            for (unsigned k = i; k < h->revision_count; k++)
                if (one[k])
                    next[k] = 0;
        } else {
            rt_graph_close_ancestors(h, one, i, 1);
            for (unsigned k = 0; k <= i; k++)
                if (one[k])
                    next[k] = 1;
        }
        free(one);
    }
    if (strcmp(target, "base") == 0)
        memset(next, 0, h->revision_count);
    return 0;
}

int retort_stamp(retort *r, const char *target, int purge)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    unsigned char *want = NULL, *next = NULL;
    unsigned *to = NULL;
    int locked = 0, rc, nto;
    char sql[512];
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if ((rc = rt_lock_tx_begin(r, "starting a transaction")) < 0)
        goto cleanup;
    if (purge) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", r->vt_sql);
        if ((rc = exec_emit(r, sql)) < 0)
            goto cleanup;
        snprintf(sql, sizeof sql, "DELETE FROM %s", r->rt_sql);
        if ((rc = rt_own_exec(r, sql)) < 0)
            goto cleanup;
    }
    if ((rc = rt_state_read(r, &s)) < 0)
        goto cleanup;
    want = calloc(h->revision_count + 1, 1);
    next = calloc(h->revision_count + 1, 1);
    to = malloc((h->revision_count + 1) * sizeof *to);
    if (!want || !next || !to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_migrate_stamp_select(r, &s, target, want, next)) < 0)
        goto cleanup;
    if ((nto = rt_graph_heads_of(h, next, to)) < 0) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_vt_change(r, s.rows, s.nrows, to, (unsigned)nto, exec_emit, r)) < 0)
        goto cleanup;
    /* The rows of the revisions applied after the stamp follow it too. */
    rt_graph_close_ancestors(h, next, h->revision_count ? h->revision_count - 1 : 0, 1);
    if ((rc = rt_own_sync(r, &s, next)) < 0)
        goto cleanup;
    if (db_commit(r->db) < 0)
        rc = rt_fail_db(r, "committing");
    else
        stamped(r, target, to, (unsigned)nto);
cleanup:
    if (rc < 0 && r->db)
        db_rollback(r->db);
    rt_lock_release(r, locked);
    free(want);
    free(next);
    free(to);
    rt_state_free(&s);
    return rc;
}

int rt_migrate_begin(retort *r, rt_state *s, int *locked)
{
    int rc;
    if ((rc = prepare(r, locked)) < 0 || (rc = rt_state_read(r, s)) < 0)
        return rc;
    if ((rc = rt_state_verify(r, s)) < 0 || (rc = rt_own_refresh(r, s)) < 0)
        return rc;
    return 0;
}

int rt_migrate_move(retort *r, rt_state *s, unsigned x, int down)
{
    int rc = rt_step_move(r, s, x, down);
    return rc < 0 ? rc : 0;
}

void rt_migrate_end(retort *r, rt_state *s, int locked)
{
    rt_lock_release(r, locked);
    rt_state_free(s);
}
