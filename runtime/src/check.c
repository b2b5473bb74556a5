/*
 * check.c: `check`, the drift check.
 *
 * Is the database at head, and does its schema match the schema that the
 * history implies at the revision(s) it is at?  `check` reads the live
 * database and writes nothing there (SPEC section 6): no scratch schema,
 * no CREATE or TEMP privilege, no statement of the history.
 *
 *   SQLite      the version rows and the live schema are read in one read
 *               transaction (one snapshot: a migrator's commit is either
 *               wholly seen or not at all); the expected schema comes from
 *               replaying the applied upgrades into a private in-memory
 *               database, read by the same code.
 *   PostgreSQL  the migration lock in shared mode (polled with
 *               pg_try_advisory_lock_shared on the migrator's key, as the
 *               migrators poll theirs: a blocked query would hold a
 *               snapshot that CREATE INDEX CONCURRENTLY in the migrator
 *               holding the lock waits for), then one REPEATABLE READ READ ONLY
 *               transaction: no migrator moves the database while it is
 *               read.  The snapshot alone would not do: format_type(),
 *               pg_get_expr() and pg_get_indexdef() read the catalog
 *               caches, which follow the latest commit.  The expected
 *               schema is the one the compiler wrote into the history
 *               (check_expect.c).
 *
 * What is compared, and how, is in check_intro.c and check_expect.c.  Also
 * reported: records of an interrupted `transaction none` revision and
 * revisions applied with other contents.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

/* ---- the comparison ----------------------------------------------------- */

static int has_table(const rt_facts *f, const char *table)
{
    size_t lo = 0, hi = f->n;
    /* Sorted by table, and the table's own fact first. */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(f->v[mid].table, table);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n && strcmp(f->v[lo].table, table) == 0 && f->v[lo].rank == 0;
}

/* Prints each difference; returns how many.  With `lenient` (the history
 * applied raw SQL the compiler does not know), what the database has
 * beyond the history is listed as not verified and not counted. */
static unsigned diff(FILE *out, const rt_facts *want, const rt_facts *got, int lenient)
{
    size_t i = 0, j = 0;
    unsigned n = 0;
    while (i < want->n || j < got->n) {
        const rt_fact *a = i < want->n ? &want->v[i] : NULL;
        const rt_fact *b = j < got->n ? &got->v[j] : NULL;
        int c;
        if (a && b) {
            c = strcmp(a->table, b->table);
            if (c == 0)
                c = a->rank != b->rank ? a->rank - b->rank : strcmp(a->key, b->key);
        } else {
            c = a ? -1 : 1;
        }
        if (c == 0) {
            if (strcmp(a->cmp, b->cmp) != 0) {
                fprintf(out, "changed %s: expected %s, found %s\n", a->key, a->value,
                        b->value);
                n++;
            } else if (a->name && b->name && strcmp(a->name, b->name) != 0) {
                fprintf(out, "changed name of %s: expected %s, found %s\n", a->key,
                        a->name, b->name);
                n++;
            }
            i++;
            j++;
        } else if (c < 0) {
            /* Only what the history has; a missing table is one line. */
            if (a->rank == 0 || has_table(got, a->table)) {
                fprintf(out, "missing %s%s%s\n", a->key, a->value[0] ? ": " : "",
                        a->value);
                n++;
            }
            i++;
        } else {
            if (b->rank == 0 || has_table(want, b->table)) {
                fprintf(out, "%sextra %s%s%s\n", lenient ? "not verified: " : "", b->key,
                        b->value[0] ? ": " : "", b->value);
                n += !lenient;
            }
            j++;
        }
    }
    return n;
}

/* ---- reading ------------------------------------------------------------ */

/* The table part of a possibly schema-qualified name, when the name lives
 * in `schema`; else the name as it is (check names such tables so). */
static const char *local_name(const char *name, const char *schema)
{
    const char *dot = strchr(name, '.');
    if (dot && strlen(schema) == (size_t)(dot - name) &&
        strncmp(name, schema, (size_t)(dot - name)) == 0)
        return dot + 1;
    return name;
}

/* Replays the upgrades of the applied revisions into `d`, inside one
 * transaction (quicker than one per statement) that `transaction none`
 * revisions step out of, as they do online: VACUUM and the like refuse a
 * transaction.  The database is private and in memory: committing it
 * keeps nothing. */
static int replay_one(retort *r, db *d, unsigned i)
{
    const retort_script *sc = &r->h->revisions[i].upgrade[d->dialect];
    int outside = !r->h->revisions[i].transactional, rc;
    if (outside && db_commit(d) < 0)
        return rt_fail_db_as(r, d, "cannot rebuild the schema the history implies", NULL);
    rc = rt_step_run(r, d, i, sc->first, sc->count, 1);
    if (rc == 0 && outside && db_begin(d) < 0)
        return rt_fail_db_as(r, d, "cannot rebuild the schema the history implies", NULL);
    if (rc < 0) {
        char msg[RT_ERRMAX];
        memcpy(msg, r->err, sizeof msg);
        return rt_fail(r, rc, "cannot rebuild the schema the history implies: %s", msg);
    }
    return 0;
}

static int replay(retort *r, db *d, const rt_state *s)
{
    for (unsigned i = 0; i < r->h->revision_count; i++) {
        int rc;
        if (s->applied[i] && (rc = replay_one(r, d, i)) < 0)
            return rc;
    }
    return 0;
}

/* The live schema, and with `s` the version rows too, in one deferred
 * transaction: a read lock only, so a read-only file works, and one
 * snapshot for both. */
static int read_live_sqlite(retort *r, rt_state *s, rt_facts *live)
{
    const char *skip[2] = {local_name(r->vt, "main"), local_name(r->rt, "main")};
    int rc = 0;
    if (db_exec(r->db, "BEGIN") < 0)
        return rt_fail_db(r, "starting a read transaction");
    if (s)
        rc = rt_state_read(r, s);
    if (rc == 0 && rt_check_read(r->db, NULL, 0, skip, live) < 0)
        rc = rt_fail_db(r, "reading the database schema");
    db_rollback(r->db);
    return rc;
}

static int read_sqlite(retort *r, rt_state *s, rt_facts *live, rt_facts *want)
{
    db *scratch = NULL;
    char err[RT_ERRMAX];
    int rc;
    if ((rc = read_live_sqlite(r, s, live)) < 0)
        return rc;
    /* The replay runs outside that transaction: it touches nothing live. */
    if ((rc = rt_db_sqlite_open(&scratch, ":memory:", err, sizeof err)) < 0)
        return rt_fail(r, rc, "%s", err);
    if (db_begin(scratch) < 0) {
        rc = rt_fail(r, RETORT_ERROR, "%s", db_errmsg(scratch));
        goto cleanup;
    }
    if ((rc = replay(r, scratch, s)) < 0)
        goto cleanup;
    if ((rc = rt_check_read(scratch, NULL, 0, NULL, want)) < 0)
        rc = rt_fail(r, rc, "reading the expected schema: %s", db_errmsg(scratch));
cleanup:
    db_close(scratch);
    return rc;
}

static int take_text(void *ctx, int n, const char *const *v)
{
    char *out = ctx;
    if (n > 0 && v[0])
        snprintf(out, 128, "%s", v[0]);
    return 0;
}

static int read_postgresql(retort *r, rt_state *s, rt_facts *live, rt_facts *want,
                           long *unknown)
{
    db *d = r->db;
    char current[128] = "", key[32];
    const char *p[1] = {key};
    const char *skip[2];
    char **schemas = NULL;
    size_t nschemas = 0;
    int rc = 0;
    /* The lock before the transaction: its snapshot is taken by its first
     * query, which must come after the wait.  Through a pooler a session
     * lock would stay behind on a server connection: there the lock is
     * the transaction's own, and the transaction READ COMMITTED, so that
     * every read's snapshot is taken after the lock was had (while it is
     * held no migrator commits). */
    snprintf(key, sizeof key, "%lld", rt_lock_key(r));
    if ((rc = rt_lock_probe(r)) < 0)
        return rc;
    rc = r->pooled ? rt_db_postgresql_xact_lock(d, rt_lock_key(r), r->lock_timeout_ms, 1)
                   : rt_db_postgresql_lock_shared(d, rt_lock_key(r), r->lock_timeout_ms);
    if (rc < 0)
        return rc == RETORT_ELOCKED ? rt_lock_gave_up(r, db_errmsg(d))
                                    : rt_fail_db(r, "taking the migration lock (shared)");
    if (!r->pooled && db_exec(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0) {
        rc = rt_fail_db(r, "starting a read-only transaction");
        db_query(d, "SELECT pg_catalog.pg_advisory_unlock_shared($1::bigint)", 1, p,
                 NULL, NULL);
        return rc;
    }
    if (db_query(d, "SELECT pg_catalog.current_schema()", 0, NULL, take_text, current) < 0) {
        rc = rt_fail_db(r, "reading the current schema");
        goto cleanup;
    }
    if (!current[0]) {
        rc = rt_fail(r, RETORT_ERROR, "the database has no current schema "
                     "(check the search_path)");
        goto cleanup;
    }
    if ((rc = rt_state_read(r, s)) < 0)
        goto cleanup;
    if (!(schemas = malloc(sizeof *schemas)) || !(schemas[0] = malloc(strlen(current) + 1))) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(schemas[0], current, strlen(current) + 1);
    nschemas = 1;
    if ((rc = rt_check_expected(r->h, s->applied, current, want, &schemas, &nschemas,
                                unknown)) < 0) {
        rc = rt_fail(r, rc, "out of memory");
        goto cleanup;
    }
    skip[0] = local_name(r->vt, current);
    skip[1] = local_name(r->rt, current);
    if ((rc = rt_check_read(d, (const char *const *)schemas, nschemas, skip, live)) < 0)
        rc = rt_fail_db(r, "reading the database schema");
    else
        rt_check_keep_objects(r->h, live);
cleanup:
    /* Nothing was written. */
    db_rollback(d);
    if (!r->pooled)
        db_query(d, "SELECT pg_catalog.pg_advisory_unlock_shared($1::bigint)", 1, p,
                 NULL, NULL);
    for (size_t i = 0; i < nschemas; i++)
        free(schemas[i]);
    free(schemas);
    return rc;
}

/* ---- verify's walk on SQLite ------------------------------------------- */

/* SQLite's schema as it keeps it: for each table, the text of its rows of
 * sqlite_schema (the table, its indexes and triggers; a view alone),
 * joined.  Every fact check reads about a table SQLite derives from that
 * text alone, so two tables with equal texts have equal facts: the walk
 * compares texts (one query) and reads facts (a dozen pragma queries per
 * table) only for the tables whose texts differ. */
typedef struct sq_text {
    char *table;
    char *text;
} sq_text;

typedef struct sq_texts {
    sq_text *v;
    size_t n, cap;
    const char *skip[2];    /* retort's tables, in the live database */
    int oom;
} sq_texts;

static void texts_clear(sq_texts *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].table);
        free(t->v[i].text);
    }
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
    t->oom = 0;
}

/* Appends "type name sql" to the text of the row's table (rows come
 * ordered by table). */
static int take_text_row(void *ctx, int n, const char *const *v)
{
    sq_texts *t = ctx;
    const char *table = v[0], *type = v[1], *name = v[2], *sql = v[3] ? v[3] : "";
    size_t old = 0, add;
    char *g;
    if (n < 4 || !table || !type || !name)
        return 0;
    for (int i = 0; i < 2; i++)
        if (t->skip[i] && strcasecmp(t->skip[i], table) == 0)
            return 0;
    if (t->n == 0 || strcmp(t->v[t->n - 1].table, table) != 0) {
        if (t->n == t->cap) {
            size_t cap = t->cap * 2 + 16;
            sq_text *gv = realloc(t->v, cap * sizeof *gv);
            if (!gv)
                goto oom;
            t->v = gv;
            t->cap = cap;
        }
        t->v[t->n].table = strdup(table);
        t->v[t->n].text = NULL;
        if (!t->v[t->n++].table)
            goto oom;
    } else {
        old = strlen(t->v[t->n - 1].text);
    }
    add = strlen(type) + strlen(name) + strlen(sql) + 4;
    if (!(g = realloc(t->v[t->n - 1].text, old + add)))
        goto oom;
    snprintf(g + old, add, "%s%s %s %s", old ? "\n" : "", type, name, sql);
    t->v[t->n - 1].text = g;
    return 0;
oom:
    t->oom = 1;
    return 1;
}

static int read_texts(db *d, const char *skip[2], sq_texts *out)
{
    out->skip[0] = skip ? skip[0] : NULL;
    out->skip[1] = skip ? skip[1] : NULL;
    if (db_query(d, "SELECT tbl_name, type, name, sql FROM sqlite_schema "
                 "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                 "ORDER BY tbl_name, type, name", 0, NULL, take_text_row, out) < 0)
        return RETORT_ERROR;
    if (out->oom) {
        db_failf(d, "out of memory");
        return RETORT_ENOMEM;
    }
    return 0;
}

/* The tables whose texts differ between a and b (both ordered by table),
 * in *out (pointers into a and b, sorted); how many, or -1 when out of
 * memory. */
static long texts_differ(const sq_texts *a, const sq_texts *b, const char ***out)
{
    size_t i = 0, j = 0, n = 0;
    const char **v = malloc((a->n + b->n + 1) * sizeof *v);
    *out = v;
    if (!v)
        return -1;
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].table, b->v[j].table);
        if (c == 0) {
            if (strcmp(a->v[i].text, b->v[j].text) != 0)
                v[n++] = a->v[i].table;
            i++;
            j++;
        } else if (c < 0) {
            v[n++] = a->v[i++].table;
        } else {
            v[n++] = b->v[j++].table;
        }
    }
    return (long)n;
}

/* The expected schema followed along verify's walk.  Each walked upgrade
 * is replayed once into `at[1]` and, one step later, into `at[0]`, so the
 * two private databases hold the schemas after and before the revision
 * walked, without replaying from base at each comparison (which made
 * verify cubic: SQLite parses its whole schema again after each DDL
 * statement).  Their texts are kept; their facts are read only for the
 * tables a comparison finds different. */
struct rt_check_walk {
    db *at[2];              /* before, after the revision walked */
    sq_texts text[2];
    unsigned next;          /* every revision below it is in at[1] */
};

int rt_check_walk_start(retort *r, const rt_state *s, rt_check_walk **out)
{
    rt_check_walk *w;
    char err[RT_ERRMAX];
    int rc;
    *out = NULL;
    if (r->db->dialect != RETORT_SQLITE)
        return 0;
    for (unsigned i = 0; i < r->h->revision_count; i++)
        if (s->applied[i])
            return 0;           /* --force on a database part way: no walk */
    if (!(w = calloc(1, sizeof *w)))
        return rt_fail(r, RETORT_ENOMEM, "out of memory");
    *out = w;
    for (int k = 0; k < 2; k++) {
        if ((rc = rt_db_sqlite_open(&w->at[k], ":memory:", err, sizeof err)) < 0)
            return rt_fail(r, rc, "%s", err);
        if (db_begin(w->at[k]) < 0)
            return rt_fail(r, RETORT_ERROR, "%s", db_errmsg(w->at[k]));
    }
    return 0;
}

int rt_check_walk_step(retort *r, rt_check_walk *w, unsigned x)
{
    sq_texts t;
    int rc;
    /* The walk starts at base and visits every revision in order. */
    if (x != w->next)
        return rt_fail(r, RETORT_ERROR, "verify's walk is at %u, not at %s", w->next,
                       rt_str(r->h, r->h->revisions[x].id));
    if (x > 0 && (rc = replay_one(r, w->at[0], x - 1)) < 0)
        return rc;
    if ((rc = replay_one(r, w->at[1], x)) < 0)
        return rc;
    memset(&t, 0, sizeof t);
    if (read_texts(w->at[1], NULL, &t) < 0) {
        texts_clear(&t);
        return rt_fail(r, RETORT_ERROR, "reading the expected schema: %s",
                       db_errmsg(w->at[1]));
    }
    /* The text after the previous revision is the text before this one:
     * the same statements replayed from the same schema.  Before the
     * first, both are empty (calloc'd): so is a new database. */
    texts_clear(&w->text[0]);
    w->text[0] = w->text[1];
    w->text[1] = t;
    w->next = x + 1;
    return 0;
}

int rt_check_walk_compare(retort *r, rt_check_walk *w, int after, FILE *out,
                          unsigned *ndiff)
{
    const char *skip[2] = {local_name(r->vt, "main"), local_name(r->rt, "main")};
    sq_texts live = {0};
    rt_facts got = {0}, want = {0};
    const char **tables = NULL;
    long n = 0;
    int rc = 0;
    *ndiff = 0;
    /* The texts and, where they differ, the facts: one read transaction. */
    if (db_exec(r->db, "BEGIN") < 0)
        return rt_fail_db(r, "starting a read transaction");
    if (read_texts(r->db, skip, &live) < 0)
        rc = rt_fail_db(r, "reading the database schema");
    if (rc == 0 && (n = texts_differ(&w->text[after ? 1 : 0], &live, &tables)) < 0)
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
    if (rc == 0 && n > 0 && rt_check_read_only(r->db, skip, tables, (size_t)n, &got) < 0)
        rc = rt_fail_db(r, "reading the database schema");
    db_rollback(r->db);
    if (rc == 0 && n > 0 &&
        rt_check_read_only(w->at[after ? 1 : 0], NULL, tables, (size_t)n, &want) < 0)
        rc = rt_fail(r, RETORT_ERROR, "reading the expected schema: %s",
                     db_errmsg(w->at[after ? 1 : 0]));
    if (rc == 0 && n > 0)
        *ndiff = diff(out, &want, &got, 0);
    free(tables);
    texts_clear(&live);
    rt_check_clear(&got);
    rt_check_clear(&want);
    return rc;
}

void rt_check_walk_free(rt_check_walk *w)
{
    if (!w)
        return;
    for (int k = 0; k < 2; k++) {
        db_close(w->at[k]);
        texts_clear(&w->text[k]);
    }
    free(w);
}

/* ---- check -------------------------------------------------------------- */

static void print_ids(FILE *out, const retort_history *h, const unsigned *revs,
                      unsigned n)
{
    if (n == 0)
        fprintf(out, " base");
    for (unsigned i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : " ", rt_str(h, h->revisions[revs[i]].id));
}

/* The version rows, the live schema and the expected one, each dialect's
 * way; *unknown as read_postgresql() says (-1 on SQLite). */
static int read_both(retort *r, rt_state *s, rt_facts *live, rt_facts *want,
                     long *unknown)
{
    *unknown = -1;
    return r->db->dialect == RETORT_SQLITE ? read_sqlite(r, s, live, want)
                                           : read_postgresql(r, s, live, want, unknown);
}

int rt_check_compare(retort *r, FILE *out, unsigned *ndiff)
{
    rt_state s = {0};
    rt_facts live = {0}, want = {0};
    long unknown;
    int rc = read_both(r, &s, &live, &want, &unknown);
    *ndiff = 0;
    if (rc == 0)
        *ndiff = diff(out, &want, &live, unknown >= 0);
    rt_check_clear(&live);
    rt_check_clear(&want);
    rt_state_free(&s);
    return rc;
}

int retort_check(retort *r, FILE *out)
{
    return retort_print_check(r, out, 0);
}

/* The lines of a memstream's text as a JSON array of strings. */
static void json_lines(FILE *out, const char *text)
{
    int any = 0;
    fputc('[', out);
    for (int first = 1; text && *text; first = 0, any = 1) {
        const char *eol = strchr(text, '\n');
        size_t n = eol ? (size_t)(eol - text) : strlen(text);
        char *line = malloc(n + 1);
        if (line) {
            memcpy(line, text, n);
            line[n] = '\0';
            fputs(first ? "\n    " : ",\n    ", out);
            rt_json_str(out, line);
            free(line);
        }
        text += n + (eol != NULL);
    }
    fputs(any ? "\n  ]" : "]", out);
}

int retort_print_check(retort *r, FILE *out, int flags)
{
    RT_USABLE(r);
    const retort_history *h = r->h;
    rt_state s = {0};
    rt_facts live = {0}, want = {0};
    unsigned ndiff = 0;
    int rc, at_head, down = 0;
    long bad, unknown = -1;
    /* The differences (the version table's, then the schema's) and the
     * notes, apart, so that JSON can list them; text keeps the order. */
    char *pre = NULL, *post = NULL, *note = NULL;
    size_t npre = 0, npost = 0, nnote = 0;
    FILE *fpre = NULL, *fpost = NULL, *fnote = NULL;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    rc = read_both(r, &s, &live, &want, &unknown);
    if (rc < 0)
        goto cleanup;
    if (!(fpre = open_memstream(&pre, &npre)) || !(fpost = open_memstream(&post, &npost)) ||
        !(fnote = open_memstream(&note, &nnote))) {
        rc = rt_fail(r, RETORT_ENOMEM, "out of memory");
        goto cleanup;
    }
    at_head = s.nrows == h->head_count;
    for (unsigned i = 0; at_head && i < s.nrows; i++)
        at_head = s.rows[i] == h->heads[i];
    bad = rt_state_interrupted(r, &s, &down);
    if (bad >= 0) {
        fprintf(fpre, "incomplete revision %s (%s): its %s, outside a transaction, "
                "was interrupted\n", rt_str(h, h->revisions[bad].id),
                rt_str_or(h, h->revisions[bad].file, "?"),
                down ? "downgrade" : "upgrade");
        ndiff++;
    } else if (bad == -2) {
        fprintf(fpre, "incomplete revision %s: unknown to this history\n", s.stray);
        ndiff++;
    }
    for (long i = rt_state_changed(r, &s, 0); i >= 0;
         i = rt_state_changed(r, &s, (unsigned)i + 1)) {
        fprintf(fpre, "changed revision %s (%s): applied with different contents\n",
                rt_str(h, h->revisions[i].id), rt_str_or(h, h->revisions[i].file, "?"));
        ndiff++;
    }
    if (unknown >= 0)
        fprintf(fnote, "not verified: revision %s (%s) has schema_check off; what its raw "
                "SQL added is not known to check on PostgreSQL\n",
                rt_str(h, h->revisions[unknown].id),
                rt_str_or(h, h->revisions[unknown].file, "?"));
    ndiff += diff(fpost, &want, &live, unknown >= 0);
    fclose(fpre);
    fclose(fpost);
    fclose(fnote);
    fpre = fpost = fnote = NULL;
    if (flags & RETORT_JSON) {
        fputs("{\n  \"database\": ", out);
        rt_json_str(out, r->url_shown);
        fputs(",\n  ", out);
        rt_json_revs(out, "current", h, s.rows, s.nrows, NULL);
        fputs(",\n  ", out);
        rt_json_revs(out, "heads", h, h->heads, h->head_count, NULL);
        fprintf(out, ",\n  \"at_head\": %s,\n  \"matches\": %s,\n  \"differences\": ",
                at_head ? "true" : "false", ndiff ? "false" : "true");
        char *all = malloc(npre + npost + 1);
        if (all) {
            memcpy(all, pre ? pre : "", npre);
            memcpy(all + npre, post ? post : "", npost);
            all[npre + npost] = '\0';
        }
        json_lines(out, all);
        free(all);
        fputs(",\n  \"notes\": ", out);
        json_lines(out, note);
        fputs("\n}\n", out);
    } else {
        if (at_head) {
            fprintf(out, "the database is at head");
            print_ids(out, h, s.rows, s.nrows);
            fputc('\n', out);
        } else {
            fprintf(out, "current:");
            print_ids(out, h, s.rows, s.nrows);
            fprintf(out, "\nhead:");
            print_ids(out, h, h->heads, h->head_count);
            fputc('\n', out);
        }
        fputs(pre ? pre : "", out);
        fputs(note ? note : "", out);
        fputs(post ? post : "", out);
        if (ndiff == 0)
            fprintf(out, "the schema matches the history\n");
    }
    if (!at_head && ndiff)
        rc = rt_fail(r, RETORT_EDRIFT, "the database is not at head, and %u "
                     "difference%s from the history", ndiff, ndiff == 1 ? "" : "s");
    else if (!at_head)
        rc = rt_fail(r, RETORT_EDRIFT, "the database is not at head");
    else if (ndiff)
        rc = rt_fail(r, RETORT_EDRIFT, "the database differs from the history in "
                     "%u place%s", ndiff, ndiff == 1 ? "" : "s");
cleanup:
    if (fpre)
        fclose(fpre);
    if (fpost)
        fclose(fpost);
    if (fnote)
        fclose(fnote);
    free(pre);
    free(post);
    free(note);
    rt_check_clear(&live);
    rt_check_clear(&want);
    rt_state_free(&s);
    return rc;
}
