/* version.c: the two bookkeeping tables' SQL: Alembic's version table
 * (its CREATE and the statements that move its rows) and the making of
 * retort's own table beside it (migrate.c says what that table holds).
 * Reading them is state.c; writing retort's rows is own.c.  Prefix rt_vt_. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

/* Whether x is among set[0 .. n). */
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
int rt_vt_id_lit(retort *r, unsigned id, char *buf, size_t cap)
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
        if ((rc = rt_vt_id_lit(r, revs[removed[i]].id, old, sizeof old)) < 0)
            break;
        if (i == nr - 1 && na > 0) {
            if ((rc = rt_vt_id_lit(r, revs[added[0]].id, lit, sizeof lit)) < 0)
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
        if ((rc = rt_vt_id_lit(r, revs[added[i]].id, lit, sizeof lit)) < 0)
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

/* A condition of kind `cond` on table `name` ("schema.table" or
 * "table"); the schema part is copied into `schema`, which must outlive
 * the condition. */
static rt_cond table_cond(int cond, const char *name, char schema[160])
{
    rt_cond s = {0};
    const char *dot = strchr(name, '.');
    s.cond = (unsigned char)cond;
    s.table = name;
    if (dot) {
        memcpy(schema, name, (size_t)(dot - name));
        schema[dot - name] = '\0';
        s.schema = schema;
        s.table = dot + 1;
    }
    return s;
}

int rt_vt_table_exists(retort *r, const char *name, int *exists)
{
    char schema[160];
    rt_cond s = table_cond(RETORT_COND_TABLE_EXISTS, name, schema);
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
    char schema[160];
    int exists = 0, rc;
    if ((rc = rt_vt_table_exists(r, name, &exists)) < 0 || !exists)
        return rc;
    rt_cond s = table_cond(RETORT_COND_COLUMN_EXISTS, name, schema);
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

int rt_vt_shape_check(retort *r, int own)
{
    return own ? shape_check(r, r->rt, own_columns) : shape_check(r, r->vt, vt_columns);
}

/* Adds the `branches` column to a table of retort's made before it
 * existed (inside rt_vt_create_tables()'s transaction). */
static int branches_column(retort *r)
{
    char schema[160], sql[512];
    int exists = 0;
    rt_cond s = table_cond(RETORT_COND_COLUMN_EXISTS, r->rt, schema);
    s.name = "branches";
    if (db_cond(r->db, &s, &exists) < 0)
        return RETORT_ERROR;
    if (exists)
        return 0;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN branches TEXT", r->rt_sql);
    return db_exec(r->db, sql);
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

int rt_vt_create_tables(retort *r)
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

int rt_vt_exec(retort *r, const char *sql, const char *what)
{
    if (r->verbosity > 0)
        rt_log(r, "%s;", sql);
    if (db_exec(r->db, sql) < 0)
        return rt_fail_db(r, what);
    return 0;
}
