/*
 * inspect_sqlite.c: a SQLite database as model source (inspect.h).
 *
 * The pragmas tell columns (declared type, NOT NULL, default, primary
 * key position), unique constraints and indexes by their columns, and
 * foreign keys with their actions.  They do not tell CHECK constraints,
 * constraint names, AUTOINCREMENT, nor whether a constraint was written
 * on its column or at the end of the table; SQLite keeps the CREATE
 * TABLE text as written, so those come from it (a small scanner below).
 * Written on its column and unnamed, a constraint goes on the column in
 * the model too; named, it becomes a table constraint (a column
 * constraint has no name in the model language).
 */
#include "inspect.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unparse.h"

/* ---- a scanner over SQLite's SQL text --------------------------------- */

typedef struct tok {
    const char *p;
    size_t n;
    char kind;   /* 'w' word, 'q' quoted name, 's' string, 'p' punctuation, 0 end */
} tok;

static tok next_tok(const char *s)
{
    tok t = {s, 0, 0};
    for (;;) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
            continue;
        }
        if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
            continue;
        }
        break;
    }
    t.p = s;
    if (!*s)
        return t;
    if (*s == '"' || *s == '`' || *s == '\'' || *s == '[') {
        char close = *s == '[' ? ']' : *s;
        const char *e = s + 1;
        for (; *e; e++)
            if (*e == close) {
                if (close != ']' && e[1] == close) {
                    e++;
                    continue;
                }
                break;
            }
        t.n = (size_t)(e - s) + (*e ? 1 : 0);
        t.kind = *s == '\'' ? 's' : 'q';
        return t;
    }
    if (isalnum((unsigned char)*s) || *s == '_' || *s == '$' || (unsigned char)*s >= 0x80) {
        const char *e = s;
        while (isalnum((unsigned char)*e) || *e == '_' || *e == '$' ||
               (unsigned char)*e >= 0x80 || (*e == '.' && isdigit((unsigned char)s[0])))
            e++;
        t.n = (size_t)(e - s);
        t.kind = 'w';
        return t;
    }
    t.n = 1;
    t.kind = 'p';
    return t;
}

static int is_word(tok t, const char *w)
{
    return t.kind == 'w' && strlen(w) == t.n && strncasecmp(t.p, w, t.n) == 0;
}

static int is_punct(tok t, char c)
{
    return t.kind == 'p' && t.p[0] == c;
}

/* A name token without its quotes. */
static const char *tok_name(arena *a, tok t)
{
    if (t.kind != 'q')
        return arena_strndup(a, t.p, t.n);
    char *s = arena_alloc(a, t.n + 1), *o = s;
    char close = t.p[0] == '[' ? ']' : t.p[0];
    for (size_t i = 1; i + 1 < t.n; i++) {
        *o++ = t.p[i];
        if (t.p[i] == close && close != ']' && i + 2 < t.n && t.p[i + 1] == close)
            i++;
    }
    *o = '\0';
    return s;
}

/* After the '(' at `t`: the token after its matching ')'. */
static tok skip_group(tok t)
{
    int depth = 0;
    for (; t.kind; t = next_tok(t.p + t.n)) {
        if (is_punct(t, '('))
            depth++;
        else if (is_punct(t, ')') && --depth == 0)
            return next_tok(t.p + t.n);
    }
    return t;
}

/* The text inside the group that opens at `t` (a '('). */
static const char *group_text(arena *a, tok t)
{
    const char *open = t.p;
    int depth = 0;
    for (; t.kind; t = next_tok(t.p + t.n)) {
        if (is_punct(t, '('))
            depth++;
        else if (is_punct(t, ')') && --depth == 0)
            return arena_strndup(a, open + 1, (size_t)(t.p - open - 1));
    }
    return arena_strdup(a, open + 1);
}

/* The names in the group at `t` as "a, b" (each name's first word only:
 * COLLATE and ASC/DESC in a key list do not matter here). */
static const char *group_names(arena *a, tok t)
{
    char *out = "";
    int want = 1, depth = 0;
    for (t = next_tok(t.p + 1); t.kind; t = next_tok(t.p + t.n)) {
        if (is_punct(t, '('))
            depth++;
        else if (is_punct(t, ')') && depth-- == 0)
            break;
        else if (depth == 0 && is_punct(t, ','))
            want = 1;
        else if (want && (t.kind == 'w' || t.kind == 'q')) {
            out = arena_printf(a, "%s%s%s", out, *out ? ", " : "", tok_name(a, t));
            want = 0;
        }
    }
    return out;
}

/* ---- what the CREATE TABLE text says ---------------------------------- */

/* One constraint as written: on a column (`column` set) or the table. */
typedef struct written {
    char kind;            /* 'p' primary key, 'u' unique, 'c' check, 'f' foreign key */
    const char *column;   /* the column it was written on, or NULL */
    const char *name;     /* CONSTRAINT name, or NULL */
    const char *cols;     /* "a, b" (p, u, f) */
    const char *check;    /* c: the expression */
    int autoinc;          /* p on a column: AUTOINCREMENT */
    const char *deferral; /* f: " deferrable [initially deferred]", or "" */
    int used;
} written;

typedef struct table_text {
    written *v;
    int n, cap;
    const char **generated;   /* columns with GENERATED / AS (...) */
    int ngen;
} table_text;

static written *add_written(arena *a, table_text *tt, char kind)
{
    if (tt->n == tt->cap) {
        int cap = tt->cap * 2 + 8;
        written *v = arena_alloc(a, (size_t)cap * sizeof *v);
        if (tt->n)
            memcpy(v, tt->v, (size_t)tt->n * sizeof *v);
        tt->v = v;
        tt->cap = cap;
    }
    written *w = &tt->v[tt->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->deferral = "";
    return w;
}

/* A foreign key's `[NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]` at
 * `t` (SQLite keeps it only in the table text): sets w->deferral and
 * returns the token after it, or returns `t` where there is none. */
static tok read_deferral(tok t, written *w)
{
    int not = 0;
    tok start = t;
    if (is_word(t, "NOT")) {
        not = 1;
        t = next_tok(t.p + t.n);
    }
    if (!is_word(t, "DEFERRABLE"))
        return start;
    t = next_tok(t.p + t.n);
    w->deferral = not ? "" : " deferrable";
    if (is_word(t, "INITIALLY")) {
        t = next_tok(t.p + t.n);
        if (is_word(t, "DEFERRED") && !not)
            w->deferral = " deferrable initially deferred";
        if (t.kind)
            t = next_tok(t.p + t.n);
    }
    return t;
}

/* One column definition, from its name on to the ',' or ')' ending it. */
static void read_column(arena *a, table_text *tt, tok t)
{
    const char *column = tok_name(a, t);
    const char *name = NULL;
    for (t = next_tok(t.p + t.n); t.kind && !is_punct(t, ',') && !is_punct(t, ')');) {
        written *w;
        if (is_word(t, "CONSTRAINT")) {
            t = next_tok(t.p + t.n);
            name = tok_name(a, t);
            t = next_tok(t.p + t.n);
            continue;
        }
        if (is_word(t, "PRIMARY") || is_word(t, "UNIQUE") || is_word(t, "CHECK") ||
            is_word(t, "REFERENCES")) {
            char kind = is_word(t, "PRIMARY") ? 'p' : is_word(t, "UNIQUE") ? 'u'
                      : is_word(t, "CHECK") ? 'c' : 'f';
            w = add_written(a, tt, kind);
            w->column = column;
            w->name = name;
            w->cols = column;
            name = NULL;
            t = next_tok(t.p + t.n);
            if (kind == 'c' && is_punct(t, '(')) {
                w->check = group_text(a, t);
                t = skip_group(t);
            }
            continue;
        }
        if (tt->n && tt->v[tt->n - 1].kind == 'f' && tt->v[tt->n - 1].column == column &&
            (is_word(t, "DEFERRABLE") || is_word(t, "NOT"))) {
            tok after = read_deferral(t, &tt->v[tt->n - 1]);
            if (after.p != t.p) {
                t = after;
                continue;
            }
        }
        if (is_word(t, "AUTOINCREMENT")) {
            for (int i = tt->n - 1; i >= 0; i--)
                if (tt->v[i].kind == 'p' && tt->v[i].column == column)
                    tt->v[i].autoinc = 1;
        } else if (is_word(t, "GENERATED") || is_word(t, "AS")) {
            const char **g = arena_alloc(a, (size_t)(tt->ngen + 1) * sizeof *g);
            if (tt->ngen)
                memcpy(g, tt->generated, (size_t)tt->ngen * sizeof *g);
            g[tt->ngen++] = column;
            tt->generated = g;
            while (t.kind && !is_punct(t, '(') && !is_punct(t, ',') && !is_punct(t, ')'))
                t = next_tok(t.p + t.n);
            if (is_punct(t, '('))
                t = skip_group(t);
            continue;
        }
        if (is_punct(t, '(')) {
            t = skip_group(t);
            continue;
        }
        name = NULL;
        t = next_tok(t.p + t.n);
    }
}

/* A table constraint; `t` is its first token. */
static void read_table_constraint(arena *a, table_text *tt, tok t)
{
    const char *name = NULL;
    written *w;
    if (is_word(t, "CONSTRAINT")) {
        t = next_tok(t.p + t.n);
        name = tok_name(a, t);
        t = next_tok(t.p + t.n);
    }
    char kind = is_word(t, "PRIMARY") ? 'p' : is_word(t, "UNIQUE") ? 'u'
              : is_word(t, "CHECK") ? 'c' : is_word(t, "FOREIGN") ? 'f' : 0;
    if (!kind)
        return;
    w = add_written(a, tt, kind);
    w->name = name;
    while (t.kind && !is_punct(t, '('))
        t = next_tok(t.p + t.n);
    if (!t.kind)
        return;
    if (kind == 'c') {
        w->check = group_text(a, t);
        return;
    }
    w->cols = group_names(a, t);
    /* FOREIGN KEY (...) REFERENCES p (...) ... [DEFERRABLE ...]: up to the
     * end of the item. */
    for (t = skip_group(t); kind == 'f' && t.kind && !is_punct(t, ',') && !is_punct(t, ')');) {
        if (is_punct(t, '(')) {
            t = skip_group(t);
            continue;
        }
        tok after = read_deferral(t, w);
        t = after.p != t.p ? after : next_tok(t.p + t.n);
    }
}

/* Reads the items of `CREATE TABLE name (items) [options]`. */
static void read_table_text(arena *a, const char *sql, table_text *tt)
{
    tok t = next_tok(sql);
    while (t.kind && !is_punct(t, '('))
        t = next_tok(t.p + t.n);
    if (!t.kind)
        return;
    t = next_tok(t.p + 1);
    while (t.kind) {
        if (is_word(t, "CONSTRAINT") || is_word(t, "PRIMARY") || is_word(t, "UNIQUE") ||
            is_word(t, "CHECK") || is_word(t, "FOREIGN"))
            read_table_constraint(a, tt, t);
        else
            read_column(a, tt, t);
        /* On to the next item at this depth. */
        int depth = 0;
        for (; t.kind; t = next_tok(t.p + t.n)) {
            if (is_punct(t, '('))
                depth++;
            else if (is_punct(t, ')') && depth-- == 0)
                return;
            else if (depth == 0 && is_punct(t, ','))
                break;
        }
        if (t.kind)
            t = next_tok(t.p + t.n);
    }
}

/* The written constraint of `kind` on exactly these columns, not yet
 * used: on the column when `on_column`, else at table level. */
static written *find_written(table_text *tt, char kind, const char *cols, int on_column)
{
    for (int i = 0; i < tt->n; i++) {
        written *w = &tt->v[i];
        if (!w->used && w->kind == kind && w->cols && (w->column != NULL) == on_column &&
            strcmp(w->cols, cols) == 0)
            return w;
    }
    return NULL;
}

/* ---- types and defaults ------------------------------------------------ */

/* SQLite's declared type as the model type the compiler renders to that
 * very text, else `sql $$declared$$` (rendered as written). */
static const char *model_type(insp *in, const char *decl)
{
    static const struct { const char *sql, *model; } plain[] = {
        {"INTEGER", "integer"}, {"SMALLINT", "smallint"}, {"BIGINT", "bigint"},
        {"BOOLEAN", "boolean"}, {"REAL", "real"}, {"FLOAT", "double"},
        {"TEXT", "text"}, {"DATE", "date"}, {"TIME", "time"},
        {"DATETIME", "timestamp"}, {"BLOB", "blob"}, {"JSON", "json"},
    };
    unsigned p, s;
    char tail;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(decl, plain[i].sql) == 0)
            return plain[i].model;
    if (sscanf(decl, "VARCHAR(%u)%c", &p, &tail) == 1 &&
        strcmp(decl, arena_printf(in->a, "VARCHAR(%u)", p)) == 0)
        return arena_printf(in->a, "varchar(%u)", p);
    if (sscanf(decl, "CHAR(%u)%c", &p, &tail) == 1 &&
        strcmp(decl, arena_printf(in->a, "CHAR(%u)", p)) == 0)
        return arena_printf(in->a, "char(%u)", p);
    if (sscanf(decl, "NUMERIC(%u, %u)%c", &p, &s, &tail) == 2 &&
        strcmp(decl, arena_printf(in->a, "NUMERIC(%u, %u)", p, s)) == 0)
        return arena_printf(in->a, "numeric(%u, %u)", p, s);
    return arena_printf(in->a, "sql %s", unparse_raw(in->a, decl));
}

static int is_number(const char *s)
{
    int digits = 0;
    if (*s == '-' || *s == '+')
        s++;
    for (; isdigit((unsigned char)*s); s++)
        digits++;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            digits++;
    return digits && !*s;
}

/* A default as SQLite keeps its text, as a model default. */
static const char *model_default(insp *in, const char *type, const char *d)
{
    if (!d)
        return NULL;
    if (!strcmp(type, "boolean") && (!strcmp(d, "1") || !strcmp(d, "0")))
        return d[0] == '1' ? "true" : "false";
    if (is_number(d))
        return d;
    if (!strcasecmp(d, "NULL"))
        return "null";
    if (!strcasecmp(d, "TRUE") || !strcasecmp(d, "FALSE"))
        return d[0] == 't' || d[0] == 'T' ? "true" : "false";
    if (!strcasecmp(d, "CURRENT_TIMESTAMP"))
        return "current_timestamp";
    if (!strcasecmp(d, "CURRENT_DATE"))
        return "current_date";
    if (d[0] == '\'') {
        tok t = next_tok(d);
        if (t.kind == 's' && t.n == strlen(d))
            return d;
    }
    return unparse_raw(in->a, insp_unparen(in, d));
}

/* ---- the reader -------------------------------------------------------- */

static const char *references(insp *in, const char *table, const char *to,
                              const char *on_delete, const char *on_update)
{
    const char *del = insp_action(on_delete), *upd = insp_action(on_update);
    return arena_printf(in->a, "references %s (%s)%s%s%s%s", insp_qname(in, table),
                        insp_names(in, to), del ? " on delete " : "", del ? del : "",
                        upd ? " on update " : "", upd ? upd : "");
}

/* "a, b" of the parent's primary key (a REFERENCES without columns). */
static int parent_key(insp *in, const char *parent, const char **out)
{
    insp_rows r = {0};
    const char *p[1] = {parent};
    int rc = insp_query(in, &r, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 "
                                "ORDER BY pk", 1, p);
    char *s = "";
    for (int i = 0; rc == 0 && i < r.n; i++)
        s = arena_printf(in->a, "%s%s%s", s, i ? ", " : "", r.v[i][0] ? r.v[i][0] : "");
    *out = s;
    return rc;
}

static int read_foreign_keys(insp *in, insp_table *t, table_text *tt)
{
    insp_rows r = {0};
    const char *p[1] = {t->raw};
    int rc = insp_query(in, &r, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                                "FROM pragma_foreign_key_list(?1) ORDER BY id, seq", 1, p);
    for (int i = 0; rc == 0 && i < r.n;) {
        const char *id = r.v[i][0], *parent = r.v[i][1];
        char *from = "", *to = "";
        int missing_to = 0, j = i;
        for (; j < r.n && strcmp(r.v[j][0], id) == 0; j++) {
            from = arena_printf(in->a, "%s%s%s", from, j > i ? ", " : "", r.v[j][2]);
            if (!r.v[j][3])
                missing_to = 1;
            else
                to = arena_printf(in->a, "%s%s%s", to, j > i ? ", " : "", r.v[j][3]);
        }
        if (missing_to && (rc = parent_key(in, parent, (const char **)&to)) < 0)
            return rc;
        const char *ref = references(in, parent, to, r.v[i][5], r.v[i][4]);
        written *w = find_written(tt, 'f', from, 1);
        insp_col *c = w ? insp_col_find(t, insp_name(in, from)) : NULL;
        if (w && !w->name && c && !c->ref) {
            w->used = 1;
            c->ref = arena_printf(in->a, "%s%s", ref, w->deferral);
        } else {
            if (!w)
                w = find_written(tt, 'f', from, 0);
            if (w)
                ref = arena_printf(in->a, "%s%s", ref, w->deferral);
            if (w)
                w->used = 1;
            insp_add_cons(in, t, w ? (int)(w - tt->v) : tt->n, "%s%sforeign key (%s) %s",
                                           w && w->name ? "constraint " : "",
                                           w && w->name
                                               ? arena_printf(in->a, "%s ",
                                                              insp_name(in, w->name))
                                               : "",
                                           insp_names(in, from), ref);
        }
        i = j;
    }
    return rc;
}

/* Columns, primary key, unique constraints and CHECKs of one table. */
static int read_columns(insp *in, insp_table *t, table_text *tt)
{
    insp_rows r = {0};
    const char *p[1] = {t->raw};
    char *pk = "";
    int npk = 0, rc;
    rc = insp_query(in, &r, "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                            "FROM pragma_table_xinfo(?1) ORDER BY cid", 1, p);
    if (rc < 0)
        return rc;
    /* pk positions: 1..n */
    for (int want = 1; want <= r.n; want++)
        for (int i = 0; i < r.n; i++)
            if (r.v[i][4] && atoi(r.v[i][4]) == want) {
                pk = arena_printf(in->a, "%s%s%s", pk, npk ? ", " : "", r.v[i][0]);
                npk++;
            }
    for (int i = 0; i < r.n; i++) {
        const char *name = r.v[i][0] ? r.v[i][0] : "";
        int hidden = r.v[i][5] ? atoi(r.v[i][5]) : 0;
        if (hidden == 1)
            continue;    /* a virtual table's hidden column */
        insp_col *c = insp_col_new(in, t, name);
        char decl[256];
        size_t k = 0;
        /* Upper case, and "numeric(10,2)" spaced as the compiler writes it. */
        for (const char *s = r.v[i][1] ? r.v[i][1] : ""; *s && k + 2 < sizeof decl; s++) {
            decl[k++] = (char)toupper((unsigned char)*s);
            if (*s == ',' && s[1] != ' ')
                decl[k++] = ' ';
        }
        decl[k] = '\0';
        if (!decl[0]) {
            insp_note(in, "column %s.%s has no declared type; written as blob "
                          "(SQLite gives such a column BLOB affinity)", t->raw, name);
            c->type = "blob";
        } else {
            c->type = model_type(in, decl);
        }
        c->notnull = r.v[i][2] && r.v[i][2][0] == '1';
        c->dflt = model_default(in, c->type, r.v[i][3]);
        if (hidden == 2 || hidden == 3)
            insp_note(in, "generated column %s.%s: written as a plain column", t->raw, name);
    }
    if (npk) {
        written *w = npk == 1 ? find_written(tt, 'p', pk, 1) : NULL;
        insp_col *c = w ? insp_col_find(t, insp_name(in, pk)) : NULL;
        if (w && !w->name && c) {
            w->used = 1;
            c->pk = 1;
            c->autoinc = w->autoinc;
            if (!c->notnull)
                c->notnull = 1;
        } else {
            if (!w)
                w = find_written(tt, 'p', pk, 0);
            if (w)
                w->used = 1;
            insp_add_cons(in, t, w ? (int)(w - tt->v) : tt->n, "%s%sprimary key (%s)",
                                           w && w->name ? "constraint " : "",
                                           w && w->name ? arena_printf(in->a, "%s ",
                                                              insp_name(in, w->name)) : "",
                                           insp_names(in, pk));
        }
    }
    /* Unique constraints: the pragma's automatic indexes of origin 'u'. */
    rc = insp_query(in, &r, "SELECT il.name FROM pragma_index_list(?1) AS il "
                            "WHERE il.origin = 'u' ORDER BY il.seq DESC", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        insp_rows cols = {0};
        const char *q[1] = {r.v[i][0]};
        char *list = "";
        rc = insp_query(in, &cols, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno",
                        1, q);
        for (int k = 0; rc == 0 && k < cols.n; k++)
            list = arena_printf(in->a, "%s%s%s", list, k ? ", " : "",
                                cols.v[k][0] ? cols.v[k][0] : "");
        written *w = find_written(tt, 'u', list, 1);
        insp_col *c = w ? insp_col_find(t, insp_name(in, list)) : NULL;
        if (w && !w->name && c && !c->unique) {
            w->used = 1;
            c->unique = 1;
            continue;
        }
        if (!w)
            w = find_written(tt, 'u', list, 0);
        if (w)
            w->used = 1;
        insp_add_cons(in, t, w ? (int)(w - tt->v) : tt->n, "%s%sunique (%s)",
                                       w && w->name ? "constraint " : "",
                                       w && w->name ? arena_printf(in->a, "%s ",
                                                          insp_name(in, w->name)) : "",
                                       insp_names(in, list));
    }
    if (rc < 0)
        return rc;
    /* CHECKs: only the text has them. */
    for (int i = 0; i < tt->n; i++) {
        written *w = &tt->v[i];
        if (w->kind != 'c' || !w->check)
            continue;
        insp_col *c = w->column ? insp_col_find(t, insp_name(in, w->column)) : NULL;
        if (c && !w->name && !c->check) {
            c->check = w->check;
            continue;
        }
        insp_add_cons(in, t, i, "%s%scheck %s",
                                       w->name ? "constraint " : "",
                                       w->name ? arena_printf(in->a, "%s ",
                                                              insp_name(in, w->name)) : "",
                                       unparse_raw(in->a, w->check));
    }
    return 0;
}

/* `CREATE [UNIQUE] INDEX [IF NOT EXISTS] N ON T (items) [WHERE pred]` as
 * create_index. */
static void read_index(insp *in, const char *table, const char *name, const char *sql)
{
    tok t = next_tok(sql);
    int unique = 0;
    strbuf items = {0};
    const char *where = NULL;
    while (t.kind && !is_punct(t, '(')) {
        if (is_word(t, "UNIQUE"))
            unique = 1;
        t = next_tok(t.p + t.n);
    }
    if (!t.kind) {
        insp_note(in, "index %s (its SQL is not understood)", name);
        return;
    }
    tok end = skip_group(t);
    /* Each item: a name with ASC/DESC, or an expression. */
    for (tok i = next_tok(t.p + 1); i.kind && i.p < end.p;) {
        const char *start = i.p;
        int depth = 0;
        tok last = i;
        for (; i.kind; i = next_tok(i.p + i.n)) {
            if (is_punct(i, '('))
                depth++;
            else if (is_punct(i, ')') && depth-- == 0)
                break;
            else if (depth == 0 && is_punct(i, ','))
                break;
            last = i;
        }
        const char *stop = last.p + last.n;
        tok a = next_tok(start), b = next_tok(a.p + a.n);
        if (items.len)
            sb_put(&items, ", ");
        if ((a.kind == 'w' || a.kind == 'q') && (b.p >= stop || is_word(b, "ASC") ||
                                                 is_word(b, "DESC")) &&
            (b.p >= stop || b.p + b.n >= stop)) {
            sb_put(&items, insp_name(in, tok_name(in->a, a)));
            if (b.p < stop)
                sb_put(&items, is_word(b, "DESC") ? " desc" : " asc");
        } else {
            /* The compiler writes an expression in parentheses: one pair
             * around the whole item is its, not the expression's. */
            sb_put(&items, unparse_raw(in->a, insp_unparen(in, arena_strndup(
                                                  in->a, start, (size_t)(stop - start)))));
        }
        if (is_punct(i, ')'))
            break;
        i = next_tok(i.p + i.n);
    }
    /* The predicate as written (the compiler writes it so, and check
     * compares its text). */
    if (is_word(end, "WHERE"))
        where = insp_trim(in, end.p + end.n);
    sb_putf(&in->after, "create_index %s on %s (%s)%s%s%s;\n", insp_name(in, name),
            insp_qname(in, table), items.p ? items.p : "", unique ? " unique" : "",
            where ? " where " : "", where ? unparse_raw(in->a, where) : "");
    sb_free(&items);
}

/* The query of `CREATE VIEW name [(cols)] AS query`. */
static const char *view_body(insp *in, const char *sql)
{
    tok t = next_tok(sql);
    while (t.kind && !is_word(t, "AS")) {
        if (is_punct(t, '(')) {
            t = skip_group(t);
            continue;
        }
        t = next_tok(t.p + t.n);
    }
    if (!t.kind)
        return NULL;
    const char *body = insp_unparen(in, t.p + t.n);
    size_t n = strlen(body);
    while (n && (body[n - 1] == ';' || isspace((unsigned char)body[n - 1])))
        n--;
    return arena_strndup(in->a, body, n);
}

int insp_read_sqlite(insp *in)
{
    insp_rows tables = {0}, objs = {0};
    int rc = insp_query(in, &tables,
                        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid", 0, NULL);
    for (int i = 0; rc == 0 && i < tables.n; i++) {
        const char *name = tables.v[i][0], *sql = tables.v[i][1];
        table_text tt = {0};
        insp_table *t;
        if (!name || insp_skipped(in, name))
            continue;
        if (!sql || strncasecmp(sql, "CREATE VIRTUAL", 14) == 0) {
            insp_note(in, "virtual table %s", name);
            continue;
        }
        read_table_text(in->a, sql, &tt);
        t = insp_table_new(in, name);
        if ((rc = read_columns(in, t, &tt)) < 0 || (rc = read_foreign_keys(in, t, &tt)) < 0)
            break;
        {
            tok opt = next_tok(sql);
            (void)opt;
            if (strstr(sql, "WITHOUT ROWID") || strstr(sql, "without rowid"))
                insp_note(in, "table %s is WITHOUT ROWID: written as an ordinary table",
                          name);
        }
    }
    if (rc == 0)
        rc = insp_query(in, &objs,
                        "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                        "WHERE type IN ('index', 'view', 'trigger') AND sql IS NOT NULL "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
                        0, NULL);
    for (int i = 0; rc == 0 && i < objs.n; i++) {
        const char *type = objs.v[i][0], *name = objs.v[i][1], *table = objs.v[i][2],
                   *sql = objs.v[i][3];
        if (!type || !name || !sql || (table && insp_skipped(in, table)))
            continue;
        if (!strcmp(type, "index")) {
            read_index(in, table, name, sql);
        } else if (!strcmp(type, "view")) {
            const char *body = view_body(in, sql);
            if (!body)
                insp_note(in, "view %s (its SQL is not understood)", name);
            else
                sb_putf(&in->after, "create_view %s as %s;\n", insp_qname(in, name),
                        unparse_raw(in->a, body));
        } else {
            sb_putf(&in->after, "create_trigger %s on %s %s;\n", insp_name(in, name),
                    insp_qname(in, table), unparse_raw(in->a, sql));
        }
    }
    return rc;
}
