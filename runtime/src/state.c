/* state.c: what a live database's bookkeeping says (rt_state): its
 * version rows and their closure, and the rows of retort's own table
 * (checksums and the markers of interrupted revisions; migrate.c says
 * what they mean), read in one round trip where that works; and the
 * refusals every moving command starts with.  Prefix rt_state_. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void rt_state_free(rt_state *s)
{
    free(s->rows);
    free(s->applied);
    free(s->kids);
    free(s->mark);
    free(s->sums);
    memset(s, 0, sizeof *s);
}

/* take_row()'s gathering of version rows as revision indices. */
typedef struct rows_ctx {
    retort *r;
    unsigned *rows;
    unsigned n, cap;
    int rc;
} rows_ctx;

/* A version row: its revision's index, or a failure for an id this
 * history lacks. */
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

/* qsort's order for revision indices. */
static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* A failed read of the version table (own = 0) or retort's own (own =
 * 1): its shape when that is the cause, else the database's message. */
static int read_failed(retort *r, int own, const char *what)
{
    db failed = *r->db;          /* the failure, before the shape check's queries */
    if (rt_vt_shape_check(r, own) < 0)
        return RETORT_ERROR;
    return rt_fail_db_as(r, &failed, what, NULL);
}

/* Reads the version rows (none when the table is missing), sorted.
 * `known`: the table is known to exist (migrate.c's prepare() made sure). */
static int read_rows(retort *r, int known, unsigned **out, unsigned *n)
{
    rows_ctx c = {r, NULL, 0, 0, 0};
    char sql[512];
    int exists = known, rc;
    *out = NULL;
    *n = 0;
    if (!known && (rc = rt_vt_table_exists(r, r->vt, &exists)) < 0)
        return rc;
    if (!exists)
        return 0;
    snprintf(sql, sizeof sql, "SELECT version_num FROM %s", r->vt_sql);
    rc = db_query(r->db, sql, 0, NULL, take_row, &c);
    if (c.rc < 0) {
        free(c.rows);
        return c.rc;
    }
    if (rc < 0) {
        free(c.rows);
        return read_failed(r, 0, "reading the version table");
    }
    if (c.n > 1)
        qsort(c.rows, c.n, sizeof *c.rows, cmp_unsigned);
    *out = c.rows;
    *n = c.n;
    return 0;
}

/* Rebuilds applied[] and kids[] from rows. */
static int state_derive(retort *r, rt_state *s)
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
        rt_graph_close_ancestors(h, s->applied, hi, 1);
    rt_graph_count_kids(h, s->applied, s->kids);
    return 0;
}

/* take_mark()'s handle and the state it fills. */
typedef struct marks_ctx {
    retort *r;
    rt_state *s;
} marks_ctx;

/* A row of retort's own table: its mark and checksum on the state; an
 * unknown revision's marker kept as `stray`. */
static int take_mark(void *ctx, int n, const char *const *v)
{
    marks_ctx *c = ctx;
    const retort_history *h = c->r->h;
    long i;
    int m;
    if (n < 3 || !v[0] || !v[2])
        return 0;
    m = !strcmp(v[2], "applied") ? RT_MARK_APPLIED
      : !strcmp(v[2], "upgrading") ? RT_MARK_UPGRADING
      : !strcmp(v[2], "downgrading") ? RT_MARK_DOWNGRADING : RT_MARK_NONE;
    i = rt_graph_find(h, v[0]);
    if (i < 0) {
        /* A row of a revision this history lacks: only a marker matters. */
        if (m != RT_MARK_APPLIED && !c->s->stray[0])
            snprintf(c->s->stray, sizeof c->s->stray, "%.32s", v[0]);
        return 0;
    }
    c->s->mark[i] = (unsigned char)(m == RT_MARK_NONE ? RT_MARK_UPGRADING : m);
    snprintf(c->s->sums + (size_t)i * 65, 65, "%s", v[1] ? v[1] : "");
    return 0;
}

/* Reads retort's own rows, when its table exists: all of them, or with
 * `markers_only` just those of interrupted revisions. */
static int marks_read(retort *r, rt_state *s, int markers_only)
{
    const retort_history *h = r->h;
    marks_ctx c = {r, s};
    char sql[512];
    int exists = 0, rc;
    free(s->mark);
    free(s->sums);
    s->mark = calloc(h->revision_count + 1, 1);
    s->sums = calloc((size_t)h->revision_count + 1, 65);
    s->stray[0] = '\0';
    s->have_marks = 0;
    if (!s->mark || !s->sums)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    if ((rc = rt_vt_table_exists(r, r->rt, &exists)) < 0)
        return rc;
    if (!exists)
        return 0;
    snprintf(sql, sizeof sql, "SELECT revision, checksum, state FROM %s%s", r->rt_sql,
             markers_only ? " WHERE state <> 'applied'" : "");
    if (db_query(r->db, sql, 0, NULL, take_mark, &c) < 0)
        return read_failed(r, 1, "reading retort's revision table");
    s->have_marks = 1;
    return 0;
}

typedef struct both_ctx {
    rows_ctx rows;
    marks_ctx marks;
} both_ctx;

/* A row of state_read_one(): "v" and a version row, or "r" and a row of
 * retort's own table. */
static int take_both(void *ctx, int n, const char *const *v)
{
    both_ctx *c = ctx;
    if (n < 2 || !v[0])
        return 0;
    return v[0][0] == 'v' ? take_row(&c->rows, 1, v + 1) : take_mark(&c->marks, n - 1, v + 1);
}

/* name (as SQL: sql_name) qualified with the session's current schema
 * when it is not already: where table_exists() looks for it, not along
 * the rest of the search_path.  1 when that cannot be written safely. */
static int qualified(const retort *r, const char *name, const char *sql_name,
                     char *out, size_t cap)
{
    char full[300];
    if (!r->schema[0] || strchr(name, '.')) {
        snprintf(out, cap, "%s", sql_name);
        return 0;
    }
    if (strchr(r->schema, '.') || strchr(r->schema, '"'))
        return 1;
    snprintf(full, sizeof full, "%s.%s", r->schema, name);
    rt_ident(out, cap, full, NULL);
    return 0;
}

/* Both tables in one query, when both exist (every database a migrator
 * has moved): one round trip instead of four (`current`, `status`, the
 * start of every upgrade).  Outside a transaction only, since on
 * PostgreSQL a failed query would abort it.  1 when it did not work (a
 * table is missing, or is not what retort expects): the caller reads
 * them one by one, which says what is wrong, if anything is. */
static int state_read_one(retort *r, rt_state *s, int markers_only)
{
    const retort_history *h = r->h;
    both_ctx c;
    char sql[1024], vt[320], own[320];
    int rc;
    if (db_in_transaction(r->db) || qualified(r, r->vt, r->vt_sql, vt, sizeof vt) ||
        qualified(r, r->rt, r->rt_sql, own, sizeof own))
        return 1;
    memset(&c, 0, sizeof c);
    c.rows.r = c.marks.r = r;
    c.marks.s = s;
    s->mark = calloc(h->revision_count + 1, 1);
    s->sums = calloc((size_t)h->revision_count + 1, 65);
    if (!s->mark || !s->sums)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    snprintf(sql, sizeof sql, "SELECT 'v', version_num, NULL, NULL FROM %s UNION ALL "
             "SELECT 'r', revision, checksum, state FROM %s%s", vt, own,
             markers_only ? " WHERE state <> 'applied'" : "");
    rc = db_query(r->db, sql, 0, NULL, take_both, &c);
    if (c.rows.rc < 0 || rc < 0) {
        free(c.rows.rows);
        if (c.rows.rc < 0)
            return c.rows.rc;
        rt_state_free(s);
        return 1;
    }
    if (c.rows.n > 1)
        qsort(c.rows.rows, c.rows.n, sizeof *c.rows.rows, cmp_unsigned);
    s->rows = c.rows.rows;
    s->nrows = c.rows.n;
    s->have_marks = 1;
    return state_derive(r, s);
}

static int state_read(retort *r, rt_state *s, int markers_only)
{
    int rc;
    rt_state_free(s);
    if ((rc = state_read_one(r, s, markers_only)) <= 0)
        return rc;
    if ((rc = read_rows(r, 0, &s->rows, &s->nrows)) < 0)
        return rc;
    if ((rc = state_derive(r, s)) < 0)
        return rc;
    return marks_read(r, s, markers_only);
}

int rt_state_read(retort *r, rt_state *s)
{
    return state_read(r, s, 0);
}

int rt_state_read_markers(retort *r, rt_state *s)
{
    return state_read(r, s, 1);
}

long rt_state_interrupted(const retort *r, const rt_state *s, int *down)
{
    *down = 0;
    if (!s->mark)
        return -1;
    if (s->stray[0])
        return -2;
    for (unsigned i = 0; i < r->h->revision_count; i++)
        if (s->mark[i] == RT_MARK_UPGRADING || s->mark[i] == RT_MARK_DOWNGRADING) {
            *down = s->mark[i] == RT_MARK_DOWNGRADING;
            return (long)i;
        }
    return -1;
}

long rt_state_changed(const retort *r, const rt_state *s, unsigned from)
{
    if (!s->mark || !s->applied)
        return -1;
    for (unsigned i = from; i < r->h->revision_count; i++) {
        const char *rec = s->sums + (size_t)i * 65, *now;
        if (!s->applied[i] || s->mark[i] != RT_MARK_APPLIED)
            continue;
        now = rt_own_checksum(r, &r->h->revisions[i]);
        /* An empty checksum on either side records nothing to compare. */
        if (rec[0] && now[0] && strcmp(rec, now) != 0 &&
            !rt_own_legacy(r, &r->h->revisions[i], rec))
            return (long)i;
    }
    return -1;
}

int rt_state_verify(retort *r, const rt_state *s)
{
    const retort_history *h = r->h;
    char parents[512];
    int down = 0, rc;
    long i;
    /* Rows that contradict each other say nothing true about the schema:
     * nothing may run on top of them (Alembic refuses too). */
    if ((rc = rt_target_contradiction(r, s)) < 0)
        return rc;
    i = rt_state_interrupted(r, s, &down);
    if (i == -2)
        return rt_fail(r, RETORT_ERROR,
                       "the database records an interrupted revision '%s', which "
                       "this history does not have; repair the schema by hand, "
                       "then run 'stamp' with the revision it is at to continue",
                       s->stray);
    if (i >= 0) {
        const retort_revision *v = &h->revisions[i];
        rt_graph_parents_text(h, (unsigned)i, parents, sizeof parents);
        if (!parents[0])
            memcpy(parents, "base", 5);
        if (down)
            return rt_fail(r, RETORT_ERROR,
                           "revision %s (%s) is incomplete: its downgrade, outside a "
                           "transaction, was interrupted and the database may hold "
                           "part of it; repair the schema by hand, then run "
                           "'stamp %s' if the downgrade is complete or 'stamp %s' "
                           "if it is not", rt_str(h, v->id), rt_str_or(h, v->file, "?"),
                           parents, rt_str(h, v->id));
        return rt_fail(r, RETORT_ERROR,
                       "revision %s (%s) is incomplete: its upgrade, outside a "
                       "transaction, was interrupted and the database may hold "
                       "part of it; repair the schema by hand, then run "
                       "'stamp %s' if the upgrade is complete or 'stamp %s' if "
                       "it is not", rt_str(h, v->id), rt_str_or(h, v->file, "?"),
                       rt_str(h, v->id), parents);
    }
    i = rt_state_changed(r, s, 0);
    if (i >= 0) {
        const retort_revision *v = &h->revisions[i];
        return rt_fail(r, RETORT_ERROR,
                       "revision %s (%s) was applied with different contents; "
                       "refusing to migrate (recorded checksum %.12s..., this "
                       "migrator has %.12s...): restore the revision as it was "
                       "applied, or, if the database is right, run 'stamp' with "
                       "the current revision to record these contents",
                       rt_str(h, v->id), rt_str_or(h, v->file, "?"),
                       s->sums + (size_t)i * 65, rt_own_checksum(r, v));
    }
    return 0;
}

void rt_state_moved(const retort *r, rt_state *s, unsigned x, int down,
                    unsigned *to, unsigned nto)
{
    const retort_history *h = r->h;
    long pred;
    qsort(to, nto, sizeof *to, cmp_unsigned);
    free(s->rows);
    s->rows = to;
    s->nrows = nto;
    s->applied[x] = down ? 0 : 1;
    s->mark[x] = down ? RT_MARK_NONE : RT_MARK_APPLIED;
    snprintf(s->sums + (size_t)x * 65, 65, "%s",
             down ? "" : rt_own_checksum(r, &h->revisions[x]));
    for (unsigned k = 0; (pred = rt_graph_pred(h, x, k)) >= 0; k++)
        s->kids[pred] += down ? -1u : 1u;
}
