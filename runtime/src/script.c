/* script.c: offline scripts in Alembic's layout (`upgrade --sql`).
 *
 * The whole script is one transaction, `BEGIN;` ... `COMMIT;`, for both
 * dialects, so a script that fails half-way leaves nothing behind; a
 * `transaction none` revision closes it around its own statements
 * (COMMIT; ... BEGIN;) as Alembic's autocommit blocks do.  SQLite scripts
 * start with `PRAGMA foreign_keys=OFF;`, which must precede BEGIN, because
 * the history's table rebuilds rely on it as the migrator does.
 *
 * A check step (RETORT_STEP_EXPECT_EMPTY, such as the foreign key check
 * that ends a SQLite table rebuild) must stop the script as it stops the
 * migrator: it is printed as an INSERT of the query's row count into a
 * temporary table whose CHECK allows only 0, so a psql or `sqlite3 -bail`
 * run stops at it with the transaction open, and nothing is committed.
 *
 * Application code (`call NAME`) cannot be printed: a script over a
 * revision that calls one is refused before anything is written. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void rt_script_cond_text(const rt_cond *s, char *buf, size_t cap)
{
    const char *neg = s->negate ? "not " : "";
    const char *sch = s->schema ? s->schema : "", *dot = s->schema ? "." : "";
    const char *t = s->table ? s->table : "", *n = s->name ? s->name : "";
    switch (s->cond) {
    case RETORT_COND_TABLE_EXISTS:
        snprintf(buf, cap, "%stable_exists %s%s%s", neg, sch, dot, t);
        break;
    case RETORT_COND_COLUMN_EXISTS:
        snprintf(buf, cap, "%scolumn_exists %s%s%s %s", neg, sch, dot, t, n);
        break;
    case RETORT_COND_INDEX_EXISTS:
        snprintf(buf, cap, "%sindex_exists %s", neg, n);
        break;
    case RETORT_COND_CONSTRAINT_EXISTS:
        snprintf(buf, cap, "%sconstraint_exists %s on %s%s%s", neg, n, sch, dot, t);
        break;
    case RETORT_COND_RECORDED:
        snprintf(buf, cap, "the upgrade's %s", n);
        break;
    default:
        snprintf(buf, cap, "%scondition %d", neg, s->cond);
    }
}

static int emit(void *ctx, const char *sql)
{
    fprintf((FILE *)ctx, "%s;\n\n", sql);
    return 0;
}

/* A check query as plain SQL that fails when the query returns a row.  The
 * constraint's name is the error message both databases print: the
 * query's leading `-- ` comment line when it has one (the compiler's
 * checks do), else the query itself.  An identifier holds any text once
 * '"' is doubled. */
static void print_expect_empty(FILE *out, const char *sql)
{
    const char *msg = sql, *end = sql + strlen(sql);
    if (strncmp(sql, "-- ", 3) == 0) {
        msg = sql + 3;
        end = strchr(msg, '\n');
        if (!end)
            end = msg + strlen(msg);
    }
    fputs("CREATE TEMP TABLE \"_retort_check\" (found INTEGER CONSTRAINT \"retort check failed: ", out);
    if (msg == sql)
        fputs("rows returned by ", out);
    for (const char *p = msg; p < end; p++)
        fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, out);
    fputs("\" CHECK (found = 0));\n\n", out);
    fprintf(out, "INSERT INTO \"_retort_check\" SELECT count(*) FROM (%s\n) AS q;\n\n", sql);
    fputs("DROP TABLE \"_retort_check\";\n\n", out);
}

/* Prints steps[first .. first+count), IF steps decided by `offline`. */
static void print_steps(const retort_history *h, FILE *out, unsigned first,
                        unsigned count)
{
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &h->steps[i];
        char cond[300];
        if (s->kind == RETORT_STEP_EXPECT_EMPTY) {
            print_expect_empty(out, rt_str(h, s->sql));
            continue;
        }
        if (s->kind == RETORT_STEP_CALL)
            continue;     /* refused before printing (first_call) */
        if (s->kind != RETORT_STEP_IF) {
            emit(out, rt_str(h, s->sql));
            continue;
        }
        rt_cond c = rt_cond_of(h, s);
        rt_script_cond_text(&c, cond, sizeof cond);
        fprintf(out, "-- offline: %s taken as %s (from the history)\n\n", cond,
                s->offline ? "true" : "false");
        if (s->offline)
            print_steps(h, out, s->then_first, s->then_count);
        else
            print_steps(h, out, s->else_first, s->else_count);
    }
}

/* The first CALL step that printing steps[first .. first+count) would
 * meet (IF steps decided by `offline`, as print_steps does), or NULL. */
static const retort_step *first_call(const retort_history *h, unsigned first,
                                     unsigned count)
{
    for (unsigned i = first; i < first + count; i++) {
        const retort_step *s = &h->steps[i], *c = NULL;
        if (s->kind == RETORT_STEP_CALL)
            return s;
        if (s->kind == RETORT_STEP_IF)
            c = s->offline ? first_call(h, s->then_first, s->then_count)
                           : first_call(h, s->else_first, s->else_count);
        if (c)
            return c;
    }
    return NULL;
}

/* Splits "A:B" (or "B") into from and to. */
static int split_range(retort *r, const char *range, char *from, char *to,
                       size_t cap)
{
    const char *colon = strchr(range, ':');
    size_t n = colon ? (size_t)(colon - range) : 0;
    const char *b = colon ? colon + 1 : range;
    if (n >= cap || strlen(b) >= cap || !*b)
        return rt_fail(r, RETORT_EUSAGE, "bad range '%s' (expected [A:]B)", range);
    memcpy(from, range, n);
    from[n] = '\0';
    memcpy(to, b, strlen(b) + 1);
    return 0;
}

/* The state a script starts from: revision `from` ("" or "base": none)
 * and what it implies, in applied[]; its rows as the version table would
 * hold them in rows[] (*nrows); kids[] as rt_graph_count_kids. */
static int start_state(retort *r, const char *from, unsigned char *applied,
                       unsigned *rows, unsigned *nrows, unsigned *kids)
{
    const retort_history *h = r->h;
    int rc, n;
    *nrows = 0;
    if (!from[0] || strcmp(from, "base") == 0)
        return 0;
    if ((rc = rt_target_upgrade(r, from, NULL, applied)) < 0)
        return rc;
    rt_graph_close_ancestors(h, applied, h->revision_count, 1);
    if ((n = rt_graph_heads_of(h, applied, rows)) < 0)
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    *nrows = (unsigned)n;
    rt_graph_count_kids(h, applied, kids);
    return 0;
}

/* The checks every script makes before its first line. */
static int script_usable(retort *r, enum retort_dialect dialect)
{
    int rc;
    if ((unsigned)dialect >= RETORT_DIALECT_COUNT)
        return rt_fail(r, RETORT_EUSAGE, "unknown dialect");
    if ((rc = rt_dialect_targeted(r, dialect)) < 0)
        return rc;
    const char *bad = rt_vt_name_error(r->vt, (int)dialect);
    if (bad)
        return rt_fail(r, RETORT_EUSAGE, "--version-table %s: %s", r->vt, bad);
    return 0;
}

int retort_offline_stamp(retort *r, FILE *out, enum retort_dialect dialect,
                         const char *range)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    unsigned N = h->revision_count;
    unsigned char *applied = calloc(N + 1, 1), *want = calloc(N + 1, 1);
    unsigned char *next = calloc(N + 1, 1);
    unsigned *kids = calloc(N + 1, sizeof *kids);
    unsigned *rows = malloc((N + 1) * sizeof *rows), *to = malloc((N + 1) * sizeof *to);
    unsigned nrows = 0;
    char from[256], target[256], sql[512];
    int rc, nto;
    rt_state st = {0};
    if (!applied || !want || !next || !kids || !rows || !to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = script_usable(r, dialect)) < 0 ||
        (rc = split_range(r, range, from, target, sizeof from)) < 0 ||
        (rc = start_state(r, from, applied, rows, &nrows, kids)) < 0)
        goto cleanup;
    st.rows = rows;
    st.nrows = nrows;
    st.applied = applied;
    if ((rc = rt_migrate_stamp_select(r, &st, target, want, next)) < 0)
        goto cleanup;
    if ((nto = rt_graph_heads_of(h, next, to)) < 0) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    fputs("BEGIN;\n\n", out);
    if (nrows == 0) {
        rt_vt_create_sql(r, 0, sql, sizeof sql);
        emit(out, sql);
    }
    if ((rc = rt_vt_change(r, rows, nrows, to, (unsigned)nto, emit, out)) < 0)
        goto cleanup;
    fputs("COMMIT;\n\n", out);
    if (fflush(out) != 0 || ferror(out))
        rc = rt_fail(r, RETORT_ERROR, "cannot write the script");
cleanup:
    free(applied);
    free(want);
    free(next);
    free(kids);
    free(rows);
    free(to);
    return rc;
}

int retort_offline_script(retort *r, FILE *out, enum retort_dialect dialect,
                          int downgrade, const char *range)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    unsigned N = h->revision_count;
    unsigned char *applied = calloc(N + 1, 1), *sel = calloc(N + 1, 1);
    unsigned *kids = calloc(N + 1, sizeof *kids);
    unsigned *rows = malloc((N + 1) * sizeof *rows), *to = malloc((N + 1) * sizeof *to);
    unsigned nrows = 0;
    char from[256], target[256], parents[1024], sql[512];
    int rc;
    rt_state st = {0};

    if (!applied || !sel || !kids || !rows || !to) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = script_usable(r, dialect)) < 0)
        goto cleanup;
    if ((rc = split_range(r, range, from, target, sizeof from)) < 0)
        goto cleanup;
    if (downgrade && !from[0]) {
        rc = rt_fail(r, RETORT_EUSAGE,
                     "an offline downgrade needs the starting revision: FROM:%s",
                     target);
        goto cleanup;
    }
    if ((rc = start_state(r, from, applied, rows, &nrows, kids)) < 0)
        goto cleanup;
    /* The same selection as online, from that state. */
    st.rows = rows;
    st.nrows = nrows;
    st.applied = applied;
    if ((rc = rt_target_select(r, downgrade, target, &st, sel)) < 0)
        goto cleanup;

    /* Application code cannot be written into a script: refuse before
     * the first line, so no partial script reaches a pipe into psql. */
    for (unsigned j = 0; j < N; j++) {
        unsigned x = downgrade ? N - 1 - j : j;
        const retort_revision *v = &h->revisions[x];
        const retort_script *sc = downgrade ? &v->downgrade[dialect] : &v->upgrade[dialect];
        const retort_step *c;
        if (!sel[x] || applied[x] == !downgrade || !(c = first_call(h, sc->first, sc->count)))
            continue;
        rc = rt_fail(r, RETORT_ERROR, "revision %s (%s): call %s runs application "
                     "code, which an offline script cannot hold; apply this revision "
                     "with the migrator (online), and script the range around it",
                     rt_str(h, v->id), rt_str_or(h, v->file, "?"),
                     rt_str_or(h, c->name, "?"));
        goto cleanup;
    }
    if (dialect == RETORT_SQLITE)
        fputs("PRAGMA foreign_keys=OFF;\n\n", out);
    fputs("BEGIN;\n\n", out);
    if (!downgrade && nrows == 0) {
        rt_vt_create_sql(r, 0, sql, sizeof sql);
        emit(out, sql);
    }
    for (unsigned j = 0; j < N; j++) {
        unsigned x = downgrade ? N - 1 - j : j;
        const retort_revision *v = &h->revisions[x];
        const retort_script *sc = downgrade ? &v->downgrade[dialect] : &v->upgrade[dialect];
        unsigned nto;
        long p;
        if (!sel[x] || applied[x] == !downgrade)
            continue;
        rt_graph_parents_text(h, x, parents, sizeof parents);
        if (downgrade)
            fprintf(out, "-- Running downgrade %s -> %s\n\n", rt_str(h, v->id), parents);
        else
            fprintf(out, "-- Running upgrade %s -> %s\n\n", parents, rt_str(h, v->id));
        if (!v->transactional)
            fputs("COMMIT;\n\n", out);
        print_steps(h, out, sc->first, sc->count);
        if (!v->transactional)
            fputs("BEGIN;\n\n", out);
        nto = rt_vt_next_rows(h, rows, nrows, kids, x, downgrade, to);
        if ((rc = rt_vt_change(r, rows, nrows, to, nto, emit, out)) < 0)
            goto cleanup;
        memcpy(rows, to, nto * sizeof *rows);
        nrows = nto;
        applied[x] = !downgrade;
        for (unsigned k = 0; (p = rt_graph_pred(h, x, k)) >= 0; k++)
            kids[p] += downgrade ? -1u : 1u;
    }
    if (downgrade && strcmp(target, "base") == 0 && nrows == 0) {
        snprintf(sql, sizeof sql, "DROP TABLE %s", r->vt_sql);
        emit(out, sql);
    }
    fputs("COMMIT;\n\n", out);
    if (fflush(out) != 0 || ferror(out))
        rc = rt_fail(r, RETORT_ERROR, "cannot write the script");
cleanup:
    free(applied);
    free(sel);
    free(kids);
    free(rows);
    free(to);
    return rc;
}
