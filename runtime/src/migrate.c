/* migrate.c: upgrade, downgrade, stamp, current and check on a live
 * database, and the version table they maintain (Alembic's). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the version table ---------------------------------------------- */

/* The table part of a possibly schema-qualified name. */
static const char *table_part(const char *vt)
{
    const char *dot = strchr(vt, '.');
    return dot ? dot + 1 : vt;
}

void rt_vt_create_sql(const retort *r, int if_not_exists, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "CREATE TABLE %s%s (\n    version_num VARCHAR(32) NOT NULL, \n"
             "    CONSTRAINT %s_pkc PRIMARY KEY (version_num)\n)",
             if_not_exists ? "IF NOT EXISTS " : "", r->vt, table_part(r->vt));
}

static int contains(const unsigned *set, unsigned n, unsigned x)
{
    for (unsigned i = 0; i < n; i++)
        if (set[i] == x)
            return 1;
    return 0;
}

int rt_vt_change(retort *r, const unsigned *from, unsigned nfrom,
              const unsigned *to, unsigned nto, vt_emit_fn fn, void *ctx)
{
    const retort_revision *revs = r->h->revisions;
    const char *t = table_part(r->vt);
    unsigned *removed = malloc((nfrom + 1) * sizeof *removed);
    unsigned *added = malloc((nto + 1) * sizeof *added), nr = 0, na = 0;
    char sql[512];
    int rc = 0;
    if (!removed || !added) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (unsigned i = 0; i < nfrom; i++)
        if (!contains(to, nto, from[i]))
            removed[nr++] = from[i];
    for (unsigned i = 0; i < nto; i++)
        if (!contains(from, nfrom, to[i]))
            added[na++] = to[i];
    /* Alembic moves a row with UPDATE when one head replaces another. */
    for (unsigned i = 0; i < nr && rc == 0; i++) {
        if (i == nr - 1 && na > 0)
            snprintf(sql, sizeof sql,
                     "UPDATE %s SET version_num='%s' WHERE %s.version_num = '%s'",
                     r->vt, revs[added[0]].id, t, revs[removed[i]].id);
        else
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s.version_num = '%s'",
                     r->vt, t, revs[removed[i]].id);
        rc = fn(ctx, sql);
    }
    for (unsigned i = nr > 0 ? 1 : 0; i < na && rc == 0; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO %s (version_num) VALUES ('%s')",
                 r->vt, revs[added[i]].id);
        rc = fn(ctx, sql);
    }
cleanup:
    free(removed);
    free(added);
    return rc;
}

unsigned rt_vt_next_rows(const retort_history *h, const unsigned *rows,
                      unsigned nrows, const unsigned *kids, unsigned x,
                      int down, unsigned *to)
{
    const retort_revision *v = &h->revisions[x];
    unsigned nto = 0;
    /* Up: x's parents give way to x.  Down: x gives way to those of its
     * parents that no other applied revision still builds on. */
    for (unsigned i = 0; i < nrows; i++) {
        unsigned row = rows[i];
        int keep = down ? row != x : 1;
        for (unsigned k = 0; !down && k < v->parents_count; k++)
            if (h->refs[v->parents_first + k] == row)
                keep = 0;
        if (keep)
            to[nto++] = row;
    }
    if (!down) {
        to[nto++] = x;
    } else {
        for (unsigned k = 0; k < v->parents_count; k++) {
            unsigned p = h->refs[v->parents_first + k];
            if (kids[p] == 1 && !contains(to, nto, p))
                to[nto++] = p;
        }
    }
    return nto;
}

/* ---- the state read from the database -------------------------------- */

typedef struct state {
    unsigned *rows;            /* version rows as revision indices, sorted */
    unsigned nrows;
    unsigned char *applied;    /* closure of rows over parents and depends */
    unsigned *kids;            /* applied children (by parent edge) */
} state;

static void state_free(state *s)
{
    free(s->rows);
    free(s->applied);
    free(s->kids);
    memset(s, 0, sizeof *s);
}

typedef struct rows_ctx {
    retort *r;
    unsigned *rows;
    unsigned n, cap;
    int rc;
} rows_ctx;

static int take_row(void *ctx, int n, const char *const *v)
{
    rows_ctx *c = ctx;
    long i;
    if (n < 1 || !v[0])
        return 0;
    i = rt_graph_find(c->r->h, v[0]);
    if (i < 0) {
        c->rc = rt_fail(c->r, RETORT_ERROR,
                        "the database is at revision '%s', which this history "
                        "does not have", v[0]);
        return 1;
    }
    if (c->n == c->cap) {
        unsigned *g = realloc(c->rows, (c->cap * 2 + 4) * sizeof *g);
        if (!g) {
            c->rc = rt_fail(c->r, RETORT_ENOMEM, "out of memory");
            return 1;
        }
        c->rows = g;
        c->cap = c->cap * 2 + 4;
    }
    c->rows[c->n++] = (unsigned)i;
    return 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static int vt_exists(retort *r, int *exists)
{
    retort_step s = {0};
    char schema[128];
    const char *dot = strchr(r->vt, '.');
    s.kind = RETORT_STEP_IF;
    s.cond = RETORT_COND_TABLE_EXISTS;
    s.table = r->vt;
    if (dot) {
        memcpy(schema, r->vt, (size_t)(dot - r->vt));
        schema[dot - r->vt] = '\0';
        s.schema = schema;
        s.table = dot + 1;
    }
    if (db_cond(r->db, &s, exists) < 0)
        return rt_fail_db(r, "reading the version table");
    return 0;
}

/* Reads the version rows (none when the table is missing), sorted. */
static int read_rows(retort *r, unsigned **out, unsigned *n)
{
    rows_ctx c = {r, NULL, 0, 0, 0};
    char sql[256];
    int exists = 0, rc;
    *out = NULL;
    *n = 0;
    if ((rc = vt_exists(r, &exists)) < 0)
        return rc;
    if (!exists)
        return 0;
    snprintf(sql, sizeof sql, "SELECT version_num FROM %s", r->vt);
    rc = db_query(r->db, sql, 0, NULL, take_row, &c);
    if (c.rc < 0) {
        free(c.rows);
        return c.rc;
    }
    if (rc < 0) {
        free(c.rows);
        return rt_fail_db(r, "reading the version table");
    }
    if (c.n > 1)
        qsort(c.rows, c.n, sizeof *c.rows, cmp_unsigned);
    *out = c.rows;
    *n = c.n;
    return 0;
}

/* Rebuilds applied[] and kids[] from rows. */
static int state_derive(retort *r, state *s)
{
    const retort_history *h = r->h;
    unsigned hi = 0;
    free(s->applied);
    free(s->kids);
    s->applied = calloc(h->revision_count + 1, 1);
    s->kids = calloc(h->revision_count + 1, sizeof *s->kids);
    if (!s->applied || !s->kids)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    for (unsigned i = 0; i < s->nrows; i++) {
        s->applied[s->rows[i]] = 1;
        if (s->rows[i] > hi)
            hi = s->rows[i];
    }
    if (s->nrows)
        rt_graph_close_ancestors(h, s->applied, hi);
    for (unsigned i = 0; i <= hi && i < h->revision_count; i++) {
        const retort_revision *v = &h->revisions[i];
        if (!s->applied[i])
            continue;
        for (unsigned k = 0; k < v->parents_count; k++)
            s->kids[h->refs[v->parents_first + k]]++;
    }
    return 0;
}

static int state_read(retort *r, state *s)
{
    int rc;
    state_free(s);
    if ((rc = read_rows(r, &s->rows, &s->nrows)) < 0)
        return rc;
    return state_derive(r, s);
}

/* Re-reads the rows inside a transaction; derives again only when another
 * migrator changed them, so a long upgrade stays linear. */
static int state_refresh(retort *r, state *s)
{
    unsigned *rows, n;
    int rc = read_rows(r, &rows, &n);
    if (rc < 0)
        return rc;
    if (n == s->nrows && (n == 0 || memcmp(rows, s->rows, n * sizeof *rows) == 0)) {
        free(rows);
        return 0;
    }
    free(s->rows);
    s->rows = rows;
    s->nrows = n;
    return state_derive(r, s);
}

/* ---- running steps ---------------------------------------------------- */

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

typedef struct first_row {
    char text[256];
    int found;
} first_row;

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

static int step_fail(retort *r, unsigned rev, const char *sql, const char *msg)
{
    const retort_revision *v = &r->h->revisions[rev];
    char ab[80];
    abbreviate(sql ? sql : "", ab, sizeof ab);
    return rt_fail(r, RETORT_ERROR, "revision %s (%s): %s : %s", v->id,
                   v->file ? v->file : "?", ab, msg);
}

/* Runs steps[first .. first+count) on the live database. */
static int run_steps(retort *r, unsigned rev, unsigned first, unsigned count)
{
    const retort_history *h = r->h;
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &h->steps[i];
        int holds = 0;
        first_row f;
        int rc;
        switch (s->kind) {
        case RETORT_STEP_SQL:
            if (r->verbosity > 0)
                rt_log(r, "%s;", s->sql);
            if (db_exec(r->db, s->sql) < 0)
                return step_fail(r, rev, s->sql, db_errmsg(r->db));
            break;
        case RETORT_STEP_EXPECT_EMPTY:
            if (r->verbosity > 0)
                rt_log(r, "%s;", s->sql);
            f.found = 0;
            f.text[0] = '\0';
            rc = db_query(r->db, s->sql, 0, NULL, take_first, &f);
            if (rc < 0)
                return step_fail(r, rev, s->sql, db_errmsg(r->db));
            if (f.found) {
                char msg[300];
                snprintf(msg, sizeof msg, "check failed: %s", f.text);
                return step_fail(r, rev, s->sql, msg);
            }
            break;
        case RETORT_STEP_IF: {
            char cond[300];
            if (db_cond(r->db, s, &holds) < 0) {
                rt_script_cond_text(s, cond, sizeof cond);
                return step_fail(r, rev, cond, db_errmsg(r->db));
            }
            holds = holds != (s->negate != 0);
            if (r->verbosity > 0) {
                rt_script_cond_text(s, cond, sizeof cond);
                rt_log(r, "-- %s: %s", cond, holds ? "true" : "false");
            }
            rc = holds ? run_steps(r, rev, s->then_first, s->then_count)
                       : run_steps(r, rev, s->else_first, s->else_count);
            if (rc < 0)
                return rc;
            break;
        }
        default:
            return step_fail(r, rev, "", "unknown step kind");
        }
    }
    return 0;
}

static int exec_emit(void *ctx, const char *sql)
{
    retort *r = ctx;
    if (r->verbosity > 0)
        rt_log(r, "%s;", sql);
    if (db_exec(r->db, sql) < 0)
        return rt_fail_db(r, "updating the version table");
    return 0;
}

/* ---- the lock ---------------------------------------------------------- */

/* An advisory-lock key per version table: FNV-1a of "retort:" + name. */
static long long lock_key(const retort *r)
{
    unsigned long long h = 1469598103934665603ULL;
    const char *parts[2] = {"retort:", r->vt};
    for (int k = 0; k < 2; k++)
        for (const char *p = parts[k]; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 1099511628211ULL;
        }
    return (long long)(h & 0x7fffffffffffffffULL);
}

/* Takes the lock and makes sure the version table exists. */
static int prepare(retort *r, int *locked)
{
    char sql[512];
    *locked = 0;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if (db_lock(r->db, lock_key(r)) < 0)
        return rt_fail_db(r, "taking the migration lock");
    *locked = 1;
    rt_vt_create_sql(r, 1, sql, sizeof sql);
    if (db_begin(r->db) < 0 || db_exec(r->db, sql) < 0 || db_commit(r->db) < 0) {
        db_rollback(r->db);
        return rt_fail_db(r, "creating the version table");
    }
    return 0;
}

static void release(retort *r, int locked)
{
    if (locked)
        db_unlock(r->db, lock_key(r));
}

/* ---- upgrade and downgrade -------------------------------------------- */

/* Applies (or removes) one revision with its version-row change. */
static int move_one(retort *r, state *s, unsigned x, int down)
{
    const retort_history *h = r->h;
    const retort_revision *v = &h->revisions[x];
    enum retort_dialect d = r->db->dialect;
    const retort_script *sc = down ? &v->downgrade[d] : &v->upgrade[d];
    unsigned *to = NULL, nto = 0;
    char parents[512];
    int tx = 0, rc = 0;

    if (v->transactional) {
        if (db_begin(r->db) < 0) {
            rc = rt_fail_db(r, "starting a transaction");
            goto cleanup;
        }
        tx = 1;
    }
    /* Another migrator may have moved while we waited for the lock. */
    if ((rc = state_refresh(r, s)) < 0)
        goto cleanup;
    if (s->applied[x] == (down ? 0 : 1))
        goto cleanup;
    rt_graph_parents_text(h, x, parents, sizeof parents);
    if (down)
        rt_log(r, "Running downgrade %s -> %s%s%s", v->id, parents,
               v->message[0] ? ", " : "", v->message);
    else
        rt_log(r, "Running upgrade %s -> %s%s%s", parents, v->id,
               v->message[0] ? ", " : "", v->message);
    if ((rc = run_steps(r, x, sc->first, sc->count)) < 0)
        goto cleanup;
    if (!tx) {
        if (db_begin(r->db) < 0) {
            rc = rt_fail_db(r, "starting a transaction");
            goto cleanup;
        }
        tx = 1;
        if ((rc = state_refresh(r, s)) < 0)
            goto cleanup;
    }
    to = malloc((s->nrows + v->parents_count + 1) * sizeof *to);
    if (!to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    nto = rt_vt_next_rows(h, s->rows, s->nrows, s->kids, x, down, to);
    if ((rc = rt_vt_change(r, s->rows, s->nrows, to, nto, exec_emit, r)) < 0)
        goto cleanup;
    if (db_commit(r->db) < 0) {
        rc = rt_fail_db(r, "committing");
        goto cleanup;
    }
    tx = 0;
    /* Our own change, applied to the cached state. */
    qsort(to, nto, sizeof *to, cmp_unsigned);
    free(s->rows);
    s->rows = to;
    s->nrows = nto;
    to = NULL;
    s->applied[x] = down ? 0 : 1;
    for (unsigned k = 0; k < v->parents_count; k++)
        s->kids[h->refs[v->parents_first + k]] += down ? -1u : 1u;
cleanup:
    if (tx) {
        if (rc == 0 && db_commit(r->db) < 0)
            rc = rt_fail_db(r, "committing");
        if (rc < 0)
            db_rollback(r->db);
    }
    free(to);
    return rc;
}

int retort_upgrade(retort *r, const char *target)
{
    const retort_history *h = r->h;
    state s = {0};
    unsigned char *want = NULL;
    int locked = 0, rc;
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if ((rc = state_read(r, &s)) < 0)
        goto cleanup;
    want = calloc(h->revision_count + 1, 1);
    if (!want) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_target_upgrade(r, target ? target : "head", s.rows, s.nrows, want)) < 0)
        goto cleanup;
    rt_graph_close_ancestors(h, want, h->revision_count);
    for (unsigned i = 0; i < h->revision_count; i++)
        if (want[i] && !s.applied[i] && (rc = move_one(r, &s, i, 0)) < 0)
            goto cleanup;
cleanup:
    release(r, locked);
    free(want);
    state_free(&s);
    return rc;
}

int retort_downgrade(retort *r, const char *target)
{
    const retort_history *h = r->h;
    state s = {0};
    unsigned char *drop = NULL;
    unsigned t = 0;
    int locked = 0, base = 0, rc;
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if ((rc = state_read(r, &s)) < 0)
        goto cleanup;
    if ((rc = rt_target_downgrade(r, target, s.rows, s.nrows, &base, &t)) < 0)
        goto cleanup;
    drop = calloc(h->revision_count + 1, 1);
    if (!drop) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (base) {
        memcpy(drop, s.applied, h->revision_count);
    } else {
        drop[t] = 1;
        rt_graph_close_descendants(h, drop, t);
        drop[t] = 0;
    }
    for (unsigned i = h->revision_count; i-- > 0;)
        if (drop[i] && s.applied[i] && (rc = move_one(r, &s, i, 1)) < 0)
            goto cleanup;
cleanup:
    release(r, locked);
    free(drop);
    state_free(&s);
    return rc;
}

/* ---- stamp, current, check --------------------------------------------- */

int retort_stamp(retort *r, const char *target, int purge)
{
    const retort_history *h = r->h;
    state s = {0};
    unsigned char *want = NULL, *next = NULL;
    unsigned *to = NULL;
    int locked = 0, rc, nto;
    char sql[256];
    if ((rc = prepare(r, &locked)) < 0)
        goto cleanup;
    if (db_begin(r->db) < 0) {
        rc = rt_fail_db(r, "starting a transaction");
        goto cleanup;
    }
    if (purge) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", r->vt);
        if ((rc = exec_emit(r, sql)) < 0)
            goto cleanup;
    }
    if ((rc = state_read(r, &s)) < 0)
        goto cleanup;
    want = calloc(h->revision_count + 1, 1);
    next = calloc(h->revision_count + 1, 1);
    to = malloc((h->revision_count + 1) * sizeof *to);
    if (!want || !next || !to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_target_upgrade(r, target, s.rows, s.nrows, want)) < 0)
        goto cleanup;
    /* An applied target moves the rows back to it; another is added. */
    memcpy(next, s.applied, h->revision_count);
    for (unsigned i = 0; i < h->revision_count; i++) {
        if (!want[i])
            continue;
        unsigned char *one = calloc(h->revision_count + 1, 1);
        if (!one) {
            rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
            goto cleanup;
        }
        one[i] = 1;
        if (s.applied[i]) {
            rt_graph_close_descendants(h, one, i);
            one[i] = 0;
            for (unsigned k = i; k < h->revision_count; k++)
                if (one[k])
                    next[k] = 0;
        } else {
            rt_graph_close_ancestors(h, one, i);
            for (unsigned k = 0; k <= i; k++)
                if (one[k])
                    next[k] = 1;
        }
        free(one);
    }
    if (strcmp(target, "base") == 0)
        memset(next, 0, h->revision_count);
    if ((nto = rt_graph_heads_of(h, next, to)) < 0) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_vt_change(r, s.rows, s.nrows, to, (unsigned)nto, exec_emit, r)) < 0)
        goto cleanup;
    if (db_commit(r->db) < 0)
        rc = rt_fail_db(r, "committing");
cleanup:
    if (rc < 0 && r->db)
        db_rollback(r->db);
    release(r, locked);
    free(want);
    free(next);
    free(to);
    state_free(&s);
    return rc;
}

/* Prints one row as `current` does. */
static void print_rev_line(retort *r, FILE *out, unsigned rev)
{
    fprintf(out, "%s%s\n", r->h->revisions[rev].id,
            rt_graph_is_head(r->h, rev) ? " (head)" : "");
}

int retort_current(retort *r, FILE *out, int verbose)
{
    unsigned *rows = NULL, n = 0;
    int rc;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if ((rc = read_rows(r, &rows, &n)) < 0)
        goto cleanup;
    if (verbose)
        fprintf(out, "Current revision(s) for %s:\n",
                r->url_shown ? r->url_shown : "the database");
    for (unsigned i = 0; i < n; i++) {
        if (verbose) {
            if ((rc = retort_show(r, out, r->h->revisions[rows[i]].id)) < 0)
                goto cleanup;
        } else {
            print_rev_line(r, out, rows[i]);
        }
    }
cleanup:
    free(rows);
    return rc;
}

int retort_check(retort *r, FILE *out)
{
    const retort_history *h = r->h;
    unsigned *rows = NULL, n = 0;
    int rc, same;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if ((rc = read_rows(r, &rows, &n)) < 0)
        goto cleanup;
    same = n == h->head_count;
    for (unsigned i = 0; same && i < n; i++)
        same = rows[i] == h->heads[i];
    if (same) {
        fprintf(out, "the database is at head");
        for (unsigned i = 0; i < n; i++)
            fprintf(out, "%s%s", i ? ", " : " ", h->revisions[rows[i]].id);
        fputc('\n', out);
        goto cleanup;
    }
    fprintf(out, "current:");
    if (n == 0)
        fprintf(out, " base");
    for (unsigned i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : " ", h->revisions[rows[i]].id);
    fprintf(out, "\nhead:");
    for (unsigned i = 0; i < h->head_count; i++)
        fprintf(out, "%s%s", i ? ", " : " ", h->revisions[h->heads[i]].id);
    fputc('\n', out);
    rc = rt_fail(r, RETORT_EDRIFT, "the database is not at head");
cleanup:
    free(rows);
    return rc;
}
