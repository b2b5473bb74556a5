/*
 * ast_objects.c: the builders of views, triggers, comments and enums (see
 * ast_build.h).
 *
 * A view's body is its query; a trigger's body is the whole CREATE
 * TRIGGER statement, because SQLite and PostgreSQL write triggers too
 * differently for retort to generate them (a PostgreSQL trigger calls a
 * function).  Either may be given once for every dialect or once per
 * dialect: `sqlite $$A$$ postgresql $$B$$`.  What can be checked without
 * the schema is checked here: every dialect has a body, a view's body is
 * a query, a trigger's body creates the trigger it is named after.
 */
#include <ctype.h>
#include <string.h>

#include "ast_build.h"
#include "dialect.h"
#include "sqlword.h"

ast_body ast_body_new(parse_state *ps, const ast_name *dname,
                      const lex_token *raw)
{
    ast_body b = {{NULL, NULL}, 0, raw->loc};
    if (!dname) {
        b.sql[0] = b.sql[1] = ast_raw(ps, raw);
        b.common = 1;
        return b;
    }
    b.loc = dname->loc;
    ast_body_add(ps, &b, dname, raw);
    return b;
}

void ast_body_add(parse_state *ps, ast_body *b, const ast_name *dname,
                  const lex_token *raw)
{
    const dialect *D = dialect_named(dname->text);
    if (!D) {
        diag_error(ps->d, dname->loc,
                   "unknown dialect '%s' (expected sqlite or postgresql)",
                   dname->text);
        return;
    }
    if (b->common) {
        diag_error(ps->d, dname->loc, "a body for every dialect was given "
                   "already; give one body, or one per dialect");
        return;
    }
    if (b->sql[D->id]) {
        diag_error(ps->d, dname->loc, "the %s body is given twice", D->name);
        return;
    }
    b->sql[D->id] = ast_raw(ps, raw);
}

/* Every dialect has a body; reports the first missing one. */
static int body_complete(parse_state *ps, const ast_body *b, const char *what)
{
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
        if (!b->sql[d]) {
            diag_error(ps->d, b->loc, "%s has no %s body: give one body for "
                       "every dialect, or one per dialect (sqlite $$...$$ "
                       "postgresql $$...$$)", what, dialect_get(d)->name);
            return 0;
        }
    return 1;
}

/* ---- a small reader of SQL words ---- */

/* Skips white space and comments. */
static const char *skip(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* The word at p (letters, digits, _, $) or a "quoted" name, copied into
 * out (quotes removed, `""` folded); returns what follows, or NULL when
 * there is no word there.  *quoted says which. */
static const char *word(const char *p, char *out, size_t cap, int *quoted)
{
    size_t n = 0;
    p = skip(p);
    *quoted = *p == '"';
    if (*quoted) {
        for (p++; *p; p++) {
            if (*p == '"' && p[1] != '"')
                break;
            if (*p == '"')
                p++;
            if (n + 1 < cap)
                out[n++] = *p;
        }
        if (*p != '"')
            return NULL;
        out[n] = '\0';
        return p + 1;
    }
    while (isalnum((unsigned char)*p) || *p == '_' || *p == '$') {
        if (n + 1 < cap)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return n ? p : NULL;
}

/* A name as written (quoted: `exact`) against one the history uses. */
static int name_eq(const char *x, const char *y, int exact)
{
    return exact ? strcmp(x, y) == 0 : sqlword_eq(x, y);
}

/* The name a CREATE TRIGGER statement creates, in `name`: 0 when `sql`
 * is not one.  CREATE [TEMP|TEMPORARY] [OR REPLACE] [CONSTRAINT] TRIGGER
 * [IF NOT EXISTS] [schema.]name. */
static int trigger_name(const char *sql, char *name, size_t cap, int *quoted)
{
    char w[256];
    const char *p = word(sql, w, sizeof w, quoted);
    if (!p || *quoted || !sqlword_eq(w, "create"))
        return 0;
    while ((p = word(p, w, sizeof w, quoted)) && !*quoted && !sqlword_eq(w, "trigger"))
        if (!sqlword_eq(w, "temp") && !sqlword_eq(w, "temporary") && !sqlword_eq(w, "or") &&
            !sqlword_eq(w, "replace") && !sqlword_eq(w, "constraint"))
            return 0;
    if (!p)
        return 0;
    const char *q = word(p, name, cap, quoted);
    if (q && !*quoted && sqlword_eq(name, "if")) {
        q = word(q, name, cap, quoted);              /* not */
        q = q ? word(q, name, cap, quoted) : NULL;   /* exists */
        q = q ? word(q, name, cap, quoted) : NULL;
    }
    if (q && *skip(q) == '.')
        q = word(skip(q) + 1, name, cap, quoted);
    return q != NULL;
}

ast_stmt *ast_create_view(parse_state *ps, const lex_token *kw, ast_qname view,
                          const ast_body *body)
{
    ast_stmt *st = ast_stmt_new(ps, ST_CREATE_VIEW, kw, &view, NULL);
    if (!body_complete(ps, body, "create_view"))
        return st;
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++) {
        char w[64];
        int quoted;
        if (word(body->sql[d], w, sizeof w, &quoted) && !quoted && sqlword_eq(w, "create")) {
            diag_error(ps->d, body->loc, "create_view takes the view's query "
                       "($$select ...$$), not a CREATE VIEW statement");
            return st;
        }
        st->bodies[d] = body->sql[d];
    }
    return st;
}

ast_stmt *ast_create_trigger(parse_state *ps, const lex_token *kw, ast_name name,
                             ast_qname table, const ast_body *body)
{
    ast_stmt *st = ast_stmt_new(ps, ST_CREATE_TRIGGER, kw, &table, &name);
    if (!body_complete(ps, body, "create_trigger"))
        return st;
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++) {
        char made[256];
        int quoted;
        if (!trigger_name(body->sql[d], made, sizeof made, &quoted)) {
            diag_error(ps->d, body->loc, "create_trigger takes the whole CREATE "
                       "TRIGGER statement%s%s", body->common ? "" : " for ",
                       body->common ? "" : dialect_get(d)->name);
            return st;
        }
        if (!name_eq(made, name.text, quoted)) {
            diag_error(ps->d, body->loc, "the %sbody creates trigger '%s', not '%s'",
                       body->common ? "" : arena_printf(ps->a, "%s ",
                                                        dialect_get(d)->name),
                       made, name.text);
            return st;
        }
        st->bodies[d] = body->sql[d];
    }
    return st;
}

/* The function a CREATE [OR REPLACE] FUNCTION statement creates: its
 * name in `name` and its schema, if written, in `schema` ("" when not);
 * 0 when `sql` is not such a statement. */
static int function_name(const char *sql, char *schema, char *name, size_t cap,
                         int *quoted)
{
    char w[256];
    const char *p = word(sql, w, sizeof w, quoted);
    if (!p || *quoted || !sqlword_eq(w, "create"))
        return 0;
    while ((p = word(p, w, sizeof w, quoted)) && !*quoted && !sqlword_eq(w, "function"))
        if (!sqlword_eq(w, "or") && !sqlword_eq(w, "replace"))
            return 0;
    if (!p)
        return 0;
    schema[0] = '\0';
    const char *q = word(p, name, cap, quoted);
    if (q && *skip(q) == '.') {
        memcpy(schema, name, strlen(name) + 1);
        q = word(skip(q) + 1, name, cap, quoted);
    }
    return q != NULL;
}

ast_stmt *ast_function(parse_state *ps, enum ast_stmt_kind kind,
                       const lex_token *kw, ast_qname name, const lex_token *body)
{
    ast_stmt *st = ast_stmt_new(ps, kind, kw, &name, NULL);
    st->raw = ast_raw(ps, body);
    char schema[256], made[256];
    int quoted;
    if (!function_name(st->raw, schema, made, sizeof made, &quoted)) {
        diag_error(ps->d, body->loc, "%s takes the whole CREATE FUNCTION "
                   "statement", kind == ST_CREATE_FUNCTION ? "create_function"
                                                           : "replace_function");
        return st;
    }
    if (!name_eq(made, name.name.text, quoted) ||
        (schema[0] && !(name.schema.text && name_eq(schema, name.schema.text, 0))))
        diag_error(ps->d, body->loc, "the body creates function '%s%s%s', not '%s%s%s'",
                   schema, schema[0] ? "." : "", made,
                   name.schema.text ? name.schema.text : "",
                   name.schema.text ? "." : "", name.name.text);
    return st;
}

ast_stmt *ast_comment(parse_state *ps, const lex_token *kw, ast_qname table,
                      const ast_name *column, const lex_token *str)
{
    ast_stmt *st = ast_stmt_new(ps, column ? ST_COLUMN_COMMENT : ST_TABLE_COMMENT,
                                kw, &table, column);
    if (str)
        st->comment = ast_expr_new(ps, EX_STRING, str)->text;
    return st;
}

/* ---- enums ---- */

/* PostgreSQL's limit on a label (NAMEDATALEN - 1 bytes).  An empty label
 * is allowed: PostgreSQL takes it, and real histories use it (a "not
 * answered" choice). */
#define ENUM_LABEL_MAX 63

static const char *label_of(parse_state *ps, const lex_token *str)
{
    const char *l = ast_expr_new(ps, EX_STRING, str)->text;
    if (strlen(l) > ENUM_LABEL_MAX)
        diag_error(ps->d, str->loc, "an enum label has at most %d bytes",
                   ENUM_LABEL_MAX);
    return l;
}

ptr_list ast_strings_new(parse_state *ps, const ptr_list *l, const lex_token *str)
{
    ptr_list out = l ? *l : (ptr_list){0};
    const char *label = label_of(ps, str);
    for (int i = 0; i < out.count; i++)
        if (strcmp(out.items[i], label) == 0)
            diag_error(ps->d, str->loc, "label '%s' is given twice", label);
    list_push(ps->a, &out, (void *)label);
    return out;
}

ast_stmt *ast_create_enum(parse_state *ps, const lex_token *kw, ast_name name,
                          ptr_list labels)
{
    ast_stmt *st = ast_stmt_new(ps, ST_CREATE_ENUM, kw, NULL, &name);
    st->labels = labels;
    return st;
}

ast_stmt *ast_alter_enum(parse_state *ps, enum ast_stmt_kind kind,
                         const lex_token *kw, ast_name name, const lex_token *label,
                         const lex_token *label2, int position)
{
    ast_stmt *st = ast_stmt_new(ps, kind, kw, NULL, &name);
    st->label = label_of(ps, label);
    st->label_loc = label->loc;
    if (label2) {
        st->label2 = label_of(ps, label2);
        st->label2_loc = label2->loc;
    }
    st->position = position;
    return st;
}

ast_type ast_type_enum(parse_state *ps, const lex_token *kw, ast_name name)
{
    (void)ps;
    ast_type t = {.kind = TY_ENUM, .p = -1, .s = -1, .loc = kw->loc, .en = name.text};
    return t;
}

/* ---- PostgreSQL objects ---- */

ast_stmt *ast_object(parse_state *ps, enum ast_stmt_kind kind, enum ast_object_kind object,
                     const lex_token *kw, ast_name name)
{
    ast_stmt *st = ast_stmt_new(ps, kind, kw, NULL, &name);
    st->object = (int)object;
    return st;
}

void ast_sequence_option(parse_state *ps, ast_stmt *st, int increment,
                         const lex_token *kw, const lex_token *num)
{
    const char *word = increment ? "increment" : "start";
    const char **slot = increment ? &st->increment : &st->start;
    if (st->kind != ST_CREATE_OBJECT || st->object != OBJ_SEQUENCE) {
        diag_error(ps->d, kw->loc, "'%s' applies to create_sequence only", word);
        return;
    }
    if (*slot) {
        diag_error(ps->d, kw->loc, "'%s' given twice", word);
        return;
    }
    /* PostgreSQL's sequences are bigint. */
    if (num->len - (int)strspn(num->text, "0") > 18) {
        diag_error(ps->d, num->loc, "'%s' is out of range for a sequence", word);
        return;
    }
    if (increment && strspn(num->text, "0") >= (size_t)num->len) {
        diag_error(ps->d, num->loc, "a sequence's increment cannot be zero");
        return;
    }
    /* As PostgreSQL reads it back: no leading zeros. */
    size_t zeros = strspn(num->text, "0");
    if (zeros >= (size_t)num->len)
        zeros = (size_t)num->len - 1;
    *slot = arena_strndup(ps->a, num->text + zeros, (size_t)num->len - zeros);
}
