/* step.c: running a revision.  Its statements, one `if` branch or the
 * other (the branches taken kept for retort's own row), checks and
 * application calls; and the move of one revision up or down: its
 * transaction (or, for `transaction none`, the marker row committed
 * first), the version-row change and retort's row batched with it, and
 * on PostgreSQL the hand-off to pipeline.c, which sends the whole
 * revision in one round trip.  Prefix rt_step_. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The statement, whitespace collapsed, cut to about 60 characters. */
static void abbreviate(const char *sql, char *buf, size_t cap)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = sql; *p && n + 4 < cap; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            space = n > 0;
            continue;
        }
        if (space)
            buf[n++] = ' ';
        space = 0;
        buf[n++] = *p;
        if (n >= 60 && p[1]) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
    }
    buf[n] = '\0';
}

/* The first row a check's query returned, as text (take_first). */
typedef struct first_row {
    char text[256];
    int found;
} first_row;

/* Keeps the first row, cells joined by '|', and stops the query. */
static int take_first(void *ctx, int n, const char *const *v)
{
    first_row *f = ctx;
    size_t len = 0;
    f->found = 1;
    for (int i = 0; i < n && len < sizeof f->text; i++) {
        int w = snprintf(f->text + len, sizeof f->text - len, "%s%s",
                         i ? "|" : "", v[i] ? v[i] : "NULL");
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return 1;
}

int rt_step_fail(retort *r, unsigned rev, const char *sql, const db *d)
{
    const retort_revision *v = &r->h->revisions[rev];
    char ab[80], what[RT_ERRMAX];
    abbreviate(sql ? sql : "", ab, sizeof ab);
    snprintf(what, sizeof what, "revision %s (%s)", rt_str(r->h, v->id),
             rt_str_or(r->h, v->file, "?"));
    return rt_fail_db_as(r, d, what, ab);
}


/* ---- the branches conditional blocks took ----------------------------
 *
 * A derived downgrade undoes the branch each `if` of the upgrade took:
 * the condition cannot be asked again, since the upgrade changed what it
 * looks at.  The upgrade records the branches in the `branches` column of
 * its row in retort's own table (one character per `if`, by the key the
 * compiler gave it), written in the revision's own transaction; the
 * downgrade reads them back.  A revision applied without a record (by
 * Alembic, by `stamp`, by an older migrator) is undone as the history
 * implies (the step's `offline` choice), as an offline script does. */

/* The recorded branch of key `key` (decimal): 1, 0, or -1 when unknown. */
static int branch_get(const retort *r, const char *key)
{
    long k = key ? strtol(key, NULL, 10) : 0;
    if (!r->branches || k < 1 || (size_t)k > strlen(r->branches))
        return -1;
    char c = r->branches[k - 1];
    return c == '1' ? 1 : c == '0' ? 0 : -1;
}

/* Records that the `if` of key `key` took `holds`. */
static int branch_set(retort *r, const char *key, int holds)
{
    long k = strtol(key, NULL, 10);
    size_t n = r->branches ? strlen(r->branches) : 0;
    if (k < 1 || k > 1000000)
        return 0;
    if ((size_t)k > n) {
        char *b = realloc(r->branches, (size_t)k + 1);
        if (!b)
            return rt_fail(r, RETORT_ENOMEM, "out of memory");
        memset(b + n, '-', (size_t)k - n);
        b[k] = '\0';
        r->branches = b;
    }
    r->branches[k - 1] = holds ? '1' : '0';
    return 0;
}


int rt_step_run(retort *r, db *d, unsigned rev, unsigned first,
                    unsigned count, int scratch)
{
    const retort_history *h = r->h;
    int loud = r->verbosity > 0 && !scratch;
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &h->steps[i];
        const char *sql = rt_str(h, s->sql);
        int holds = 0;
        first_row f;
        int rc;
        /* Gathering (pipeline.c): a statement waits to go with the rest;
         * what needs the server's answer sends what waits first. */
        rt_pipe *pipe = d == r->db && !scratch ? r->pipe : NULL;
        if (pipe && s->kind != RETORT_STEP_SQL &&
            !(s->kind == RETORT_STEP_IF && s->cond == RETORT_COND_RECORDED) &&
            (rc = rt_pipe_flush(pipe)) < 0)
            return rc;
        switch (s->kind) {
        case RETORT_STEP_SQL:
            if (loud)
                rt_log(r, "%s;", sql);
            if (pipe) {
                if ((rc = rt_pipe_add(pipe, RT_PIPE_STEP, sql, rt_pipe_count(sql), 0)) < 0)
                    return rc;
            } else if (db_exec(d, sql) < 0) {
                return rt_step_fail(r, rev, sql, d);
            }
            break;
        case RETORT_STEP_EXPECT_EMPTY:
            if (loud)
                rt_log(r, "%s;", sql);
            f.found = 0;
            f.text[0] = '\0';
            rc = db_query(d, sql, 0, NULL, take_first, &f);
            if (rc < 0)
                return rt_step_fail(r, rev, sql, d);
            if (f.found) {
                db_failf(d, "check failed: %s", f.text);
                return rt_step_fail(r, rev, sql, d);
            }
            break;
        case RETORT_STEP_IF: {
            char cond[300];
            rt_cond c = rt_cond_of(h, s);
            if (s->cond == RETORT_COND_RECORDED) {
                int rec = branch_get(r, sql);
                holds = rec >= 0 ? rec : s->offline != 0;
                if (loud)
                    rt_log(r, "-- undoing the upgrade's branch of %s: %s (%s)",
                           rt_str_or(h, s->name, "?"), holds ? "true" : "false",
                           rec >= 0 ? "recorded" : "from the history");
            } else {
                if (db_cond(d, &c, &holds) < 0) {
                    rt_script_cond_text(&c, cond, sizeof cond);
                    return rt_step_fail(r, rev, cond, d);
                }
                if (!holds && retort_str(h, s->alias)) {
                    rt_cond also = c;
                    also.name = retort_str(h, s->alias);
                    if (db_cond(d, &also, &holds) < 0) {
                        rt_script_cond_text(&also, cond, sizeof cond);
                        return rt_step_fail(r, rev, cond, d);
                    }
                }
                holds = holds != (s->negate != 0);
                if (loud) {
                    rt_script_cond_text(&c, cond, sizeof cond);
                    rt_log(r, "-- %s: %s", cond, holds ? "true" : "false");
                }
                if (sql && !scratch && (rc = branch_set(r, sql, holds)) < 0)
                    return rc;
            }
            rc = holds ? rt_step_run(r, d, rev, s->then_first, s->then_count, scratch)
                       : rt_step_run(r, d, rev, s->else_first, s->else_count, scratch);
            if (rc < 0)
                return rc;
            break;
        }
        case RETORT_STEP_CALL:
            /* Rows only: the replay that rebuilds a schema skips it. */
            if (!scratch && (rc = rt_call_step(r, d, rev, s, r->moving_down)) < 0)
                return rc;
            break;
        default:
            db_failf(d, "unknown step kind %d", (int)s->kind);
            return rt_step_fail(r, rev, "", d);
        }
    }
    return 0;
}

/* Statements gathered to run as one db_exec(): one round trip on
 * PostgreSQL (a simple query may hold several statements; the first that
 * fails stops the rest, and the transaction around them is rolled back),
 * one sqlite3_exec() on SQLite.  Only for statements without parameters. */
typedef struct batch {
    retort *r;
    rt_buf sql;                /* statements joined by rt_buf_stmt */
    unsigned count;            /* statements */
} batch;

/* Appends a statement (a vt_emit_fn); logs it as rt_vt_exec() would. */
static int batch_add(void *ctx, const char *sql)
{
    batch *b = ctx;
    if (b->r->verbosity > 0)
        rt_log(b->r, "%s;", sql);
    rt_buf_stmt(&b->sql, sql);
    b->count++;
    return rt_buf_failed(b->r, &b->sql);
}

/* Runs what was gathered (nothing when empty) and empties the batch;
 * while a revision gathers its statements (r->pipe), it joins them. */
static int batch_run(batch *b)
{
    int rc = 0;
    if (b->sql.n && b->r->pipe)
        rc = rt_pipe_add(b->r->pipe, RT_PIPE_BOOK, b->sql.p, b->count, 1);
    else if (b->sql.n && db_exec(b->r->db, b->sql.p) < 0)
        rc = rt_fail_db(b->r, "updating the version table");
    rt_buf_clear(&b->sql);
    b->count = 0;
    return rc;
}

/* The failure of a move another migrator made pointless (through a
 * pooler, where migrators take turns per revision): `why` says what
 * changed. */
static int moved_meanwhile(retort *r, unsigned x, const char *why, unsigned other)
{
    const retort_history *h = r->h;
    return rt_fail(r, RETORT_ERROR, "another migrator moved the database while this "
                   "one ran: revision %s %s; stopped before moving %s (nothing of it "
                   "ran): run the command again", rt_str(h, h->revisions[other].id),
                   why, rt_str(h, h->revisions[x].id));
}

/* Through a pooler, inside the transaction that moves revision x and
 * under the lock it took: the state read again, since other migrators
 * may have moved the database since this one last looked.  *skip when x
 * is already where this move would put it (another migrator did it);
 * a failure when the move no longer fits (what x builds on was removed,
 * or something built on x was applied), or when the records refuse it
 * (rt_state_verify(): a `transaction none` revision another migrator is running
 * looks, through a pooler, just like an interrupted one). */
static int pooled_recheck(retort *r, rt_state *s, unsigned x, int down, int *skip)
{
    const retort_history *h = r->h;
    rt_state fresh = {0};
    long p;
    int rc, was_down;
    *skip = 0;
    if ((rc = rt_state_read(r, &fresh)) < 0) {
        rt_state_free(&fresh);
        return rc;
    }
    if ((rc = rt_state_verify(r, &fresh)) < 0) {
        if (rt_state_interrupted(r, &fresh, &was_down) >= 0) {
            char msg[RT_ERRMAX];
            memcpy(msg, r->err, sizeof msg);
            rc = rt_fail(r, rc, "%s (through a connection pooler this may also be "
                         "another migrator running that revision now: then wait for "
                         "it, and run the command again)", msg);
        }
        rt_state_free(&fresh);
        return rc;
    }
    rt_state_free(s);
    *s = fresh;
    if (s->applied[x] == (down ? 0 : 1)) {
        *skip = 1;
        return 0;
    }
    if (!down) {
        for (unsigned k = 0; (p = rt_graph_pred(h, x, k)) >= 0; k++)
            if (!s->applied[p])
                return moved_meanwhile(r, x, "is no longer applied", (unsigned)p);
    } else if (s->kids[x] > 0) {
        for (unsigned k = x + 1; k < h->revision_count; k++)
            for (unsigned j = 0; s->applied[k] && (p = rt_graph_pred(h, k, j)) >= 0; j++)
                if ((unsigned)p == x)
                    return moved_meanwhile(r, x, "was applied on top of it", k);
        return moved_meanwhile(r, x, "has a revision applied on top of it", x);
    }
    return 0;
}

/* Whether a script has an `if` at its top level (a downgrade's may read
 * the branches its upgrade recorded; nested ones sit inside one). */
static int script_has_if(const retort_history *h, const retort_script *sc)
{
    for (unsigned i = sc->first; i < sc->first + sc->count; i++)
        if (h->steps[i].kind == RETORT_STEP_IF)
            return 1;
    return 0;
}

/* Applies (or removes) one revision with its version-row change and its
 * row in retort's own table, in one transaction; a `transaction none`
 * revision is bracketed by a marker row committed before it starts.
 * 1 when, through a pooler, another migrator had already done it. */
int rt_step_move(retort *r, rt_state *s, unsigned x, int down)
{
    const retort_history *h = r->h;
    const retort_revision *v = &h->revisions[x];
    const char *message = rt_str_or(h, v->message, "");
    enum retort_dialect d = r->db->dialect;
    const retort_script *sc = down ? &v->downgrade[d] : &v->upgrade[d];
    unsigned *to = NULL, nto = 0;
    batch b = {r, {0}, 0};
    rt_pipe pipe;
    char parents[512];
    int tx = 0, rc = 0, marked = 0, started = 0;
    int piped = rt_pipe_fits(r, v);

    /* *s is not re-read here: the caller read it after taking the
     * migration lock (so a migrator that waited for the lock sees what the
     * other one did), and while we hold the lock no other migrator moves
     * the rows; *s follows our own changes.  Re-reading cost a round trip
     * per revision. */
    rt_pipe_init(&pipe, r, x);
    if (s->applied[x] == (down ? 0 : 1))
        goto cleanup;
    /* Gathered (pipeline.c), BEGIN goes with the statements; through a
     * pooler it takes the lock, and the state is read again, first. */
    if (piped && !r->pooled)
        rc = rt_pipe_add(&pipe, RT_PIPE_BEGIN, "BEGIN", 1, 0);
    else
        rc = rt_lock_tx_begin(r, "starting a transaction");
    if (rc < 0)
        goto cleanup;
    tx = 1;
    if (r->pooled) {
        int skip = 0;
        if ((rc = pooled_recheck(r, s, x, down, &skip)) < 0)
            goto cleanup;
        if (skip) {
            db_rollback(r->db);     /* nothing written; ends the lock */
            tx = 0;
            rc = 1;
            goto cleanup;
        }
    }
    /* Down: the branches the upgrade took, before anything (a marker
     * row included) rewrites the row.  Up: recorded afresh. */
    if (piped)
        r->pipe = &pipe;
    free(r->branches);
    r->branches = NULL;
    if (down && script_has_if(h, sc) &&
        ((rc = rt_pipe_flush(r->pipe)) < 0 || (rc = rt_own_branches_load(r, x)) < 0))
        goto cleanup;
    rt_graph_parents_text(h, x, parents, sizeof parents);
    if (down)
        rt_progress_line(r, "Running downgrade %s -> %s%s%s", rt_str(h, v->id), parents,
                         message[0] ? ", " : "", message);
    else
        rt_progress_line(r, "Running upgrade %s -> %s%s%s", parents, rt_str(h, v->id),
                         message[0] ? ", " : "", message);
    started = 1;
    if (!v->transactional) {
        /* The marker, committed before the first statement runs. */
        if ((rc = rt_own_record(r, x, down ? RT_MARK_DOWNGRADING : RT_MARK_UPGRADING,
                             rt_own_emit, r)) < 0)
            goto cleanup;
        if (db_commit(r->db) < 0) {
            rc = rt_fail_db(r, "committing");
            goto cleanup;
        }
        tx = 0;
        marked = 1;
        s->mark[x] = down ? RT_MARK_DOWNGRADING : RT_MARK_UPGRADING;
    }
    r->moving_down = down;
    rc = rt_step_run(r, r->db, x, sc->first, sc->count, 0);
    r->moving_down = 0;
    if (rc < 0)
        goto cleanup;
    if (!tx) {
        if ((rc = rt_lock_tx_begin(r, "starting a transaction")) < 0)
            goto cleanup;
        tx = 1;
    }
    to = malloc((s->nrows + v->parents_count + v->depends_count + 1) * sizeof *to);
    if (!to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    nto = rt_vt_next_rows(h, s->rows, s->nrows, s->kids, x, down, to);
    /* The version-row change and retort's row together: one round trip. */
    if ((rc = rt_vt_change(r, s->rows, s->nrows, to, nto, batch_add, &b)) < 0)
        goto cleanup;
    if ((rc = down ? rt_own_forget(r, x, batch_add, &b)
                   : rt_own_record(r, x, RT_MARK_APPLIED, batch_add, &b)) < 0)
        goto cleanup;
    if ((rc = batch_run(&b)) < 0)
        goto cleanup;
    if (r->pipe) {
        if ((rc = rt_pipe_add(r->pipe, RT_PIPE_COMMIT, "COMMIT", 1, 0)) < 0 ||
            (rc = rt_pipe_flush(r->pipe)) < 0)
            goto cleanup;
    } else if (db_commit(r->db) < 0) {
        rc = rt_fail_db(r, "committing");
        goto cleanup;
    }
    tx = 0;
    /* Our own change, applied to the cached state (which takes `to`). */
    rt_state_moved(r, s, x, down, to, nto);
    to = NULL;
cleanup:
    r->pipe = NULL;
    rt_pipe_free(&pipe);
    if (tx) {
        if (rc == 0 && db_commit(r->db) < 0)
            rc = rt_fail_db(r, "committing");
        if (rc < 0)
            db_rollback(r->db);
    }
    if (started)
        rt_progress_done(r, rc == 0);
    /* Every failure names the revision (rt_step_fail already does). */
    if (rc < 0 && strncmp(r->err, "revision ", 9) != 0) {
        char msg[RT_ERRMAX];
        memcpy(msg, r->err, sizeof msg);
        rc = rt_fail(r, rc, "revision %s (%s): %s", rt_str(h, v->id),
                     rt_str_or(h, v->file, "?"), msg);
    }
    /* Outside a transaction, nothing was rolled back: the marker stays,
     * and the next run refuses until `stamp`; say so now. */
    if (rc < 0 && marked) {
        char msg[RT_ERRMAX];
        memcpy(msg, r->err, sizeof msg);
        rc = rt_fail(r, rc, "%s (the revision runs outside a transaction: the "
                     "database may hold part of it; repair it, then 'stamp')", msg);
    }
    free(to);
    rt_buf_free(&b.sql);
    free(r->branches);
    r->branches = NULL;
    return rc;
}

