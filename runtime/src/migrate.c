/* migrate.c: upgrade, downgrade, stamp and current on a live database,
 * the version table they maintain (Alembic's), and retort's own table
 * beside it.
 *
 * Retort's own table, `<version table>_retort`, holds one row per revision
 * this migrator applied (or stamped): its checksum (the history's hex
 * SHA-256 of the revision's upgrade scripts) and a state:
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
#include <stdarg.h>
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
    char pkc[300];
    rt_ident(pkc, sizeof pkc, table_part(r->vt), "_pkc");
    snprintf(buf, cap,
             "CREATE TABLE %s%s (\n    version_num VARCHAR(32) NOT NULL, \n"
             "    CONSTRAINT %s PRIMARY KEY (version_num)\n)",
             if_not_exists ? "IF NOT EXISTS " : "", r->vt_sql, pkc);
}

static int contains(const unsigned *set, unsigned n, unsigned x)
{
    for (unsigned i = 0; i < n; i++)
        if (set[i] == x)
            return 1;
    return 0;
}

/* Writes the revision id at pool offset `id` into buf as an SQL string
 * literal, quotes doubled.  Ids are [A-Za-z0-9_], at most 32 long (the
 * compiler checks), so this guards a hand-made history, not a real one;
 * statements carrying ids go out unparameterised (batched, or printed by
 * --sql).  0, or RETORT_ERROR when it does not fit. */
static int id_lit(retort *r, unsigned id, char *buf, size_t cap)
{
    const char *s = rt_str(r->h, id);
    size_t n = 0;
    buf[n++] = '\'';
    for (const char *p = s ? s : ""; *p; p++) {
        if (n + 4 > cap)
            return rt_fail(r, RETORT_ERROR, "revision id '%.40s...' is too long", s);
        if (*p == '\'')
            buf[n++] = '\'';
        buf[n++] = *p;
    }
    buf[n++] = '\'';
    buf[n] = '\0';
    return 0;
}

int rt_vt_change(retort *r, const unsigned *from, unsigned nfrom,
              const unsigned *to, unsigned nto, vt_emit_fn fn, void *ctx)
{
    const retort_revision *revs = r->h->revisions;
    char t[300];
    unsigned *removed = malloc((nfrom + 1) * sizeof *removed);
    unsigned *added = malloc((nto + 1) * sizeof *added), nr = 0, na = 0;
    char sql[1024], lit[80], old[80];
    int rc = 0;
    rt_ident(t, sizeof t, table_part(r->vt), NULL);
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
        if ((rc = id_lit(r, revs[removed[i]].id, old, sizeof old)) < 0)
            break;
        if (i == nr - 1 && na > 0) {
            if ((rc = id_lit(r, revs[added[0]].id, lit, sizeof lit)) < 0)
                break;
            snprintf(sql, sizeof sql,
                     "UPDATE %s SET version_num=%s WHERE %s.version_num = %s",
                     r->vt_sql, lit, t, old);
        } else {
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s.version_num = %s",
                     r->vt_sql, t, old);
        }
        rc = fn(ctx, sql);
    }
    for (unsigned i = nr > 0 ? 1 : 0; i < na && rc == 0; i++) {
        if ((rc = id_lit(r, revs[added[i]].id, lit, sizeof lit)) < 0)
            break;
        snprintf(sql, sizeof sql, "INSERT INTO %s (version_num) VALUES (%s)",
                 r->vt_sql, lit);
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
    unsigned nto = 0;
    long p;
    /* The rows are the applied revisions nothing applied builds on,
     * through parents or depends_on, as Alembic keeps them.  Up: what x
     * builds on gives way to x.  Down: x gives way to what it built on,
     * where nothing else applied still builds on it. */
    for (unsigned i = 0; i < nrows; i++) {
        unsigned row = rows[i];
        int keep = down ? row != x : 1;
        for (unsigned k = 0; !down && keep && (p = rt_graph_pred(h, x, k)) >= 0; k++)
            if ((unsigned)p == row)
                keep = 0;
        if (keep)
            to[nto++] = row;
    }
    if (!down) {
        to[nto++] = x;
    } else {
        for (unsigned k = 0; (p = rt_graph_pred(h, x, k)) >= 0; k++)
            if (kids[p] == 1 && !contains(to, nto, (unsigned)p))
                to[nto++] = (unsigned)p;
    }
    return nto;
}

/* ---- the state read from the database -------------------------------- */

void rt_vt_state_free(rt_state *s)
{
    free(s->rows);
    free(s->applied);
    free(s->kids);
    free(s->mark);
    free(s->sums);
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

/* Whether table `name` (possibly schema-qualified) exists. */
static int table_exists(retort *r, const char *name, int *exists)
{
    rt_cond s = {0};
    char schema[160];
    const char *dot = strchr(name, '.');
    s.cond = RETORT_COND_TABLE_EXISTS;
    s.table = name;
    if (dot) {
        memcpy(schema, name, (size_t)(dot - name));
        schema[dot - name] = '\0';
        s.schema = schema;
        s.table = dot + 1;
    }
    if (db_cond(r->db, &s, exists) < 0)
        return rt_fail_db(r, "reading the version table");
    return 0;
}

/* The columns the migrator reads and writes in the version table and in
 * its own table. */
static const char *const vt_columns[] = {"version_num", NULL};
static const char *const own_columns[] = {"revision", "checksum", "state",
                                          "applied_at", NULL};

/* 0 when table `name` is missing or has every one of `cols`; else fails
 * with one line naming the table and the way out.  A table of that name
 * made by something else would otherwise surface as "no such column:
 * state" from whichever statement meets it first. */
static int shape_check(retort *r, const char *name, const char *const *cols)
{
    rt_cond s = {0};
    char schema[160];
    const char *dot = strchr(name, '.');
    int exists = 0, rc;
    if ((rc = table_exists(r, name, &exists)) < 0 || !exists)
        return rc;
    s.cond = RETORT_COND_COLUMN_EXISTS;
    s.table = name;
    if (dot) {
        memcpy(schema, name, (size_t)(dot - name));
        schema[dot - name] = '\0';
        s.schema = schema;
        s.table = dot + 1;
    }
    for (const char *const *c = cols; *c; c++) {
        int holds = 0;
        s.name = *c;
        if (db_cond(r->db, &s, &holds) < 0)
            return rt_fail_db(r, "reading the version table");
        if (holds)
            continue;
        if (cols == vt_columns)
            return rt_fail(r, RETORT_ERROR, "table %s is not a version table (it has "
                           "no column %s): rename it, or pass --version-table NAME "
                           "to keep the versions in another table", name, *c);
        return rt_fail(r, RETORT_ERROR, "table %s is not retort's own (it has no "
                       "column %s): drop or rename it, and retort creates its own "
                       "again (%s keeps the applied revisions)", name, *c, r->vt);
    }
    return 0;
}

/* A failed read of table `name`: its shape when that is the cause, else
 * the database's message. */
static int read_failed(retort *r, const char *name, const char *const *cols,
                       const char *what)
{
    db failed = *r->db;          /* the failure, before shape_check's queries */
    if (shape_check(r, name, cols) < 0)
        return RETORT_ERROR;
    return rt_fail_db_as(r, &failed, what, NULL);
}

/* Reads the version rows (none when the table is missing), sorted.
 * `known`: the table is known to exist (prepare() made sure). */
static int read_rows(retort *r, int known, unsigned **out, unsigned *n)
{
    rows_ctx c = {r, NULL, 0, 0, 0};
    char sql[512];
    int exists = known, rc;
    *out = NULL;
    *n = 0;
    if (!known && (rc = table_exists(r, r->vt, &exists)) < 0)
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
        return read_failed(r, r->vt, vt_columns, "reading the version table");
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

/* A checksum as the history holds it, or "" when it is not usable
 * (hand-written histories; anything but 1 to 64 hex digits, since it is
 * pasted into SQL). */
static const char *usable_sum(const retort_history *h, unsigned off)
{
    const char *sum = rt_str(h, off);
    size_t n = sum ? strspn(sum, "0123456789abcdefABCDEF") : 0;
    return n > 0 && n <= 64 && sum[n] == '\0' ? sum : "";
}

const char *rt_vt_checksum(const retort *r, const retort_revision *v)
{
    return usable_sum(r->h, v->checksum[r->db->dialect]);
}

/* Is `rec`, a recorded checksum, the ABI 2 form of revision v's?  That form
 * hashed rendered SQL; databases an older migrator moved still hold it. */
static int legacy_sum(const retort *r, const retort_revision *v, const char *rec)
{
    const char *old = usable_sum(r->h, v->legacy_checksum);
    return old[0] && strcmp(rec, old) == 0;
}

typedef struct marks_ctx {
    retort *r;
    rt_state *s;
} marks_ctx;

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
    if ((rc = table_exists(r, r->rt, &exists)) < 0)
        return rc;
    if (!exists)
        return 0;
    snprintf(sql, sizeof sql, "SELECT revision, checksum, state FROM %s%s", r->rt_sql,
             markers_only ? " WHERE state <> 'applied'" : "");
    if (db_query(r->db, sql, 0, NULL, take_mark, &c) < 0)
        return read_failed(r, r->rt, own_columns, "reading retort's revision table");
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
        rt_vt_state_free(s);
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
    rt_vt_state_free(s);
    if ((rc = state_read_one(r, s, markers_only)) <= 0)
        return rc;
    if ((rc = read_rows(r, 0, &s->rows, &s->nrows)) < 0)
        return rc;
    if ((rc = state_derive(r, s)) < 0)
        return rc;
    return marks_read(r, s, markers_only);
}

int rt_vt_state_read(retort *r, rt_state *s)
{
    return state_read(r, s, 0);
}

int rt_vt_state_read_markers(retort *r, rt_state *s)
{
    return state_read(r, s, 1);
}

long rt_vt_interrupted(const retort *r, const rt_state *s, int *down)
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

long rt_vt_changed(const retort *r, const rt_state *s, unsigned from)
{
    if (!s->mark || !s->applied)
        return -1;
    for (unsigned i = from; i < r->h->revision_count; i++) {
        const char *rec = s->sums + (size_t)i * 65, *now;
        if (!s->applied[i] || s->mark[i] != RT_MARK_APPLIED)
            continue;
        now = rt_vt_checksum(r, &r->h->revisions[i]);
        /* An empty checksum on either side records nothing to compare. */
        if (rec[0] && now[0] && strcmp(rec, now) != 0 &&
            !legacy_sum(r, &r->h->revisions[i], rec))
            return (long)i;
    }
    return -1;
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

int rt_vt_step_fail(retort *r, unsigned rev, const char *sql, const db *d)
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
static int branches_load(retort *r, unsigned x)
{
    char sql[512], lit[80];
    int rc = id_lit(r, r->h->revisions[x].id, lit, sizeof lit);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql, "SELECT branches FROM %s WHERE revision = %s",
             r->rt_sql, lit);
    if ((rc = db_query(r->db, sql, 0, NULL, take_branches, r)) < 0)
        return rc == RETORT_ENOMEM ? rc
             : rt_fail_db(r, "reading retort's revision table");
    return 0;
}

/* Adds the `branches` column to a table of retort's made before it
 * existed (inside prepare()'s transaction). */
static int branches_column(retort *r)
{
    rt_cond s = {0};
    char schema[160], sql[512];
    const char *dot = strchr(r->rt, '.');
    int exists = 0;
    s.cond = RETORT_COND_COLUMN_EXISTS;
    s.table = r->rt;
    s.name = "branches";
    if (dot) {
        memcpy(schema, r->rt, (size_t)(dot - r->rt));
        schema[dot - r->rt] = '\0';
        s.schema = schema;
        s.table = dot + 1;
    }
    if (db_cond(r->db, &s, &exists) < 0)
        return RETORT_ERROR;
    if (exists)
        return 0;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN branches TEXT", r->rt_sql);
    return db_exec(r->db, sql);
}

int rt_vt_run_steps(retort *r, db *d, unsigned rev, unsigned first,
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
                return rt_vt_step_fail(r, rev, sql, d);
            }
            break;
        case RETORT_STEP_EXPECT_EMPTY:
            if (loud)
                rt_log(r, "%s;", sql);
            f.found = 0;
            f.text[0] = '\0';
            rc = db_query(d, sql, 0, NULL, take_first, &f);
            if (rc < 0)
                return rt_vt_step_fail(r, rev, sql, d);
            if (f.found) {
                db_failf(d, "check failed: %s", f.text);
                return rt_vt_step_fail(r, rev, sql, d);
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
                    return rt_vt_step_fail(r, rev, cond, d);
                }
                if (!holds && retort_str(h, s->alias)) {
                    rt_cond also = c;
                    also.name = retort_str(h, s->alias);
                    if (db_cond(d, &also, &holds) < 0) {
                        rt_script_cond_text(&also, cond, sizeof cond);
                        return rt_vt_step_fail(r, rev, cond, d);
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
            rc = holds ? rt_vt_run_steps(r, d, rev, s->then_first, s->then_count, scratch)
                       : rt_vt_run_steps(r, d, rev, s->else_first, s->else_count, scratch);
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
            return rt_vt_step_fail(r, rev, "", d);
        }
    }
    return 0;
}

/* Runs one bookkeeping statement, shown with -v; `what` names it in the
 * error. */
static int exec_logged(retort *r, const char *sql, const char *what)
{
    if (r->verbosity > 0)
        rt_log(r, "%s;", sql);
    if (db_exec(r->db, sql) < 0)
        return rt_fail_db(r, what);
    return 0;
}

static int exec_emit(void *ctx, const char *sql)
{
    return exec_logged(ctx, sql, "updating the version table");
}

/* Runs one statement on retort's own table. */
static int exec_own(retort *r, const char *sql)
{
    return exec_logged(r, sql, "updating retort's revision table");
}

/* exec_own as a vt_emit_fn. */
static int exec_own_emit(void *ctx, const char *sql)
{
    return exec_own(ctx, sql);
}

/* Statements gathered to run as one db_exec(): one round trip on
 * PostgreSQL (a simple query may hold several statements; the first that
 * fails stops the rest, and the transaction around them is rolled back),
 * one sqlite3_exec() on SQLite.  Only for statements without parameters. */
typedef struct batch {
    retort *r;
    char *sql;
    size_t n, cap;
    unsigned count;            /* statements */
} batch;

/* Appends a statement (a vt_emit_fn); logs it as exec_emit() would. */
static int batch_add(void *ctx, const char *sql)
{
    batch *b = ctx;
    size_t len = strlen(sql);
    if (b->r->verbosity > 0)
        rt_log(b->r, "%s;", sql);
    if (b->n + len + 3 > b->cap) {
        size_t cap = (b->n + len + 3) * 2;
        char *g = realloc(b->sql, cap);
        if (!g)
            return rt_fail(b->r, RETORT_ENOMEM, "out of memory");
        b->sql = g;
        b->cap = cap;
    }
    if (b->n) {
        b->sql[b->n++] = ';';
        b->sql[b->n++] = '\n';
    }
    memcpy(b->sql + b->n, sql, len + 1);
    b->n += len;
    b->count++;
    return 0;
}

/* Runs what was gathered (nothing when empty) and empties the batch;
 * while a revision gathers its statements (r->pipe), it joins them. */
static int batch_run(batch *b)
{
    int rc = 0;
    if (b->n && b->r->pipe)
        rc = rt_pipe_add(b->r->pipe, RT_PIPE_BOOK, b->sql, b->count, 1);
    else if (b->n && db_exec(b->r->db, b->sql) < 0)
        rc = rt_fail_db(b->r, "updating the version table");
    b->n = 0;
    b->count = 0;
    return rc;
}

static const char *mark_word(int mark)
{
    return mark == RT_MARK_UPGRADING ? "upgrading"
         : mark == RT_MARK_DOWNGRADING ? "downgrading" : "applied";
}

/* Hands fn the statement recording revision x in retort's own table with
 * state `mark`. */
static int own_record(retort *r, unsigned x, int mark, vt_emit_fn fn, void *ctx)
{
    const retort_revision *v = &r->h->revisions[x];
    const char *br = r->branches;
    size_t cap = 768 + (br ? strlen(br) : 0);
    char lit[80], *sql;
    int rc = id_lit(r, v->id, lit, sizeof lit);
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
             r->rt_sql, lit, rt_vt_checksum(r, v), mark_word(mark),
             br ? "'" : "", br ? br : "NULL", br ? "'" : "");
    rc = fn(ctx, sql);
    free(sql);
    return rc;
}

/* Hands fn the statement removing revision x from retort's own table. */
static int own_forget(retort *r, unsigned x, vt_emit_fn fn, void *ctx)
{
    char sql[512], lit[80];
    int rc = id_lit(r, r->h->revisions[x].id, lit, sizeof lit);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE revision = %s", r->rt_sql, lit);
    return fn(ctx, sql);
}

/* ---- the lock ---------------------------------------------------------- */

int rt_lock_gave_up(retort *r, const char *holder)
{
    return rt_fail(r, RETORT_ELOCKED, "gave up waiting for the migration lock on %s "
                   "after %g s: another migrator holds it%s%s%s",
                   r->url_shown ? r->url_shown : "the database",
                   r->lock_timeout_ms > 0 ? r->lock_timeout_ms / 1000.0 : 0.0,
                   holder && *holder ? " (" : "", holder ? holder : "",
                   holder && *holder ? ")" : "");
}

/* An advisory-lock key per version table: FNV-1a of "retort:" + its
 * schema-qualified name (tenant.c found the schema). */
long long rt_vt_lock_key(const retort *r)
{
    unsigned long long h = 1469598103934665603ULL;
    int qualify = r->schema[0] && !strchr(r->vt, '.');
    const char *parts[4] = {"retort:", qualify ? r->schema : "", qualify ? "." : "",
                            r->vt};
    for (int k = 0; k < 4; k++)
        for (const char *p = parts[k]; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 1099511628211ULL;
        }
    return (long long)(h & 0x7fffffffffffffffULL);
}

int rt_server_probe(retort *r)
{
    if (r->probed || r->db->dialect != RETORT_POSTGRESQL)
        return 0;
    if (rt_db_postgresql_probe(r->db, &r->in_recovery, &r->pooled) < 0)
        return rt_fail_db(r, "asking the server whether it is a standby");
    r->probed = 1;
    if (r->pooled && r->verbosity > 0)
        rt_log(r, "-- a connection pooler sits between: the migration lock is taken "
               "by each transaction");
    return 0;
}

/* Through a pooler: a transaction holding the migration lock, which ends
 * with it.  Says once per handle that it waits, as prepare() does. */
static int locked_begin(retort *r)
{
    int rc = rt_db_postgresql_xact_lock(r->db, rt_vt_lock_key(r), -1, 0);
    if (rc == RETORT_ELOCKED && r->lock_timeout_ms >= 0) {
        const char *holder = db_errmsg(r->db);
        if (!r->lock_waited)
            rt_log(r, "Waiting for the migration lock on %s: another migrator holds "
                   "it%s%s%s", r->url_shown ? r->url_shown : "the database",
                   *holder ? " (" : "", holder, *holder ? ")" : "");
        r->lock_waited = 1;
        rc = rt_db_postgresql_xact_lock(r->db, rt_vt_lock_key(r), r->lock_timeout_ms, 0);
    }
    if (rc < 0)
        return rc == RETORT_ELOCKED ? rt_lock_gave_up(r, db_errmsg(r->db))
                                    : rt_fail_db(r, "taking the migration lock");
    return 0;
}

/* A transaction that writes the version table or retort's own: under
 * the migration lock when a pooler sits between (the session lock of
 * prepare() is not taken there); `what` names a failure to begin. */
static int tx_begin(retort *r, const char *what)
{
    if (r->pooled)
        return locked_begin(r);
    if (db_begin(r->db) < 0)
        return rt_fail_db(r, what);
    return 0;
}

/* A partial index over the rows that mark an interrupted revision, so
 * that `current` finds them without reading a row per applied revision.
 * SQLite puts the schema on the index name, PostgreSQL on the table. */
static void markers_index_sql(const retort *r, char *buf, size_t cap)
{
    char index[300], base[300];
    rt_ident(base, sizeof base, table_part(r->rt), NULL);
    if (r->db->dialect == RETORT_SQLITE) {
        rt_ident(index, sizeof index, r->rt, "_markers");
        snprintf(buf, cap, "CREATE INDEX IF NOT EXISTS %s ON %s "
                 "(state) WHERE state <> 'applied'", index, base);
    } else {
        rt_ident(index, sizeof index, table_part(r->rt), "_markers");
        snprintf(buf, cap, "CREATE INDEX IF NOT EXISTS %s ON %s "
                 "(state) WHERE state <> 'applied'", index, r->rt_sql);
    }
}

static int prepare_tables(retort *r);

/* Takes the lock and makes sure the version table and retort's own table
 * exist.  Both are created under the lock, so concurrent migrators never
 * race on the catalog (on PostgreSQL, CREATE TABLE IF NOT EXISTS alone
 * can still fail on pg_type's unique index).
 *
 * Two forms of the lock.  On a direct connection, a session advisory
 * lock held for the whole command (*locked): no other migrator moves the
 * database meanwhile.  Through a pooler (rt_server_probe), a session lock
 * would stay on whichever server connection took it, and be taken again
 * by whichever client next gets that connection: there the lock is
 * transaction-scoped, taken again by every transaction that writes the
 * version table (tx_begin), and move_one() reads the state again under
 * it.  A standby refuses here, before anything is tried. */
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
    if ((rc = rt_server_probe(r)) < 0)
        return rc;
    if (r->in_recovery)
        return rt_fail(r, RETORT_ERROR, "the PostgreSQL server at %s is in recovery "
                       "(a read-only standby): this command writes; run it on the "
                       "primary (current, status and check only read)",
                       r->url_shown ? r->url_shown : "the URL");
    if (r->pooled) {
        if ((rc = locked_begin(r)) < 0)
            return rc;
        return prepare_tables(r);
    }
    /* A first try that does not wait, so that a migrator about to wait
     * says so, and for whom (PostgreSQL names the holder's backend). */
    rc = db_lock(r->db, rt_vt_lock_key(r), -1);
    if (rc == RETORT_ELOCKED && r->lock_timeout_ms >= 0) {
        const char *holder = db_errmsg(r->db);
        rt_log(r, "Waiting for the migration lock on %s: another migrator holds it%s%s%s",
               r->url_shown ? r->url_shown : "the database", *holder ? " (" : "",
               holder, *holder ? ")" : "");
        rc = db_lock(r->db, rt_vt_lock_key(r), r->lock_timeout_ms);
    }
    if (rc < 0)
        return rc == RETORT_ELOCKED ? rt_lock_gave_up(r, db_errmsg(r->db))
                                    : rt_fail_db(r, "taking the migration lock");
    *locked = 1;
    if (db_begin(r->db) < 0)
        return rt_fail_db(r, "creating the version table");
    return prepare_tables(r);
}

/* prepare()'s tables, in the transaction it began (committed here, or
 * rolled back on failure). */
static int prepare_tables(retort *r)
{
    char sql[1024], own[1024], markers[1024], pkc[300];
    if (shape_check(r, r->vt, vt_columns) < 0 ||
        shape_check(r, r->rt, own_columns) < 0) {
        db_rollback(r->db);
        return RETORT_ERROR;
    }
    rt_vt_create_sql(r, 1, sql, sizeof sql);
    rt_ident(pkc, sizeof pkc, table_part(r->rt), "_pkc");
    snprintf(own, sizeof own,
             "CREATE TABLE IF NOT EXISTS %s (\n"
             "    revision VARCHAR(32) NOT NULL,\n"
             "    checksum VARCHAR(64) NOT NULL,\n"
             "    state VARCHAR(16) NOT NULL,\n"
             "    applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
             "    branches TEXT,\n"
             "    CONSTRAINT %s PRIMARY KEY (revision)\n)%s",
             r->rt_sql, pkc,
             /* One b-tree instead of a table and its key index: every
              * revision's commit then journals one page less. */
             r->db->dialect == RETORT_SQLITE ? " WITHOUT ROWID" : "");
    markers_index_sql(r, markers, sizeof markers);
    if (db_exec(r->db, sql) < 0 || db_exec(r->db, own) < 0 || db_exec(r->db, markers) < 0 ||
        branches_column(r) < 0 || db_commit(r->db) < 0) {
        db_rollback(r->db);
        return rt_fail_db(r, "creating the version table");
    }
    return 0;
}

static void release(retort *r, int locked)
{
    if (locked)
        db_unlock(r->db, rt_vt_lock_key(r));
}

/* Refuses a database whose records say it is not what this history
 * expects: an interrupted `transaction none` revision, or an applied
 * revision recorded with other contents. */
static int verify(retort *r, const rt_state *s)
{
    const retort_history *h = r->h;
    char parents[512];
    int down = 0, rc;
    long i;
    /* Rows that contradict each other say nothing true about the schema:
     * nothing may run on top of them (Alembic refuses too). */
    if ((rc = rt_target_contradiction(r, s)) < 0)
        return rc;
    i = rt_vt_interrupted(r, s, &down);
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
    i = rt_vt_changed(r, s, 0);
    if (i >= 0) {
        const retort_revision *v = &h->revisions[i];
        return rt_fail(r, RETORT_ERROR,
                       "revision %s (%s) was applied with different contents; "
                       "refusing to migrate (recorded checksum %.12s..., this "
                       "migrator has %.12s...): restore the revision as it was "
                       "applied, or, if the database is right, run 'stamp' with "
                       "the current revision to record these contents",
                       rt_str(h, v->id), rt_str_or(h, v->file, "?"),
                       s->sums + (size_t)i * 65, rt_vt_checksum(r, v));
    }
    return 0;
}

/* ---- upgrade and downgrade -------------------------------------------- */

/* Replaces every recorded checksum of the ABI 2 form with this history's
 * per-dialect form, in one transaction, after verify() accepted them: the
 * database then holds what an edit of the other dialect's statements does
 * not change.  Run under the migration lock. */
static int own_refresh(retort *r, rt_state *s)
{
    const retort_history *h = r->h;
    int tx = 0, rc = 0;
    for (unsigned i = 0; i < h->revision_count && rc == 0; i++) {
        const retort_revision *v = &h->revisions[i];
        char *rec = s->sums + (size_t)i * 65, sql[512], lit[80];
        const char *now = rt_vt_checksum(r, v);
        if (s->mark[i] != RT_MARK_APPLIED || !now[0] || strcmp(rec, now) == 0 ||
            !legacy_sum(r, v, rec))
            continue;
        if (!tx && (rc = tx_begin(r, "starting a transaction")) < 0)
            break;
        tx = 1;
        if ((rc = id_lit(r, v->id, lit, sizeof lit)) < 0)
            break;
        snprintf(sql, sizeof sql, "UPDATE %s SET checksum = '%s' WHERE revision = %s",
                 r->rt_sql, now, lit);
        if ((rc = exec_own(r, sql)) == 0)
            snprintf(rec, 65, "%s", now);
    }
    if (tx && rc == 0 && db_commit(r->db) < 0)
        rc = rt_fail_db(r, "recording checksums");
    if (tx && rc < 0)
        db_rollback(r->db);
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
 * (verify(): a `transaction none` revision another migrator is running
 * looks, through a pooler, just like an interrupted one). */
static int pooled_recheck(retort *r, rt_state *s, unsigned x, int down, int *skip)
{
    const retort_history *h = r->h;
    rt_state fresh = {0};
    long p;
    int rc, was_down;
    *skip = 0;
    if ((rc = rt_vt_state_read(r, &fresh)) < 0) {
        rt_vt_state_free(&fresh);
        return rc;
    }
    if ((rc = verify(r, &fresh)) < 0) {
        if (rt_vt_interrupted(r, &fresh, &was_down) >= 0) {
            char msg[RT_ERRMAX];
            memcpy(msg, r->err, sizeof msg);
            rc = rt_fail(r, rc, "%s (through a connection pooler this may also be "
                         "another migrator running that revision now: then wait for "
                         "it, and run the command again)", msg);
        }
        rt_vt_state_free(&fresh);
        return rc;
    }
    rt_vt_state_free(s);
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
static int move_one(retort *r, rt_state *s, unsigned x, int down)
{
    const retort_history *h = r->h;
    const retort_revision *v = &h->revisions[x];
    const char *message = rt_str_or(h, v->message, "");
    enum retort_dialect d = r->db->dialect;
    const retort_script *sc = down ? &v->downgrade[d] : &v->upgrade[d];
    unsigned *to = NULL, nto = 0;
    batch b = {r, NULL, 0, 0, 0};
    rt_pipe pipe;
    char parents[512];
    int tx = 0, rc = 0, marked = 0, started = 0;
    int piped = rt_pipe_fits(r, v);
    long pred;

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
        rc = tx_begin(r, "starting a transaction");
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
        ((rc = rt_pipe_flush(r->pipe)) < 0 || (rc = branches_load(r, x)) < 0))
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
        if ((rc = own_record(r, x, down ? RT_MARK_DOWNGRADING : RT_MARK_UPGRADING,
                             exec_own_emit, r)) < 0)
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
    rc = rt_vt_run_steps(r, r->db, x, sc->first, sc->count, 0);
    r->moving_down = 0;
    if (rc < 0)
        goto cleanup;
    if (!tx) {
        if ((rc = tx_begin(r, "starting a transaction")) < 0)
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
    if ((rc = down ? own_forget(r, x, batch_add, &b)
                   : own_record(r, x, RT_MARK_APPLIED, batch_add, &b)) < 0)
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
    /* Our own change, applied to the cached state. */
    qsort(to, nto, sizeof *to, cmp_unsigned);
    free(s->rows);
    s->rows = to;
    s->nrows = nto;
    to = NULL;
    s->applied[x] = down ? 0 : 1;
    s->mark[x] = down ? RT_MARK_NONE : RT_MARK_APPLIED;
    snprintf(s->sums + (size_t)x * 65, 65, "%s", down ? "" : rt_vt_checksum(r, v));
    for (unsigned k = 0; (pred = rt_graph_pred(h, x, k)) >= 0; k++)
        s->kids[pred] += down ? -1u : 1u;
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
    /* Every failure names the revision (rt_vt_step_fail already does). */
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
    free(b.sql);
    free(r->branches);
    r->branches = NULL;
    return rc;
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
    if ((rc = rt_vt_state_read(r, &s)) < 0)
        goto cleanup;
    if ((rc = verify(r, &s)) < 0 || (rc = own_refresh(r, &s)) < 0)
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
        if ((rc = move_one(r, &s, i, 0)) < 0)
            goto cleanup;
        moved += rc == 0;
        rc = 0;
    }
    if (moved == 0)
        nothing_to_do(r, target ? target : "head");
cleanup:
    rt_progress_end(r, rc == 0 ? moved : 0, 0);
    release(r, locked);
    free(want);
    rt_vt_state_free(&s);
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
    if ((rc = rt_vt_state_read(r, &s)) < 0)
        goto cleanup;
    if ((rc = verify(r, &s)) < 0 || (rc = own_refresh(r, &s)) < 0)
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
        if ((rc = move_one(r, &s, i, 1)) < 0)
            goto cleanup;
        moved += rc == 0;
        rc = 0;
    }
    if (moved == 0)
        nothing_to_do(r, target);
cleanup:
    rt_progress_end(r, rc == 0 ? moved : 0, 1);
    release(r, locked);
    free(drop);
    rt_vt_state_free(&s);
    return rc;
}

/* ---- stamp, current ----------------------------------------------------- */

/* A growing SQL text for the batched statements of stamp. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int w;
    if (b->oom)
        return;
    for (;;) {
        size_t room = b->cap - b->n;
        va_start(ap, fmt);
        w = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && (size_t)w < room) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = (b->cap + (size_t)w + 1) * 2;
        char *g = realloc(b->p, cap);
        if (!g) {
            b->oom = 1;
            return;
        }
        b->p = g;
        b->cap = cap;
    }
}

/* Makes retort's own rows say what `next` says: every revision applied
 * after a stamp carries the history's checksum, no other keeps a row,
 * and no marker survives.  Batched: a stamp may record thousands. */
static int own_sync(retort *r, const rt_state *s, const unsigned char *next)
{
    const retort_history *h = r->h;
    sbuf del = {0}, ins = {0};
    unsigned ndel = 0, nins = 0;
    int rc = 0;
    char sql[512];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE state <> 'applied'", r->rt_sql);
    if ((rc = exec_own(r, sql)) < 0)
        goto cleanup;
    for (unsigned i = 0; i <= h->revision_count && rc == 0; i++) {
        const retort_revision *v = i < h->revision_count ? &h->revisions[i] : NULL;
        int last = i == h->revision_count;
        if (v && next[i] && !(s->mark[i] == RT_MARK_APPLIED &&
                              strcmp(s->sums + (size_t)i * 65, rt_vt_checksum(r, v)) == 0)) {
            if (nins++ == 0)
                sb_add(&ins, "INSERT INTO %s (revision, checksum, state) VALUES ", r->rt_sql);
            sb_add(&ins, "%s('%s', '%s', 'applied')", nins > 1 ? ", " : "",
                   rt_str(r->h, v->id), rt_vt_checksum(r, v));
        } else if (v && !next[i] && s->mark[i] == RT_MARK_APPLIED) {
            if (ndel++ == 0)
                sb_add(&del, "DELETE FROM %s WHERE revision IN (", r->rt_sql);
            sb_add(&del, "%s'%s'", ndel > 1 ? ", " : "", rt_str(r->h, v->id));
        }
        if (del.oom || ins.oom) {
            rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
            break;
        }
        if (ndel && (ndel == 200 || last)) {
            sb_add(&del, ")");
            if (del.oom) {
                rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
                break;
            }
            rc = exec_own(r, del.p);
            del.n = 0;
            ndel = 0;
        }
        if (rc == 0 && nins && (nins == 200 || last)) {
            sb_add(&ins, " ON CONFLICT (revision) DO UPDATE SET checksum = "
                   "excluded.checksum, state = excluded.state, applied_at = "
                   "CURRENT_TIMESTAMP");
            if (ins.oom) {
                rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
                break;
            }
            rc = exec_own(r, ins.p);
            ins.n = 0;
            nins = 0;
        }
    }
cleanup:
    free(del.p);
    free(ins.p);
    return rc;
}

int rt_stamp_select(retort *r, const rt_state *s, const char *target,
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
    if ((rc = tx_begin(r, "starting a transaction")) < 0)
        goto cleanup;
    if (purge) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", r->vt_sql);
        if ((rc = exec_emit(r, sql)) < 0)
            goto cleanup;
        snprintf(sql, sizeof sql, "DELETE FROM %s", r->rt_sql);
        if ((rc = exec_own(r, sql)) < 0)
            goto cleanup;
    }
    if ((rc = rt_vt_state_read(r, &s)) < 0)
        goto cleanup;
    want = calloc(h->revision_count + 1, 1);
    next = calloc(h->revision_count + 1, 1);
    to = malloc((h->revision_count + 1) * sizeof *to);
    if (!want || !next || !to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_stamp_select(r, &s, target, want, next)) < 0)
        goto cleanup;
    if ((nto = rt_graph_heads_of(h, next, to)) < 0) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rt_vt_change(r, s.rows, s.nrows, to, (unsigned)nto, exec_emit, r)) < 0)
        goto cleanup;
    /* The rows of the revisions applied after the stamp follow it too. */
    rt_graph_close_ancestors(h, next, h->revision_count ? h->revision_count - 1 : 0, 1);
    if ((rc = own_sync(r, &s, next)) < 0)
        goto cleanup;
    if (db_commit(r->db) < 0)
        rc = rt_fail_db(r, "committing");
    else
        stamped(r, target, to, (unsigned)nto);
cleanup:
    if (rc < 0 && r->db)
        db_rollback(r->db);
    release(r, locked);
    free(want);
    free(next);
    free(to);
    rt_vt_state_free(&s);
    return rc;
}

/* ---- one revision at a time, for verify.c ---------------------------- */

int rt_vt_moves_begin(retort *r, rt_state *s, int *locked)
{
    int rc;
    if ((rc = prepare(r, locked)) < 0 || (rc = rt_vt_state_read(r, s)) < 0)
        return rc;
    if ((rc = verify(r, s)) < 0 || (rc = own_refresh(r, s)) < 0)
        return rc;
    return 0;
}

int rt_vt_move(retort *r, rt_state *s, unsigned x, int down)
{
    int rc = move_one(r, s, x, down);
    return rc < 0 ? rc : 0;
}

void rt_vt_moves_end(retort *r, rt_state *s, int locked)
{
    release(r, locked);
    rt_vt_state_free(s);
}
