/* fresh.c: an upgrade of an empty database through the history's
 * snapshot (retort_snapshot, ABI 7) instead of a replay of every revision
 * up to its fold point.
 *
 * Why: replaying N revisions costs N transactions and, on SQLite, a
 * re-parse of the whole schema after every ALTER TABLE ADD COLUMN, so a
 * fresh file grows as N^2; the snapshot is one CREATE per object.
 *
 * When (all of them, else the upgrade replays as before):
 *   - the history has a snapshot, and the upgrade applies every revision
 *     of its prefix revisions[0 .. count) (the target is at or past it);
 *   - the database holds nothing: no version row, no row in retort's own
 *     table, and no object of the user's (SQLite: nothing in sqlite_schema
 *     but the two bookkeeping tables; PostgreSQL: no relation, user type,
 *     function, extension but plpgsql, nor schema but public and the
 *     session's own);
 *   - no connection pooler sits between (step.c re-reads the state
 *     under the per-transaction lock there; the fold does not);
 *   - RETORT_REPLAY is unset, empty or "0".
 * What: in ONE transaction, the snapshot's DDL, the version row of the
 * fold point and one `applied` row per folded revision in retort's own
 * table with the checksum a replay records (branches NULL: a folded
 * revision has no `if`).  Either all of it commits or nothing does.  The
 * runtime then replays from the fold point on, as usual.  The progress
 * lines are the replay's ("Running upgrade A -> B, message" per folded
 * revision), printed once the transaction committed.  One exception to
 * "a failing snapshot fails the upgrade": PostgreSQL's lock table
 * overflowing (53200, thousands of relations in one transaction) rolls
 * back, says so, and replays. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* rt_vt_change's sink: the statement joins the batch. */
static int batch_emit(void *ctx, const char *sql)
{
    rt_buf_stmt(ctx, sql);
    return 0;
}

static int take_count(void *ctx, int n, const char *const *v)
{
    *(long *)ctx = n > 0 && v[0] ? atol(v[0]) : -1;
    return 0;
}

/* The table part of a possibly schema-qualified name. */
static const char *unqualified(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? dot + 1 : name;
}

/* *empty = 1 when the database holds nothing but the version table and
 * retort's own (with their indexes). */
static int database_empty(retort *r, int *empty)
{
    const char *vt = unqualified(r->vt), *rt = unqualified(r->rt);
    char key[300], markers[300], vkey[300];
    rt_buf q = {0};
    long n = -1;
    int rc = 0;
    *empty = 0;
    snprintf(vkey, sizeof vkey, "%s_pkc", vt);
    snprintf(key, sizeof key, "%s_pkc", rt);
    snprintf(markers, sizeof markers, "%s_markers", rt);
    if (r->db->dialect == RETORT_SQLITE) {
        rt_buf_put(&q, "SELECT count(*) FROM sqlite_schema WHERE tbl_name NOT IN (");
        rt_buf_lit(&q, vt);
        rt_buf_put(&q, ", ");
        rt_buf_lit(&q, rt);
        rt_buf_put(&q, ")");
    } else {
        rt_buf_put(&q, "SELECT (SELECT count(*) FROM pg_catalog.pg_class c "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                   "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                   "AND c.relname NOT IN (");
        rt_buf_lit(&q, vt);
        rt_buf_put(&q, ", ");
        rt_buf_lit(&q, rt);
        rt_buf_put(&q, ", ");
        rt_buf_lit(&q, vkey);
        rt_buf_put(&q, ", ");
        rt_buf_lit(&q, key);
        rt_buf_put(&q, ", ");
        rt_buf_lit(&q, markers);
        rt_buf_put(&q, ")) + (SELECT count(*) FROM pg_catalog.pg_type t "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                   "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                   "AND t.typtype IN ('e', 'd', 'r', 'm', 'p') AND t.typrelid = 0) "
                   "+ (SELECT count(*) FROM pg_catalog.pg_proc p "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                   "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')) "
                   "+ (SELECT count(*) FROM pg_catalog.pg_extension "
                   "WHERE extname <> 'plpgsql') "
                   "+ (SELECT count(*) FROM pg_catalog.pg_namespace "
                   "WHERE nspname NOT LIKE 'pg\\_%' "
                   "AND nspname NOT IN ('information_schema', 'public') "
                   "AND nspname <> current_schema())");
    }
    if ((rc = rt_buf_failed(r, &q)) < 0)
        goto cleanup;
    if (db_query(r->db, q.p, 0, NULL, take_count, &n) < 0) {
        rc = rt_fail_db(r, "looking whether the database is empty");
        goto cleanup;
    }
    *empty = n == 0;
cleanup:
    rt_buf_free(&q);
    return rc;
}

/* Whether the snapshot may be used for this upgrade (the rules at the
 * top, but the emptiness of the database). */
static const retort_snapshot *usable(retort *r, const rt_state *s,
                                     const unsigned char *want)
{
    const retort_history *h = r->h;
    const char *replay = getenv("RETORT_REPLAY");
    const retort_snapshot *snap;
    if (replay && *replay && strcmp(replay, "0") != 0)
        return NULL;
    if (!h->snapshot_count || r->pooled || s->nrows)
        return NULL;
    if (r->db->dialect == RETORT_SQLITE && strchr(r->vt, '.'))
        return NULL;      /* an attached database: not looked at */
    snap = &h->snapshots[0];
    if (snap->count == 0 || snap->count > h->revision_count ||
        snap->revision != snap->count - 1)
        return NULL;
    for (unsigned i = 0; i < h->revision_count; i++)
        if (s->applied[i] || s->mark[i] != RT_MARK_NONE)
            return NULL;
    for (unsigned i = 0; i < snap->count; i++)
        if (!want[i])
            return NULL;
    return snap;
}

/* The rows of retort's own table for revisions[0 .. count), appended to
 * the batch as rt_own_applied_sql statements. */
static void own_rows(retort *r, unsigned count, rt_buf *b)
{
    unsigned revs[RT_OWN_ROWS];
    for (unsigned i = 0; i < count; i += RT_OWN_ROWS) {
        unsigned n = count - i < RT_OWN_ROWS ? count - i : RT_OWN_ROWS;
        for (unsigned k = 0; k < n; k++)
            revs[k] = i + k;
        rt_own_applied_sql(r, b, revs, n);
    }
}

/* The cached state after the fold: what rt_step_move() leaves after each of
 * revisions[0 .. count). */
static int state_after(retort *r, rt_state *s, const retort_snapshot *snap)
{
    const retort_history *h = r->h;
    unsigned *rows = malloc(sizeof *rows);
    long p;
    if (!rows)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    rows[0] = snap->revision;
    free(s->rows);
    s->rows = rows;
    s->nrows = 1;
    for (unsigned i = 0; i < snap->count; i++) {
        s->applied[i] = 1;
        s->mark[i] = RT_MARK_APPLIED;
        snprintf(s->sums + (size_t)i * 65, 65, "%s", rt_own_checksum(r, &h->revisions[i]));
        for (unsigned k = 0; (p = rt_graph_pred(h, i, k)) >= 0; k++)
            s->kids[p]++;
    }
    return 0;
}

int rt_fresh_upgrade(retort *r, rt_state *s, const unsigned char *want,
                     unsigned *moved)
{
    const retort_history *h = r->h;
    const retort_snapshot *snap = usable(r, s, want);
    const retort_script *sc;
    unsigned to;
    rt_buf b = {0};
    rt_pipe pipe;
    int empty = 0, tx = 0, rc = 0;
    if (!snap)
        return 0;
    rt_pipe_init(&pipe, r, snap->revision);
    sc = &snap->script[r->db->dialect];
    if (db_begin(r->db) < 0) {
        rc = rt_fail_db(r, "starting a transaction");
        goto cleanup;
    }
    tx = 1;
    /* Looked at inside the transaction: on SQLite it holds the write
     * lock (BEGIN IMMEDIATE); on PostgreSQL the migration lock is held. */
    if ((rc = database_empty(r, &empty)) < 0 || !empty)
        goto cleanup;
    if (r->verbosity > 0)
        rt_log(r, "-- an empty database: revisions 1 to %u built from the schema at %s "
               "(RETORT_REPLAY=1 replays them one by one)", snap->count,
               rt_str(h, h->revisions[snap->revision].id));
    /* On PostgreSQL the statements go together (pipeline.c): one round
     * trip for the whole schema, not one per table. */
    if (r->db->dialect == RETORT_POSTGRESQL)
        r->pipe = &pipe;
    rc = rt_step_run(r, r->db, snap->revision, sc->first, sc->count, 0);
    if (rc == 0)
        rc = rt_pipe_flush(r->pipe);
    r->pipe = NULL;
    if (rc < 0) {
        char msg[RT_ERRMAX];
        if (strcmp(r->db->code, "53200") == 0) {
            /* PostgreSQL's lock table is full: one transaction creating
             * thousands of relations holds a lock on each, and the table
             * has max_locks_per_transaction x (max_connections +
             * max_prepared_transactions) slots.  Nothing was written; the
             * replay commits per revision and needs few. */
            db_rollback(r->db);
            tx = 0;
            rt_log(r, "-- the schema at %s is too large for one transaction on this "
                   "server (out of shared memory: max_locks_per_transaction); "
                   "replaying the revisions one by one",
                   rt_str(h, h->revisions[snap->revision].id));
            rc = 0;
            goto cleanup;
        }
        memcpy(msg, r->err, sizeof msg);
        rc = rt_fail(r, rc, "%s (building the schema at revision %s from the "
                     "history's snapshot; nothing was written: RETORT_REPLAY=1 "
                     "replays the revisions one by one)", msg,
                     rt_str(h, h->revisions[snap->revision].id));
        goto cleanup;
    }
    to = snap->revision;
    if ((rc = rt_vt_change(r, NULL, 0, &to, 1, batch_emit, &b)) < 0)
        goto cleanup;
    own_rows(r, snap->count, &b);
    if ((rc = rt_buf_failed(r, &b)) < 0)
        goto cleanup;
    if (r->verbosity > 0)
        rt_log(r, "%s;", b.p);
    if (db_exec(r->db, b.p) < 0) {
        rc = rt_fail_db(r, "updating the version table");
        goto cleanup;
    }
    if (db_commit(r->db) < 0) {
        rc = rt_fail_db(r, "committing");
        goto cleanup;
    }
    tx = 0;
    if ((rc = state_after(r, s, snap)) < 0)
        goto cleanup;
    for (unsigned i = 0; i < snap->count; i++) {
        const retort_revision *v = &h->revisions[i];
        const char *message = rt_str_or(h, v->message, "");
        char parents[512];
        rt_graph_parents_text(h, i, parents, sizeof parents);
        rt_progress_line(r, "Running upgrade %s -> %s%s%s", parents, rt_str(h, v->id),
                         message[0] ? ", " : "", message);
        rt_progress_done(r, 1);
    }
    *moved += snap->count;
cleanup:
    if (tx)
        db_rollback(r->db);
    rt_pipe_free(&pipe);
    rt_buf_free(&b);
    return rc;
}
