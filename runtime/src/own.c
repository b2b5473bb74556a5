/* own.c: the rows of retort's own table (migrate.c says what they hold):
 * the checksum each revision is recorded with, and the statements that
 * record, forget, refresh and re-sync those rows, and read back the
 * branches an upgrade's `if`s took.  Prefix rt_own_. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A checksum as the history holds it, or "" when it is not usable
 * (hand-written histories; anything but 1 to 64 hex digits, since it is
 * pasted into SQL). */
static const char *usable_sum(const retort_history *h, unsigned off)
{
    const char *sum = rt_str(h, off);
    size_t n = sum ? strspn(sum, "0123456789abcdefABCDEF") : 0;
    return n > 0 && n <= 64 && sum[n] == '\0' ? sum : "";
}

/* The history's checksum, as retort records it for this dialect. */
const char *rt_own_checksum(const retort *r, const retort_revision *v)
{
    return usable_sum(r->h, v->checksum[r->db->dialect]);
}

/* Is `rec`, a recorded checksum, the ABI 2 form of revision v's?  That
 * form hashed rendered SQL; databases an older migrator moved hold it. */
int rt_own_legacy(const retort *r, const retort_revision *v, const char *rec)
{
    const char *old = usable_sum(r->h, v->legacy_checksum);
    return old[0] && strcmp(rec, old) == 0;
}

/* One statement on retort's own table, shown with -v. */
int rt_own_exec(retort *r, const char *sql)
{
    return rt_vt_exec(r, sql, "updating retort's revision table");
}

/* rt_own_exec as a vt_emit_fn. */
int rt_own_emit(void *ctx, const char *sql)
{
    return rt_own_exec(ctx, sql);
}

/* The word of retort's `state` column for a mark. */
static const char *mark_word(int mark)
{
    return mark == RT_MARK_UPGRADING ? "upgrading"
         : mark == RT_MARK_DOWNGRADING ? "downgrading" : "applied";
}

/* Hands fn the statement recording revision x in retort's own table with
 * state `mark`. */
int rt_own_record(retort *r, unsigned x, int mark, vt_emit_fn fn, void *ctx)
{
    const retort_revision *v = &r->h->revisions[x];
    const char *br = r->branches;
    size_t cap = 768 + (br ? strlen(br) : 0);
    char lit[80], *sql;
    int rc = rt_vt_id_lit(r, v->id, lit, sizeof lit);
    if (rc < 0)
        return rc;
    if (!(sql = malloc(cap)))
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    /* r->branches holds only 0, 1 and -: safe between quotes. */
    snprintf(sql, cap,
             "INSERT INTO %s (revision, checksum, state, branches) VALUES "
             "(%s, '%s', '%s', %s%s%s) "
             "ON CONFLICT (revision) DO UPDATE SET checksum = excluded.checksum, "
             "state = excluded.state, branches = excluded.branches, "
             "applied_at = CURRENT_TIMESTAMP",
             r->rt_sql, lit, rt_own_checksum(r, v), mark_word(mark),
             br ? "'" : "", br ? br : "NULL", br ? "'" : "");
    rc = fn(ctx, sql);
    free(sql);
    return rc;
}

/* Hands fn the statement removing revision x from retort's own table. */
int rt_own_forget(retort *r, unsigned x, vt_emit_fn fn, void *ctx)
{
    char sql[512], lit[80];
    int rc = rt_vt_id_lit(r, r->h->revisions[x].id, lit, sizeof lit);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE revision = %s", r->rt_sql, lit);
    return fn(ctx, sql);
}

/* A row of the branches query: r->branches, when it holds only what
 * rt_own_record may paste between quotes. */
static int take_branches(void *ctx, int n, const char *const *v)
{
    retort *r = ctx;
    free(r->branches);
    r->branches = NULL;
    if (n >= 1 && v[0] && strspn(v[0], "01-") == strlen(v[0]) &&
        !(r->branches = strdup(v[0])))
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    return 0;
}

/* Reads the branches recorded for revision x into r->branches. */
int rt_own_branches_load(retort *r, unsigned x)
{
    char sql[512], lit[80];
    int rc = rt_vt_id_lit(r, r->h->revisions[x].id, lit, sizeof lit);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql, "SELECT branches FROM %s WHERE revision = %s",
             r->rt_sql, lit);
    if ((rc = db_query(r->db, sql, 0, NULL, take_branches, r)) < 0)
        return rc == RETORT_ENOMEM ? rc
             : rt_fail_db(r, "reading retort's revision table");
    return 0;
}

/* Replaces every recorded checksum of the ABI 2 form with this history's
 * per-dialect form, in one transaction, after rt_state_verify() accepted
 * them: the database then holds what an edit of the other dialect's
 * statements does not change.  Run under the migration lock. */
int rt_own_refresh(retort *r, rt_state *s)
{
    const retort_history *h = r->h;
    int tx = 0, rc = 0;
    for (unsigned i = 0; i < h->revision_count && rc == 0; i++) {
        const retort_revision *v = &h->revisions[i];
        char *rec = s->sums + (size_t)i * 65, sql[512], lit[80];
        const char *now = rt_own_checksum(r, v);
        if (s->mark[i] != RT_MARK_APPLIED || !now[0] || strcmp(rec, now) == 0 ||
            !rt_own_legacy(r, v, rec))
            continue;
        if (!tx && (rc = rt_lock_tx_begin(r, "starting a transaction")) < 0)
            break;
        tx = 1;
        if ((rc = rt_vt_id_lit(r, v->id, lit, sizeof lit)) < 0)
            break;
        snprintf(sql, sizeof sql, "UPDATE %s SET checksum = '%s' WHERE revision = %s",
                 r->rt_sql, now, lit);
        if ((rc = rt_own_exec(r, sql)) == 0)
            snprintf(rec, 65, "%s", now);
    }
    if (tx && rc == 0 && db_commit(r->db) < 0)
        rc = rt_fail_db(r, "recording checksums");
    if (tx && rc < 0)
        db_rollback(r->db);
    return rc;
}

void rt_own_applied_sql(retort *r, rt_buf *b, const unsigned *revs, unsigned n)
{
    if (b->n)
        rt_buf_put(b, ";\n");
    rt_buf_add(b, "INSERT INTO %s (revision, checksum, state) VALUES ", r->rt_sql);
    for (unsigned i = 0; i < n; i++) {
        const retort_revision *v = &r->h->revisions[revs[i]];
        rt_buf_put(b, i ? ", (" : "(");
        rt_buf_lit(b, rt_str(r->h, v->id));
        rt_buf_put(b, ", ");
        rt_buf_lit(b, rt_own_checksum(r, v));
        rt_buf_put(b, ", 'applied')");
    }
    rt_buf_put(b, " ON CONFLICT (revision) DO UPDATE SET checksum = excluded.checksum, "
               "state = excluded.state, applied_at = CURRENT_TIMESTAMP");
}

/* Makes retort's own rows say what `next` says: every revision applied
 * after a stamp carries the history's checksum, no other keeps a row,
 * and no marker survives.  Batched: a stamp may record thousands. */
int rt_own_sync(retort *r, const rt_state *s, const unsigned char *next)
{
    const retort_history *h = r->h;
    rt_buf del = {0}, ins = {0};
    unsigned ndel = 0, nins = 0, revs[RT_OWN_ROWS];
    int rc = 0;
    char sql[512];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE state <> 'applied'", r->rt_sql);
    if ((rc = rt_own_exec(r, sql)) < 0)
        goto cleanup;
    for (unsigned i = 0; i <= h->revision_count && rc == 0; i++) {
        const retort_revision *v = i < h->revision_count ? &h->revisions[i] : NULL;
        int last = i == h->revision_count;
        if (v && next[i] && !(s->mark[i] == RT_MARK_APPLIED &&
                              strcmp(s->sums + (size_t)i * 65, rt_own_checksum(r, v)) == 0)) {
            revs[nins++] = i;
        } else if (v && !next[i] && s->mark[i] == RT_MARK_APPLIED) {
            if (ndel++ == 0)
                rt_buf_add(&del, "DELETE FROM %s WHERE revision IN (", r->rt_sql);
            else
                rt_buf_put(&del, ", ");
            rt_buf_lit(&del, rt_str(h, v->id));
        }
        if (ndel && (ndel == RT_OWN_ROWS || last)) {
            rt_buf_put(&del, ")");
            if ((rc = rt_buf_failed(r, &del)) < 0)
                break;
            rc = rt_own_exec(r, del.p);
            rt_buf_clear(&del);
            ndel = 0;
        }
        if (rc == 0 && nins && (nins == RT_OWN_ROWS || last)) {
            rt_own_applied_sql(r, &ins, revs, nins);
            if ((rc = rt_buf_failed(r, &ins)) < 0)
                break;
            rc = rt_own_exec(r, ins.p);
            rt_buf_clear(&ins);
            nins = 0;
        }
    }
cleanup:
    rt_buf_free(&del);
    rt_buf_free(&ins);
    return rc;
}
