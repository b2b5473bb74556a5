/*
 * inspect.c: `retort inspect URL [--schema S] [--version-table NAME]`
 * (inspect.h says how the three files share the work).
 *
 * Why a reader of its own rather than check_intro.c's facts: a fact is a
 * normalised string made to be compared (columns keyed by name, so their
 * order is gone; SQLite's CHECKs and constraint names are not read;
 * defaults and types upper-cased), and a model must be printed from what
 * the database holds, in order.  The connection, URL forms, password
 * redaction and libpq loading are the runtime's (rt_live.h).
 */
#include "inspect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <retort/retort.h>

#include "authoring.h"
#include "commands.h"
#include "dialect.h"
#include "diag.h"
#include "schema.h"
#include "unparse.h"

int insp_skipped(const insp *in, const char *table)
{
    for (int i = 0; i < 4; i++)
        if (in->skip[i] && strcmp(in->skip[i], table) == 0)
            return 1;
    return 0;
}

insp_table *insp_table_new(insp *in, const char *raw)
{
    insp_table *t = arena_alloc(in->a, sizeof *t);
    memset(t, 0, sizeof *t);
    t->raw = arena_strdup(in->a, raw);
    t->name = insp_qname(in, raw);
    list_push(in->a, &in->tables, t);
    return t;
}

insp_col *insp_col_new(insp *in, insp_table *t, const char *raw)
{
    insp_col *c = arena_alloc(in->a, sizeof *c);
    memset(c, 0, sizeof *c);
    c->name = insp_name(in, raw);
    list_push(in->a, &t->cols, c);
    return c;
}

insp_col *insp_col_find(insp_table *t, const char *quoted)
{
    for (int i = 0; i < t->cols.count; i++) {
        insp_col *c = t->cols.items[i];
        if (strcmp(c->name, quoted) == 0)
            return c;
    }
    return NULL;
}

void insp_add_cons(insp *in, insp_table *t, int pos, const char *fmt, ...)
{
    va_list ap;
    strbuf b = {0};
    insp_cons *k = arena_alloc(in->a, sizeof *k);
    va_start(ap, fmt);
    sb_vputf(&b, fmt, ap);
    va_end(ap);
    k->pos = pos;
    k->text = b.p ? sb_finish(in->a, &b) : "";
    /* Kept sorted by pos, equal positions in the order added. */
    list_push(in->a, &t->cons, k);
    for (int i = t->cons.count - 1; i > 0; i--) {
        insp_cons *x = t->cons.items[i - 1];
        if (x->pos <= pos)
            break;
        t->cons.items[i - 1] = k;
        t->cons.items[i] = x;
    }
}

void insp_note(insp *in, const char *fmt, ...)
{
    va_list ap;
    strbuf line = {0};
    va_start(ap, fmt);
    sb_vputf(&line, fmt, ap);
    va_end(ap);
    /* One line each, whatever the catalog text held. */
    for (char *p = line.p; p && *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    sb_putf(&in->notes, "-- not expressible in a model: %s\n", line.p ? line.p : "");
    fprintf(stderr, "retort: inspect: not expressible in a model: %s\n",
            line.p ? line.p : "");
    sb_free(&line);
    in->nnotes++;
}

const char *insp_name(insp *in, const char *raw)
{
    return unparse_ident(in->a, raw);
}

const char *insp_qname(insp *in, const char *raw)
{
    return arena_printf(in->a, "%s%s", in->qualifier, unparse_ident(in->a, raw));
}

const char *insp_names(insp *in, const char *list)
{
    strbuf b = {0};
    const char *p = list;
    while (p && *p) {
        const char *e = strstr(p, ", ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (b.len)
            sb_put(&b, ", ");
        sb_put(&b, unparse_ident(in->a, arena_strndup(in->a, p, n)));
        p = e ? e + 2 : p + n;
    }
    if (!b.p)
        return "";
    return sb_finish(in->a, &b);
}

const char *insp_action(const char *s)
{
    if (!s || !strcasecmp(s, "NO ACTION") || !*s)
        return NULL;
    if (!strcasecmp(s, "CASCADE"))
        return "cascade";
    if (!strcasecmp(s, "SET NULL"))
        return "set null";
    if (!strcasecmp(s, "SET DEFAULT"))
        return "set default";
    if (!strcasecmp(s, "RESTRICT"))
        return "restrict";
    return NULL;
}

typedef struct rows_ctx {
    insp *in;
    insp_rows *out;
    int cap;
} rows_ctx;

static int take_row(void *ctx, int ncols, const char *const *vals)
{
    rows_ctx *c = ctx;
    insp_rows *r = c->out;
    int width = ncols > r->ncols ? ncols : r->ncols;
    const char **row = arena_alloc(c->in->a, (size_t)(width + 1) * sizeof *row);
    for (int i = 0; i <= width; i++)
        row[i] = i < ncols && vals[i] ? arena_strdup(c->in->a, vals[i]) : NULL;
    if (r->n == c->cap) {
        int cap = c->cap * 2 + 16;
        const char ***v = arena_alloc(c->in->a, (size_t)cap * sizeof *v);
        if (r->n)
            memcpy(v, r->v, (size_t)r->n * sizeof *v);
        r->v = v;
        c->cap = cap;
    }
    r->v[r->n++] = row;
    return 0;
}

int insp_query(insp *in, insp_rows *out, const char *sql, int nparams,
               const char *const *params)
{
    rows_ctx c = {in, out, 0};
    int ncols = out->ncols;
    memset(out, 0, sizeof *out);
    out->ncols = ncols;
    return rt_live_query(in->l, sql, nparams, params, take_row, &c);
}

/* Whether s[0] is '(' and its match is the last byte (outside strings). */
static int wrapped(const char *s, size_t n)
{
    int depth = 0;
    char q = 0;
    if (n < 2 || s[0] != '(' || s[n - 1] != ')')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (q) {
            if (c == q)
                q = 0;
            continue;
        }
        if (c == '\'' || c == '"')
            q = c;
        else if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0 && i != n - 1)
            return 0;
    }
    return depth == 0;
}

const char *insp_trim(insp *in, const char *sql)
{
    size_t n;
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')
        sql++;
    n = strlen(sql);
    while (n && (sql[n - 1] == ' ' || sql[n - 1] == '\n' || sql[n - 1] == '\t' ||
                 sql[n - 1] == '\r' || sql[n - 1] == ';'))
        n--;
    return arena_strndup(in->a, sql, n);
}

const char *insp_unparen(insp *in, const char *sql)
{
    size_t n;
    sql = insp_trim(in, sql);
    n = strlen(sql);
    if (wrapped(sql, n)) {
        sql++;
        n -= 2;
    }
    return arena_strndup(in->a, sql, n);
}

/* The model source of everything read: enums, tables, then the rest. */
static const char *model_source(insp *in)
{
    strbuf b = {0};
    if (in->before.p)
        sb_put(&b, in->before.p);
    for (int i = 0; i < in->tables.count; i++) {
        insp_table *t = in->tables.items[i];
        int n = 0;
        sb_putf(&b, "create_table %s (\n", t->name);
        for (int k = 0; k < t->cols.count; k++, n++) {
            insp_col *c = t->cols.items[k];
            sb_putf(&b, "%s    %s %s", n ? ",\n" : "", c->name, c->type);
            if (c->pk)
                sb_put(&b, c->autoinc ? " primary key autoincrement" : " primary key");
            if (c->notnull && !c->pk)
                sb_put(&b, " not null");
            if (c->unique)
                sb_put(&b, " unique");
            if (c->dflt)
                sb_putf(&b, " default %s", c->dflt);
            if (c->ref)
                sb_putf(&b, " %s", c->ref);
            if (c->check)
                sb_putf(&b, " check %s", unparse_raw(in->a, c->check));
        }
        for (int k = 0; k < t->cons.count; k++, n++)
            sb_putf(&b, "%s    %s", n ? ",\n" : "", ((insp_cons *)t->cons.items[k])->text);
        sb_put(&b, "\n);\n");
    }
    if (in->after.p)
        sb_put(&b, in->after.p);
    if (!b.p)
        return "";
    return sb_finish(in->a, &b);
}

int cmd_inspect(const cmd_options *o)
{
    insp in;
    char err[1024];
    int rc, status = 1;
    diag d;
    memset(&in, 0, sizeof in);
    in.a = arena_new();
    in.qualifier = "";
    diag_init(&d, stderr);
    in.skip[0] = "alembic_version";
    in.skip[1] = "alembic_version_retort";
    if (o->version_table) {
        in.skip[2] = o->version_table;
        in.skip[3] = arena_printf(in.a, "%s_retort", o->version_table);
    }
    if (retort_dialect_parse(o->dir) >= 0 || !strstr(o->dir, "://")) {
        /* Not a URL at all (a directory, a dialect name): usage. */
        fprintf(stderr, "retort: inspect needs a database URL (sqlite:///PATH or "
                        "postgresql://...), not '%s'\n", o->dir);
        arena_free(in.a);
        return 2;
    }
    if (o->schema_name && strncmp(o->dir, "sqlite:", 7) == 0) {
        fprintf(stderr, "retort: --schema goes with a postgresql:// URL (SQLite has "
                        "one schema)\n");
        arena_free(in.a);
        return 2;
    }
    rc = rt_live_open(&in.l, o->dir, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "retort: error: %s\n", err);
        arena_free(in.a);
        return 1;
    }
    in.dialect = rt_live_dialect(in.l);
    in.schema = o->schema_name;
    rc = in.dialect == RETORT_SQLITE ? insp_read_sqlite(&in) : insp_read_postgresql(&in);
    if (rc < 0) {
        if (rc != -2)
            fprintf(stderr, "retort: error: %s: %s\n", rt_live_shown(in.l),
                    rt_live_error(in.l));
        goto cleanup;
    }
    {
        const char *text = model_source(&in);
        src_file f = {0};
        schema *s;
        f.path = arena_printf(in.a, "%s (as read)", rt_live_shown(in.l));
        f.rel = f.path;
        f.text = text;
        f.len = strlen(text);
        s = author_model_source(in.a, &d, &f,
                                dialect_get((enum retort_dialect)in.dialect)->mask);
        if (!s) {
            fprintf(stderr, "retort: error: the model read from %s does not load "
                            "(a bug in retort inspect; the text follows)\n%s",
                    rt_live_shown(in.l), text);
            goto cleanup;
        }
        text = unparse_schema(in.a, s);
        if (in.notes.p)
            fputs(in.notes.p, stdout);
        if (in.notes.p && *text)
            fputc('\n', stdout);
        fputs(text, stdout);
        if (!*text)
            fprintf(stderr, "retort: inspect: %s holds no tables, views or enums: the "
                            "model is empty\n", rt_live_shown(in.l));
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "retort: error: cannot write the model\n");
            goto cleanup;
        }
        status = 0;
    }
cleanup:
    rt_live_close(in.l);
    sb_free(&in.before);
    sb_free(&in.after);
    sb_free(&in.notes);
    diag_finish(&d);
    arena_free(in.a);
    return status;
}
