/*
 * db_sqlite_names.c: the names of a SQLite table's constraints, for
 * `constraint_exists` on SQLite.
 *
 * SQLite keeps no name for a constraint written without `CONSTRAINT n`,
 * but the history calls it by the name PostgreSQL would give it (SPEC
 * section 2; the compiler's compiler/cname.c), so `if constraint_exists
 * users_team_id_fkey on users` must see an unnamed foreign key on
 * users (team_id) there as it does on PostgreSQL.  The only record SQLite
 * has of a table's constraints is its CREATE TABLE text, so that text is
 * read here: each constraint, its kind, its columns and its name if it has
 * one; the unnamed ones get PostgreSQL 15's default names by the same
 * rules as cname.c (`<table>_<columns>_fkey`, `_key`, `<table>_pkey`,
 * `<table>_<column>_check` or `<table>_check`; 63 bytes at most; a number
 * after the label while the name is taken by another constraint of the
 * table; an unnamed UNIQUE on the columns of an earlier key is merged into
 * it).  The names follow the table and column names the text holds now:
 * PostgreSQL keeps a name through later renames, SQLite's text does not
 * remember them (docs/sqlite-rebuilds.md).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define NAMEDATALEN 64
#define MAXCOLS 32

enum { K_CHECK, K_PKEY, K_UNIQUE, K_FKEY, K_OTHER };   /* OTHER: named NOT NULL, ... */
static const char *const labels[] = {"check", "pkey", "key", "fkey"};

typedef struct tok {
    const char *p;
    size_t n;
    char kind;                /* 'w' word, 'q' quoted name, 's' string,
                               * '0' number, or the punctuation byte */
} tok;

typedef struct cons {
    int kind;
    char name[NAMEDATALEN * 4];   /* "" when unnamed */
    int ncols;
    char cols[MAXCOLS][NAMEDATALEN * 4];
    int expr, expr_end;           /* CHECK: its tokens [expr, expr_end) */
    int unnamed;                  /* written without `CONSTRAINT n` */
    int merged;                   /* an unnamed UNIQUE folded into a key */
} cons;

typedef struct table_text {
    tok *t;
    int n, cap;
    cons *k;
    int nk, capk;
    int *coltok;              /* the token naming each column */
    int ncols, capcols;
} table_text;

static int push_tok(table_text *x, const char *p, size_t n, char kind)
{
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        tok *t = realloc(x->t, sizeof *t * (size_t)cap);
        if (!t)
            return -1;
        x->t = t;
        x->cap = cap;
    }
    x->t[x->n++] = (tok){p, n, kind};
    return 0;
}

/* Splits SQL text into tokens, comments dropped (SQLite keeps the CREATE
 * text as written, comments included). */
static int tokenize(table_text *x, const char *s)
{
    const char *p = s;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        const char *b = p;
        char kind;
        if (isspace(c)) {
            p++;
            continue;
        }
        if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (c == '"' || c == '`' || c == '[' || c == '\'') {
            char close = c == '[' ? ']' : (char)c;
            for (p++; *p; p++)
                if (*p == close) {
                    if (close != ']' && p[1] == close)
                        p++;
                    else
                        break;
                }
            if (*p)
                p++;
            kind = c == '\'' ? 's' : 'q';
        } else if (isalpha(c) || c == '_' || c >= 0x80) {
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
                   (unsigned char)*p >= 0x80)
                p++;
            kind = 'w';
        } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]))) {
            while (isalnum((unsigned char)*p) || *p == '.')
                p++;
            kind = '0';
        } else {
            p++;
            kind = (char)c;
        }
        if (push_tok(x, b, (size_t)(p - b), kind) < 0)
            return -1;
    }
    return 0;
}

/* Is token i the bare keyword kw? */
static int is_kw(const table_text *x, int i, const char *kw)
{
    return i < x->n && x->t[i].kind == 'w' && x->t[i].n == strlen(kw) &&
           strncasecmp(x->t[i].p, kw, x->t[i].n) == 0;
}

static int is_punct(const table_text *x, int i, char c)
{
    return i < x->n && x->t[i].kind == c;
}

/* The name token i stands for, unquoted, into out (cap bytes). */
static void name_of(const table_text *x, int i, char *out, size_t cap)
{
    size_t k = 0;
    if (i >= x->n || (x->t[i].kind != 'w' && x->t[i].kind != 'q' &&
                      x->t[i].kind != 's')) {
        out[0] = '\0';
        return;
    }
    const tok *t = &x->t[i];
    if (t->kind == 'w') {
        k = t->n < cap - 1 ? t->n : cap - 1;
        memcpy(out, t->p, k);
    } else {
        char close = t->p[0] == '[' ? ']' : t->p[0];
        for (size_t j = 1; j + 1 < t->n && k < cap - 1; j++) {
            out[k++] = t->p[j];
            if (t->p[j] == close && close != ']')
                j++;          /* a doubled quote stands for one */
        }
    }
    out[k] = '\0';
}

/* The index of the token after the group that opens at i (a '(' ), or
 * after token i itself. */
static int skip_group(const table_text *x, int i)
{
    if (!is_punct(x, i, '('))
        return i + 1;
    int depth = 0;
    for (; i < x->n; i++) {
        if (x->t[i].kind == '(')
            depth++;
        else if (x->t[i].kind == ')' && --depth == 0)
            return i + 1;
    }
    return x->n;
}

static cons *new_cons(table_text *x, int kind, const char *name)
{
    if (x->nk == x->capk) {
        int cap = x->capk ? x->capk * 2 : 8;
        cons *k = realloc(x->k, sizeof *k * (size_t)cap);
        if (!k)
            return NULL;
        x->k = k;
        x->capk = cap;
    }
    cons *k = &x->k[x->nk++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->unnamed = !name[0];
    snprintf(k->name, sizeof k->name, "%s", name);
    return k;
}

/* The column list in the group opening at i: the first name of each
 * comma-separated element (`c COLLATE x DESC` is c). */
static void column_list(const table_text *x, int i, cons *k)
{
    int end = skip_group(x, i), first = 1;
    for (int j = i + 1; j < end - 1; j++) {
        if (x->t[j].kind == ',') {
            first = 1;
            continue;
        }
        if (x->t[j].kind == '(') {
            j = skip_group(x, j) - 1;
            continue;
        }
        if (first && k->ncols < MAXCOLS)
            name_of(x, j, k->cols[k->ncols++], sizeof k->cols[0]);
        first = 0;
    }
}

/* The constraint whose keyword is token i (named `name`, "" if not), on
 * `column` when column-level; returns the token after its keyword. */
static int take_constraint(table_text *x, int i, const char *name,
                           const char *column)
{
    int kind = is_kw(x, i, "PRIMARY") ? K_PKEY : is_kw(x, i, "UNIQUE") ? K_UNIQUE
             : is_kw(x, i, "CHECK") ? K_CHECK
             : is_kw(x, i, "REFERENCES") || is_kw(x, i, "FOREIGN") ? K_FKEY
             : K_OTHER;
    if (kind == K_OTHER && !name[0])
        return i + 1;
    cons *k = new_cons(x, kind, name);
    if (!k)
        return -1;
    int j = i + 1;
    if (is_kw(x, j, "KEY"))
        j++;
    if (kind == K_CHECK && is_punct(x, j, '(')) {
        k->expr = j + 1;
        k->expr_end = skip_group(x, j) - 1;
    }
    if (column) {
        k->ncols = 1;
        snprintf(k->cols[0], sizeof k->cols[0], "%s", column);
    } else if (kind != K_CHECK && is_punct(x, j, '(')) {
        column_list(x, j, k);
    }
    return j;
}

/* Reads the columns and constraints of the CREATE TABLE text in x->t. */
static int read_table(table_text *x)
{
    int i = 0;
    while (i < x->n && !is_punct(x, i, '('))
        i++;
    int end = skip_group(x, i) - 1;     /* the closing ')' */
    for (i++; i < end; i++) {
        int b = i, e = i;               /* the element [b, e) */
        while (e < end && !is_punct(x, e, ','))
            e = skip_group(x, e);
        i = e;
        int table_level = is_kw(x, b, "CONSTRAINT") || is_kw(x, b, "PRIMARY") ||
                          is_kw(x, b, "UNIQUE") || is_kw(x, b, "CHECK") ||
                          is_kw(x, b, "FOREIGN");
        char column[NAMEDATALEN * 4] = "";
        if (!table_level) {
            name_of(x, b, column, sizeof column);
            if (x->ncols == x->capcols) {
                int cap = x->capcols ? x->capcols * 2 : 16;
                int *c = realloc(x->coltok, sizeof *c * (size_t)cap);
                if (!c)
                    return -1;
                x->coltok = c;
                x->capcols = cap;
            }
            x->coltok[x->ncols++] = b;
            b++;
        }
        /* A table constraint is one constraint; a column definition may
         * hold several, each with its own optional `CONSTRAINT name`. */
        for (int j = b; j < e;) {
            char name[NAMEDATALEN * 4] = "";
            if (is_kw(x, j, "CONSTRAINT")) {
                name_of(x, j + 1, name, sizeof name);
                j += 2;
            }
            if (is_punct(x, j, '(')) {
                j = skip_group(x, j);
                continue;
            }
            j = take_constraint(x, j, name, table_level ? NULL : column);
            if (j < 0)
                return -1;
            if (table_level)
                break;
        }
    }
    return 0;
}

/* The longest prefix of s[0..n) that does not cut a UTF-8 character. */
static size_t clip(const char *s, size_t n)
{
    if (n < strlen(s))
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}

/* PostgreSQL's makeObjectName(): name1[_name2]_label in 63 bytes. */
static void object_name(char *out, size_t cap, const char *name1,
                        const char *name2, const char *label)
{
    size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
    size_t overhead = (name2 ? 1 : 0) + strlen(label) + 1;
    size_t avail = NAMEDATALEN - 1 - overhead;
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = clip(name1, n1);
    if (name2)
        n2 = clip(name2, n2);
    snprintf(out, cap, "%.*s%s%.*s_%s", (int)n1, name1, name2 ? "_" : "",
             (int)n2, name2 ? name2 : "", label);
}

/* ChooseIndexNameAddition(): the columns joined by `_`, stopping once 64
 * bytes are reached. */
static void columns_part(const cons *k, char *out)
{
    size_t len = 0;
    for (int i = 0; i < k->ncols; i++) {
        size_t n = strlen(k->cols[i]);
        if (n > NAMEDATALEN - 1)
            n = NAMEDATALEN - 1;
        if (len > 0)
            out[len++] = '_';
        memcpy(out + len, k->cols[i], n);
        len += n;
        if (len >= NAMEDATALEN)
            break;
    }
    out[len] = '\0';
}

/* The one column of the table that a CHECK reads, into out, or NULL when
 * it reads none or several: names that are not a function (before `(`) or
 * a type (after `::`) and are columns of the table. */
static const char *check_column(const table_text *x, const cons *k, char *out,
                                size_t cap)
{
    const char *found = NULL;
    for (int i = k->expr; i < k->expr_end; i++) {
        const tok *t = &x->t[i];
        if (t->kind != 'w' && t->kind != 'q')
            continue;
        if (is_punct(x, i + 1, '(') ||
            (i >= 2 && is_punct(x, i - 1, ':') && is_punct(x, i - 2, ':')))
            continue;
        char w[NAMEDATALEN * 4], col[NAMEDATALEN * 4];
        name_of(x, i, w, sizeof w);
        for (int c = 0; c < x->ncols; c++) {
            name_of(x, x->coltok[c], col, sizeof col);
            if (strcasecmp(col, w) != 0)
                continue;
            if (found && strcasecmp(found, col) != 0)
                return NULL;
            snprintf(out, cap, "%s", col);
            found = out;
        }
    }
    return found;
}

static int same_columns(const cons *a, const cons *b)
{
    if (a->ncols != b->ncols)
        return 0;
    for (int i = 0; i < a->ncols; i++)
        if (strcasecmp(a->cols[i], b->cols[i]) != 0)
            return 0;
    return 1;
}

static int name_taken(const table_text *x, const char *name)
{
    for (int i = 0; i < x->nk; i++)
        if (strcasecmp(x->k[i].name, name) == 0)
            return 1;
    return 0;
}

/* Gives each unnamed constraint its default name, in the order PostgreSQL
 * creates them: CHECKs, the PRIMARY KEY, UNIQUEs, FOREIGN KEYs (the text
 * holds column definitions before table constraints, so column-level ones
 * come first within a kind, as in cname.c). */
static void assign_names(table_text *x, const char *table)
{
    static const int order[] = {K_CHECK, K_PKEY, K_UNIQUE, K_FKEY};
    for (int o = 0; o < 4; o++)
        for (int i = 0; i < x->nk; i++) {
            cons *k = &x->k[i];
            if (k->kind != order[o] || k->name[0])   /* named, or other */
                continue;
            if (k->kind == K_UNIQUE)
                for (int j = 0; j < x->nk && !k->merged; j++) {
                    const cons *e = &x->k[j];
                    k->merged = j != i && same_columns(e, k) &&
                                (e->kind == K_PKEY ||
                                 (e->kind == K_UNIQUE && e->unnamed && j < i &&
                                  !e->merged));
                }
            if (k->merged)
                continue;
            char part[NAMEDATALEN * 4], label[16], name[sizeof k->name];
            const char *name2 = part;
            if (k->kind == K_PKEY)
                name2 = NULL;
            else if (k->kind == K_CHECK)
                name2 = check_column(x, k, part, sizeof part);
            else
                columns_part(k, part);
            object_name(name, sizeof name, table, name2, labels[k->kind]);
            for (int pass = 1; name_taken(x, name); pass++) {
                snprintf(label, sizeof label, "%s%d", labels[k->kind], pass);
                object_name(name, sizeof name, table, name2, label);
            }
            memcpy(k->name, name, sizeof name);
        }
}

int rt_db_sqlite_has_constraint(const char *table, const char *create_sql,
                                const char *name)
{
    table_text x = {0};
    int found = -1;
    if (tokenize(&x, create_sql) == 0 && read_table(&x) == 0) {
        assign_names(&x, table);
        found = 0;
        for (int i = 0; i < x.nk && !found; i++)
            found = !x.k[i].merged && strcasecmp(x.k[i].name, name) == 0;
    }
    free(x.t);
    free(x.k);
    free(x.coltok);
    return found;
}
