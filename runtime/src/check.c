/*
 * check.c: `check`, the drift check.
 *
 * Is the database at head, and does its schema match the schema that the
 * history implies at the revision(s) it is at?  The binary holds no schema
 * data: the expected schema is built by replaying the upgrade steps of the
 * applied revisions, from base, into a scratch space, and the live
 * database and the scratch are read by the SAME introspection code:
 *   SQLite      a private in-memory database;
 *   PostgreSQL  a schema retort_check_<pid>, created inside a transaction
 *               that is rolled back at the end (search_path: the scratch
 *               schema, then the live one, so extension types resolve).
 * What is compared, as "facts" (a key and a normalised value):
 *   tables; columns with type, nullability, default (and identity or
 *   generation on PostgreSQL); indexes with their columns, uniqueness,
 *   method and predicate; constraints (PostgreSQL: every constraint by
 *   name with its definition; SQLite, which keeps no names: the primary
 *   key, unique constraints and foreign keys by their columns).
 * Column order, CHECK constraints on SQLite, views, sequences, triggers
 * and functions are not compared.  The version table and retort's own
 * table are left out.  Also reported: records of an interrupted
 * `transaction none` revision and revisions applied with other contents.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

/* ---- facts -------------------------------------------------------------- */

typedef struct fact {
    char *table;
    char *key;       /* "column users.email", "index ix on users", ... */
    char *value;     /* normalised; "" for a table */
    int rank;        /* 0 for the table itself, so it sorts first */
} fact;

typedef struct facts {
    fact *v;
    size_t n, cap;
    int oom;
} facts;

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void facts_clear(facts *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].table);
        free(f->v[i].key);
        free(f->v[i].value);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

static void fact_add(facts *f, const char *table, int rank, const char *value,
                     const char *keyfmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void fact_add(facts *f, const char *table, int rank, const char *value,
                     const char *keyfmt, ...)
{
    va_list ap;
    char key[1024];
    fact *x;
    if (f->oom)
        return;
    if (f->n == f->cap) {
        size_t cap = f->cap * 2 + 32;
        fact *g = realloc(f->v, cap * sizeof *g);
        if (!g) {
            f->oom = 1;
            return;
        }
        f->v = g;
        f->cap = cap;
    }
    va_start(ap, keyfmt);
    vsnprintf(key, sizeof key, keyfmt, ap);
    va_end(ap);
    x = &f->v[f->n];
    x->table = dupstr(table);
    x->key = dupstr(key);
    x->value = dupstr(value ? value : "");
    x->rank = rank;
    if (!x->table || !x->key || !x->value) {
        free(x->table);
        free(x->key);
        free(x->value);
        f->oom = 1;
        return;
    }
    f->n++;
}

static int fact_cmp(const void *a, const void *b)
{
    const fact *x = a, *y = b;
    int c = strcmp(x->table, y->table);
    if (c)
        return c;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

/* ---- normalisation ------------------------------------------------------ */

/* Whitespace runs become one space (outside '...' strings), trimmed;
 * with `upper`, letters outside strings are upper-cased and spaces next
 * to ( , ) dropped (SQLite's declared types: "numeric(10, 2)"). */
static void normalise(const char *in, char *out, size_t cap, int upper)
{
    size_t n = 0;
    int quote = 0, space = 0;
    if (cap == 0)
        return;
    for (const char *p = in ? in : ""; *p && n + 1 < cap; p++) {
        char c = *p;
        if (!quote && isspace((unsigned char)c)) {
            space = n > 0;
            continue;
        }
        if (space) {
            int tight = upper && (c == '(' || c == ')' || c == ',' ||
                                  out[n - 1] == '(' || out[n - 1] == ',');
            if (!tight && n + 2 < cap)
                out[n++] = ' ';
            space = 0;
        }
        if (c == '\'')
            quote = !quote;
        out[n++] = upper && !quote ? (char)toupper((unsigned char)c) : c;
    }
    out[n] = '\0';
}

/* A SQLite default: normalised, upper-cased outside strings, and without
 * one pair of redundant outer parentheses ("(1)" and "1" are the same). */
static void normalise_default(const char *in, char *out, size_t cap)
{
    char tmp[1024];
    size_t n;
    normalise(in, tmp, sizeof tmp, 1);
    n = strlen(tmp);
    if (n >= 2 && tmp[0] == '(' && tmp[n - 1] == ')') {
        int depth = 0, outer = 1;
        for (size_t i = 0; i < n; i++) {
            depth += tmp[i] == '(' ? 1 : tmp[i] == ')' ? -1 : 0;
            if (depth == 0 && i < n - 1) {
                outer = 0;
                break;
            }
        }
        if (outer) {
            tmp[n - 1] = '\0';
            memmove(tmp, tmp + 1, n - 1);
        }
    }
    snprintf(out, cap, "%s", tmp);
}

/* ---- introspection ------------------------------------------------------ */

typedef struct intro {
    db *d;
    const char *schema;       /* PostgreSQL: the schema read */
    const char *skip[2];      /* tables left out, or NULL */
    facts *out;
    /* SQLite: names collected by a query, then walked */
    char **names;
    size_t nnames, capnames;
    int oom;
} intro;

static int skipped(const intro *in, const char *table)
{
    for (int i = 0; i < 2; i++)
        if (in->skip[i] && strcasecmp(in->skip[i], table) == 0)
            return 1;
    return 0;
}

static void names_clear(intro *in)
{
    for (size_t i = 0; i < in->nnames; i++)
        free(in->names[i]);
    in->nnames = 0;
}

static int take_name(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char *s;
    if (n < 1 || !v[0])
        return 0;
    if (in->nnames == in->capnames) {
        size_t cap = in->capnames * 2 + 16;
        char **g = realloc(in->names, cap * sizeof *g);
        if (!g) {
            in->oom = 1;
            return 1;
        }
        in->names = g;
        in->capnames = cap;
    }
    if (!(s = dupstr(v[0]))) {
        in->oom = 1;
        return 1;
    }
    in->names[in->nnames++] = s;
    return 0;
}

/* SQLite: a table's columns; the primary key's columns by position. */
typedef struct sq_cols {
    intro *in;
    const char *table;
    char pk[16][128];
    int npk;
} sq_cols;

static int sq_take_column(void *ctx, int n, const char *const *v)
{
    sq_cols *c = ctx;
    char type[256], dflt[1024], value[1400];
    int pk;
    if (n < 5 || !v[0])
        return 0;
    normalise(v[1], type, sizeof type, 1);
    snprintf(value, sizeof value, "%s", type[0] ? type : "(no type)");
    if (v[2] && strcmp(v[2], "0") != 0)
        snprintf(value + strlen(value), sizeof value - strlen(value), " NOT NULL");
    if (v[3]) {
        normalise_default(v[3], dflt, sizeof dflt);
        snprintf(value + strlen(value), sizeof value - strlen(value), " DEFAULT %s", dflt);
    }
    fact_add(c->in->out, c->table, 1, value, "column %s.%s", c->table, v[0]);
    pk = v[4] ? atoi(v[4]) : 0;
    if (pk > 0 && pk <= 16) {
        snprintf(c->pk[pk - 1], sizeof c->pk[0], "%s", v[0]);
        if (pk > c->npk)
            c->npk = pk;
    }
    return 0;
}

typedef struct sq_index {
    char name[256];
    int unique, partial;
    char origin[4];
    char *sql;
} sq_index;

typedef struct sq_indexes {
    sq_index *v;
    size_t n, cap;
    int oom;
} sq_indexes;

static int sq_take_index(void *ctx, int n, const char *const *v)
{
    sq_indexes *x = ctx;
    sq_index *i;
    if (n < 5 || !v[0])
        return 0;
    if (x->n == x->cap) {
        size_t cap = x->cap * 2 + 8;
        sq_index *g = realloc(x->v, cap * sizeof *g);
        if (!g) {
            x->oom = 1;
            return 1;
        }
        x->v = g;
        x->cap = cap;
    }
    i = &x->v[x->n];
    memset(i, 0, sizeof *i);
    snprintf(i->name, sizeof i->name, "%s", v[0]);
    i->unique = v[1] && strcmp(v[1], "0") != 0;
    snprintf(i->origin, sizeof i->origin, "%s", v[2] ? v[2] : "c");
    i->partial = v[3] && strcmp(v[3], "0") != 0;
    if (v[4] && !(i->sql = dupstr(v[4]))) {
        x->oom = 1;
        return 1;
    }
    x->n++;
    return 0;
}

typedef struct text_list {
    char text[2048];
    size_t len;
} text_list;

static void list_add(text_list *l, const char *s)
{
    int w = snprintf(l->text + l->len, sizeof l->text - l->len, "%s%s",
                     l->len ? ", " : "", s);
    if (w > 0 && (size_t)w < sizeof l->text - l->len)
        l->len += (size_t)w;
}

static int sq_take_index_col(void *ctx, int n, const char *const *v)
{
    text_list *l = ctx;
    char one[300];
    if (n < 2)
        return 0;
    snprintf(one, sizeof one, "%s%s", v[0] ? v[0] : "<expression>",
             v[1] && strcmp(v[1], "0") != 0 ? " DESC" : "");
    list_add(l, one);
    return 0;
}

/* The text after the last WHERE of an index's SQL (its predicate). */
static const char *where_of(const char *sql)
{
    const char *found = NULL;
    for (const char *p = sql; p && *p; p++)
        if (strncasecmp(p, "where", 5) == 0 && (p == sql || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[5]) && p[5] != '_')
            found = p + 5;
    return found;
}

/* SQLite: foreign keys, grouped by id. */
typedef struct sq_fks {
    intro *in;
    const char *table;
    char id[32];
    text_list from, to;
    char parent[256], on_update[32], on_delete[32];
    int open;
} sq_fks;

static void sq_fk_flush(sq_fks *f)
{
    char value[128];
    if (!f->open)
        return;
    snprintf(value, sizeof value, "ON DELETE %s ON UPDATE %s", f->on_delete, f->on_update);
    fact_add(f->in->out, f->table, 4, value, "foreign key on %s (%s) references %s (%s)",
             f->table, f->from.text, f->parent, f->to.len ? f->to.text : "<primary key>");
    memset(&f->from, 0, sizeof f->from);
    memset(&f->to, 0, sizeof f->to);
    f->open = 0;
}

static int sq_take_fk(void *ctx, int n, const char *const *v)
{
    sq_fks *f = ctx;
    if (n < 7)
        return 0;
    if (!f->open || strcmp(f->id, v[0] ? v[0] : "") != 0) {
        sq_fk_flush(f);
        snprintf(f->id, sizeof f->id, "%s", v[0] ? v[0] : "");
        snprintf(f->parent, sizeof f->parent, "%s", v[2] ? v[2] : "?");
        snprintf(f->on_update, sizeof f->on_update, "%s", v[5] ? v[5] : "NO ACTION");
        snprintf(f->on_delete, sizeof f->on_delete, "%s", v[6] ? v[6] : "NO ACTION");
        f->open = 1;
    }
    list_add(&f->from, v[3] ? v[3] : "?");
    if (v[4])
        list_add(&f->to, v[4]);
    return 0;
}

static int introspect_sqlite(intro *in)
{
    db *d = in->d;
    sq_indexes ix = {0};
    int rc = 0;
    rc = db_query(d, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                  0, NULL, take_name, in);
    if (rc < 0 || in->oom)
        goto cleanup;
    for (size_t t = 0; t < in->nnames && rc == 0; t++) {
        const char *table = in->names[t];
        const char *p[1] = {table};
        sq_cols cols;
        sq_fks fks;
        if (skipped(in, table))
            continue;
        fact_add(in->out, table, 0, "", "table %s", table);
        memset(&cols, 0, sizeof cols);
        cols.in = in;
        cols.table = table;
        rc = db_query(d, "SELECT name, type, \"notnull\", dflt_value, pk "
                      "FROM pragma_table_info(?1)", 1, p, sq_take_column, &cols);
        if (rc < 0)
            break;
        if (cols.npk > 0) {
            text_list l = {{0}, 0};
            for (int k = 0; k < cols.npk; k++)
                list_add(&l, cols.pk[k]);
            fact_add(in->out, table, 2, l.text, "primary key on %s", table);
        }
        for (size_t k = 0; k < ix.n; k++)
            free(ix.v[k].sql);
        ix.n = 0;
        rc = db_query(d, "SELECT il.name, il.\"unique\", il.origin, il.partial, m.sql "
                      "FROM pragma_index_list(?1) AS il LEFT JOIN sqlite_schema AS m "
                      "ON m.type = 'index' AND m.name = il.name", 1, p,
                      sq_take_index, &ix);
        if (rc < 0 || ix.oom)
            break;
        for (size_t k = 0; k < ix.n && rc == 0; k++) {
            sq_index *i = &ix.v[k];
            const char *q[1] = {i->name};
            text_list l = {{0}, 0};
            char pred[1024] = "", value[3200];
            if (strcmp(i->origin, "pk") == 0)
                continue;        /* the primary key, compared above */
            rc = db_query(d, "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) "
                          "WHERE key = 1 ORDER BY seqno", 1, q, sq_take_index_col, &l);
            if (rc < 0)
                break;
            if (strcmp(i->origin, "u") == 0) {
                /* An unnamed unique constraint: known by its columns. */
                fact_add(in->out, table, 3, "UNIQUE", "unique constraint on %s (%s)",
                         table, l.text);
                continue;
            }
            if (i->partial && i->sql)
                normalise(where_of(i->sql), pred, sizeof pred, 0);
            snprintf(value, sizeof value, "%s(%s)%s%s", i->unique ? "UNIQUE " : "",
                     l.text, pred[0] ? " WHERE " : "", pred);
            fact_add(in->out, table, 5, value, "index %s on %s", i->name, table);
        }
        if (rc < 0)
            break;
        memset(&fks, 0, sizeof fks);
        fks.in = in;
        fks.table = table;
        rc = db_query(d, "SELECT id, seq, \"table\", \"from\", \"to\", on_update, "
                      "on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                      1, p, sq_take_fk, &fks);
        sq_fk_flush(&fks);
    }
cleanup:
    for (size_t k = 0; k < ix.n; k++)
        free(ix.v[k].sql);
    free(ix.v);
    names_clear(in);
    if (rc == 0 && (in->oom || ix.oom)) {
        snprintf(d->err, sizeof d->err, "out of memory");
        rc = RETORT_ENOMEM;
    }
    return rc;
}

static int pg_take_table(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    if (n < 1 || !v[0] || skipped(in, v[0]))
        return 0;
    fact_add(in->out, v[0], 0, "", "table %s", v[0]);
    return 0;
}

static int pg_take_column(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char def[1024], value[1400];
    if (n < 7 || !v[0] || !v[1] || skipped(in, v[0]))
        return 0;
    snprintf(value, sizeof value, "%s", v[2] ? v[2] : "?");
    if (v[3] && v[3][0] == 't')
        snprintf(value + strlen(value), sizeof value - strlen(value), " NOT NULL");
    if (v[4]) {
        normalise(v[4], def, sizeof def, 0);
        snprintf(value + strlen(value), sizeof value - strlen(value),
                 v[6] && v[6][0] == 's' ? " GENERATED ALWAYS AS (%s) STORED"
                                        : " DEFAULT %s", def);
    }
    if (v[5] && (v[5][0] == 'a' || v[5][0] == 'd'))
        snprintf(value + strlen(value), sizeof value - strlen(value),
                 " GENERATED %s AS IDENTITY", v[5][0] == 'a' ? "ALWAYS" : "BY DEFAULT");
    fact_add(in->out, v[0], 1, value, "column %s.%s", v[0], v[1]);
    return 0;
}

static int pg_take_index(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char def[2048], value[2200];
    const char *using;
    if (n < 5 || !v[0] || !v[1] || skipped(in, v[0]))
        return 0;
    /* "CREATE [UNIQUE] INDEX name ON schema.table USING btree (cols)":
     * the part after USING names no schema. */
    using = v[3] ? strstr(v[3], " USING ") : NULL;
    normalise(using ? using + 7 : v[3], def, sizeof def, 0);
    snprintf(value, sizeof value, "%s%s%s", v[2] && v[2][0] == 't' ? "UNIQUE " : "",
             def, v[4] && v[4][0] == 'f' ? " (INVALID)" : "");
    fact_add(in->out, v[0], 5, value, "index %s on %s", v[1], v[0]);
    return 0;
}

static int pg_take_constraint(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char def[2048];
    if (n < 3 || !v[0] || !v[1] || skipped(in, v[0]))
        return 0;
    normalise(v[2], def, sizeof def, 0);
    fact_add(in->out, v[0], 3, def, "constraint %s on %s", v[1], v[0]);
    return 0;
}

static int introspect_postgresql(intro *in)
{
    db *d = in->d;
    const char *p[1] = {in->schema};
    int rc;
    rc = db_query(d,
        "SELECT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')", 1, p, pg_take_table, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
            "a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, "
            "a.attgenerated FROM pg_catalog.pg_attribute a "
            "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
            "AND ad.adnum = a.attnum "
            "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
            "AND NOT a.attisdropped", 1, p, pg_take_column, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT t.relname, i.relname, ix.indisunique, "
            "pg_catalog.pg_get_indexdef(ix.indexrelid), ix.indisvalid "
            "FROM pg_catalog.pg_index ix "
            "JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
            "JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = $1 AND t.relkind IN ('r', 'p') AND NOT EXISTS ("
            "SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = ix.indexrelid "
            "AND co.conrelid = ix.indrelid AND co.contype IN ('p', 'u', 'x'))",
            1, p, pg_take_index, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT t.relname, co.conname, pg_catalog.pg_get_constraintdef(co.oid) "
            "FROM pg_catalog.pg_constraint co "
            "JOIN pg_catalog.pg_class t ON t.oid = co.conrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = $1 AND t.relkind IN ('r', 'p')",
            1, p, pg_take_constraint, in);
    return rc;
}

static int introspect(db *d, const char *schema, const char *skip1,
                      const char *skip2, facts *out)
{
    intro in;
    int rc;
    memset(&in, 0, sizeof in);
    in.d = d;
    in.schema = schema;
    in.skip[0] = skip1;
    in.skip[1] = skip2;
    in.out = out;
    rc = d->dialect == RETORT_SQLITE ? introspect_sqlite(&in) : introspect_postgresql(&in);
    free(in.names);
    if (rc == 0 && out->oom) {
        snprintf(d->err, sizeof d->err, "out of memory");
        rc = RETORT_ENOMEM;
    }
    if (rc == 0 && out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, fact_cmp);
    return rc;
}

/* ---- the comparison ----------------------------------------------------- */

static int has_table(const facts *f, const char *table)
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

/* Prints each difference; returns how many. */
static unsigned diff(FILE *out, const facts *want, const facts *got)
{
    size_t i = 0, j = 0;
    unsigned n = 0;
    while (i < want->n || j < got->n) {
        const fact *a = i < want->n ? &want->v[i] : NULL;
        const fact *b = j < got->n ? &got->v[j] : NULL;
        int c;
        if (a && b) {
            c = strcmp(a->table, b->table);
            if (c == 0)
                c = a->rank != b->rank ? a->rank - b->rank : strcmp(a->key, b->key);
        } else {
            c = a ? -1 : 1;
        }
        if (c == 0) {
            if (strcmp(a->value, b->value) != 0) {
                fprintf(out, "changed %s: expected %s, found %s\n", a->key, a->value,
                        b->value);
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
                fprintf(out, "extra %s%s%s\n", b->key, b->value[0] ? ": " : "",
                        b->value);
                n++;
            }
            j++;
        }
    }
    return n;
}

/* ---- the scratch -------------------------------------------------------- */

/* Replays the upgrades of the applied revisions into `d`. */
static int replay(retort *r, db *d, const rt_state *s)
{
    const retort_history *h = r->h;
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_script *sc = &h->revisions[i].upgrade[d->dialect];
        int rc;
        if (!s->applied[i])
            continue;
        if ((rc = rt_vt_run_steps(r, d, i, sc->first, sc->count, 1)) < 0) {
            char msg[RT_ERRMAX];
            memcpy(msg, r->err, sizeof msg);
            return rt_fail(r, rc, "cannot rebuild the schema the history implies: %s",
                           msg);
        }
    }
    return 0;
}

/* The table part of a possibly schema-qualified name, when the name lives
 * in `schema` (NULL: the default one). */
static const char *local_name(const char *name, const char *schema)
{
    const char *dot = strchr(name, '.');
    if (!dot)
        return name;
    if (schema && strlen(schema) == (size_t)(dot - name) &&
        strncmp(name, schema, (size_t)(dot - name)) == 0)
        return dot + 1;
    return NULL;
}

static int take_text(void *ctx, int n, const char *const *v)
{
    char *out = ctx;
    if (n > 0 && v[0])
        snprintf(out, 128, "%s", v[0]);
    return 0;
}

static int expected_sqlite(retort *r, const rt_state *s, facts *live, facts *want)
{
    db *scratch = NULL;
    char err[RT_ERRMAX];
    int rc;
    if ((rc = introspect(r->db, NULL, local_name(r->vt, "main"),
                         local_name(r->rt, "main"), live)) < 0) {
        rc = rt_fail_db(r, "reading the database schema");
        goto cleanup;
    }
    if ((rc = rt_db_sqlite_open(&scratch, ":memory:", err, sizeof err)) < 0) {
        rc = rt_fail(r, rc, "%s", err);
        goto cleanup;
    }
    /* One transaction, never committed: quicker than one per statement. */
    if (db_begin(scratch) < 0) {
        rc = rt_fail(r, RETORT_ERROR, "%s", db_errmsg(scratch));
        goto cleanup;
    }
    if ((rc = replay(r, scratch, s)) < 0)
        goto cleanup;
    if ((rc = introspect(scratch, NULL, NULL, NULL, want)) < 0)
        rc = rt_fail(r, rc, "reading the expected schema: %s", db_errmsg(scratch));
cleanup:
    db_close(scratch);
    return rc;
}

static int expected_postgresql(retort *r, const rt_state *s, facts *live, facts *want)
{
    db *d = r->db;
    char schema[128] = "", scratch[64], sql[512];
    int rc = 0, tx = 0;
    /* READ WRITE: a database whose default is read-only can still be
     * checked, since nothing is kept (a hot standby cannot). */
    if (db_begin(d) < 0) {
        rc = rt_fail_db(r, "starting a transaction");
        goto cleanup;
    }
    tx = 1;
    if (db_exec(d, "SET TRANSACTION READ WRITE") < 0) {
        rc = rt_fail_db(r, "the check needs a writable transaction for its scratch schema");
        goto cleanup;
    }
    if (db_query(d, "SELECT current_schema()", 0, NULL, take_text, schema) < 0) {
        rc = rt_fail_db(r, "reading the current schema");
        goto cleanup;
    }
    if (!schema[0] || strchr(schema, '"')) {
        rc = rt_fail(r, RETORT_ERROR, "the database has no usable current schema "
                     "(check the search_path)");
        goto cleanup;
    }
    /* The live schema first, while search_path is the session's own, so
     * that both sides name their objects the same way. */
    if ((rc = introspect(d, schema, local_name(r->vt, schema),
                         local_name(r->rt, schema), live)) < 0) {
        rc = rt_fail_db(r, "reading the database schema");
        goto cleanup;
    }
    snprintf(scratch, sizeof scratch, "retort_check_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", scratch);
    if (db_exec(d, sql) < 0) {
        rc = rt_fail_db(r, "creating the scratch schema of the check");
        goto cleanup;
    }
    snprintf(sql, sizeof sql, "SET LOCAL search_path TO %s, \"%s\"", scratch, schema);
    if (db_exec(d, sql) < 0) {
        rc = rt_fail_db(r, "setting the search_path of the check");
        goto cleanup;
    }
    if ((rc = replay(r, d, s)) < 0)
        goto cleanup;
    if ((rc = introspect(d, scratch, NULL, NULL, want)) < 0)
        rc = rt_fail_db(r, "reading the expected schema");
cleanup:
    /* Nothing of the scratch survives: the transaction is rolled back. */
    if (tx)
        db_rollback(d);
    return rc;
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

int retort_check(retort *r, FILE *out)
{
    const retort_history *h = r->h;
    rt_state s = {0};
    facts live = {0}, want = {0};
    unsigned ndiff = 0;
    int rc, at_head, down = 0;
    long bad;
    if (!r->db)
        return rt_fail(r, RETORT_EUSAGE, "not connected to a database");
    if ((rc = rt_vt_state_read(r, &s)) < 0)
        goto cleanup;
    at_head = s.nrows == h->head_count;
    for (unsigned i = 0; at_head && i < s.nrows; i++)
        at_head = s.rows[i] == h->heads[i];
    rc = r->db->dialect == RETORT_SQLITE ? expected_sqlite(r, &s, &live, &want)
                                         : expected_postgresql(r, &s, &live, &want);
    if (rc < 0)
        goto cleanup;
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
    bad = rt_vt_interrupted(r, &s, &down);
    if (bad >= 0) {
        fprintf(out, "incomplete revision %s (%s): its %s, outside a transaction, "
                "was interrupted\n", rt_str(h, h->revisions[bad].id),
                rt_str_or(h, h->revisions[bad].file, "?"),
                down ? "downgrade" : "upgrade");
        ndiff++;
    } else if (bad == -2) {
        fprintf(out, "incomplete revision %s: unknown to this history\n", s.stray);
        ndiff++;
    }
    for (long i = rt_vt_changed(r, &s, 0); i >= 0;
         i = rt_vt_changed(r, &s, (unsigned)i + 1)) {
        fprintf(out, "changed revision %s (%s): applied with different contents\n",
                rt_str(h, h->revisions[i].id), rt_str_or(h, h->revisions[i].file, "?"));
        ndiff++;
    }
    ndiff += diff(out, &want, &live);
    if (ndiff == 0)
        fprintf(out, "the schema matches the history\n");
    if (!at_head && ndiff)
        rc = rt_fail(r, RETORT_EDRIFT, "the database is not at head, and %u "
                     "difference%s from the history", ndiff, ndiff == 1 ? "" : "s");
    else if (!at_head)
        rc = rt_fail(r, RETORT_EDRIFT, "the database is not at head");
    else if (ndiff)
        rc = rt_fail(r, RETORT_EDRIFT, "the database differs from the history in "
                     "%u place%s", ndiff, ndiff == 1 ? "" : "s");
cleanup:
    facts_clear(&live);
    facts_clear(&want);
    rt_vt_state_free(&s);
    return rc;
}
