/*
 * check_intro.c: facts (check.h), and reading them from a live database.
 *
 * SQLite: the main database's tables through its pragmas; columns with
 * declared type, nullability and default; the primary key, unique
 * constraints and foreign keys by their columns (SQLite keeps no names for
 * them); indexes by name with columns, uniqueness and predicate.
 * PostgreSQL: the tables of the schemas asked for, from the catalog;
 * columns with format_type(), nullability, default, identity or
 * generation; constraints by what they are (kind, columns, referenced
 * table and columns, CHECK expression), with their names; indexes that
 * back no constraint, by name, with pg_get_indexdef()'s definition.
 * Comments on tables and columns, and enums with their labels in order
 * (PostgreSQL; SQLite has neither: an enum column there is its VARCHAR
 * and CHECK).
 * Views and triggers: by name on both (a trigger with its table); on
 * SQLite also by their SQL, which SQLite keeps as written (PostgreSQL
 * keeps them re-parsed, so there the name is what compares).
 * Column order, CHECK constraints on SQLite, sequences and functions are
 * not read.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

/* ---- facts -------------------------------------------------------------- */

static char *dupstr(const char *s)
{
    size_t n;
    char *d;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    if ((d = malloc(n)))
        memcpy(d, s, n);
    return d;
}

static void fact_free(rt_fact *x)
{
    free(x->table);
    free(x->key);
    free(x->value);
    free(x->cmp);
    free(x->name);
}

void rt_check_clear(rt_facts *f)
{
    for (size_t i = 0; i < f->n; i++)
        fact_free(&f->v[i]);
    free(f->v);
    memset(f, 0, sizeof *f);
}

void rt_check_add(rt_facts *f, const char *table, int rank, const char *value,
                  const char *cmp, const char *name, const char *keyfmt, ...)
{
    va_list ap;
    char key[2048];
    rt_fact *x;
    if (f->oom)
        return;
    if (f->n == f->cap) {
        size_t cap = f->cap * 2 + 32;
        rt_fact *g = realloc(f->v, cap * sizeof *g);
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
    memset(x, 0, sizeof *x);
    x->table = dupstr(table);
    x->key = dupstr(key);
    x->value = dupstr(value ? value : "");
    x->cmp = dupstr(cmp ? cmp : value ? value : "");
    x->name = dupstr(name);
    x->rank = rank;
    if (!x->table || !x->key || !x->value || !x->cmp || (name && !x->name)) {
        fact_free(x);
        f->oom = 1;
        return;
    }
    f->n++;
}

static int fact_cmp(const void *a, const void *b)
{
    const rt_fact *x = a, *y = b;
    int c = strcmp(x->table, y->table);
    if (c)
        return c;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->cmp, y->cmp);
}

void rt_check_sort(rt_facts *f)
{
    if (f->n > 1)
        qsort(f->v, f->n, sizeof *f->v, fact_cmp);
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
    const char *const *schemas;   /* PostgreSQL: the schemas read */
    size_t nschemas;
    const char *skip[2];      /* tables left out, or NULL */
    const char *const *only;  /* SQLite: when set, the tables read (sorted) */
    size_t nonly;
    rt_facts *out;
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

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether `table` is among those read (all of them without `only`). */
static int wanted(const intro *in, const char *table)
{
    return !in->only || bsearch(&table, in->only, in->nonly, sizeof *in->only, cmp_name);
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
    rt_check_add(c->in->out, c->table, RT_RANK_COLUMN, value, NULL, NULL, "column %s.%s", c->table, v[0]);
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
    /* The deferral of each REFERENCES clause of the table's text, in the
     * order written (rt_sq_deferrals); `nrefs` of them. */
    unsigned char defer[256];
    int nrefs;
} sq_fks;

/* The table's CREATE TABLE text into the foreign keys' deferrals. */
static int sq_take_table_sql(void *ctx, int n, const char *const *v)
{
    sq_fks *f = ctx;
    if (n >= 1 && v[0])
        f->nrefs = rt_sq_deferrals(v[0], f->defer, (int)sizeof f->defer);
    return 0;
}

/* As PostgreSQL's reading spells it (pg_deferral): foreign key `id` of
 * pragma_foreign_key_list is the nrefs-1-id'th clause written. */
static const char *sq_deferral(const sq_fks *f)
{
    int k = f->nrefs - 1 - atoi(f->id);
    if (k < 0 || k >= f->nrefs || k >= (int)sizeof f->defer)
        return "";
    switch ((enum rt_deferral)f->defer[k]) {
    case RT_DEFER_NONE: return "";
    case RT_DEFER_IMMEDIATE: return " DEFERRABLE";
    case RT_DEFER_DEFERRED: return " DEFERRABLE INITIALLY DEFERRED";
    }
    return "";
}

static void sq_fk_flush(sq_fks *f)
{
    char value[160];
    if (!f->open)
        return;
    snprintf(value, sizeof value, "ON DELETE %s ON UPDATE %s%s", f->on_delete, f->on_update,
             sq_deferral(f));
    rt_check_add(f->in->out, f->table, RT_RANK_FOREIGN_KEY, value, NULL, NULL,
                 "foreign key on %s (%s) references %s (%s)",
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

/* SQL on one line (runs of white space as one space), for the report. */
static void one_line(const char *sql, char *out, size_t cap)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = sql ? sql : ""; *p && n + 2 < cap; p++) {
        if (isspace((unsigned char)*p)) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = 0;
        out[n++] = *p;
    }
    out[n] = '\0';
}

/* SQLite: type, name, tbl_name, sql of a view or trigger. */
static int sq_take_object(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char sql[4096];
    if (n < 4 || !v[0] || !v[1] || !v[2])
        return 0;
    one_line(v[3], sql, sizeof sql);
    if (!wanted(in, strcmp(v[0], "view") == 0 ? v[1] : v[2]))
        return 0;
    if (strcmp(v[0], "view") == 0)
        rt_check_add(in->out, v[1], RT_RANK_TABLE, sql, NULL, NULL, "view %s", v[1]);
    else if (!skipped(in, v[2]))
        rt_check_add(in->out, v[2], RT_RANK_TRIGGER, sql, NULL, NULL,
                     "trigger %s on %s", v[1], v[2]);
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
        if (skipped(in, table) || !wanted(in, table))
            continue;
        rt_check_add(in->out, table, RT_RANK_TABLE, "", NULL, NULL, "table %s", table);
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
            rt_check_add(in->out, table, RT_RANK_PRIMARY_KEY, l.text, NULL, NULL,
                         "primary key on %s", table);
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
                rt_check_add(in->out, table, RT_RANK_CONSTRAINT, "UNIQUE", NULL, NULL,
                             "unique constraint on %s (%s)",
                         table, l.text);
                continue;
            }
            if (i->partial && i->sql)
                normalise(where_of(i->sql), pred, sizeof pred, 0);
            snprintf(value, sizeof value, "%s(%s)%s%s", i->unique ? "UNIQUE " : "",
                     l.text, pred[0] ? " WHERE " : "", pred);
            rt_check_add(in->out, table, RT_RANK_INDEX, value, NULL, NULL, "index %s on %s",
                         i->name, table);
        }
        if (rc < 0)
            break;
        memset(&fks, 0, sizeof fks);
        fks.in = in;
        fks.table = table;
        rc = db_query(d, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                      1, p, sq_take_table_sql, &fks);
        if (rc < 0)
            break;
        /* `REFERENCES parent` without columns names the parent's primary
         * key: compared by those columns, as a history must name them. */
        rc = db_query(d, "SELECT f.id, f.seq, f.\"table\", f.\"from\", "
                      "coalesce(f.\"to\", (SELECT k.name FROM pragma_table_info(f.\"table\") "
                      "AS k WHERE k.pk = f.seq + 1)), f.on_update, f.on_delete "
                      "FROM pragma_foreign_key_list(?1) AS f ORDER BY f.id, f.seq",
                      1, p, sq_take_fk, &fks);
        sq_fk_flush(&fks);
    }
    if (rc == 0)
        rc = db_query(d, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                      "WHERE type IN ('view', 'trigger') ORDER BY name",
                      0, NULL, sq_take_object, in);
cleanup:
    for (size_t k = 0; k < ix.n; k++)
        free(ix.v[k].sql);
    free(ix.v);
    names_clear(in);
    if (rc == 0 && (in->oom || ix.oom)) {
        db_failf(d, "out of memory");
        rc = RETORT_ENOMEM;
    }
    return rc;
}

/* ---- PostgreSQL --------------------------------------------------------- */

/* The name check gives a table: bare in the current schema (the first
 * read), else "schema.table". */
static void pg_label(const intro *in, const char *nsp, const char *rel, char *out,
                     size_t cap)
{
    if (!nsp || strcmp(nsp, in->schemas[0]) == 0)
        snprintf(out, cap, "%s", rel ? rel : "?");
    else
        snprintf(out, cap, "%s.%s", nsp, rel ? rel : "?");
}

/* Adds the fact with its canonical form as `cmp`. */
static void pg_add(intro *in, const char *table, int rank, const char *value,
                   const char *cmp_of, const char *name, const char *keyfmt,
                   const char *k1, const char *k2, const char *k3, const char *k4)
{
    char *cmp = rt_check_canon(cmp_of);
    if (!cmp) {
        in->out->oom = 1;
        return;
    }
    rt_check_add(in->out, table, rank, value, cmp, name, keyfmt, k1, k2, k3, k4);
    free(cmp);
}

static int pg_take_table(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300];
    if (n < 2 || !v[1])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (!skipped(in, t))
        rt_check_add(in->out, t, RT_RANK_TABLE, "", NULL, NULL, "table %s", t);
    return 0;
}

void rt_check_add_comment(rt_facts *f, const char *table, const char *column,
                          const char *text)
{
    char shown[4096];
    size_t n = 0;
    shown[n++] = '\'';
    for (const char *p = text ? text : ""; *p && n + 3 < sizeof shown; p++) {
        if (*p == '\'')
            shown[n++] = '\'';
        shown[n++] = *p;
    }
    shown[n++] = '\'';
    shown[n] = '\0';
    if (column && column[0])
        rt_check_add(f, table, RT_RANK_COMMENT, shown, NULL, NULL,
                     "comment on column %s.%s", table, column);
    else
        rt_check_add(f, table, RT_RANK_COMMENT, shown, NULL, NULL,
                     "comment on table %s", table);
}

/* nspname, relname, attname (NULL: the table's), description. */
static int pg_take_comment(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300];
    if (n < 4 || !v[1] || !v[3])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (!skipped(in, t))
        rt_check_add_comment(in->out, t, v[2], v[3]);
    return 0;
}

/* nspname, typname, labels ('a', 'b') of an enum. */
static int pg_take_enum(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300];
    if (n < 3 || !v[1] || !v[2])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    rt_check_add(in->out, t, RT_RANK_TABLE, v[2], NULL, NULL, "enum %s", t);
    return 0;
}

/* "extension", "schema" or "sequence"; its name (for a sequence nspname
 * and relname); for a sequence its start and increment. */
static int pg_take_object(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300], key[320], value[100] = "";
    if (n < 5 || !v[0] || !v[2])
        return 0;
    if (v[1])
        pg_label(in, v[1], v[2], t, sizeof t);
    else
        snprintf(t, sizeof t, "%s", v[2]);
    snprintf(key, sizeof key, "%s %s", v[0], t);
    if (v[3] && v[4])
        snprintf(value, sizeof value, "START %s INCREMENT %s", v[3], v[4]);
    rt_check_add(in->out, key, RT_RANK_TABLE, value, NULL, NULL, "%s", key);
    return 0;
}

/* nspname, relname of a view. */
static int pg_take_view(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300];
    if (n < 2 || !v[1])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    rt_check_add(in->out, t, RT_RANK_TABLE, "", NULL, NULL, "view %s", t);
    return 0;
}

/* nspname, relname, tgname of a trigger that a user created. */
static int pg_take_trigger(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300];
    if (n < 3 || !v[1] || !v[2])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (!skipped(in, t))
        rt_check_add(in->out, t, RT_RANK_TRIGGER, "", NULL, NULL, "trigger %s on %s",
                     v[2], t);
    return 0;
}

/* An identity BY DEFAULT column and a SERIAL one (an integer whose default
 * is nextval() of a sequence the column owns) are the same thing to a
 * user, and to check: both compare as AUTOINCREMENT, as the history writes
 * it.  A default that reads a sequence of its own (create_sequence) is a
 * default like any other (v[8]: the column owns no sequence). */
static int pg_take_column(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300], def[1024], value[1400], cmp[1400];
    int serial;
    if (n < 9 || !v[1] || !v[2])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (skipped(in, t))
        return 0;
    snprintf(value, sizeof value, "%s", v[3] ? v[3] : "?");
    if (v[4] && v[4][0] == 't')
        snprintf(value + strlen(value), sizeof value - strlen(value), " NOT NULL");
    snprintf(cmp, sizeof cmp, "%s", value);
    serial = v[5] && strncmp(v[5], "nextval(", 8) == 0 && !(v[7] && v[7][0] == 's') &&
             v[8] && v[8][0] == 't';
    if (v[5]) {
        normalise(v[5], def, sizeof def, 0);
        snprintf(value + strlen(value), sizeof value - strlen(value),
                 v[7] && v[7][0] == 's' ? " GENERATED ALWAYS AS (%s) STORED"
                                        : " DEFAULT %s", def);
        if (!serial)
            snprintf(cmp + strlen(cmp), sizeof cmp - strlen(cmp),
                     v[7] && v[7][0] == 's' ? " GENERATED ALWAYS AS (%s) STORED"
                                            : " DEFAULT %s", def);
    }
    if (v[6] && (v[6][0] == 'a' || v[6][0] == 'd'))
        snprintf(value + strlen(value), sizeof value - strlen(value),
                 " GENERATED %s AS IDENTITY", v[6][0] == 'a' ? "ALWAYS" : "BY DEFAULT");
    if (serial || (v[6] && v[6][0] == 'd'))
        snprintf(cmp + strlen(cmp), sizeof cmp - strlen(cmp), " AUTOINCREMENT");
    else if (v[6] && v[6][0] == 'a')
        snprintf(cmp + strlen(cmp), sizeof cmp - strlen(cmp), " GENERATED ALWAYS AS IDENTITY");
    pg_add(in, t, RT_RANK_COLUMN, value, cmp, NULL, "column %s.%s", t, v[2], NULL, NULL);
    return 0;
}

static int pg_take_index(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300], def[2048], value[2200];
    const char *using;
    if (n < 6 || !v[1] || !v[2])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (skipped(in, t))
        return 0;
    /* "CREATE [UNIQUE] INDEX name ON schema.table USING btree (cols)":
     * the part after USING names no schema. */
    using = v[4] ? strstr(v[4], " USING ") : NULL;
    normalise(using ? using + 7 : v[4], def, sizeof def, 0);
    snprintf(value, sizeof value, "%s%s%s", v[3] && v[3][0] == 't' ? "UNIQUE " : "",
             def, v[5] && v[5][0] == 'f' ? " (INVALID)" : "");
    pg_add(in, t, RT_RANK_INDEX, value, value, NULL, "index %s on %s", v[2], t, NULL, NULL);
    return 0;
}

static const char *pg_action(const char *c)
{
    switch (c ? c[0] : 'a') {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return "NO ACTION";
    }
}

/* condeferrable / condeferred as the compiler's expect.c spells a
 * deferrable foreign key after its actions, a primary key after its
 * columns, a unique constraint after UNIQUE. */
static const char *pg_deferral(const char *deferrable, const char *deferred)
{
    if (!deferrable || deferrable[0] != 't')
        return "";
    return deferred && deferred[0] == 't' ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
}

/* A constraint, by what it is (see check_expect.c, which keys the
 * expected ones the same way). */
static int pg_take_constraint(void *ctx, int n, const char *const *v)
{
    intro *in = ctx;
    char t[300], ref[300], value[2200], plain[2048], *canon;
    const char *kind, *def;
    size_t dl;
    if (n < 13 || !v[1] || !v[2] || !v[3])
        return 0;
    pg_label(in, v[0], v[1], t, sizeof t);
    if (skipped(in, t))
        return 0;
    kind = v[3];
    /* Whether a check was validated (`not valid` and validate_constraint)
     * is not schema: the constraint is the same, and rows written since
     * satisfy it either way.  PostgreSQL appends " NOT VALID". */
    snprintf(plain, sizeof plain, "%s", v[10] ? v[10] : "");
    dl = strlen(plain);
    if (dl > 10 && strcmp(plain + dl - 10, " NOT VALID") == 0)
        plain[dl - 10] = '\0';
    def = plain;
    switch (kind[0]) {
    case 'p':
        snprintf(value, sizeof value, "%s%s", v[4] ? v[4] : "", pg_deferral(v[11], v[12]));
        pg_add(in, t, RT_RANK_PRIMARY_KEY, value, value, v[2],
               "primary key on %s", t, NULL, NULL, NULL);
        break;
    case 'u':
        snprintf(value, sizeof value, "UNIQUE%s", pg_deferral(v[11], v[12]));
        pg_add(in, t, RT_RANK_CONSTRAINT, value, value, v[2],
               "unique constraint on %s (%s)", t, v[4] ? v[4] : "", NULL, NULL);
        break;
    case 'f':
        pg_label(in, v[5], v[6], ref, sizeof ref);
        snprintf(value, sizeof value, "ON DELETE %s ON UPDATE %s%s", pg_action(v[9]),
                 pg_action(v[8]), pg_deferral(v[11], v[12]));
        pg_add(in, t, RT_RANK_FOREIGN_KEY, value, value, v[2],
               "foreign key on %s (%s) references %s (%s)", t, v[4] ? v[4] : "", ref,
               v[7] ? v[7] : "");
        break;
    case 'c':
        if (!(canon = rt_check_canon(def))) {
            in->out->oom = 1;
            return 1;
        }
        pg_add(in, t, RT_RANK_CONSTRAINT, def, def, v[2], "check constraint on %s (%s)",
               t, strncmp(canon, "check ", 6) == 0 ? canon + 6 : canon, NULL, NULL);
        free(canon);
        break;
    default:
        /* Exclusion and trigger constraints: the history has none. */
        pg_add(in, t, RT_RANK_CONSTRAINT, def, def, NULL, "constraint %s on %s", v[2], t,
               NULL, NULL);
        break;
    }
    return 0;
}

/* The schemas as a text[] literal: {"a","b"}. */
static char *pg_array(const char *const *v, size_t n)
{
    size_t cap = 3;
    char *s, *p;
    for (size_t i = 0; i < n; i++)
        cap += 2 * strlen(v[i]) + 3;
    if (!(s = p = malloc(cap)))
        return NULL;
    *p++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        *p++ = '"';
        for (const char *q = v[i]; *q; q++) {
            if (*q == '"' || *q == '\\')
                *p++ = '\\';
            *p++ = *q;
        }
        *p++ = '"';
    }
    *p++ = '}';
    *p = '\0';
    return s;
}

/* Names of the columns of `rel` at the attnums of `keys`, in order. */
#define PG_COLS(keys, rel) \
    "pg_catalog.array_to_string(ARRAY(SELECT a.attname FROM pg_catalog.unnest(" keys \
    ") WITH ORDINALITY AS k(num, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = " \
    rel " AND a.attnum = k.num ORDER BY k.ord), ', ')"

static int introspect_postgresql(intro *in)
{
    db *d = in->d;
    char *arr = pg_array(in->schemas, in->nschemas);
    const char *p[1] = {arr};
    int rc;
    if (!arr) {
        db_failf(d, "out of memory");
        return RETORT_ENOMEM;
    }
    rc = db_query(d,
        "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p')",
        1, p, pg_take_table, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, c.relname, a.attname, "
            "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, "
            "a.attgenerated, pg_catalog.pg_get_serial_sequence("
            "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
            "a.attname) IS NOT NULL FROM pg_catalog.pg_attribute a "
            "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
            "AND ad.adnum = a.attnum "
            "WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p') "
            "AND a.attnum > 0 AND NOT a.attisdropped", 1, p, pg_take_column, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, t.relname, i.relname, ix.indisunique, "
            "pg_catalog.pg_get_indexdef(ix.indexrelid), ix.indisvalid "
            "FROM pg_catalog.pg_index ix "
            "JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
            "JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = ANY ($1::text[]) AND t.relkind IN ('r', 'p') "
            "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co "
            "WHERE co.conindid = ix.indexrelid AND co.conrelid = ix.indrelid "
            "AND co.contype IN ('p', 'u', 'x'))",
            1, p, pg_take_index, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, t.relname, co.conname, co.contype, "
            PG_COLS("co.conkey", "co.conrelid") ", rn.nspname, rt.relname, "
            PG_COLS("co.confkey", "co.confrelid") ", co.confupdtype, co.confdeltype, "
            "pg_catalog.pg_get_constraintdef(co.oid), co.condeferrable, co.condeferred "
            "FROM pg_catalog.pg_constraint co "
            "JOIN pg_catalog.pg_class t ON t.oid = co.conrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
            "LEFT JOIN pg_catalog.pg_class rt ON rt.oid = co.confrelid "
            "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace "
            "WHERE n.nspname = ANY ($1::text[]) AND t.relkind IN ('r', 'p') "
            "AND co.contype <> 'n'",
            1, p, pg_take_constraint, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY ($1::text[]) AND c.relkind = 'v'",
            1, p, pg_take_view, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, c.relname, tg.tgname FROM pg_catalog.pg_trigger tg "
            "JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p') "
            "AND NOT tg.tgisinternal",
            1, p, pg_take_trigger, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, c.relname, a.attname, ds.description "
            "FROM pg_catalog.pg_description ds "
            "JOIN pg_catalog.pg_class c ON c.oid = ds.objoid "
            "AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
            "AND a.attnum = ds.objsubid AND ds.objsubid > 0 "
            "WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p') "
            "AND (ds.objsubid = 0 OR a.attname IS NOT NULL)",
            1, p, pg_take_comment, in);
    if (rc == 0)
        rc = db_query(d,
            "SELECT n.nspname, ty.typname, pg_catalog.string_agg("
            "pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) "
            "FROM pg_catalog.pg_type ty "
            "JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace "
            "JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid "
            "WHERE n.nspname = ANY ($1::text[]) GROUP BY n.nspname, ty.typname",
            1, p, pg_take_enum, in);
    /* Extensions, schemas and the sequences no column owns (SERIAL and
     * identity columns own theirs).  check keeps only those the history
     * names (rt_check_keep_objects). */
    if (rc == 0)
        rc = db_query(d,
            "SELECT 'extension', NULL, extname, NULL, NULL FROM pg_catalog.pg_extension "
            "UNION ALL SELECT 'schema', NULL, nspname, NULL, NULL "
            "FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema' "
            "UNION ALL SELECT 'sequence', n.nspname, c.relname, s.seqstart::text, "
            "s.seqincrement::text FROM pg_catalog.pg_sequence s "
            "JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM "
            "pg_catalog.pg_depend dp WHERE dp.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
            "AND dp.objid = c.oid AND dp.deptype IN ('a', 'i'))",
            1, p, pg_take_object, in);
    free(arr);
    return rc;
}

/* rt_check_read and rt_check_read_only in one. */
static int read_facts(db *d, const char *const *schemas, size_t nschemas,
                      const char *skip[2], const char *const *only, size_t nonly,
                      rt_facts *out)
{
    intro in;
    int rc;
    memset(&in, 0, sizeof in);
    in.d = d;
    in.schemas = schemas;
    in.nschemas = nschemas;
    in.skip[0] = skip ? skip[0] : NULL;
    in.skip[1] = skip ? skip[1] : NULL;
    in.only = only;
    in.nonly = nonly;
    in.out = out;
    rc = d->dialect == RETORT_SQLITE ? introspect_sqlite(&in) : introspect_postgresql(&in);
    free(in.names);
    if (rc == 0 && (out->oom || in.oom)) {
        db_failf(d, "out of memory");
        rc = RETORT_ENOMEM;
    }
    if (rc == 0)
        rt_check_sort(out);
    return rc;
}

int rt_check_read(db *d, const char *const *schemas, size_t nschemas,
                  const char *skip[2], rt_facts *out)
{
    return read_facts(d, schemas, nschemas, skip, NULL, 0, out);
}

int rt_check_read_only(db *d, const char *skip[2], const char *const *only, size_t nonly,
                       rt_facts *out)
{
    if (d->dialect != RETORT_SQLITE) {
        db_failf(d, "reading some tables only is for SQLite");
        return RETORT_ERROR;
    }
    return read_facts(d, NULL, 0, skip, only, nonly, out);
}
